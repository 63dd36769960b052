/**
 * The publish jobs: after commit, each subscriber (realtime stream, webhooks, Bot Framework) gets
 * every event and message in the job's transaction, which commits with "done".
 *
 * - `conversation.published` (store/repositories/publications.ts): one row per conversation and
 *   transaction, naming the seq ranges of the events and messages that transaction wrote; taken
 *   from memory when this process committed them (store/repositories/committed-records.ts), else
 *   read back with one query each, and handed over in the stream's order (merge-in-order.ts).
 * - `event.published` and `message.published`: one row per record, as an older version wrote them;
 *   still run, since such rows may be pending at an upgrade.
 */
import { z } from 'zod';
import type { Executor } from '../store/database.js';
import { findEventBySeq, listEvents, type ConversationEventRecord } from '../store/repositories/events.js';
import { findMessageBySeq, listMessages, type MessageRecord } from '../store/repositories/messages.js';
import { takeCommitted, type RecordKind } from '../store/repositories/committed-records.js';
import { CONVERSATION_PUBLISHED } from '../store/repositories/publications.js';
import { mergeInOrder } from './merge-in-order.js';
import type { TransactionalJob } from './outbox-worker.js';
import type { Subscriber } from './subscribers/subscriber.js';

export const PublishedPayload = z.object({ conversationId: z.string(), seq: z.number().int().min(1) });

const SeqRange = z
  .object({ from: z.number().int().min(1), to: z.number().int().min(1) })
  .refine((range) => range.from <= range.to, { message: 'from must not be after to' });

export const ConversationPublishedPayload = z.object({
  conversationId: z.string(),
  events: SeqRange.nullable(),
  messages: SeqRange.nullable(),
});

const RETRY = { attempts: 10, backoffMs: 500 } as const;

/** Records read per query; one transaction's range is far smaller, but a bound is a bound. */
const PAGE = 1_000;

async function readRange<T extends { readonly seq: number }>(
  range: { readonly from: number; readonly to: number } | null,
  page: (afterSeq: number, throughSeq: number) => Promise<T[]>,
): Promise<T[]> {
  if (range === null) return [];
  const out: T[] = [];
  let after = range.from - 1;
  for (;;) {
    const items = await page(after, range.to);
    out.push(...items);
    const last = items[items.length - 1];
    if (items.length < PAGE || last === undefined) return out;
    after = last.seq;
  }
}

/**
 * The range's records as this process committed them, when it still has every one (the usual
 * case: the job runs right after the commit); null when the range must be read.
 */
function takeRange<K extends RecordKind>(trx: Executor, kind: K, conversationId: string, range: { readonly from: number; readonly to: number } | null) {
  return range === null ? null : takeCommitted(trx, kind, conversationId, range);
}

export function conversationPublishedJob(subscribers: readonly Subscriber[]): TransactionalJob<typeof ConversationPublishedPayload> {
  return {
    kind: CONVERSATION_PUBLISHED,
    payload: ConversationPublishedPayload,
    retry: RETRY,
    async run(trx, payload, _item, now) {
      const { conversationId } = payload;
      const events =
        takeRange(trx, 'events', conversationId, payload.events) ??
        (await readRange(payload.events, (afterSeq, throughSeq) => listEvents(trx, conversationId, { afterSeq, throughSeq, limit: PAGE })));
      const messages =
        takeRange(trx, 'messages', conversationId, payload.messages) ??
        (await readRange(payload.messages, (afterSeq, throughSeq) => listMessages(trx, conversationId, { afterSeq, throughSeq, includePrivate: true, limit: PAGE })));
      for (const subscriber of subscribers) {
        if (subscriber.onRecords !== undefined) {
          await subscriber.onRecords(trx, conversationId, { events, messages }, now);
          continue;
        }
        for (const record of mergeInOrder(events, messages)) {
          if (record.kind === 'event') await subscriber.onEvent?.(trx, record.event, now);
          else await subscriber.onMessage?.(trx, record.message, now);
        }
      }
    },
  };
}

export function eventPublishedJob(subscribers: readonly Subscriber[]): TransactionalJob<typeof PublishedPayload> {
  return {
    kind: 'event.published',
    payload: PublishedPayload,
    retry: RETRY,
    async run(trx, payload, _item, now) {
      const event = await findEventBySeq(trx, payload.conversationId, payload.seq);
      if (event !== null) await tellEvent(trx, subscribers, event, now);
    },
  };
}

export function messagePublishedJob(subscribers: readonly Subscriber[]): TransactionalJob<typeof PublishedPayload> {
  return {
    kind: 'message.published',
    payload: PublishedPayload,
    retry: RETRY,
    async run(trx, payload, _item, now) {
      const message = await findMessageBySeq(trx, payload.conversationId, payload.seq);
      if (message !== null) await tellMessage(trx, subscribers, message, now);
    },
  };
}

async function tellEvent(trx: Executor, subscribers: readonly Subscriber[], event: ConversationEventRecord, now: number): Promise<void> {
  for (const subscriber of subscribers) await subscriber.onEvent?.(trx, event, now);
}

async function tellMessage(trx: Executor, subscribers: readonly Subscriber[], message: MessageRecord, now: number): Promise<void> {
  for (const subscriber of subscribers) await subscriber.onMessage?.(trx, message, now);
}
