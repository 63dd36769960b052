import { isDeepStrictEqual } from 'node:util';
import type { DialectAdapter } from 'kysely';
import type { Executor } from '../database.js';
import { onCommitted } from '../database.js';
import { checksOn, InvariantBroken, registerCommitCheck } from '../transactions/checks.js';
import { fastPaths } from '../transactions/fast-paths.js';
import { findEventBySeq, type ConversationEventRecord } from './events.js';
import { findMessageBySeq, type MessageRecord } from './messages.js';
import type { SeqRange } from './publications.js';

/**
 * The events and messages this process has committed, kept in memory for the publish job
 * (`conversation.published`, delivery/event-jobs.ts), which would otherwise read back what the
 * transaction before it has just written, and parse the ~5 KB trace of its `handoff.completed`
 * again (the gain: bench/results/handoff-profile.md). The invariant it rests on, and its check:
 * store/INTERNALS.md (3).
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
  if (records.length === 0 || !fastPaths.committedRecords || !fastPaths.publicationRanges) return;
  const adapter = trx.getExecutor().adapter;
  const checking = checksOn(trx);
  onCommitted(trx, () => {
    if (checking) unverifiedFor(adapter).push(...records.map((record) => ({ kind, record }) as Unverified));
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
 * range are forgotten once the transaction of `ex` commits (at once outside a transaction): a
 * range is published by one job, and memory must not grow. Not before: a job's run rolled back
 * (the outbox worker runs a batch again after a failure, INTERNALS.md 1) must find them again.
 */
export function takeCommitted<K extends RecordKind>(ex: Executor, kind: K, conversationId: string, range: SeqRange): RecordOf[K][] | null {
  const kept = byDatabase.get(ex.getExecutor().adapter)?.[kind] as Map<string, RecordOf[K]> | undefined;
  const count = range.to - range.from + 1;
  if (kept === undefined || kept.size === 0 || count > COMMITTED_RECORDS_KEPT) return null;
  const out: RecordOf[K][] = [];
  const keys: string[] = [];
  for (let seq = range.from; seq <= range.to; seq++) {
    const key = keyOf(conversationId, seq);
    const record = kept.get(key);
    if (record === undefined) continue;
    keys.push(key);
    out.push(record);
  }
  if (keys.length > 0) {
    onCommitted(ex, () => {
      for (const key of keys) kept.delete(key);
    });
  }
  return out.length === count ? out : null;
}

type Unverified = { readonly kind: 'events'; readonly record: ConversationEventRecord } | { readonly kind: 'messages'; readonly record: MessageRecord };

/** Checking mode: the records kept since the last commit check, per database. */
const unverifiedByDatabase = new WeakMap<DialectAdapter, Unverified[]>();

function unverifiedFor(adapter: DialectAdapter): Unverified[] {
  let list = unverifiedByDatabase.get(adapter);
  if (list === undefined) {
    list = [];
    unverifiedByDatabase.set(adapter, list);
  }
  return list;
}

/**
 * Checking mode (store/INTERNALS.md): after each commit, every record kept since the last check
 * must be exactly what reading its row gives — the publish job hands it to the subscribers in
 * place of that read. A record kept before its transaction committed (not through `onCommitted`)
 * and then rolled back shows up here: its row is missing or another transaction's.
 */
registerCommitCheck('committed records', async (trx) => {
  const adapter = trx.getExecutor().adapter;
  const list = unverifiedByDatabase.get(adapter);
  if (list === undefined || list.length === 0) return;
  unverifiedByDatabase.set(adapter, []);
  for (const item of list) {
    const { conversationId, seq } = item.record;
    const read = item.kind === 'events' ? await findEventBySeq(trx, conversationId, seq) : await findMessageBySeq(trx, conversationId, seq);
    // messages.external_id is filled in later by an email reply's send and read by no subscriber.
    const comparable = item.kind === 'messages' && read !== null ? { ...read, externalId: (item.record).externalId } : read;
    if (!isDeepStrictEqual(comparable, item.record)) {
      throw new InvariantBroken(
        `the ${item.kind} record kept in memory for ${conversationId} seq ${seq} is not its row: memory ${JSON.stringify(item.record)}, table ${JSON.stringify(read)}`,
      );
    }
  }
});
