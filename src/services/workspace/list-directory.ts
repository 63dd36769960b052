import type { DirectorySection, UserView } from '../../contract/admin-api.js';
import type { UserConfig } from '../../contract/config.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { listUserStates } from '../../store/repositories/users.js';
import type { ServiceContext } from '../context.js';
import { ENTITY_OF } from './edit-directory.js';
import { isoOrNull } from '../present/present-conversation.js';
import { readWorkspaceDocument } from './read-workspace-document.js';

/**
 * One section of the directory as written in the document (`${VAR}` unresolved, so no secret
 * reaches an agent's screen). Users come with their availability now.
 */
export async function listDirectory(ctx: ServiceContext, section: DirectorySection): Promise<Record<string, unknown>[]> {
  const current = await readWorkspaceDocument(ctx.database.db);
  if (current === null) throw new BatonError('unavailable', 'the workspace has no configuration yet: apply a baton.yaml');
  const items = (Array.isArray(current.document[section]) ? current.document[section] : []) as Record<string, unknown>[];
  if (section !== 'users') return items.map((item) => ({ ...item }));
  return withStatuses(ctx, items as unknown as UserConfig[]);
}

export async function getDirectoryObject(ctx: ServiceContext, section: DirectorySection, id: string): Promise<Record<string, unknown>> {
  const items = await listDirectory(ctx, section);
  const item = items.find((i) => i.id === id);
  if (item === undefined) throw notFound(ENTITY_OF[section], id);
  return item;
}

async function withStatuses(ctx: ServiceContext, users: readonly UserConfig[]): Promise<UserView[]> {
  const states = new Map((await listUserStates(ctx.database.db)).map((s) => [s.userId, s]));
  return users.map((user) => {
    const state = states.get(user.id);
    return { ...user, currentStatus: state?.status ?? user.status, statusChangedAt: isoOrNull(state?.statusChangedAt ?? null) };
  });
}
