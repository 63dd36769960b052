/**
 * Each user's open load per channel type — the conversations they own in `assigned` or
 * `waiting_on_customer` — kept as a counter instead of counted on every handoff. Counting
 * grouped the open conversations of the whole team on each handoff (438 µs with 5,500 open
 * conversations in bench handoff-http, growing with them) and again under the agent's lock for
 * the capacity check; the counter is one indexed row per (user, channel type).
 *
 * Written only by the one writer of assignments (store/repositories/assignments.ts), in the
 * transaction that changes the owner or status. The backfill counts what is there when the
 * migration runs, under the migrator's lock at start-up, before this process serves anything.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema
    .createTable('open_loads')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('channel_type', 'text', (c) => c.notNull())
    .addColumn('open', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('open_loads_pkey', ['user_id', 'channel_type'])
    .execute();
  // The statuses that counted as open load on the day of this migration (OPEN_STATUSES).
  await db
    .insertInto('open_loads')
    .columns(['user_id', 'channel_type', 'open'])
    .expression(
      db
        .selectFrom('conversations')
        .select((eb) => ['owner_id', 'channel_type', eb.fn.countAll().as('open')])
        .where('owner_id', 'is not', null)
        .where('status', 'in', ['assigned', 'waiting_on_customer'])
        .groupBy(['owner_id', 'channel_type']),
    )
    .execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropTable('open_loads').execute();
}
