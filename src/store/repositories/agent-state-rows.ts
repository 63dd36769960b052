import { sql } from 'kysely';
import type { ChannelType } from '../../contract/common.js';
import type { Executor } from '../database.js';
import { preparedQuery } from '../prepared.js';

/**
 * What routing reads of each agent — availability and last assignment (`user_state`), open load
 * per channel type (`open_loads`) — as stored: a row per user who has one, with the status as
 * written (null: the configured initial status applies; ./routing.ts `loadAgentStates` fills
 * that in). Read from the tables every time, on both dialects: keeping them in memory under the
 * `agent_states_head` token measured below 5% of a handoff at 50 agents and was removed
 * (bench/results/handoff-profile.md, 2026-12-07); the table and its migration stay, unused.
 */
export interface AgentStateRow {
  readonly status: string | null;
  readonly lastAssignedAt: number | null;
  /** Open conversations per channel type; a type at 0 (or never counted) is absent. */
  readonly load: Readonly<Partial<Record<ChannelType, number>>>;
}

export type AgentStateRows = ReadonlyMap<string, AgentStateRow>;

/**
 * Both tables in one statement (one round trip on PostgreSQL): `user_state` rows with `kind` 's',
 * `open_loads` rows with `kind` 'l', each with the other's columns null.
 */
function bothTables(ex: Executor, users: readonly string[] | undefined) {
  const states = ex
    .selectFrom('user_state')
    .select([
      sql<string>`'s'`.as('kind'),
      'user_id',
      'status',
      'last_assigned_at',
      sql<string | null>`cast(null as text)`.as('channel_type'),
      sql<number | null>`cast(null as integer)`.as('open'),
    ] as const)
    .$if(users !== undefined, (qb) => qb.where('user_id', 'in', users ?? []));
  const loads = ex
    .selectFrom('open_loads')
    .select([
      sql<string>`'l'`.as('kind'),
      'user_id',
      sql<string | null>`cast(null as text)`.as('status'),
      sql<number | null>`cast(null as bigint)`.as('last_assigned_at'),
      'channel_type',
      'open',
    ] as const)
    .$if(users !== undefined, (qb) => qb.where('user_id', 'in', users ?? []));
  return states.unionAll(loads);
}

const ALL_ROWS = preparedQuery((db) => bothTables(db, undefined));

interface BothRow {
  readonly kind: string;
  readonly user_id: string;
  readonly status: string | null;
  readonly last_assigned_at: number | null;
  readonly channel_type: string | null;
  readonly open: number | null;
}

/** Every user's row, read now: both tables whole, or with `users` only theirs by id. */
export async function readAgentStateRows(ex: Executor, users?: readonly string[]): Promise<AgentStateRows> {
  return users === undefined ? readTables(ex) : readTablesFor(ex, users);
}

type Building = Map<string, { status: string | null; lastAssignedAt: number | null; load: Partial<Record<string, number>> }>;

function take(out: Building, rows: readonly BothRow[]): AgentStateRows {
  for (const row of rows) {
    if (row.kind === 's') out.set(row.user_id, { status: row.status, lastAssignedAt: row.last_assigned_at === null ? null : Number(row.last_assigned_at), load: out.get(row.user_id)?.load ?? {} });
  }
  for (const row of rows) {
    // A row at 0 stays behind when the last open conversation closes; no row means no load.
    if (row.kind !== 'l' || row.channel_type === null || Number(row.open) === 0) continue;
    let entry = out.get(row.user_id);
    if (entry === undefined) {
      entry = { status: null, lastAssignedAt: null, load: {} };
      out.set(row.user_id, entry);
    }
    entry.load[row.channel_type] = Number(row.open);
  }
  for (const entry of out.values()) {
    Object.freeze(entry.load);
    Object.freeze(entry);
  }
  return out;
}

/** Both tables whole. */
export async function readTables(ex: Executor): Promise<AgentStateRows> {
  return take(new Map(), await ALL_ROWS.all(ex, {}));
}

/** SQLite's parameter limit is 32766 and PostgreSQL's 65535; stay well below both (each id is bound twice). */
const CHUNK = 1_000;

async function readTablesFor(ex: Executor, users: readonly string[]): Promise<AgentStateRows> {
  const out: Building = new Map();
  const unique = [...new Set(users)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    take(out, await bothTables(ex, unique.slice(i, i + CHUNK)).execute());
  }
  return out;
}

/** Rows as one line (users in order; a user with nothing stored left out, as it reads the same as no row). */
export function describeRows(rows: AgentStateRows): string {
  return [...rows]
    .filter(([, row]) => row.status !== null || row.lastAssignedAt !== null || Object.keys(row.load).length > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([user, row]) => `${user}:${row.status ?? '-'}:${row.lastAssignedAt ?? '-'}:${Object.entries(row.load).sort().map(([k, v]) => `${k}=${v}`).join(',')}`)
    .join(' ');
}
