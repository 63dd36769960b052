import type { Executor } from '../database.js';
import { withTransaction } from '../database.js';
import { fromJsonOr, isJsonExact, toJson } from '../json.js';
import { preparedQuery } from '../prepared.js';
import { keepWhenCommitted } from './committed-records.js';
import { sql } from 'kysely';
import { isSqlite } from '../transactions/savepoints.js';
import { notePublished, publicationCte } from './publications.js';
import { keepReportRow, readsReport } from './report-rows.js';
import type { ReportRow } from '../schema.js';
import { seqPage } from './seq-page.js';
import type { HandoffTrace } from '../../contract/trace.js';
import type { ConversationEventRow } from '../schema.js';
import { createId } from '../../platform/runtime.js';

/**
 * The append-only log of a conversation: status changes, handoffs with their full trace,
 * assignments (by, from, to, reason), notifications, ratings. Each event carries the owner,
 * team and queue *as they were when it happened*, so a report never credits the person who
 * holds the conversation later (CW #14872: CSAT credited to "no agent").
 */
export interface ConversationEventRecord {
  readonly id: string;
  readonly conversationId: string;
  readonly seq: number;
  readonly type: string;
  readonly actor: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly ownerId: string | null;
  readonly teamId: string | null;
  readonly queueId: string | null;
  readonly createdAt: number;
}

export function rowToEvent(row: ConversationEventRow): ConversationEventRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    type: row.type,
    actor: row.actor,
    data: fromJsonOr<Record<string, unknown>>(row.data, {}),
    ownerId: row.owner_id,
    teamId: row.team_id,
    queueId: row.queue_id,
    createdAt: row.created_at,
  };
}

export interface NewEvent {
  readonly id?: string;
  readonly conversationId: string;
  /** Dotted, past tense: `conversation.assigned`, `handoff.started`, `notification.sent`. */
  readonly type: string;
  /** `user:<id>`, `contact:<id>`, `system`, `assistant` — or a bare user id. */
  readonly actor: string | null;
  /** Not to be changed after the append: the record kept for the publish job holds it (committed-records.ts). */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly now: number;
}

/**
 * Append an event with the conversation's next sequence number and a snapshot of its current
 * owner, team and queue — read by the same UPDATE that hands out the number, so the snapshot is
 * the state the writing transaction sees (after its own changes). Returns null when the
 * conversation does not exist.
 */
export async function appendEvent(ex: Executor, input: NewEvent): Promise<ConversationEventRecord | null> {
  const appended = await appendEvents(ex, [input]);
  return appended === null ? null : (appended[0] ?? null);
}

const advanceEventSeq = preparedQuery((db, p: { count: number; id: string }) =>
  db
    .updateTable('conversations')
    .set((eb) => ({ last_event_seq: eb('last_event_seq', '+', p.count) }))
    .where('id', '=', p.id)
    .returning(['last_event_seq', 'owner_id', 'team_id', 'queue_id', 'contact_id', 'channel_id']),
);

const insertEvent = preparedQuery((db, p: ConversationEventRow) =>
  db.insertInto('conversation_events').values({
    id: p.id,
    conversation_id: p.conversation_id,
    seq: p.seq,
    type: p.type,
    actor: p.actor,
    data: p.data,
    owner_id: p.owner_id,
    team_id: p.team_id,
    queue_id: p.queue_id,
    created_at: p.created_at,
  }),
);

/**
 * Append several events of one conversation that follow each other with nothing in between (an
 * assignment and its status change; a handoff's start and completion): consecutive sequence
 * numbers from one counter UPDATE, one publish note and a prepared INSERT per event — the same
 * rows as appending them one by one, with one counter UPDATE and one publish note fewer per extra
 * event. They share the snapshot of owner, team and queue, as they would one by one. Returns them
 * in order, or null when the conversation does not exist.
 */
