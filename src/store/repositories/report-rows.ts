/**
 * The report rows (core/reports/conversation-report.ts): one per conversation, folded from its
 * events in the transaction that appends them (events.ts `appendEvents` calls `keepReportRow`),
 * and the handoff report read from them.
 *
 * Kept by read–fold–write under the conversation's event counter: the append's UPDATE of
 * `last_event_seq` locks the conversation row first (PostgreSQL) or holds the single writer
 * (SQLite), so two appends to one conversation never fold concurrently. A body that runs twice
 * (store/INTERNALS.md 1) reads the row its rolled-back run never wrote, and folds the same events
 * again: nothing is kept in memory.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from '../database.js';
import { preparedQuery } from '../prepared.js';
import type { ReportRow } from '../schema.js';
import { foldReportEvent, REPORT_EVENT_TYPES, type ConversationReport, type ReportEvent } from '../../core/reports/conversation-report.js';
import type { ReportRange } from '../../core/reports/report-range.js';
import type { GroupSums } from '../../core/reports/handoff-metrics.js';

export interface ReportRowRecord extends ConversationReport {
  readonly conversationId: string;
  readonly contactId: string;
  readonly channelId: string;
}

export function rowToReport(row: ReportRow): ReportRowRecord {
  return {
    conversationId: row.conversation_id,
    contactId: row.contact_id,
    channelId: row.channel_id,
    startedAt: Number(row.started_at),
    handedOffAt: numberOrNull(row.handed_off_at),
    trigger: row.trigger,
    rule: row.rule,
    teamId: row.team_id,
    queueId: row.queue_id,
    agentId: row.agent_id,
    reassignments: Number(row.reassignments),
    firstResponseMs: numberOrNull(row.first_response_ms),
    queueWaitMs: numberOrNull(row.queue_wait_ms),
    queuedSince: numberOrNull(row.queued_since),
    status: row.status,
    resolutionMs: numberOrNull(row.resolution_ms),
    slaBreaches: Number(row.sla_breaches),
    csatScore: numberOrNull(row.csat_score),
    csatHandedOff: row.csat_handed_off === null ? null : Number(row.csat_handed_off) === 1,
  };
}

function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

export function reportToRow(r: ReportRowRecord): ReportRow {
  return {
    conversation_id: r.conversationId,
    contact_id: r.contactId,
    channel_id: r.channelId,
    started_at: r.startedAt,
    handed_off_at: r.handedOffAt,
    trigger: r.trigger,
    rule: r.rule,
    team_id: r.teamId,
    queue_id: r.queueId,
    agent_id: r.agentId,
    reassignments: r.reassignments,
    first_response_ms: r.firstResponseMs,
    queue_wait_ms: r.queueWaitMs,
    queued_since: r.queuedSince,
    status: r.status,
    resolution_ms: r.resolutionMs,
    sla_breaches: r.slaBreaches,
    csat_score: r.csatScore,
    csat_handed_off: r.csatHandedOff === null ? null : r.csatHandedOff ? 1 : 0,
  };
}

const READ_ROW = preparedQuery((db, p: { id: string }) => db.selectFrom('report_rows').selectAll().where('conversation_id', '=', p.id));

/**
 * Every column of a report row, listed once for the insert and the update of the upsert. The
 * compiler checks that none is missing: a column left out of the update would keep its first value.
 */
const ROW_COLUMNS = [
  'conversation_id',
  'contact_id',
  'channel_id',
  'started_at',
  'handed_off_at',
  'trigger',
  'rule',
  'team_id',
  'queue_id',
  'agent_id',
  'reassignments',
  'first_response_ms',
  'queue_wait_ms',
  'queued_since',
  'status',
  'resolution_ms',
  'sla_breaches',
  'csat_score',
  'csat_handed_off',
] as const satisfies readonly (keyof ReportRow)[];
const _everyColumnListed: [Exclude<keyof ReportRow, (typeof ROW_COLUMNS)[number]>] extends [never] ? true : never = true;
/** Written once, with the row: the conversation it is and where it started. */
const UPDATED_COLUMNS = ROW_COLUMNS.filter((column) => !['conversation_id', 'contact_id', 'channel_id', 'started_at'].includes(column));

const columnsOf = (p: ReportRow, columns: readonly (keyof ReportRow)[]): ReportRow => Object.fromEntries(columns.map((column) => [column, p[column]])) as ReportRow;

const UPSERT_ROW = preparedQuery((db, p: ReportRow) =>
  db
    .insertInto('report_rows')
    .values(columnsOf(p, ROW_COLUMNS))
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet(columnsOf(p, UPDATED_COLUMNS))),
);

