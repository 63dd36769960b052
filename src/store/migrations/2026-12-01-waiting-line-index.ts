/**
 * The waiting line of a queue in the order customers are served: urgent first, then oldest, then
 * by id. After every claim or handoff that moves a line, the realtime publisher reads the whole
 * line (to tell customers their new place), and with conversations_queue_idx (status, queue_id,
 * queued_at) SQLite fetched every waiting row from the table and sorted them by priority rank in a
 * temporary B-tree: ~2 ms for a line of 1,000, read once per claim. This index carries the rank
 * expression (the very text the queries order by), queued_at, id and contact_id, so the line is
 * one ordered index scan with no table look-up and no sort (~0.7 ms, sqlite3 .timer, same line).
 * It replaces conversations_queue_idx: its first two columns serve every query that one did
 * (counts and look-ups by status and queue), so a conversation write keeps the same number of
 * indexes to update.
 * Frozen in time: `Kysely<any>`, no imports from src/; the rank expression is
 * repeated here on purpose (the index must keep the text it was built with), and
 * test/integration/waiting-line-index.test.ts checks that the live query still uses it.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await sql`create index conversations_line_idx on conversations
    (status, queue_id, (case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end), queued_at, id, contact_id)`.execute(db);
  await db.schema.dropIndex('conversations_queue_idx').execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.createIndex('conversations_queue_idx').on('conversations').columns(['status', 'queue_id', 'queued_at']).execute();
  await db.schema.dropIndex('conversations_line_idx').execute();
}
