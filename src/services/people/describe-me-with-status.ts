import type { MeWithStatus } from '../../contract/people-api.js';
import type { Principal } from '../auth/principal.js';
import { getUserState } from '../../store/repositories/users.js';
import { describeMe } from '../auth/authenticate.js';
import type { ServiceContext } from '../context.js';
import { initialStatusOf } from './initial-status-of.js';

/** `GET /api/me`: the caller, with the availability in force now (their last choice, else the configured initial one). */
export async function describeMeWithStatus(ctx: ServiceContext, principal: Principal): Promise<MeWithStatus> {
  const me = await describeMe(ctx, principal);
  if (principal.kind !== 'user') return { ...me, status: null };
  const state = await getUserState(ctx.database.db, principal.userId);
  const status = state?.status ?? initialStatusOf((await ctx.workspace.current()).config, principal.userId);
  return { ...me, status };
}
