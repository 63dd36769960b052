/**
 * The expected wait of a queued handoff reads the median first response over a place's most
 * recent answered handoffs (repositories/routing.ts `firstResponseSamplesQuery`): the 50 latest
 * conversations of a queue (or team) with a first human response. No index served that order, so
 * both databases read every conversation ever handled and sorted the answered ones: on a desk
 * with 100,000 open conversations a queued handoff spent most of its time there
 * (bench/results/growth.md). These partial indexes hold only answered conversations, by place
 * and first response, so the 50 are the last 50 entries of one index range; writes to
 * conversations not yet answered never touch them.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await sql`create index conversations_queue_response_idx on conversations (queue_id, first_human_response_at) where first_human_response_at is not null`.execute(db);
  await sql`create index conversations_team_response_idx on conversations (team_id, first_human_response_at) where first_human_response_at is not null`.execute(db);
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropIndex('conversations_team_response_idx').execute();
  await db.schema.dropIndex('conversations_queue_response_idx').execute();
}
