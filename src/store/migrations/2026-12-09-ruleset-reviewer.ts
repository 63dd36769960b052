/**
 * Who last marked the active rules reviewed (`ruleset_versions.reviewed_by`), beside when
 * (`reviewed_at`): the rules screen says "Last reviewed … by …". Null for versions never marked
 * reviewed (their author's publish counts as the review).
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('ruleset_versions').addColumn('reviewed_by', 'text').execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('ruleset_versions').dropColumn('reviewed_by').execute();
}
