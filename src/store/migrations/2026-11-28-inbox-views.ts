/**
 * The inbox views (GET /api/conversations?view=…): a view of one status (`bot`, or `status=queued`)
 * newest activity first. With (status, team_id) alone SQLite finds the rows of that status and
 * sorts them all in a temporary B-tree for every page (EXPLAIN QUERY PLAN on 60,000
 * conversations); with (status, last_activity_at, id) it walks them in order and stops at the page.
 * The open and resolved views walk conversations_activity_idx; mine, unassigned and team search
 * the owner and team indexes and sort the few rows they hold.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema
    .createIndex('conversations_status_activity_idx')
    .on('conversations')
    .columns(['status', 'last_activity_at', 'id'])
    .execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropIndex('conversations_status_activity_idx').execute();
}
