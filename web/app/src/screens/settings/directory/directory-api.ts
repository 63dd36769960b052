/**
 * The directory API as Settings calls it (docs/api.md: users, teams, queues, schedules, channels and
 * knowledge one object at a time; the workspace document for notification targets). Every write
 * is validated against the whole workspace, versioned and audited by the server; a refusal is an
 * ApiError whose `details` name each problem's path.
 */
import { call } from '../../../api.js';
import type {
  ConfigApplyOutcome,
  DirectoryChange,
  DirectorySection,
} from '../../../../../../src/contract/admin-api.js';
import type { ApiObject } from './forms.js';

const enc = encodeURIComponent;

export type { DirectorySection, DirectoryChange };

export const directoryApi = {
  list: <Item>(section: DirectorySection) => call<{ items: Item[] }>('GET', `/api/${section}`),
  add: (section: DirectorySection, item: ApiObject) => call<DirectoryChange>('POST', `/api/${section}`, item),
  /** Replaces the top-level fields given; `null` removes an optional one. */
  update: (section: DirectorySection, id: string, fields: ApiObject) =>
    call<DirectoryChange>('PATCH', `/api/${section}/${enc(id)}`, fields),
  /** 422 with the referring paths while the workspace still uses the object. */
  remove: (section: DirectorySection, id: string) =>
    call<DirectoryChange>('DELETE', `/api/${section}/${enc(id)}`),
  /** The workspace document as JSON, as written (`${VAR}` kept). */
  document: () => call<ApiObject>('GET', '/api/config'),
  putDocument: (document: ApiObject, options: { dryRun: boolean; summary: string }) =>
    call<ConfigApplyOutcome>(
      'PUT',
      `/api/config?dryRun=${options.dryRun ? 'true' : 'false'}&summary=${enc(options.summary)}`,
      document,
    ),
};
