/**
 * The waiting line (migration 2026-12-01-waiting-line-index): the line of a queue comes in
 * serving order — urgent, high, normal, low; within a rank the longest waiting first; then by id —
 * on both databases, and on SQLite it is one ordered scan of conversations_line_idx, with no
 * temporary B-tree for the ORDER BY (the index's rank expression must stay the text
 * `priorityRank` orders by; a drift would silently bring back the sort of the whole line).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listWaitingLine, waitingLineQuery } from '../../src/store/repositories/routing.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

const NOW = 1_764_000_000_000;

/** [id, priority, queued_at offset]: inserted out of order. */
const WAITING: readonly (readonly [string, string, number])[] = [
  ['c-low-old', 'low', 0],
  ['c-normal-new', 'normal', 50],
  ['c-urgent-new', 'urgent', 40],
  ['c-high', 'high', 30],
  ['c-normal-old', 'normal', 10],
  ['c-urgent-old', 'urgent', 20],
  ['c-normal-tie-b', 'normal', 60],
  ['c-normal-tie-a', 'normal', 60],
];

eachDialect('the waiting line of a queue', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    const db = test.database.db;
    for (const [id, priority, offset] of WAITING) {
      await sql`insert into contacts (id, created_at, updated_at) values (${`contact-${id}`}, ${NOW}, ${NOW})`.execute(db);
      await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, queue_id, priority, queued_at, created_at, updated_at, last_activity_at)
        values (${id}, 'web', 'chat', ${`contact-${id}`}, 'queued', 'billing', ${priority}, ${NOW + offset}, ${NOW}, ${NOW}, ${NOW})`.execute(db);
    }
    // Not in the line: another queue, and one no longer waiting.
    await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, queue_id, priority, queued_at, created_at, updated_at, last_activity_at)
      values ('other-queue', 'web', 'chat', 'contact-c-high', 'queued', 'sales', 'urgent', ${NOW}, ${NOW}, ${NOW}, ${NOW}),
             ('assigned', 'web', 'chat', 'contact-c-high', 'assigned', 'billing', 'urgent', ${NOW}, ${NOW}, ${NOW}, ${NOW})`.execute(db);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('comes in serving order', async () => {
    const line = await listWaitingLine(test.database.db, { queueId: 'billing' }, 100);
    expect(line.map((place) => place.id)).toEqual([
      'c-urgent-old',
      'c-urgent-new',
      'c-high',
      'c-normal-old',
      'c-normal-new',
      'c-normal-tie-a',
      'c-normal-tie-b',
      'c-low-old',
    ]);
    expect(line[0]).toEqual({ id: 'c-urgent-old', contactId: 'contact-c-urgent-old', queueId: 'billing', told: null });
  });

  if (dialect === 'sqlite') {
    it('is one ordered scan of conversations_line_idx on SQLite, without sorting', async () => {
      const compiled = waitingLineQuery(test.database.db, { queueId: 'billing' }, 100).compile();
      const plan = await test.database.db.executeQuery<{ detail: string }>({ ...compiled, sql: `explain query plan ${compiled.sql}` });
      const details = plan.rows.map((row) => row.detail).join('\n');
      expect(details).toContain('conversations_line_idx');
      expect(details).not.toContain('TEMP B-TREE');
    });
  }
});
