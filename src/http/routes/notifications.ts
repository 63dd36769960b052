import { NotificationList } from '../../contract/api.js';
import { MarkedRead, MarkNotificationsReadInput, NotificationsQuery } from '../../contract/people-api.js';
import { listUserNotifications } from '../../services/notifications/list-user-notifications.js';
import { readNotifications } from '../../services/notifications/read-notifications.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/** The in-app notification centre: always the caller's own. */
export function notificationRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/notifications',
      summary: "The caller's notifications, newest first, with the unread count",
      tags: ['notifications'],
      access: 'user',
      query: NotificationsQuery,
      response: NotificationList,
      handler: ({ query, principal }) => listUserNotifications(ctx, principal!, { unreadOnly: query.unread, limit: query.limit }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/notifications/read',
      summary: "Mark the caller's notifications read: some ids, or all",
      tags: ['notifications'],
      access: 'user',
      writes: true,
      body: MarkNotificationsReadInput,
      response: MarkedRead,
      handler: ({ body, principal }) => readNotifications(ctx, principal!, body),
    }),
  ];
}
