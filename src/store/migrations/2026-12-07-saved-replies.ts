/**
 * Saved replies: one row per reply, `owner_id` null when shared with the
 * workspace, the per-language bodies as a JSON object of language → text. Listed by owner (the
 * caller's personal ones and the shared ones), so an index on owner and title.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema
    .createTable('saved_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('shortcut', 'text')
    .addColumn('default_language', 'text', (c) => c.notNull())
    .addColumn('bodies', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saved_replies_owner_idx').on('saved_replies').columns(['owner_id', 'title']).execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropTable('saved_replies').execute();
}
