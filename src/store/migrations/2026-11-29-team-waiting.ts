/**
 * Waiting on a team itself: conversations queued with a team but in none of its queues (a
 * transfer to a team nobody could take). After every move in a line the realtime publisher tells
 * those customers their place in the team's line — and when there are none, it need not read the
 * team's line at all (a claim in a queue of 1,000 read it twice: the queue's line and the team's).
 * "Is anyone waiting on the team itself?" is answered from the index when it carries queue_id:
 * conversations_team_idx (status, team_id) becomes (status, team_id, queue_id); queries on its
 * first two columns use it as before.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema.createIndex('conversations_team_queue_idx').on('conversations').columns(['status', 'team_id', 'queue_id']).execute();
  await db.schema.dropIndex('conversations_team_idx').execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.createIndex('conversations_team_idx').on('conversations').columns(['status', 'team_id']).execute();
  await db.schema.dropIndex('conversations_team_queue_idx').execute();
}
