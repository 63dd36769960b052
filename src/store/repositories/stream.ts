import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from '../database.js';
import { fromJsonOr, toJson } from '../json.js';
import { preparedQuery, type PreparedQuery } from '../prepared.js';
import type { StreamCursorRow, StreamEventRow } from '../schema.js';

/**
 * The durable realtime stream (docs/realtime.md). One writer — the realtime publisher — hands
 * out `seq`; readers (the WebSocket connections) read rows after the last seq they sent.
 *
 * Why one writer under a lock: with `seq` from a sequence or an autoincrement, two concurrent
 * PostgreSQL transactions can commit 11 before 10; a reader that saw 11 and resumes `after=11`
 * never gets 10 (CW PR #13713: out-of-order realtime events duplicated and lost rows). Holding a
 * transaction-scoped advisory lock from "read max(seq)" to commit makes seq order commit order.
 */
export interface StreamEventRecord {
  readonly seq: number;
  readonly conversationId: string | null;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly audience: string;
  readonly createdAt: number;
}

export function rowToStreamEvent(row: StreamEventRow): StreamEventRecord {
  return {
    seq: Number(row.seq),
    conversationId: row.conversation_id,
    type: row.type,
    data: fromJsonOr<Record<string, unknown>>(row.data, {}),
    audience: row.audience,
    createdAt: Number(row.created_at),
  };
}

/** Any constant shared by every Baton process on the database (below 2^53, so a plain number). */
const STREAM_LOCK_KEY = 6_258_890_531_116_912;

/**
 * Become the single writer of `stream_events` until the transaction ends. PostgreSQL: a
 * transaction-scoped advisory lock (released by commit or rollback, so a crash cannot leak it).
 * SQLite: nothing to do — the transaction already holds the one write lock (`BEGIN IMMEDIATE`).
 */
