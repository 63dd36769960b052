/**
 * Enqueue one notification on one channel, in the caller's transaction (the outbox). Email is
 * sent to each person on a row of their own: a mailbox that refuses for good dead-letters only
 * that person's row, while the others are sent and retried on their own (a refusal for one
 * recipient used to dead-letter the whole row, and a retry re-sent everyone's mail). In-app,
 * Slack (one channel message) and webhooks (fanned out per target by their job) keep one row.
 */
import { z } from 'zod';
import type { NotifyChannel } from '../../contract/common.js';
import type { Executor } from '../../store/database.js';
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
  if (input.channel !== 'email') {
    await enqueue(trx, { kind, idempotencyKey: input.idempotencyKey, payload: input.payload, now: input.now });
    return;
  }
  for (const userId of new Set(input.payload.recipients)) {
    await enqueue(trx, {
      kind,
      idempotencyKey: `${input.idempotencyKey}:${userId}`,
      payload: { ...input.payload, recipients: [userId] },
      now: input.now,
    });
  }
}
