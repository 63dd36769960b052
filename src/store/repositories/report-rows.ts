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
import type { Database, Dialect, Executor } from '../database.js';
import { preparedQuery } from '../prepared.js';
import type { ReportRow } from '../schema.js';
import { foldReportEvent, REPORT_EVENT_TYPES, type ConversationReport, type ReportEvent } from '../../core/reports/conversation-report.js';
import type { ReportRange } from '../../core/reports/report-range.js';
import { NO_CONVERSATIONS, spreadRanks, type GroupSpread, type GroupSums } from '../../core/reports/handoff-metrics.js';

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

/** A group's sums and the median, p90 and count of each duration (ms; absent: no values). */
export interface ReportFigures extends ReportSums {
  readonly firstResponse?: GroupSpread;
  readonly queueWait?: GroupSpread;
  readonly resolution?: GroupSpread;
}

/** A report's groups and its totals (every conversation in the range, `key` null). */
export interface ReportAnswer {
  readonly groups: readonly ReportFigures[];
  readonly totals: ReportFigures;
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

const HANDED_OFF = sql`r.handed_off_at is not null`;
const AI_ONLY = sql`r.handed_off_at is null and r.agent_id is null`;

/** The sums of a group, as columns (the same definitions as core's `metricsOf`). */
const SUMS = sql`count(*) as conversations,
      sum(case when r.resolution_ms is not null and ${AI_ONLY} then 1 else 0 end) as ai_resolved,
      sum(case when ${HANDED_OFF} then 1 else 0 end) as handoffs,
      sum(r.reassignments) as reassignments,
      sum(r.sla_breaches) as sla_breaches,
      sum(case when r.csat_handed_off = 1 then r.csat_score end) as csat_h_sum,
      count(case when r.csat_handed_off = 1 then r.csat_score end) as csat_h_count,
      sum(case when r.csat_handed_off = 0 then r.csat_score end) as csat_a_sum,
      count(case when r.csat_handed_off = 0 then r.csat_score end) as csat_a_count`;

function sumsOf(row: Record<string, unknown>): ReportSums {
  return {
    key: keyText(row.k),
    conversations: Number(row.conversations ?? 0),
    aiResolved: Number(row.ai_resolved ?? 0),
    handoffs: Number(row.handoffs ?? 0),
    reassignments: Number(row.reassignments ?? 0),
    slaBreaches: Number(row.sla_breaches ?? 0),
    csatHandedOffSum: Number(row.csat_h_sum ?? 0),
    csatHandedOffCount: Number(row.csat_h_count ?? 0),
    csatAiOnlySum: Number(row.csat_a_sum ?? 0),
    csatAiOnlyCount: Number(row.csat_a_count ?? 0),
  };
}

const SPREAD_COLUMNS = [
  ['first_response_ms', 'fr', 'firstResponse'],
  ['queue_wait_ms', 'qw', 'queueWait'],
  ['resolution_ms', 'res', 'resolution'],
] as const;

/**
 * The handoff report's figures over the range: one pass over the report rows of the range (an
 * index holding every column read: migration 2026-12-10-report-scan-index) for the groups and
 * the totals at once — the sums, and the exact median and p90 (nearest rank, core's
 * `spreadRanks`) of each duration over every value of the group and of the range.
 *
 * PostgreSQL: one grouped query, `grouping sets ((k), ())` for the groups and the totals, its
 * `percentile_disc` (nearest rank: the first value at position ⌈p·n⌉; ⌈0.9·n⌉ in floating point
 * is the integer rank core takes for every n up to 2·10⁷, checked one by one).
 *
 * SQLite: its `percentile_disc` takes the position ⌊(n−1)·p⌋ (0-based), which is not nearest rank
 * for p90, and a second percentile per value costs a second copy of it; so the query hands each
 * group's values over as one JSON array per duration and `figuresOfSqliteRows` takes the ranks —
 * on a worker thread with its own read-only connection when the database is a file
 * (store/read-off-thread.ts), so a report over a year never holds up the server's one thread.
 */
export async function readReport(database: Database, q: ReportQuery): Promise<ReportAnswer> {
  if (q.dialect === 'postgres') return readReportPostgres(database.db, q);
  const compiled = sql<SqliteReportRow>`
    select ${keyOf(q)} as k, ${SUMS},
      ${sql.join(
        SPREAD_COLUMNS.map(([column, alias]) => sql`json_group_array(r.${sql.ref(column)}) filter (where r.${sql.ref(column)} is not null) as ${sql.ref(alias)}`),
      )}
    from report_rows r
    where ${whereOf(q)}
    group by 1`.compile(database.db);
  if (database.offThread !== undefined) return database.offThread.report(compiled);
  const result = await database.db.executeQuery(compiled);
  return figuresOfSqliteRows(result.rows);
}

/** A row of the SQLite query: the sums, and each duration's values as a JSON array. */
export interface SqliteReportRow extends Record<string, unknown> {
  readonly fr: string;
  readonly qw: string;
  readonly res: string;
}

function spreadOfSorted(sorted: Float64Array): GroupSpread | undefined {
  if (sorted.length === 0) return undefined;
  const ranks = spreadRanks(sorted.length);
  return { count: sorted.length, median: sorted[ranks.median - 1]!, p90: sorted[ranks.p90 - 1]! };
}

/** The groups' and the totals' figures from the SQLite query's rows (pure: the worker runs it too). */
export function figuresOfSqliteRows(rows: readonly Record<string, unknown>[]): ReportAnswer {
  const groups: ReportFigures[] = [];
  const all: Record<(typeof SPREAD_COLUMNS)[number][1], Float64Array[]> = { fr: [], qw: [], res: [] };
  const totals: Record<keyof GroupSums, number> = { ...NO_CONVERSATIONS };
  for (const row of rows) {
    const sums = sumsOf(row);
    for (const name of Object.keys(totals) as (keyof GroupSums)[]) totals[name] += sums[name];
    const spreads: { -readonly [K in (typeof SPREAD_COLUMNS)[number][2]]?: GroupSpread } = {};
    for (const [, alias, name] of SPREAD_COLUMNS) {
      const text = row[alias];
      const values = Float64Array.from(typeof text === 'string' ? (JSON.parse(text) as number[]) : []).sort();
      all[alias].push(values);
      const spread = spreadOfSorted(values);
      if (spread !== undefined) spreads[name] = spread;
    }
    groups.push({ ...sums, ...spreads });
  }
  const totalSpreads: { -readonly [K in (typeof SPREAD_COLUMNS)[number][2]]?: GroupSpread } = {};
  for (const [, alias, name] of SPREAD_COLUMNS) {
    const parts = all[alias];
    const merged = new Float64Array(parts.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of parts) {
      merged.set(part, at);
      at += part.length;
    }
    const spread = spreadOfSorted(parts.length === 1 ? merged : merged.sort());
    if (spread !== undefined) totalSpreads[name] = spread;
  }
  return { groups, totals: { key: null, ...totals, ...totalSpreads } };
}

async function readReportPostgres(ex: Executor, q: ReportQuery): Promise<ReportAnswer> {
  const result = await sql<Record<string, unknown>>`
    select grouping(k) as is_total, k, ${SUMS},
      ${sql.join(
        SPREAD_COLUMNS.map(
          ([column, alias]) => sql`count(r.${sql.ref(column)}) as ${sql.ref(`${alias}_n`)},
            percentile_disc(0.5) within group (order by r.${sql.ref(column)}) as ${sql.ref(`${alias}_median`)},
            percentile_disc(0.9) within group (order by r.${sql.ref(column)}) as ${sql.ref(`${alias}_p90`)}`,
        ),
      )}
    from (select ${keyOf(q)} as k, r.* from report_rows r where ${whereOf(q)}) r
    group by grouping sets ((k), ())`.execute(ex);
  const figuresOf = (row: Record<string, unknown>): ReportFigures => {
    const spreads: { -readonly [K in (typeof SPREAD_COLUMNS)[number][2]]?: GroupSpread } = {};
    for (const [, alias, name] of SPREAD_COLUMNS) {
      const count = Number(row[`${alias}_n`] ?? 0);
      if (count > 0) spreads[name] = { count, median: Number(row[`${alias}_median`]), p90: Number(row[`${alias}_p90`]) };
    }
    return { ...sumsOf(row), ...spreads };
  };
  const groups: ReportFigures[] = [];
  let totals: ReportFigures = { key: null, ...NO_CONVERSATIONS };
  for (const row of result.rows) {
    if (Number(row.is_total) === 1) totals = { ...figuresOf(row), key: null };
    else groups.push(figuresOf(row));
  }
  return { groups, totals };
}
