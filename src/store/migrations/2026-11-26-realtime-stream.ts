/**
 * The durable realtime stream (docs/realtime.md). Frozen in time: `Kysely<any>`, no
 * imports from src/, forward only.
 *
 * - `stream_events`: what `GET /api/realtime` sends, one row per audience (`agents`,
 *   `user:<id>`, `contact:<id>`). `seq` is global and strictly increasing in commit order: it is
 *   handed out by the one publisher (max + 1 under a PostgreSQL advisory lock held until commit;
 *   SQLite's single writer), so a reader never sees seq 11 before seq 10 has committed and a
 *   client resumes with `?after=<seq>` without a gap (CW PR #13713). `key` makes a re-run job
 *   (a lease taken over after a crash) write nothing twice.
 * - `stream_cursors`: per conversation, the last event and message seq already published, so
 *   the publisher sends "everything of this conversation after the cursor" in the
 *   conversation's own order, whatever order the outbox hands the records over in; plus the
 *   status as last published and the queue position last told to the contact.
 */
import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('stream_events')
    // SQLite: `integer primary key` is the rowid itself (no second index).
    .addColumn('seq', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stream_events_audience_seq_idx').on('stream_events').columns(['audience', 'seq']).execute();

  await db.schema
    .createTable('stream_cursors')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('last_event_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_message_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text')
    .addColumn('queue_position', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
