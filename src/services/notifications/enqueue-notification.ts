/**
 * Enqueue one notification on one channel, in the caller's transaction (the outbox). Email is
 * sent to each person on a row of their own: a mailbox that refuses for good dead-letters only
 * that person's row, while the others are sent and retried on their own (a refusal for one
 * recipient used to dead-letter the whole row, and a retry re-sent everyone's mail). In-app,
 * Slack (one channel message) and webhooks (fanned out per target by their job) keep one row.
 */
import { z } from 'zod';
import type { NotificationEventData } from '../../contract/api.js';
import type { NotifyChannel } from '../../contract/common.js';
import type { Executor } from '../../store/database.js';
import { appendEvent } from '../../store/repositories/events.js';
import { enqueue } from '../../store/repositories/outbox.js';

/** What every `notify.*` row carries (the jobs in delivery/notification-jobs.ts parse it). */
export const NotificationPayload = z.object({
  conversationId: z.string().nullable(),
  recipients: z.array(z.string()),
  type: z.string(),
  title: z.string(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type NotificationPayload = z.infer<typeof NotificationPayload>;

export interface NewNotification {
  readonly channel: NotifyChannel;
  /** The idempotency key of the notification; an email row adds `:<user id>`. */
  readonly idempotencyKey: string;
  readonly payload: NotificationPayload;
  readonly now: number;
}

export async function enqueueNotification(trx: Executor, input: NewNotification): Promise<void> {
  const kind = `notify.${input.channel}`;
  let inserted = false;
  if (input.channel !== 'email') {
    inserted = (await enqueue(trx, { kind, idempotencyKey: input.idempotencyKey, payload: input.payload, now: input.now })).inserted;
  } else {
    for (const userId of new Set(input.payload.recipients)) {
      const row = await enqueue(trx, {
        kind,
        idempotencyKey: `${input.idempotencyKey}:${userId}`,
        payload: { ...input.payload, recipients: [userId] },
        now: input.now,
      });
      inserted ||= row.inserted;
    }
  }
  // A notification about a conversation is part of its history (GET /api/conversations/{id}/events:
  // "every status change, assignment and notification"), written with it in this transaction. The
  // event names the channel, the kind and the people — never the payload's data (an invitation's
  // link is a secret), nor a webhook's or Slack's address. Enqueued again under the same key: no event.
  if (inserted && input.payload.conversationId !== null) {
    await appendEvent(trx, {
      conversationId: input.payload.conversationId,
      type: NOTIFICATION_EVENT,
      actor: 'system',
      data: { channel: input.channel, notification: input.payload.type, recipients: [...new Set(input.payload.recipients)], title: input.payload.title } satisfies NotificationEventData,
      now: input.now,
    });
  }
}

/** The conversation event of a notification enqueued about it. */
export const NOTIFICATION_EVENT = 'notification.enqueued';
