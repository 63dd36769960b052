import { randomUUID } from 'node:crypto';
import { SqliteAdapter, type DialectAdapter } from 'kysely';
import type { ChannelType } from '../../contract/common.js';
import type { Executor } from '../database.js';
import { withTransaction } from '../database.js';
import { preparedQuery } from '../prepared.js';
import { checksOn, InvariantBroken, registerCommitCheck } from '../transactions/checks.js';
import { fastPaths } from '../transactions/fast-paths.js';

/**
 * What routing reads of each agent — availability and last assignment (`user_state`), open load
 * per channel type (`open_loads`) — as stored: a row per user who has one, with the status as
 * written (null: the configured initial status applies; ./routing.ts `loadAgentStates` fills
 * that in).
 *
 * Every handoff decides on every agent of the workspace, so it read both tables whole, and the
 * tables grow with the desk (2,000 agents: thousands of rows per handoff; the cost and this
 * mechanism's gain: bench/results/handoff-profile.md). On SQLite the rows are kept in
 * memory instead, and a handoff reads one small row, `agent_states_head`:
 *
 * - Every transaction that changes one of these values also replaces the head's `token` with a
 *   new random text (`noteAgentStateChanges`, right after its writes), remembering the one it
 *   replaced in `prev`. Rows read (or derived) at token T are kept under T.
 * - A writer derives its new token's rows from `prev`'s, with the exact values it wrote, so the
 *   next handoff finds them without reading the tables — even though every handoff changes
 *   someone's load.
 * - A token is random, never a counter: a transaction rolled back (alone, to its savepoint in a
 *   group commit, or at a failed COMMIT) takes its token with it, and that token is never
 *   handed out again, so rows kept under it can never be mistaken for committed ones. Rows kept
 *   under a token are exactly the rows of the transaction that wrote it, as SQLite has one
 *   writer at a time and the token moves in the same transaction as the values.
 * - Another process writing the same file (a second server, the CLI) moves the token as well;
 *   this process then misses and reads the tables.
 *
 * PostgreSQL reads the tables every time: transactions there run side by side, and one head row
 * updated by every assignment would serialise them all until commit.
 */
export interface AgentStateRow {
  readonly status: string | null;
  readonly lastAssignedAt: number | null;
  /** Open conversations per channel type; a type at 0 (or never counted) is absent. */
  readonly load: Readonly<Partial<Record<ChannelType, number>>>;
}

export type AgentStateRows = ReadonlyMap<string, AgentStateRow>;

/** A value a transaction wrote, exactly as written (so applying one twice changes nothing). */
export type AgentStateChange =
  | { readonly kind: 'status'; readonly userId: string; readonly status: string | null }
  | { readonly kind: 'assigned'; readonly userId: string; readonly at: number }
  | { readonly kind: 'load'; readonly userId: string; readonly channelType: string; readonly open: number };

/** Tokens kept per database: the latest few (a group commit chains a token per assignment). */
const KEPT_TOKENS = 4;

interface Kept {
  readonly byToken: Map<string, AgentStateRows>;
  hits: number;
  misses: number;
}

const keptByDatabase = new WeakMap<DialectAdapter, Kept>();

/** This database's kept rows; null on PostgreSQL. */
function keptFor(ex: Executor): Kept | null {
  const adapter = ex.getExecutor().adapter;
  if (!(adapter instanceof SqliteAdapter) || !fastPaths.agentStatesInMemory) return null;
  let kept = keptByDatabase.get(adapter);
  if (kept === undefined) {
    kept = { byToken: new Map(), hits: 0, misses: 0 };
    keptByDatabase.set(adapter, kept);
  }
  return kept;
}

function keep(kept: Kept, token: string, rows: AgentStateRows): void {
  kept.byToken.delete(token);
  kept.byToken.set(token, rows);
  while (kept.byToken.size > KEPT_TOKENS) kept.byToken.delete(kept.byToken.keys().next().value as string);
}

const HEAD = preparedQuery((db) => db.selectFrom('agent_states_head').select('token').where('id', '=', 1));
const MOVE_HEAD = preparedQuery((db, p: { token: string }) =>
  db
    .updateTable('agent_states_head')
    .set((eb) => ({ prev: eb.ref('token'), token: p.token }))
    .where('id', '=', 1)
    .returning('prev'),
);
const ALL_USER_STATES = preparedQuery((db) => db.selectFrom('user_state').select(['user_id', 'status', 'last_assigned_at']));
const ALL_OPEN_LOADS = preparedQuery((db) => db.selectFrom('open_loads').select(['user_id', 'channel_type', 'open']));

async function headToken(ex: Executor): Promise<string> {
  const row = await HEAD.first(ex, {});
  if (row === undefined) throw new Error('agent_states_head has no row (migration 2026-12-02-agent-states-head)');
  return row.token;
}

/**
 * Every user's row, read now: from memory when this database's head token is one whose rows
 * are kept, else both tables whole (and kept). With `users` (fewer than the caller reads whole),
 * a miss reads only theirs by id and keeps nothing.
 */
export async function readAgentStateRows(ex: Executor, users?: readonly string[]): Promise<AgentStateRows> {
  const kept = keptFor(ex);
  if (kept === null) return users === undefined ? readTables(ex) : readTablesFor(ex, users);
  const token = await headToken(ex);
  const known = kept.byToken.get(token);
  if (known !== undefined) {
    kept.hits += 1;
    return known;
  }
  kept.misses += 1;
  if (users !== undefined) return readTablesFor(ex, users);
  const rows = await readTables(ex);
  // Outside a transaction the three reads are three snapshots: keep the rows only if no
  // commit moved the token in between (one that changed them must have).
  if (ex.isTransaction || (await headToken(ex)) === token) keep(kept, token, rows);
  return rows;
}

