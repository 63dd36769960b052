import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../database.js';
import { toJson } from '../json.js';
import { createId } from '../../platform/runtime.js';
import { preparedQuery } from '../prepared.js';
import { enqueue } from './outbox.js';
import { fastPaths } from '../transactions/fast-paths.js';

/**
 * The outbox kind that publishes what one transaction wrote to one conversation — its events and
 * messages, as two ranges of their per-conversation sequence numbers — to the subscribers
 * (delivery/event-jobs.ts). It replaces one `event.published` row per event and one
 * `message.published` row per message: a handoff writes five events and a message, and six rows
 * meant six inserts, six claims, six reads back and six "done" updates for jobs most of which
 * found nothing left to do.
 */
export const CONVERSATION_PUBLISHED = 'conversation.published';

/** Both ends included. */
export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

export interface ConversationPublishedPayload {
  readonly conversationId: string;
  /** Null when the transaction wrote no event (or no message) to the conversation. */
  readonly events: SeqRange | null;
  readonly messages: SeqRange | null;
}

interface OpenPublication {
  readonly id: string;
  readonly payload: ConversationPublishedPayload;
}

/**
 * The publish row each open transaction has written per conversation, by the transaction's
 * executor object: appendEvent/appendMessage are handed the caller's `Transaction` (and
 * `withTransaction` joins it as is), so every append of one use case sees the same object. An
 * append on the root handle gets a transaction of its own, hence a row of its own. A WeakMap: a
 * finished transaction's entry goes with its executor.
 */
const open = new WeakMap<Executor, Map<string, OpenPublication>>();

const widenPublication = preparedQuery((db, p: { payload: string; id: string }) =>
  db.updateTable('outbox').set({ payload: p.payload }).where('id', '=', p.id).where('status', '=', 'pending'),
);

/**
 * Record that `trx` appended event or message `seq` to the conversation: the first append of a
 * conversation in `trx` inserts its publish row, later ones move the row's upper bound with an
 * update by id.
 *
 * Why the row is written at once, not at commit: there is no "before commit" hook, and nothing
 * kept in memory may be trusted across a rollback — several logical transactions may share one
 * SQLite transaction through savepoints (each with its own executor), and one rolled back to its
 * savepoint takes its rows and appends with it. So the database is the record: the update says
 * whether the row is still there and still `pending`; when it is not (rolled back with the
 * executor still in use), a fresh row starts at this seq. A row never names a range beyond what
 * its own transaction wrote (the conversation row, locked by the append's counter UPDATE until
 * commit, makes one transaction's seqs contiguous), so subscribers see each record once, as
 * with one row per record — an upper bound left by a rolled-back append at worst names a seq
 * that another transaction publishes too, which the subscribers' idempotency keys absorb.
 * (The records themselves, kept for the publish job, enter memory only once committed:
 * `onCommitted` in database.ts, committed-records.ts.)
 */
export async function notePublished(
  trx: Executor,
  input: {
    readonly conversationId: string;
    readonly record: 'event' | 'message';
    /** The last seq appended; with `fromSeq`, all of fromSeq..seq (several appended at once). */
    readonly seq: number;
    readonly fromSeq?: number;
    readonly now: number;
  },
): Promise<void> {
  if (!fastPaths.publicationRanges) {
    // The older path: one row per record.
    for (let seq = input.fromSeq ?? input.seq; seq <= input.seq; seq++) {
      await enqueue(trx, {
        kind: `${input.record}.published`,
        idempotencyKey: `${input.conversationId}:${input.record}:${seq}`,
        payload: { conversationId: input.conversationId, seq },
        now: input.now,
      });
    }
    return;
  }
  let byConversation = open.get(trx);
  if (byConversation === undefined) {
    byConversation = new Map();
    open.set(trx, byConversation);
  }
  const known = byConversation.get(input.conversationId);
  if (known !== undefined) {
    const payload = extend(known.payload, input.record, input.fromSeq ?? input.seq, input.seq);
    const changed = await widenPublication.run(trx, { payload: toJson(payload), id: known.id });
    if (changed > 0) {
      byConversation.set(input.conversationId, { id: known.id, payload });
      return;
    }
  }
  const range = { from: input.fromSeq ?? input.seq, to: input.seq };
  const payload: ConversationPublishedPayload = {
    conversationId: input.conversationId,
    events: input.record === 'event' ? range : null,
    messages: input.record === 'message' ? range : null,
  };
  // The first record's seq names the row: it is handed out once per conversation by a committed
  // transaction, so no two rows share it (a rolled-back row leaves no key behind).
  const enqueued = await enqueue(trx, {
    kind: CONVERSATION_PUBLISHED,
    idempotencyKey: `${input.conversationId}:published:${input.record}:${range.from}`,
    payload,
    now: input.now,
  });
  if (enqueued.id === null) throw new Error(`publish row for ${input.conversationId} ${input.record} ${input.seq} exists already`);
  byConversation.set(input.conversationId, { id: enqueued.id, payload });
}

