/**
 * `event.published` and `message.published`: written by appendEvent/appendMessage in the same
 * transaction as the event or message; here, after commit, each subscriber (realtime stream,
 * webhooks, …) gets the record in one transaction with "done".
 */
import { z } from 'zod';
import type { Subscriber } from './subscribers/subscriber.js';
import type { TransactionalJob } from './outbox-worker.js';
import { rowToEvent } from '../store/repositories/events.js';
import { rowToMessage } from '../store/repositories/messages.js';

export const PublishedPayload = z.object({ conversationId: z.string(), seq: z.number().int().min(1) });

const RETRY = { attempts: 10, backoffMs: 500 } as const;

export function eventPublishedJob(subscribers: readonly Subscriber[]): TransactionalJob<typeof PublishedPayload> {
  return {
    kind: 'event.published',
    payload: PublishedPayload,
    retry: RETRY,
    async run(trx, payload, _item, now) {
      const row = await trx
        .selectFrom('conversation_events')
        .selectAll()
        .where('conversation_id', '=', payload.conversationId)
        .where('seq', '=', payload.seq)
        .executeTakeFirst();
      if (row === undefined) return;
      const event = rowToEvent(row);
      for (const subscriber of subscribers) await subscriber.onEvent?.(trx, event, now);
    },
  };
}

export function messagePublishedJob(subscribers: readonly Subscriber[]): TransactionalJob<typeof PublishedPayload> {
  return {
    kind: 'message.published',
    payload: PublishedPayload,
    retry: RETRY,
    async run(trx, payload, _item, now) {
      const row = await trx
        .selectFrom('messages')
        .selectAll()
        .where('conversation_id', '=', payload.conversationId)
        .where('seq', '=', payload.seq)
        .executeTakeFirst();
      if (row === undefined) return;
      const message = rowToMessage(row);
      for (const subscriber of subscribers) await subscriber.onMessage?.(trx, message, now);
    },
  };
}