/**
 * Fold `events` (just appended, in seq order, all of one conversation) into its report row, in
 * the appending transaction. Events no report reads cost nothing.
 */
export async function keepReportRow(
  trx: Executor,
  conversation: { readonly id: string; readonly contactId: string; readonly channelId: string },
  events: readonly ReportEvent[],
  /**
   * The row as it stands (null: there is none), when the caller read it in this transaction
   * after the last write to it; undefined: read here.
   */
  read?: ReportRow | null,
): Promise<void> {
  if (!readsReport(events)) return;
  const stored = read === undefined ? await READ_ROW.first(trx, { id: conversation.id }) : (read ?? undefined);
  const before: ConversationReport | null = stored === undefined ? null : rowToReport(stored);
  const after = events.reduce(foldReportEvent, before);
  if (after === null) return;
  await UPSERT_ROW.run(trx, reportToRow({ ...after, conversationId: conversation.id, contactId: conversation.contactId, channelId: conversation.channelId }));
}

/** Whether any of `events` folds into the report row. */
export function readsReport(events: readonly Pick<ReportEvent, 'type'>[]): boolean {
  return events.some((event) => REPORT_EVENT_TYPES.has(event.type));
}

export async function getReportRow(ex: Executor, conversationId: string): Promise<ReportRowRecord | null> {
  const row = await READ_ROW.first(ex, { id: conversationId });
  return row === undefined ? null : rowToReport(row);
}

/** Bulk insert (benchmark seeding, tests): rows as given, in chunks. */
export async function insertReportRows(ex: Executor, rows: readonly ReportRowRecord[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await ex.insertInto('report_rows').values(rows.slice(i, i + 500).map(reportToRow)).execute();
  }
}

// ── the report ──────────────────────────────────────────────────────────────────────────────────

export type ReportDimension = 'channel' | 'team' | 'queue' | 'agent' | 'rule' | 'trigger' | 'day' | 'week' | 'total';

export interface ReportQuery {
  readonly dialect: Dialect;
  readonly range: ReportRange;
  readonly groupBy: ReportDimension;
  readonly channelId?: string;
  readonly teamId?: string;
  readonly queueId?: string;
  /** Only this agent's conversations (an agent asking for their own row). */
  readonly agentId?: string;
  readonly includeTest: boolean;
}

/** A group's sums as the database gives them: `key` null for conversations without one (no team …). */
export interface ReportSums extends GroupSums {
  readonly key: string | null;
}

export type SpreadColumn = 'first_response_ms' | 'queue_wait_ms' | 'resolution_ms';

/** The median and p90 (nearest rank) of one column in a group, and how many values it has. */
export interface ReportSpread {
  readonly key: string | null;
  readonly count: number;
  readonly median: number;
  readonly p90: number;
}

const COLUMNS: Readonly<Record<Exclude<ReportDimension, 'day' | 'week' | 'total'>, string>> = {
  channel: 'channel_id',
  team: 'team_id',
  queue: 'queue_id',
  agent: 'agent_id',
  rule: 'rule',
  trigger: 'trigger',
};

/**
 * The group's key as SQL. Days are local: within each stretch of one UTC offset the local day
 * number is (started_at + offset) / 86 400 000 in integer division (core/reports/report-range.ts);
 * a week is keyed by its Monday. Keys are text on both databases.
 */
function keyOf(q: ReportQuery): RawBuilder<string | null> {
  if (q.groupBy === 'total') return sql<null>`null`;
  if (q.groupBy !== 'day' && q.groupBy !== 'week') return sql<string | null>`r.${sql.ref(COLUMNS[q.groupBy])}`;
  const stretches = q.range.stretches;
  const dayOf = (offsetMs: number) =>
    q.dialect === 'postgres' ? sql`((r.started_at + ${sql.lit(offsetMs)}) / 86400000)` : sql`cast((r.started_at + ${sql.lit(offsetMs)}) / 86400000 as integer)`;
  let day: RawBuilder<unknown> = dayOf(stretches[stretches.length - 1]?.offsetMs ?? 0);
  for (const stretch of [...stretches].slice(0, -1).reverse()) day = sql`case when r.started_at < ${sql.lit(stretch.untilMs)} then ${dayOf(stretch.offsetMs)} else ${day} end`;
  const number = q.groupBy === 'day' ? day : sql`(${day} - ((${day} + 3) % 7))`;
  return sql<string>`cast(${number} as text)`;
}

