/**
 * The handoff report reads, for every conversation started in the range, the columns it groups,
 * filters and counts by (store/repositories/report-rows.ts `readReport`). With only an index on
 * `started_at` each of those rows is a lookup into the table, in the order of its start, not of
 * its place in the table: at 1,000,000 rows that lookup was most of a report's time
 * (bench/results/reports.md). This index holds every column the report reads, after
 * `started_at`, so a year is one forward walk of one index and the table is never visited
 * (PostgreSQL: an index-only scan; the key is `started_at`, the rest rides along in INCLUDE).
 *
 * It replaces `report_rows_started_idx`, which it starts with. Built from the rows already there:
 * nothing to backfill. Frozen in time: `Kysely<any>`, no imports from src/.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

const CARRIED = sql.raw(
  'channel_id, team_id, queue_id, agent_id, rule, trigger, contact_id, handed_off_at, reassignments, sla_breaches, first_response_ms, queue_wait_ms, resolution_ms, csat_score, csat_handed_off',
);

export async function up(db: AnyKysely): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create index report_rows_scan_idx on report_rows (started_at) include (${CARRIED})`.execute(db);
  } else {
    await sql`create index report_rows_scan_idx on report_rows (started_at, ${CARRIED})`.execute(db);
  }
  await sql`drop index report_rows_started_idx`.execute(db);
}

export async function down(db: AnyKysely): Promise<void> {
  await sql`create index report_rows_started_idx on report_rows (started_at)`.execute(db);
  await sql`drop index report_rows_scan_idx`.execute(db);
}
