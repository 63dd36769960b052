/**
 * Enqueue one notification on one channel, in the caller's transaction (the outbox). Email is
 * sent to each person on a row of their own: a mailbox that refuses for good dead-letters only
 * that person's row, while the others are sent and retried on their own (a refusal for one
 * recipient used to dead-letter the whole row, and a retry re-sent everyone's mail). In-app,
 * Slack (one channel message) and webhooks (fanned out per target by their job) keep one row.
 */
import type { NotifyChannel } from '../../contract/common.js';
import type { InAppNotificationPayload } from '../../delivery/outbox-worker.js';
import type { Executor } from '../../store/database.js';
import { enqueue } from '../../store/repositories/outbox.js';

export interface NewNotification {
  readonly channel: NotifyChannel;
  /** The idempotency key of the notification; an email row adds `:<user id>`. */
  readonly idempotencyKey: string;
  readonly payload: InAppNotificationPayload;
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
