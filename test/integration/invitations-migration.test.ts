/**
 * The 2026-12-07-invitations migration, on SQLite and PostgreSQL: a user's last sign-in is
 * backfilled from the newest session still stored, so people who signed in before it are not
 * shown as "never signed in"; users without a session get no row (their state is the default).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { eachDialect, openTestDatabaseAt, type TestDatabase } from '../support/test-app.js';

const BEFORE = '2026-12-03-handoff-promise';

eachDialect('the invitations migration', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabaseAt(dialect, BEFORE);
  });
  afterAll(async () => {
    await test.drop();
  });

  it("backfills each user's last sign-in from their newest stored session", async () => {
    const db = test.database.db;
    for (const [id, user, createdAt] of [
      ['s1', 'ana', 1_000],
      ['s2', 'ana', 3_000],
      ['s3', 'olu', 2_000],
    ] as const) {
      await sql`insert into sessions (id, user_id, token_hash, created_at, expires_at) values (${id}, ${user}, ${`hash-${id}`}, ${createdAt}, ${createdAt + 10_000})`.execute(db);
    }
    await migrateToLatest(db);
    const rows = await db.selectFrom('user_access').selectAll().orderBy('user_id').execute();
    expect(rows.map((r) => ({ user: r.user_id, last: Number(r.last_signed_in_at), deactivated: r.deactivated_at }))).toEqual([
      { user: 'ana', last: 3_000, deactivated: null },
      { user: 'olu', last: 2_000, deactivated: null },
    ]);
    expect(await db.selectFrom('invitations').selectAll().execute()).toEqual([]);
  });
});
