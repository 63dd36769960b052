import { z } from 'zod';
import {
  DirectoryChange,
  DirectoryObjectInput,
  DirectorySection,
  UserView,
  directoryItemSchemas,
} from '../../contract/admin-api.js';
import { IdParams } from '../../contract/api.js';
import { actorOf } from '../../services/auth/authenticate.js';
import { ENTITY_OF, editDirectory } from '../../services/workspace/edit-directory.js';
import { getDirectoryObject, listDirectory } from '../../services/workspace/list-directory.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/**
 * Users, teams, queues, schedules, channels and knowledge one object at a time (docs/api.md). Reads
 * are for every signed-in user (agents pick transfer targets from them); writes are for admins
 * and go through the workspace document, so they are validated, versioned and audited like
 * `PUT /api/config`. `/api/users/:id/status` and `/api/users/:id/tokens` belong to auth.ts.
 */
export function directoryRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return DirectorySection.options.flatMap((section): AnyRoute[] => {
    const entity = ENTITY_OF[section];
    // Items are served as stored (checked when written), so the schema documents rather than types them.
    const item: z.ZodType = section === 'users' ? UserView : directoryItemSchemas[section];
    const base = `/api/${section}`;
    const tags = ['directory'];
    return [
      defineRoute({
        method: 'GET',
        url: base,
        summary: `List ${section}`,
        tags,
        access: 'user',
        response: z.object({ items: z.array(item) }),
        handler: async () => ({ items: await listDirectory(ctx, section) }),
      }),
      defineRoute({
        method: 'GET',
        url: `${base}/:id`,
        summary: `One ${entity}`,
        tags,
        access: 'user',
        params: IdParams,
        response: item,
        handler: async ({ params }) => getDirectoryObject(ctx, section, params.id),
      }),
      defineRoute({
        method: 'POST',
        url: base,
        summary: `Add a ${entity} (409 when the id exists)`,
        tags,
        access: 'admin',
        writes: true,
        body: DirectoryObjectInput,
        response: DirectoryChange,
        status: 201,
        handler: async ({ body, principal }) => editDirectory(ctx, { section, edit: { kind: 'add', item: body }, actor: actorOf(principal) }),
      }),
      defineRoute({
        method: 'PATCH',
        url: `${base}/:id`,
        summary: `Change top-level fields of a ${entity} (null removes an optional field; the id cannot change)`,
        tags,
        access: 'admin',
        writes: true,
        params: IdParams,
        body: DirectoryObjectInput,
        response: DirectoryChange,
        handler: async ({ params, body, principal }) =>
          editDirectory(ctx, { section, edit: { kind: 'update', id: params.id, fields: body }, actor: actorOf(principal) }),
      }),
      defineRoute({
        method: 'DELETE',
        url: `${base}/:id`,
        summary: `Remove a ${entity} (422 with the referring paths while the workspace still uses it)`,
        tags,
        access: 'admin',
        writes: true,
        params: IdParams,
        response: DirectoryChange,
        handler: async ({ params, principal }) =>
          editDirectory(ctx, { section, edit: { kind: 'remove', id: params.id }, actor: actorOf(principal) }),
      }),
    ];
  });
}
