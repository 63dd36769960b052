/**
 * The waiting line (migration 2026-12-01-waiting-line-index, repositories/routing.ts
 * listLineMoves): positions count the line in serving order — urgent, high, normal, low; within a
 * rank the longest waiting first; then by id — on both databases; the database returns exactly
 * the places the realtime publisher's `worthTelling` would pick from the whole line (plus the
 * origin's); and on SQLite the line is one ordered scan of conversations_line_idx, with no
 * temporary B-tree (the index's rank expression must stay the text `priorityRank` orders by; a
 * drift would silently bring back the sort of the whole line).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { worthTelling } from '../../src/delivery/subscribers/realtime-stream.js';
import { lineMovesQuery, listLineMoves } from '../../src/store/repositories/routing.js';
import { Rng } from '../../bench/lib.js';
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

  const OPTIONS = { limit: 100, originId: 'none', livePositions: 20, positionStep: 10 } as const;

  it('numbers the line in serving order (nobody told yet: everyone is returned)', async () => {
    const line = await listLineMoves(test.database.db, { queueId: 'billing' }, OPTIONS);
    expect(line.map((place) => place.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
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
    expect(line[0]).toEqual({ id: 'c-urgent-old', contactId: 'contact-c-urgent-old', queueId: 'billing', told: null, position: 1 });
  });

  if (dialect === 'sqlite') {
    it('is one ordered scan of conversations_line_idx on SQLite, without sorting the line', async () => {
      const compiled = lineMovesQuery(test.database.db, { queueId: 'billing' }, OPTIONS).compile();
      const plan = await test.database.db.executeQuery<{ detail: string }>({ ...compiled, sql: `explain query plan ${compiled.sql}` });
      const details = plan.rows.map((row) => row.detail);
      expect(details.join('\n')).toContain('conversations_line_idx');
      // The one sort is the last step: the few places picked, put in position order. The line
      // itself (and its numbering) is read in index order.
      expect(details.filter((detail) => detail.includes('TEMP B-TREE'))).toEqual(['USE TEMP B-TREE FOR ORDER BY']);
      expect(details.at(-1)).toBe('USE TEMP B-TREE FOR ORDER BY');
    });
  }
});

eachDialect('the places worth telling, picked by the database', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('are those worthTelling picks from the whole line, for lines of every shape', async () => {
    const db = test.database.db;
    const priorities = ['urgent', 'high', 'normal', 'low'] as const;
    for (const seed of [1, 2, 3, 4]) {
      const rng = new Rng(seed);
      const queue = `q-${seed}`;
      const size = rng.int(1, 70);
      const places: { id: string; priority: string; queuedAt: number; told: number | null }[] = [];
      for (let i = 0; i < size; i += 1) {
        const id = `s${seed}-c${String(i).padStart(3, '0')}`;
        const told = rng.chance(0.2) ? null : rng.int(1, size + 5);
        places.push({ id, priority: rng.pick(priorities), queuedAt: NOW + rng.int(0, 30), told });
        await sql`insert into contacts (id, created_at, updated_at) values (${`contact-${id}`}, ${NOW}, ${NOW})`.execute(db);
        await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, queue_id, priority, queued_at, created_at, updated_at, last_activity_at)
          values (${id}, 'web', 'chat', ${`contact-${id}`}, 'queued', ${queue}, ${places[i]!.priority}, ${places[i]!.queuedAt}, ${NOW}, ${NOW}, ${NOW})`.execute(db);
        if (told !== null || rng.chance(0.5)) {
          await sql`insert into stream_cursors (conversation_id, last_event_seq, last_message_seq, queue_position, updated_at) values (${id}, 0, 0, ${told}, ${NOW})`.execute(db);
        }
      }
      // The reference: the whole line in serving order, then worthTelling on every place.
      const rank = (p: string): number => priorities.indexOf(p as (typeof priorities)[number]);
      const ordered = [...places].sort((a, b) => rank(a.priority) - rank(b.priority) || a.queuedAt - b.queuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const origin = rng.pick(ordered).id;
      const expected = ordered
        .map((place, i) => ({ id: place.id, position: i + 1, told: place.told }))
        .filter((place) => place.id === origin || worthTelling(place.told, place.position));
      const got = await listLineMoves(db, { queueId: queue }, { limit: 5_000, originId: origin, livePositions: 20, positionStep: 10 });
      expect(got.map((place) => ({ id: place.id, position: place.position, told: place.told }))).toEqual(expected);
    }
  });
});
