/**
 * The dead-lettered outbox rows, for the `baton_outbox_dead` gauge read at every scrape: a partial
 * index over the dead rows only, so counting them never scans the done rows the outbox keeps.
 * Written only when a row enters or leaves `dead`, never on the hot path of a job's run.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await sql`create index outbox_dead_idx on outbox (kind) where status = 'dead'`.execute(db);
}

export async function down(db: AnyKysely): Promise<void> {
  await sql`drop index outbox_dead_idx`.execute(db);
}