/**
 * Call in the transaction that wrote `changes`, after writing them and before reading agent
 * states again: moves the head to a new token and, when the rows of the token it replaced are
 * kept, keeps theirs with `changes` applied. No-op on PostgreSQL.
 */
export async function noteAgentStateChanges(ex: Executor, changes: readonly AgentStateChange[]): Promise<void> {
  if (changes.length === 0) return;
  const kept = keptFor(ex);
  if (kept === null) return;
  const token = randomUUID();
  await withTransaction(ex, async (trx) => {
    const moved = await MOVE_HEAD.first(trx, { token });
    if (moved === undefined) throw new Error('agent_states_head has no row (migration 2026-12-02-agent-states-head)');
    const before = moved.prev === null ? undefined : kept.byToken.get(moved.prev);
    if (before !== undefined) keep(kept, token, applyChanges(before, changes));
  });
}

/** The rows after `changes`, sharing every row they leave alone. */
export function applyChanges(rows: AgentStateRows, changes: readonly AgentStateChange[]): AgentStateRows {
  const out = new Map(rows);
  for (const change of changes) {
    const row = out.get(change.userId) ?? EMPTY;
    switch (change.kind) {
      case 'status':
        out.set(change.userId, Object.freeze({ ...row, status: change.status }));
        break;
      case 'assigned':
        out.set(change.userId, Object.freeze({ ...row, lastAssignedAt: change.at }));
        break;
      case 'load': {
        const load: Partial<Record<string, number>> = { ...row.load };
        if (change.open === 0) delete load[change.channelType];
        else load[change.channelType] = change.open;
        out.set(change.userId, Object.freeze({ ...row, load: Object.freeze(load) }));
        break;
      }
    }
  }
  return out;
}

const EMPTY: AgentStateRow = Object.freeze({ status: null, lastAssignedAt: null, load: Object.freeze({}) });

type Building = Map<string, { status: string | null; lastAssignedAt: number | null; load: Partial<Record<string, number>> }>;

function take(
  out: Building,
  states: readonly { user_id: string; status: string | null; last_assigned_at: number | null }[],
  loads: readonly { user_id: string; channel_type: string; open: number }[],
): AgentStateRows {
  for (const row of states) out.set(row.user_id, { status: row.status, lastAssignedAt: row.last_assigned_at === null ? null : Number(row.last_assigned_at), load: {} });
  for (const row of loads) {
    // A row at 0 stays behind when the last open conversation closes; no row means no load.
    if (Number(row.open) === 0) continue;
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

/** Both tables whole, without memory: what the kept rows must always equal (tests compare). */
export async function readTables(ex: Executor): Promise<AgentStateRows> {
  return take(new Map(), await ALL_USER_STATES.all(ex, {}), await ALL_OPEN_LOADS.all(ex, {}));
}

/** SQLite's parameter limit is 32766 and PostgreSQL's 65535; stay well below both. */
const CHUNK = 1_000;

async function readTablesFor(ex: Executor, users: readonly string[]): Promise<AgentStateRows> {
  const out: Building = new Map();
  const unique = [...new Set(users)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const ids = unique.slice(i, i + CHUNK);
    take(
      out,
      await ex.selectFrom('user_state').select(['user_id', 'status', 'last_assigned_at']).where('user_id', 'in', ids).execute(),
      await ex.selectFrom('open_loads').select(['user_id', 'channel_type', 'open']).where('user_id', 'in', ids).execute(),
    );
  }
  return out;
}

/** How often this database's reads found their rows in memory (tests, diagnostics). */
export function agentStateRowsStats(ex: Executor): { readonly hits: number; readonly misses: number } {
  const kept = keptFor(ex);
  return { hits: kept?.hits ?? 0, misses: kept?.misses ?? 0 };
}

/**
 * Checking mode (store/INTERNALS.md): after each commit, the rows kept under the head token — the
 * ones the next read would take — must be what both tables say. A write of `user_state` or
 * `open_loads` that forgot `noteAgentStateChanges` leaves the head where it was, with rows that
 * no longer match.
 */
registerCommitCheck('agent states in memory', async (trx) => {
  if (!checksOn(trx)) return;
  const kept = keptByDatabase.get(trx.getExecutor().adapter);
  if (kept === undefined || kept.byToken.size === 0) return;
  const token = await headToken(trx);
  const rows = kept.byToken.get(token);
  if (rows === undefined) return;
  const inMemory = describeRows(rows);
  const inTables = describeRows(await readTables(trx));
  if (inMemory !== inTables) {
    throw new InvariantBroken(
      `the agent states kept under head token ${token} are not what user_state/open_loads say ` +
        `(a write of those tables without noteAgentStateChanges?): memory [${inMemory}], tables [${inTables}]`,
    );
  }
});

/** Rows as one line (users in order; a user with nothing stored left out, as it reads the same as no row). */
export function describeRows(rows: AgentStateRows): string {
  return [...rows]
    .filter(([, row]) => row.status !== null || row.lastAssignedAt !== null || Object.keys(row.load).length > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([user, row]) => `${user}:${row.status ?? '-'}:${row.lastAssignedAt ?? '-'}:${Object.entries(row.load).sort().map(([k, v]) => `${k}=${v}`).join(',')}`)
    .join(' ');
}
