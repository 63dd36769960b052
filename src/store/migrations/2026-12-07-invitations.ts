/**
 * People join the desk (issue 16 §1): invitations — single-use links that set a password, only
 * the SHA-256 of their 256-bit token stored — and each user's access: when they were deactivated
 * (signed out everywhere, refused at sign-in) and when they last signed in ("never signed in" on
 * the users screen; backfilled from the sessions still stored). A table of its own rather than columns of `user_state`, whose rows are what
 * routing reads on every handoff.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('superseded_at', 'bigint')
    .execute();
  await db.schema.createIndex('invitations_user_idx').on('invitations').columns(['user_id', 'created_at']).execute();
  await db.schema
    .createTable('user_access')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('deactivated_at', 'bigint')
    .addColumn('last_signed_in_at', 'bigint')
    .execute();
  // Sign-ins before this migration were not recorded: the newest session still stored is the best
  // evidence of one, so a user who signed in last week is not shown as "never signed in".
  await sql`insert into user_access (user_id, deactivated_at, last_signed_in_at)
    select user_id, null, max(created_at) from sessions group by user_id`.execute(db);
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropTable('user_access').execute();
  await db.schema.dropTable('invitations').execute();
}