export async function appendEvents(ex: Executor, inputs: readonly NewEvent[]): Promise<ConversationEventRecord[] | null> {
  const first = inputs[0];
  if (first === undefined) return [];
  const conversationId = first.conversationId;
  if (inputs.some((input) => input.conversationId !== conversationId)) throw new Error('appendEvents: events of one conversation only');
  return withTransaction(ex, async (trx) => {
    if (!isSqlite(trx)) return appendEventsInOneStatement(trx, conversationId, inputs);
    const state = await advanceEventSeq.first(trx, { count: inputs.length, id: conversationId });
    if (state === undefined) return null;
    const firstSeq = state.last_event_seq - inputs.length + 1;
    // Rows one by one through one prepared statement; the records are built from what was
    // written (the data as given, not parsed back from its JSON: a handoff's trace is ~5 KB).
    const records: ConversationEventRecord[] = [];
    // What the publish job will be handed instead of reading the rows back: exactly what that read
    // would give, so the data as given only when its JSON gives it back unchanged.
    const kept: ConversationEventRecord[] = [];
    for (const [i, input] of inputs.entries()) {
      const row: ConversationEventRow = {
        id: input.id ?? createId(),
        conversation_id: conversationId,
        seq: firstSeq + i,
        type: input.type,
        actor: input.actor,
        data: toJson(input.data ?? {}),
        owner_id: state.owner_id,
        team_id: state.team_id,
        queue_id: state.queue_id,
        created_at: input.now,
      };
      await insertEvent.run(trx, row);
      const data = input.data ?? {};
      const record = { ...rowToEvent({ ...row, data: '{}' }), data };
      records.push(record);
      kept.push(isJsonExact(data) ? record : rowToEvent(row));
    }
    // Every event is in an outbox row too, in the same transaction: realtime, webhooks and
    // anything else that reacts to events hang off it, so no path that writes an event can forget
    // to notify (CW #15678: assignment notifications missing on some paths). One row per
    // conversation and transaction, covering all its events and messages (publications.ts).
    await notePublished(trx, { conversationId, record: 'event', fromSeq: firstSeq, seq: state.last_event_seq, now: first.now });
    keepWhenCommitted(trx, 'events', kept);
    // The conversation's report row, folded from these events in this transaction: every path
    // that writes an event passes here, so no report figure can miss one (report-rows.ts).
    await keepReportRow(trx, { id: conversationId, contactId: state.contact_id, channelId: state.channel_id }, records);
    return records;
  });
}

/**
 * PostgreSQL: `appendEvents` in one statement — the counter UPDATE, the rows (one INSERT from
 * arrays, one row per event), the publish note (publications.ts `publicationCte`) and, when the
 * events fold into the report row, that row as it stands — and the report row's upsert after it.
 * The same rows as the SQLite path, which sends each statement on its own (no round trips there).
 */
async function appendEventsInOneStatement(trx: Executor, conversationId: string, inputs: readonly NewEvent[]): Promise<ConversationEventRecord[] | null> {
  const first = inputs[0]!;
  const n = inputs.length;
  const ids = inputs.map((input) => input.id ?? createId());
  const datas = inputs.map((input) => toJson(input.data ?? {}));
  const publication = publicationCte(trx, { conversationId, record: 'event', now: first.now });
  const report = readsReport(inputs);
  const result = await sql<{
    first: number;
    last: number;
    owner_id: string | null;
    team_id: string | null;
    queue_id: string | null;
    contact_id: string;
    channel_id: string;
    published: string | null;
    report: ReportRow | null;
  }>`with s as (
      update conversations set last_event_seq = last_event_seq + ${n}::int where id = ${conversationId}
      returning last_event_seq - ${n}::int + 1 as first, last_event_seq as last, owner_id, team_id, queue_id, contact_id, channel_id
    ), ins as (
      insert into conversation_events (id, conversation_id, seq, type, actor, data, owner_id, team_id, queue_id, created_at)
      select v.id, ${conversationId}, s.first + v.ord::int - 1, v.type, v.actor, v.data, s.owner_id, s.team_id, s.queue_id, v.created_at
      from s cross join unnest(${ids}::text[], ${inputs.map((input) => input.type)}::text[], ${inputs.map((input) => input.actor)}::text[], ${datas}::text[], ${inputs.map((input) => input.now)}::bigint[])
        with ordinality as v(id, type, actor, data, created_at, ord)
    )${publication === null ? sql`` : sql`, ${publication.cte}`}
    select s.*, ${publication === null ? sql`null` : sql`(select id from pub)`} as published,
      ${report ? sql`(select row_to_json(r) from report_rows r where r.conversation_id = ${conversationId})` : sql`null`} as report
    from s`.execute(trx);
  const state = result.rows[0];
  if (state === undefined) return null;
  const records: ConversationEventRecord[] = [];
  const kept: ConversationEventRecord[] = [];
  for (const [i, input] of inputs.entries()) {
    const row: ConversationEventRow = {
      id: ids[i]!,
      conversation_id: conversationId,
      seq: state.first + i,
      type: input.type,
      actor: input.actor,
      data: datas[i]!,
      owner_id: state.owner_id,
      team_id: state.team_id,
      queue_id: state.queue_id,
      created_at: input.now,
    };
    const data = input.data ?? {};
    const record = { ...rowToEvent({ ...row, data: '{}' }), data };
    records.push(record);
    kept.push(isJsonExact(data) ? record : rowToEvent(row));
  }
  if (publication === null) await notePublished(trx, { conversationId, record: 'event', fromSeq: state.first, seq: state.last, now: first.now });
  else await publication.settle(state.published, state.first, state.last);
  keepWhenCommitted(trx, 'events', kept);
  await keepReportRow(trx, { id: conversationId, contactId: state.contact_id, channelId: state.channel_id }, records, report ? state.report : undefined);
  return records;
}

/**
 * The latest handoff's trace of each conversation (the trace is stored once, on its
 * `handoff.completed` event); conversations never handed off are absent.
 */
