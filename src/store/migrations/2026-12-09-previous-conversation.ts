/**
 * A customer who writes again after their conversation closed starts a new conversation that
 * names the closed one (`conversations.previous_conversation_id`), so the person answering sees
 * what came before. Null for every conversation started otherwise. Indexed: the closed
 * conversation's page lists the ones that followed it.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('previous_conversation_id', 'text').execute();
  await db.schema.createIndex('conversations_previous_idx').on('conversations').column('previous_conversation_id').execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropIndex('conversations_previous_idx').execute();
  await db.schema.alterTable('conversations').dropColumn('previous_conversation_id').execute();
}
