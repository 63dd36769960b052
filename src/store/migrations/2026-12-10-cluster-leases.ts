/**
 * `cluster_leases`: periodic work (the waiting-line sweep, the stream pruner) runs once per
 * period across every process on the database, not once per process. One row per kind of work:
 * the next instant a run may start (`due_at`) and which process started the last one. A process
 * whose timer fires takes the period with a conditional UPDATE; the others find it taken.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema
    .createTable('cluster_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropTable('cluster_leases').execute();
}
