/**
 * The assignment invariants of the product, read from the tables: a handed-off conversation has
 * an owner or a queue, at most one owner, and the `open_loads` counter routing reads equals the
 * open conversations each agent owns per channel type. The property test checks them after every
 * step; the crash test after a kill -9 and a restart.
 */
import { readAgentStateRows, readTables } from '../../src/store/repositories/agent-state-rows.js';
import type { Executor } from '../../src/store/database.js';
import { describeAgentStateRows } from './describe-agent-state-rows.js';

export interface RoutingRow {
  readonly id: string;
  readonly status: string;
  readonly owner_id: string | null;
  readonly team_id: string | null;
  readonly queue_id: string | null;
  readonly channel_type: string;
}

export async function allConversations(db: Executor): Promise<RoutingRow[]> {
  return db.selectFrom('conversations').select(['id', 'status', 'owner_id', 'team_id', 'queue_id', 'channel_type']).execute();
}

export const OPEN = new Set(['assigned', 'waiting_on_customer']);

/** Every breach of the routing-state invariants among `rows`, in words (empty: none). */
export function orphanProblems(rows: readonly RoutingRow[], users: readonly string[]): string[] {
  const problems: string[] = [];
  for (const r of rows) {
    const where = `${r.id} (${r.status}, owner ${r.owner_id}, team ${r.team_id}, queue ${r.queue_id})`;
    if (r.status === 'queued' && r.owner_id !== null) problems.push(`queued with an owner: ${where}`);
    if (r.status === 'queued' && r.queue_id === null && r.team_id === null) problems.push(`queued with neither queue nor team: ${where}`);
    if (OPEN.has(r.status) && r.owner_id === null) problems.push(`open without an owner: ${where}`);
    if (r.status === 'bot' && r.owner_id !== null) problems.push(`with the AI agent but owned: ${where}`);
    if (r.owner_id !== null && !users.includes(r.owner_id)) problems.push(`owned by an unknown user: ${where}`);
  }
  return problems;
}

/** Open load per agent and channel type (`<user>:<channel type>`), counted from the conversations. */
export function loads(rows: readonly RoutingRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    if (r.owner_id === null || !OPEN.has(r.status)) continue;
    const key = `${r.owner_id}:${r.channel_type}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/**
 * Where the `open_loads` counter (kept by the one writer, read by routing and the capacity check)
 * differs from counting the open conversations each user owns, in words (empty: nowhere); and
 * whether routing's view of the agents (agent-state-rows.ts) equals the tables.
 */
export async function counterProblems(db: Executor): Promise<string[]> {
  const counted = loads(await allConversations(db));
  const counters = new Map(
    (await db.selectFrom('open_loads').select(['user_id', 'channel_type', 'open']).execute()).map((r) => [`${r.user_id}:${r.channel_type}`, r.open]),
  );
  const problems: string[] = [];
  for (const key of new Set([...counted.keys(), ...counters.keys()])) {
    const count = counted.get(key) ?? 0;
    const counter = counters.get(key) ?? 0;
    if (count !== counter) problems.push(`${key}: open_loads says ${counter}, ${count} open conversations`);
  }
  const seen = describeAgentStateRows(await readAgentStateRows(db));
  const stored = describeAgentStateRows(await readTables(db));
  if (seen !== stored) problems.push(`routing sees ${seen}, the tables say ${stored}`);
  return problems;
}