/**
 * PostgreSQL: the publish note written by the append's own statement, so an append is one round
 * trip. `cte` is the `pub` part of a `with` whose CTE `s` hands out the seqs (columns `first` and
 * `last`): it widens the row this transaction wrote for the conversation (by id, still `pending`,
 * as `notePublished`), or inserts it; `(select id from pub)` says whether it did. `settle` then
 * does what `notePublished` does with the answer: remembers the row, or — the row this executor
 * wrote was rolled back — inserts a fresh one (a second statement, as `notePublished` would).
 * Null when publication ranges are off (the older path: `notePublished` after the append).
 */
export function publicationCte(
  trx: Executor,
  input: { readonly conversationId: string; readonly record: 'event' | 'message'; readonly now: number },
): { readonly cte: RawBuilder<unknown>; settle(published: string | null, fromSeq: number, seq: number): Promise<void> } | null {
  if (!fastPaths.publicationRanges) return null;
  const key = input.record === 'event' ? 'events' : 'messages';
  const known = open.get(trx)?.get(input.conversationId);
  const mine = known?.payload[key] ?? null;
  const other = known === undefined ? null : known.payload[input.record === 'event' ? 'messages' : 'events'];
  const range = sql`json_build_object('from', ${mine === null ? sql`s.first` : sql`least(${mine.from}::int, s.first)`}, 'to', s.last)`;
  const otherJson = other === null ? sql`null::json` : sql`${toJson(other)}::json`;
  const payload =
    input.record === 'event'
      ? sql`json_build_object('conversationId', ${input.conversationId}::text, 'events', ${range}, 'messages', ${otherJson})::text`
      : sql`json_build_object('conversationId', ${input.conversationId}::text, 'events', ${otherJson}, 'messages', ${range})::text`;
  const id = createId();
  const cte =
    known !== undefined
      ? sql`pub as (update outbox set payload = ${payload} from s where outbox.id = ${known.id} and outbox.status = 'pending' returning outbox.id)`
      : sql`pub as (insert into outbox (id, kind, idempotency_key, payload, status, attempts, available_at, created_at, updated_at, last_error)
          select ${id}, ${CONVERSATION_PUBLISHED}, ${`${input.conversationId}:published:${input.record}:`} || s.first, ${payload}, 'pending', 0, ${input.now}::bigint, ${input.now}::bigint, ${input.now}::bigint, null from s
          on conflict (idempotency_key) do nothing returning id)`;
  return {
    cte,
    async settle(published, fromSeq, seq) {
      let byConversation = open.get(trx);
      if (byConversation === undefined) {
        byConversation = new Map();
        open.set(trx, byConversation);
      }
      if (published !== null) {
        const payload: ConversationPublishedPayload =
          known !== undefined
            ? extend(known.payload, input.record, fromSeq, seq)
            : { conversationId: input.conversationId, events: null, messages: null, [key]: { from: fromSeq, to: seq } };
        byConversation.set(input.conversationId, { id: published, payload });
        return;
      }
      if (known === undefined) throw new Error(`publish row for ${input.conversationId} ${input.record} ${seq} exists already`);
      // The row this executor wrote is gone (rolled back with its savepoint): a fresh one, as notePublished does.
      byConversation.delete(input.conversationId);
      await notePublished(trx, { conversationId: input.conversationId, record: input.record, fromSeq, seq, now: input.now });
    },
  };
}

/** The range grows to take in from..to (appends come in seq order within a transaction). */
function extend(payload: ConversationPublishedPayload, record: 'event' | 'message', from: number, to: number): ConversationPublishedPayload {
  const key = record === 'event' ? 'events' : 'messages';
  const range = payload[key];
  return { ...payload, [key]: { from: range === null ? from : Math.min(range.from, from), to } };
}
