/**
 * The 2026-12-09-metrics-indexes migration, on SQLite and PostgreSQL: the dead outbox rows get a
 * partial index of their own (the `baton_outbox_dead` gauge counts them at every scrape without
 * reading the done rows), built over the rows already dead; `down` removes it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import * as metricsIndexes from '../../src/store/migrations/2026-12-09-metrics-indexes.js';
import { countOutboxDead } from '../../src/store/repositories/metrics-gauges.js';
import { eachDialect, openTestDatabaseAt, type TestDatabase } from '../support/test-app.js';

const BEFORE = '2026-12-08-bot-token-channels';

eachDialect('the metrics indexes migration', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabaseAt(dialect, BEFORE);
  });
  afterAll(async () => {
    await test.drop();
  });

  async function indexNames(): Promise<string[]> {
    const db = test.database.db;
    const rows =
      dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'outbox' order by name`.execute(db)
        : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'outbox' order by indexname`.execute(db);
    return rows.rows.map((row) => row.name);
  }

  it('indexes the dead outbox rows already there, and down drops the index', async () => {
    const db = test.database.db;
    for (const [id, status] of [
      ['o1', 'dead'],
      ['o2', 'done'],
      ['o3', 'dead'],
      ['o4', 'pending'],
    ] as const) {
      await sql`insert into outbox (id, kind, idempotency_key, payload, status, attempts, available_at, created_at, updated_at)
        values (${id}, 'notify.email', ${`key-${id}`}, '{}', ${status}, 1, 0, 0, 0)`.execute(db);
    }
    expect(await indexNames()).not.toContain('outbox_dead_idx');
    await migrateToLatest(db);
    expect(await indexNames()).toContain('outbox_dead_idx');
    expect(await countOutboxDead(db)).toBe(2);
    await metricsIndexes.down(db);
    expect(await indexNames()).not.toContain('outbox_dead_idx');
    expect(await countOutboxDead(db)).toBe(2);
  });
});
