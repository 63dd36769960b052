import type { z } from 'zod';
import type { Notification } from '../../contract/api.js';
import type { NotificationRecord } from '../../store/repositories/notifications.js';
import { iso } from './present-conversation.js';

export function presentNotification(notification: NotificationRecord): z.output<typeof Notification> {
  return {
    id: notification.id,
    type: notification.type,
    title: notification.title,
    body: notification.body,
    conversationId: notification.conversationId,
    read: notification.readAt !== null,
    createdAt: iso(notification.createdAt),
  };
}
