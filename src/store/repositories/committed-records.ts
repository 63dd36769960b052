import type { DialectAdapter } from 'kysely';
import type { Executor } from '../database.js';
import { onCommitted } from '../database.js';
import type { ConversationEventRecord } from './events.js';
import type { MessageRecord } from './messages.js';
import type { SeqRange } from './publications.js';

/**
 * The events and messages this process has committed, kept in memory for the publish job
 * (`conversation.published`, delivery/event-jobs.ts), which would otherwise read back what the
 * transaction before it has just written: in a profile of 3,000 handoffs that read was ~166 µs of
 * SQLite per handoff plus parsing the ~4.7 KB trace of its `handoff.completed` — about 7% of a
 * handoff's CPU.
 *
 * Why memory may be trusted here, when publications.ts could trust none: a record enters only
 * through `onCommitted` (store/database.ts), after the transaction that wrote it has committed —
 * never one rolled back to a savepoint of a group commit, whose seq another transaction is then
 * handed. Once committed, a conversation's (seq → event) and (seq → message) never change: both
 * tables are append-only, except `messages.external_id`, which an email reply's send fills in
 * later and no subscriber reads (the record kept is the message as committed).
 *
 * Per database (tests open many in one process; the Kysely adapter is one per database), by
 * conversation and seq, events apart from messages. Bounded: the oldest go first, and a range
 * with any seq missing is read from the database as before — as when another process wrote it,
 * this one restarted, or the job runs again after a failure (the first run took the records).
 */
export const COMMITTED_RECORDS_KEPT = 4_096;

export type RecordKind = 'events' | 'messages';

interface RecordOf {
  readonly events: ConversationEventRecord;
  readonly messages: MessageRecord;
}

type Kept = { readonly [K in RecordKind]: Map<string, RecordOf[K]> };

const byDatabase = new WeakMap<DialectAdapter, Kept>();

function keptFor(adapter: DialectAdapter): Kept {
  let kept = byDatabase.get(adapter);
  if (kept === undefined) {
    kept = { events: new Map(), messages: new Map() };
    byDatabase.set(adapter, kept);
  }
  return kept;
}

/** The seq is last and holds no `:`, so no two (conversation, seq) pairs share a key. */
function keyOf(conversationId: string, seq: number): string {
  return `${conversationId}:${seq}`;
}

/**
 * Keep `records`, just written through `trx`, once `trx` has committed. Each must be exactly what
 * reading its row back gives (rowToEvent / rowToMessage): the job hands them to the subscribers
 * in place of that read.
 */
export function keepWhenCommitted<K extends RecordKind>(trx: Executor, kind: K, records: readonly RecordOf[K][]): void {
  if (records.length === 0) return;
  const adapter = trx.getExecutor().adapter;
  onCommitted(trx, () => {
    const kept = keptFor(adapter)[kind] as Map<string, RecordOf[K]>;
    for (const record of records) {
      if (kept.size >= COMMITTED_RECORDS_KEPT) kept.delete(kept.keys().next().value as string);
      kept.set(keyOf(record.conversationId, record.seq), record);
    }
  });
}

/**
 * The conversation's records of `range` (both ends included), in seq order, when every one of
 * them is kept; null otherwise — read them from the database. Either way the kept ones of the
 * range are forgotten: a range is published by one job, and memory must not grow.
 */
export function takeCommitted<K extends RecordKind>(ex: Executor, kind: K, conversationId: string, range: SeqRange): RecordOf[K][] | null {
  const kept = byDatabase.get(ex.getExecutor().adapter)?.[kind] as Map<string, RecordOf[K]> | undefined;
  const count = range.to - range.from + 1;
  if (kept === undefined || kept.size === 0 || count > COMMITTED_RECORDS_KEPT) return null;
  const out: RecordOf[K][] = [];
  for (let seq = range.from; seq <= range.to; seq++) {
    const key = keyOf(conversationId, seq);
    const record = kept.get(key);
    if (record === undefined) continue;
    kept.delete(key);
    out.push(record);
  }
  return out.length === count ? out : null;
}