export async function lockStream(trx: Executor): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(${sql.lit(STREAM_LOCK_KEY)})`.execute(trx);
}

export interface NewStreamEvent {
  readonly conversationId: string | null;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly audience: string;
  /** Deterministic: a re-run job inserts nothing for a key already written. */
  readonly key: string;
}

/**
 * Append rows with the next seqs, in the given order. Call `lockStream` first in the same
 * transaction. Returns the rows written (a row whose key exists is skipped; its seq stays unused,
 * which readers do not mind: they ask for "after", never for "the next one").
 */
export async function appendStreamEvents(trx: Executor, rows: readonly NewStreamEvent[], now: number): Promise<StreamEventRecord[]> {
  if (rows.length === 0) return [];
  const last = await lastStreamSeq(trx);
  const insertedSeqs = new Set<number>();
  // SQLite's parameter limit (32766) is far away, but a queue recompute can fan out to many contacts.
  for (let from = 0; from < rows.length; from += FRAMES_PER_INSERT) {
    const slice = rows.slice(from, from + FRAMES_PER_INSERT);
    const params: Record<string, unknown> = {};
    slice.forEach((row, i) => {
      params[`s${i}`] = last + 1 + from + i;
      params[`c${i}`] = row.conversationId;
      params[`t${i}`] = row.type;
      params[`d${i}`] = toJson(row.data);
      params[`a${i}`] = row.audience;
      params[`k${i}`] = row.key;
    });
    params.now = now;
    for (const row of await insertFrames(slice.length).all(trx, params)) insertedSeqs.add(Number(row.seq));
  }
  // The records as written, in seq order (the data as given, not parsed back from its JSON).
  return rows.flatMap((row, i) => {
    const seq = last + 1 + i;
    return insertedSeqs.has(seq) ? [{ seq, conversationId: row.conversationId, type: row.type, data: row.data, audience: row.audience, createdAt: now }] : [];
  });
}

/** Frames per INSERT statement, at most. */
const FRAMES_PER_INSERT = 500;

/**
 * One prepared multi-row INSERT per number of frames: a handoff writes ~13 frames in one
 * statement, and building and compiling that statement through Kysely each time cost more than
 * SQLite took to run it. Bounded by FRAMES_PER_INSERT shapes; a handful occur in practice.
 */
const insertFramesBySize = new Map<number, PreparedQuery<Record<string, unknown>, { seq: number }>>();

function insertFrames(count: number): PreparedQuery<Record<string, unknown>, { seq: number }> {
  let query = insertFramesBySize.get(count);
  if (query === undefined) {
    query = preparedQuery((db, p: Record<string, unknown>) =>
      db
        .insertInto('stream_events')
        .values(
          Array.from({ length: count }, (_, i) => ({
            seq: p[`s${i}`] as number,
            conversation_id: p[`c${i}`] as string | null,
            type: p[`t${i}`] as string,
            data: p[`d${i}`] as string,
            audience: p[`a${i}`] as string,
            key: p[`k${i}`] as string,
            created_at: p.now as number,
          })),
        )
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('seq'),
    );
    insertFramesBySize.set(count, query);
  }
  return query;
}

const LAST_STREAM_SEQ = preparedQuery((db) => db.selectFrom('stream_events').select((eb) => eb.fn.max('seq').as('seq')));

/** The highest seq written so far (0 for an empty stream). */
export async function lastStreamSeq(ex: Executor): Promise<number> {
  const row = await LAST_STREAM_SEQ.first(ex, {});
  return row?.seq === null || row?.seq === undefined ? 0 : Number(row.seq);
}

/**
 * The audiences that got rows with `after` < seq ≤ `upTo`, at most `limit` of them (a range of
 * the primary key): whom to wake when the stream moved and no one said for whom (the Redis hub
 * while Redis is down).
 */
export async function streamAudiencesBetween(ex: Executor, after: number, upTo: number, limit: number): Promise<string[]> {
  if (upTo <= after) return [];
  const rows = await ex
    .selectFrom('stream_events')
    .select('audience')
    .distinct()
    .where('seq', '>', after)
    .where('seq', '<=', upTo)
    .limit(Math.max(1, limit))
    .execute();
  return rows.map((row) => row.audience);
}

/** The lowest seq still stored (null for an empty stream): older rows were pruned. */
export async function firstStreamSeq(ex: Executor): Promise<number | null> {
  const row = await ex
    .selectFrom('stream_events')
    .select((eb) => eb.fn.min('seq').as('seq'))
    .executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}

/**
 * Delete stream rows written before `before`, oldest first, at most `limit` per call (short
 * write transactions). The newest row always stays: seqs continue from it, so a client's
 * `after` never points past a seq that could be handed out again. Returns how many went.
 */
export async function pruneStream(ex: Executor, options: { readonly before: number; readonly limit?: number }): Promise<number> {
  const last = await lastStreamSeq(ex);
  const doomed = ex
    .selectFrom('stream_events')
    .select('seq')
    .where('created_at', '<', options.before)
    .where('seq', '<', last)
    .orderBy('seq')
    .limit(Math.max(1, options.limit ?? 5_000));
  const result = await ex.deleteFrom('stream_events').where('seq', 'in', doomed).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Rows for any of `audiences` with seq > `after`, oldest first; page with the last seq returned. */
export async function readStream(
  ex: Executor,
  options: { readonly audiences: readonly string[]; readonly after: number; readonly limit?: number },
): Promise<StreamEventRecord[]> {
  if (options.audiences.length === 0) return [];
  const rows = await ex
    .selectFrom('stream_events')
    .selectAll()
    .where('audience', 'in', options.audiences)
    .where('seq', '>', options.after)
    .orderBy('seq')
    .limit(Math.max(1, Math.min(options.limit ?? 500, 5_000)))
    .execute();
  return rows.map(rowToStreamEvent);
}

// ── per-conversation cursors ────────────────────────────────────────────────────────────────────

export interface StreamCursor {
  readonly conversationId: string;
  readonly lastEventSeq: number;
  readonly lastMessageSeq: number;
  readonly status: string | null;
  readonly queuePosition: number | null;
}

function rowToCursor(row: StreamCursorRow): StreamCursor {
  return {
    conversationId: row.conversation_id,
    lastEventSeq: row.last_event_seq,
    lastMessageSeq: row.last_message_seq,
    status: row.status,
    queuePosition: row.queue_position,
  };
}

const streamCursorOf = preparedQuery((db, p: { conversationId: string }) => db.selectFrom('stream_cursors').selectAll().where('conversation_id', '=', p.conversationId));

/** The cursor of a conversation; a fresh one (nothing published) when it has none yet. */
export async function getStreamCursor(ex: Executor, conversationId: string): Promise<StreamCursor> {
  const row = await streamCursorOf.first(ex, { conversationId });
  return row === undefined ? { conversationId, lastEventSeq: 0, lastMessageSeq: 0, status: null, queuePosition: null } : rowToCursor(row);
}

export async function saveStreamCursor(ex: Executor, cursor: StreamCursor, now: number): Promise<void> {
  await upsertStreamCursor.run(ex, {
    conversationId: cursor.conversationId,
    lastEventSeq: cursor.lastEventSeq,
    lastMessageSeq: cursor.lastMessageSeq,
    status: cursor.status,
    queuePosition: cursor.queuePosition,
    now,
  });
}

const upsertStreamCursor = preparedQuery(
  (db, p: { conversationId: string; lastEventSeq: number; lastMessageSeq: number; status: string | null; queuePosition: number | null; now: number }) => {
    const values = { last_event_seq: p.lastEventSeq, last_message_seq: p.lastMessageSeq, status: p.status, queue_position: p.queuePosition, updated_at: p.now };
    return db
      .insertInto('stream_cursors')
      .values({ conversation_id: p.conversationId, ...values })
      .onConflict((oc) => oc.column('conversation_id').doUpdateSet(values));
  },
);

/**
 * Prepared: a claim tells up to ~30 places of the line of their new position (realtime-stream.ts
 * `worthTelling`, `LINE_HORIZON`), each through this upsert, where building and compiling it
 * through Kysely each time was a measurable share of a claim's CPU
 * (bench/results/handoff-profile.md).
 */
const upsertQueuePosition = preparedQuery((db, p: { conversationId: string; position: number | null; now: number }) =>
  db
    .insertInto('stream_cursors')
    .values({ conversation_id: p.conversationId, last_event_seq: 0, last_message_seq: 0, status: null, queue_position: p.position, updated_at: p.now })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ queue_position: p.position, updated_at: p.now })),
);

/** Only the queue position (a conversation whose place moved because another one left or joined). */
export async function saveQueuePosition(ex: Executor, conversationId: string, position: number | null, now: number): Promise<void> {
  await upsertQueuePosition.run(ex, { conversationId, position, now });
}
