/**
 * Counting an agent's open load (routing eligibility, the capacity check inside the one writer)
 * groups by channel type: with (owner_id, status) alone SQLite reads every counted row of the
 * table to learn its channel type. (owner_id, status, channel_type) answers from the index.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema.createIndex('conversations_owner_load_idx').on('conversations').columns(['owner_id', 'status', 'channel_type']).execute();
  await db.schema.dropIndex('conversations_owner_idx').execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.createIndex('conversations_owner_idx').on('conversations').columns(['owner_id', 'status']).execute();
  await db.schema.dropIndex('conversations_owner_load_idx').execute();
}
