import type { ApiToken } from '../../contract/people-api.js';
import type { Principal } from './principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { listApiTokens } from '../../store/repositories/users.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { ServiceContext } from '../context.js';
import { presentApiToken } from '../present/present-api-token.js';

/** A user's API tokens, newest first, revoked ones included (with `revokedAt`): for an admin, or the user themself. */
export async function listUserTokens(ctx: ServiceContext, principal: Principal, userId: string): Promise<ApiToken[]> {
  const self = principal.kind === 'user' && principal.userId === userId;
  if (!self && !actsAsAdmin(principal)) throw new BatonError('forbidden', "only an admin or the user themself may see a user's tokens");
  const { model } = await ctx.workspace.current();
  if (!model.users.has(userId)) throw notFound('user', userId);
  const tokens = await listApiTokens(ctx.database.db, { userId });
  return tokens.map((token) => presentApiToken({ ...token, userId }));
}
