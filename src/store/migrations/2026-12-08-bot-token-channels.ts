/**
 * A bot token names the channels whose bot it is (`api_tokens.channels`, a JSON array): it reaches
 * those channels' conversations and no others. Null for every other token, and for bot tokens made
 * before, which then reach nothing until replaced (they reached every conversation).
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('channels', 'text').execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('channels').execute();
}