export async function latestHandoffTraces(ex: Executor, conversationIds: readonly string[]): Promise<Map<string, HandoffTrace>> {
  const out = new Map<string, HandoffTrace>();
  const unique = [...new Set(conversationIds)];
  if (unique.length === 1) {
    const row = await LATEST_HANDOFF.first(ex, { conversationId: unique[0]! });
    const trace = row === undefined ? null : traceIn(row.data);
    if (trace !== null) out.set(unique[0]!, trace);
    return out;
  }
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await latestHandoffEvents(ex, unique.slice(i, i + 500))
      .select(['e.conversation_id', 'e.data'])
      .execute();
    for (const row of rows) {
      const trace = traceIn(row.data);
      if (trace !== null) out.set(row.conversation_id, trace);
    }
  }
  return out;
}

/** The `handoff.completed` event with the highest seq of each of `conversationIds` (as `e`), nothing selected yet. */
function latestHandoffEvents(ex: Executor, conversationIds: readonly string[]) {
  return ex
    .selectFrom('conversation_events as e')
    .where('e.conversation_id', 'in', conversationIds)
    .where('e.type', '=', HANDOFF_COMPLETED)
    .where((eb) =>
      eb(
        'e.seq',
        '=',
        eb
          .selectFrom('conversation_events as l')
          .select((l) => l.fn.max('l.seq').as('seq'))
          .whereRef('l.conversation_id', '=', 'e.conversation_id')
          .where('l.type', '=', HANDOFF_COMPLETED),
      ),
    );
}

/** The latest handoff's trace of one conversation, or null before its first handoff. */
export async function latestHandoffTrace(ex: Executor, conversationId: string): Promise<HandoffTrace | null> {
  return (await latestHandoffTraces(ex, [conversationId])).get(conversationId) ?? null;
}

const HANDOFF_COMPLETED = 'handoff.completed';

const LATEST_HANDOFF = preparedQuery((db, p: { conversationId: string }) =>
  db
    .selectFrom('conversation_events')
    .select('data')
    .where('conversation_id', '=', p.conversationId)
    .where('type', '=', HANDOFF_COMPLETED)
    .orderBy('seq', 'desc')
    .limit(1),
);

function traceIn(data: string): HandoffTrace | null {
  const parsed = fromJsonOr<{ trace?: HandoffTrace }>(data, {});
  return parsed.trace ?? null;
}

/** In sequence order. */
export async function listEvents(
  ex: Executor,
  conversationId: string,
  options: { readonly afterSeq?: number; readonly throughSeq?: number; readonly limit?: number; readonly types?: readonly string[] } = {},
): Promise<ConversationEventRecord[]> {
  const limit = Math.max(1, Math.min(options.limit ?? 500, 5_000));
  const afterSeq = options.afterSeq ?? 0;
  const types = options.types;
  if (types === undefined) {
    const page = eventPages[options.throughSeq !== undefined ? 1 : 0]!;
    return (await page.all(ex, { conversationId, afterSeq, throughSeq: options.throughSeq ?? 0, limit })).map(rowToEvent);
  }
  if (types.length === 0) return [];
  const rows = await ex
    .selectFrom('conversation_events')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', afterSeq)
    .$if(options.throughSeq !== undefined, (q) => q.where('seq', '<=', options.throughSeq ?? 0))
    .where('type', 'in', types)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(rowToEvent);
}

/** listEvents' shapes without a type filter: [bounded above]. */
const eventPages = [false, true].map((through) => seqPage('conversation_events', { through }));

/**
 * Events of the given types across conversations in [from, to), oldest first — for reports
 * and replay. Page with `after` (the last event's createdAt and id).
 */
export async function listEventsByType(
  ex: Executor,
  options: {
    readonly types: readonly string[];
    readonly from: number;
    readonly to: number;
    readonly limit?: number;
    readonly after?: { readonly createdAt: number; readonly id: string };
  },
): Promise<ConversationEventRecord[]> {
  if (options.types.length === 0) return [];
  let q = ex
    .selectFrom('conversation_events')
    .selectAll()
    .where('type', 'in', options.types)
    .where('created_at', '>=', options.from)
    .where('created_at', '<', options.to)
    .orderBy('created_at')
    .orderBy('id')
    .limit(Math.max(1, Math.min(options.limit ?? 1_000, 10_000)));
  const after = options.after;
  if (after !== undefined) {
    q = q.where((eb) =>
      eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]),
    );
  }
  return (await q.execute()).map(rowToEvent);
}

/** The conversation's event `seq`, or null. */
export async function findEventBySeq(ex: Executor, conversationId: string, seq: number): Promise<ConversationEventRecord | null> {
  const row = await ex.selectFrom('conversation_events').selectAll().where('conversation_id', '=', conversationId).where('seq', '=', seq).executeTakeFirst();
  return row === undefined ? null : rowToEvent(row);
}
