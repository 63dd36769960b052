import { IdParams } from '../../contract/api.js';
import {
  DeliveriesQuery,
  Delivery,
  DeliveryList,
  NotificationPreferences,
  NotificationPreferencesInput,
  UserIdParams,
} from '../../contract/delivery-api.js';
import { listDeliveries } from '../../services/notifications/list-deliveries.js';
import { readNotificationPreferences, saveNotificationPreferences } from '../../services/people/notification-preferences.js';
import { retryDelivery } from '../../services/notifications/retry-delivery.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/**
 * Outbound deliveries and the per-user
 * notification preferences that decide which of them are made.
 */
export function deliveryRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/deliveries',
      summary: 'Notifications and webhooks on their way out, newest first: status, attempts, last error, next attempt (status=failed,dead; kind; cursor)',
      tags: ['deliveries'],
      access: 'admin',
      query: DeliveriesQuery,
      response: DeliveryList,
      handler: ({ query }) => listDeliveries(ctx, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/deliveries/:id/retry',
      summary: 'Send a failed or dead delivery again now, with a fresh set of attempts (409 otherwise); audited',
      tags: ['deliveries'],
      access: 'admin',
      writes: true,
      params: IdParams,
      response: Delivery,
      handler: ({ params, principal }) => retryDelivery(ctx, principal!, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/users/:id/notification-preferences',
      summary: "A user's notification channels per notification type (the user themselves or an admin)",
      tags: ['notifications'],
      access: 'user',
      params: UserIdParams,
      response: NotificationPreferences,
      handler: ({ params, principal }) => readNotificationPreferences(ctx, principal!, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/users/:id/notification-preferences',
      summary: "Replace a user's notification choices: switch channels off per type (anything left out is on)",
      tags: ['notifications'],
      access: 'user',
      writes: true,
      params: UserIdParams,
      body: NotificationPreferencesInput,
      response: NotificationPreferences,
      handler: ({ params, body, principal }) => saveNotificationPreferences(ctx, principal!, params.id, body),
    }),
  ];
}
