/**
 * `agent_states_head`: one row whose `token` changes (to a new random text) in every transaction
 * that changes what routing reads of an agent — `user_state.status`, `user_state.last_assigned_at`,
 * an `open_loads` counter — with `prev` the token it replaced. On SQLite a process keeps the
 * agent states it read under the token it read them at, and a writer derives the states of its
 * new token from those of `prev` (store/repositories/agent-state-rows.ts), so a handoff reads one
 * small row instead of both tables whole. Random, not a counter: a rolled-back token is never
 * handed out again, so states kept under it can never be mistaken for committed ones.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema
    .createTable('agent_states_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('prev', 'text')
    .addColumn('token', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('agent_states_head').values({ id: 1, prev: null, token: randomUUID() }).execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropTable('agent_states_head').execute();
}
