/**
 * A handoff's trace is stored once, on its `handoff.completed` event, no longer also in
 * `conversations.handoff`. The trace (~5 KB with 50 candidates, growing with the team) made the
 * conversation row the largest thing a handoff wrote and read: written by the assignment's UPDATE,
 * read back by it, read again by every publish, parsed each time. The latest trace of a
 * conversation is its latest `handoff.completed` event (every handoff has written one since the
 * first release: services/handoff/decide-and-record-handoff.ts), found by (conversation_id, seq).
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('handoff').execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('handoff', 'text').execute();
}
