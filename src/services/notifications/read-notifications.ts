import type { MarkNotificationsReadInput, MarkedRead } from '../../contract/people-api.js';
import type { Principal } from '../auth/principal.js';
import { withTransaction } from '../../store/database.js';
import { countUnread, markNotificationsRead } from '../../store/repositories/notifications.js';
import type { ServiceContext } from '../context.js';
import { userIdOf } from '../access/user-id-of.js';

/**
 * Mark the caller's notifications read: the given ids, or all. Ids of someone else's
 * notifications are not an error and change nothing — the update is scoped to the caller's
 * rows, so an id guessed or leaked cannot touch another user's centre.
 */
export async function readNotifications(ctx: ServiceContext, principal: Principal, input: MarkNotificationsReadInput): Promise<MarkedRead> {
  const userId = userIdOf(principal);
  const now = ctx.clock.now();
  return withTransaction(ctx.database, async (trx) => {
    const marked = await markNotificationsRead(trx, input.all === true ? { userId, now } : { userId, ids: input.ids ?? [], now });
    return { marked, unread: await countUnread(trx, userId) };
  });
}
