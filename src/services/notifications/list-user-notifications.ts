import type { z } from 'zod';
import type { NotificationList } from '../../contract/api.js';
import type { Principal } from '../auth/principal.js';
import { countUnread, listNotifications } from '../../store/repositories/notifications.js';
import type { ServiceContext } from '../context.js';
import { presentNotification } from '../present/present-notification.js';
import { userIdOf } from '../access/user-id-of.js';

/** The caller's notification centre, newest first, with the unread count for the badge. Only ever the caller's own. */
export async function listUserNotifications(
  ctx: ServiceContext,
  principal: Principal,
  query: { readonly unreadOnly: boolean; readonly limit: number },
): Promise<z.output<typeof NotificationList>> {
  const userId = userIdOf(principal);
  const { db } = ctx.database;
  const items = await listNotifications(db, { userId, unreadOnly: query.unreadOnly, limit: query.limit });
  const unread = await countUnread(db, userId);
  return { items: items.map(presentNotification), unread };
}
