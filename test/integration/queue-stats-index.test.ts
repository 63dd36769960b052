/**
 * The expected wait's sample of recent first responses (repositories/routing.ts
 * `firstResponseSamplesQuery`, migration 2026-12-10-first-response-indexes): the latest answered
 * handoffs of a queue or a team, read from a partial index range instead of a scan of every
 * conversation followed by a sort — checked on SQLite's plan — and the same median on both
 * databases.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { firstResponseSamplesQuery, queueStats } from '../../src/store/repositories/routing.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

const NOW = 1_764_000_000_000;

eachDialect('the sample of recent first responses', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    const db = test.database.db;
    await sql`insert into contacts (id, created_at, updated_at) values ('k', ${NOW}, ${NOW})`.execute(db);
    // Answered in 10, 20, …, 60 s; one still waiting; one in another queue.
    for (let i = 1; i <= 6; i += 1) {
      await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, queue_id, team_id, priority, handed_off_at, first_human_response_at, created_at, updated_at, last_activity_at)
        values (${`c${i}`}, 'web', 'chat', 'k', 'assigned', 'billing', 'desk', 'normal', ${NOW + i}, ${NOW + i + i * 10_000}, ${NOW}, ${NOW}, ${NOW})`.execute(db);
    }
    await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, queue_id, team_id, priority, handed_off_at, queued_at, created_at, updated_at, last_activity_at)
      values ('waiting', 'web', 'chat', 'k', 'queued', 'billing', 'desk', 'normal', ${NOW}, ${NOW}, ${NOW}, ${NOW}, ${NOW}),
             ('other', 'web', 'chat', 'k', 'assigned', 'sales', 'desk2', 'normal', ${NOW}, ${NOW}, ${NOW}, ${NOW}, ${NOW})`.execute(db);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('gives the median of the latest answered handoffs of the place', async () => {
    const db = test.database.db;
    expect(await queueStats(db, { queueId: 'billing' })).toEqual({ waiting: 1, recentFirstResponseSeconds: 35 });
    expect(await queueStats(db, { teamId: 'desk' }, { sampleSize: 3 })).toEqual({ waiting: 1, recentFirstResponseSeconds: 50 });
    expect(await queueStats(db, { queueId: 'sales' })).toEqual({ waiting: 0, recentFirstResponseSeconds: null });
  });

  if (dialect === 'sqlite') {
    it('reads an index range on SQLite, with no scan of conversations and no sort', async () => {
      for (const [target, index] of [
        [{ queueId: 'billing' }, 'conversations_queue_response_idx'],
        [{ teamId: 'desk' }, 'conversations_team_response_idx'],
      ] as const) {
        const compiled = firstResponseSamplesQuery(test.database.db, target, 50).compile();
        const plan = await test.database.db.executeQuery<{ detail: string }>({ ...compiled, sql: `explain query plan ${compiled.sql}` });
        const details = plan.rows.map((row) => row.detail).join('\n');
        expect(details).toContain(index);
        expect(details).not.toContain('TEMP B-TREE');
        expect(details).not.toMatch(/^SCAN conversations$/m);
      }
    });
  }
});
