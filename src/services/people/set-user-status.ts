import type { Availability } from '../../contract/common.js';
import type { UserStatus } from '../../contract/people-api.js';
import type { Principal } from '../auth/principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { setUserStatus as writeUserStatus } from '../../store/repositories/users.js';
import { actorOf } from '../auth/authenticate.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { ServiceContext } from '../context.js';
import { initialStatusOf } from './initial-status-of.js';
import { getUserAccess } from '../../store/repositories/invitations.js';

/**
 * Availability is an explicit choice (PEERS: socket presence drove routing and made agents
 * "offline" when a tab closed, CW #5672/#10685): the user themself, or an admin, sets it.
 *
 * Coming online wakes the backlog assignment after commit, so conversations waiting in a queue
 * go to this agent at once rather than at the next sweep (CW #10583, #10685). After commit,
 * because the assigner reads in its own transaction and must see the new status.
 */
export async function setUserStatus(
  ctx: ServiceContext,
  principal: Principal,
  input: { readonly userId: string; readonly status: Availability },
): Promise<UserStatus> {
  const self = principal.kind === 'user' && principal.userId === input.userId;
  const admin = actsAsAdmin(principal);
  if (!self && !admin) throw new BatonError('forbidden', "only an admin or the user themself may change a user's status");
  const { model, config } = await ctx.workspace.current();
  if (!model.users.has(input.userId)) throw notFound('user', input.userId);
  // A deactivated person takes no conversations: their status stays offline until reactivated.
  if (input.status !== 'offline' && ((await getUserAccess(ctx.database.db, input.userId))?.deactivatedAt ?? null) !== null) {
    throw new BatonError('conflict', `${model.users.get(input.userId)?.name ?? input.userId} is deactivated; reactivate them first`);
  }
  const now = ctx.clock.now();

  const { previous } = await withTransaction(ctx.database, async (trx) => {
    const written = await writeUserStatus(trx, { userId: input.userId, status: input.status, now });
    const previous = written.previous ?? initialStatusOf(config, input.userId);
    // Every manual change of someone else's state is audited; one's own is routine.
    if (!self && previous !== input.status) {
      await appendAudit(trx, {
        actor: actorOf(principal),
        action: 'user.status_changed',
        entity: 'user',
        entityId: input.userId,
        data: { from: previous, to: input.status },
        now,
      });
    }
    return { previous };
  });

  if (input.status === 'available' && previous !== 'available') ctx.afterCommit({ kind: 'assign_waiting' });
  return { id: input.userId, status: input.status };
}