function whereOf(q: ReportQuery): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`r.started_at >= ${q.range.fromMs}`, sql`r.started_at < ${q.range.toMs}`];
  if (q.channelId !== undefined) parts.push(sql`r.channel_id = ${q.channelId}`);
  if (q.teamId !== undefined) parts.push(sql`r.team_id = ${q.teamId}`);
  if (q.queueId !== undefined) parts.push(sql`r.queue_id = ${q.queueId}`);
  if (q.agentId !== undefined) parts.push(sql`r.agent_id = ${q.agentId}`);
  // Test contacts' conversations are left out unless asked for. `not in` a list the database
  // builds once (few contacts are test contacts; ids are never null) rather than a lookup per row.
  if (!q.includeTest) parts.push(sql`r.contact_id not in (select c.id from contacts c where c.is_test = 1)`);
  return sql.join(parts, sql` and `);
}

/** A group key as text (day numbers come back as numbers or strings, by dialect). */
function keyText(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : null;
}

/** The sums of each group in the range (one grouped scan of the report rows). */
export async function reportSums(ex: Executor, q: ReportQuery): Promise<ReportSums[]> {
  const handedOff = sql`r.handed_off_at is not null`;
  const aiOnly = sql`r.handed_off_at is null and r.agent_id is null`;
  const result = await sql<Record<string, unknown>>`
    select ${keyOf(q)} as k,
      count(*) as conversations,
      sum(case when r.resolution_ms is not null and ${aiOnly} then 1 else 0 end) as ai_resolved,
      sum(case when ${handedOff} then 1 else 0 end) as handoffs,
      sum(r.reassignments) as reassignments,
      sum(r.sla_breaches) as sla_breaches,
      sum(case when r.csat_handed_off = 1 then r.csat_score end) as csat_h_sum,
      count(case when r.csat_handed_off = 1 then r.csat_score end) as csat_h_count,
      sum(case when r.csat_handed_off = 0 then r.csat_score end) as csat_a_sum,
      count(case when r.csat_handed_off = 0 then r.csat_score end) as csat_a_count
    from report_rows r
    where ${whereOf(q)}
    group by 1`.execute(ex);
  return result.rows.map((row) => ({
    key: keyText(row.k),
    conversations: Number(row.conversations),
    aiResolved: Number(row.ai_resolved ?? 0),
    handoffs: Number(row.handoffs ?? 0),
    reassignments: Number(row.reassignments ?? 0),
    slaBreaches: Number(row.sla_breaches ?? 0),
    csatHandedOffSum: Number(row.csat_h_sum ?? 0),
    csatHandedOffCount: Number(row.csat_h_count ?? 0),
    csatAiOnlySum: Number(row.csat_a_sum ?? 0),
    csatAiOnlyCount: Number(row.csat_a_count ?? 0),
  }));
}

/**
 * The exact median and p90 of `column` per group over every row in the range: the values of each
 * group numbered in order by a window function, and only the two ranks kept —
 * ceil(n/2) and ceil(9n/10), nearest rank as core/reports/handoff-metrics.ts defines them. The
 * database sorts; two rows per group come back.
 */
export async function reportSpreads(ex: Executor, q: ReportQuery, column: SpreadColumn): Promise<ReportSpread[]> {
  const value = sql.ref(`r.${column}`);
  // One window, so one sort per group: the count over the whole partition reuses the ordering
  // row_number() needs (a frame over all of it) instead of a second, unordered window.
  const result = await sql<{ k: unknown; v: unknown; rn: unknown; n: unknown }>`
    select k, v, rn, n from (
      select k, v,
        row_number() over w as rn,
        count(*) over (w rows between unbounded preceding and unbounded following) as n
      from (select ${keyOf(q)} as k, ${value} as v from report_rows r where ${whereOf(q)} and ${value} is not null) picked
      window w as (partition by k order by v)
    ) ranked
    where rn = (n + 1) / 2 or rn = (9 * n + 9) / 10`.execute(ex);
  const byKey = new Map<string | null, { count: number; median: number; p90: number }>();
  for (const row of result.rows) {
    const key = keyText(row.k);
    const n = Number(row.n);
    const rn = Number(row.rn);
    const v = Number(row.v);
    const entry = byKey.get(key) ?? { count: n, median: v, p90: v };
    if (rn === Math.floor((n + 1) / 2)) entry.median = v;
    if (rn === Math.floor((9 * n + 9) / 10)) entry.p90 = v;
    byKey.set(key, entry);
  }
  return [...byKey.entries()].map(([key, s]) => ({ key, ...s }));
}
