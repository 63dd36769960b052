/**
 * Telling a long waiting line its new positions is incremental (delivery/subscribers/
 * realtime-stream.ts, LINE_HORIZON): after a claim of the front of the line, only the customers
 * whose told position changes in a way they are told hear of it — every move among the first 20
 * places, a new block of 10 up to place LINE_HORIZON, nobody further back — and the frames
 * written and rows changed are the same for a line of 300 as for a line of 3,000. Within the
 * horizon the rule is the one `worthTelling` states, applied to the whole line.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINE_HORIZON, worthTelling } from '../../src/delivery/subscribers/realtime-stream.js';
import { lineMovesQuery } from '../../src/store/repositories/routing.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const T0 = Date.parse('2026-11-25T08:00:00Z');
const id = (i: number): string => `line-${String(i).padStart(5, '0')}`;

/** `length` conversations waiting in General, oldest first, each already told its place. */
async function seedLine(t: TestApp, length: number): Promise<void> {
  const db = t.baton.ctx.database.db;
  await db.transaction().execute(async (trx) => {
    for (let from = 0; from < length; from += 500) {
      const ids = Array.from({ length: Math.min(500, length - from) }, (_, k) => from + k);
      await trx
        .insertInto('contacts')
        .values(ids.map((i) => ({ id: `contact-${id(i)}`, external_id: null, name: `Customer ${i}`, email: null, language: 'en', timezone: null, owner_id: null, last_owner_id: null, properties: '{}', is_test: 0, created_at: T0, updated_at: T0 })))
        .execute();
      await trx
        .insertInto('conversations')
        .values(
          ids.map((i) => ({
            id: id(i), channel_id: 'web-chat', channel_type: 'chat', contact_id: `contact-${id(i)}`, status: 'queued', owner_id: null, team_id: 'billing',
            queue_id: 'general', priority: 'normal', tags: '[]', properties: '{}', language: 'en', intent: null, subject: null, followers: '[]',
            handed_off_at: T0 + i, queued_at: T0 + i, first_response_due_at: null, first_human_response_at: null, last_article_id: null, version: 1,
            created_at: T0 + i, updated_at: T0 + i, last_activity_at: T0 + i, resolved_at: null, csat_score: null, csat_comment: null,
            resolution_seq: null, csat_resolution_seq: null, promised_wait_seconds: 60 * (i + 1), promised_at_position: i + 1, previous_conversation_id: null,
          })),
        )
        .execute();
      await trx
        .insertInto('stream_cursors')
        .values(ids.map((i) => ({ conversation_id: id(i), last_event_seq: 0, last_message_seq: 0, status: 'queued', queue_position: i + 1, updated_at: T0 })))
        .execute();
    }
  });
}

interface Told {
  /** Conversation → the position its frame says (null: left the line). */
  readonly frames: Map<string, number | null>;
  /** Rows the publish changed (SQLite `total_changes()`), null on PostgreSQL. */
  readonly rowsChanged: number | null;
}

/** Olu claims the front of the line; what the publish of that claim told, and what it changed. */
async function claimTheFront(t: TestApp): Promise<Told> {
  const db = t.baton.ctx.database.db;
  const olu = await t.tokenFor('olu');
  const before = Number((await db.selectFrom('stream_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst())?.seq ?? 0);
  const claimed = await t.request({ method: 'POST', url: `/api/conversations/${id(0)}/claim`, headers: olu });
  expect(claimed.statusCode).toBe(200);
  const changes = async (): Promise<number | null> =>
    t.dialect === 'sqlite' ? Number((await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0]!.n) : null;
  const changedBefore = await changes();
  await t.baton.outbox.drain();
  const changedAfter = await changes();
  const rows = await db
    .selectFrom('stream_events')
    .select(['conversation_id', 'data'])
    .where('type', '=', 'queue.position')
    .where('seq', '>', before)
    .orderBy('seq')
    .execute();
  const frames = new Map(rows.map((row) => [row.conversation_id!, (JSON.parse(row.data) as { position: number | null }).position]));
  return { frames, rowsChanged: changedBefore === null || changedAfter === null ? null : changedAfter - changedBefore };
}

/** What the rule says, over the whole line: place i (0-based, told i + 1) is now at i. */
function expectedFrames(length: number): Map<string, number | null> {
  const out = new Map<string, number | null>([[id(0), null]]);
  for (let i = 1; i < length; i += 1) if (i <= LINE_HORIZON && worthTelling(i + 1, i)) out.set(id(i), i);
  return out;
}

eachDialect('telling a long waiting line its new positions', (dialect) => {
  const told = new Map<number, Told>();
  const worlds: TestApp[] = [];

  beforeAll(async () => {
    for (const length of [60, 300, 3_000]) {
      const t = await startTestApp(dialect);
      worlds.push(t);
      // Nobody available: the line stays as seeded until Olu claims its front.
      for (const user of ['ana', 'olu']) {
        expect((await t.request({ method: 'PATCH', url: `/api/users/${user}/status`, headers: t.admin, payload: { status: 'away' } })).statusCode).toBe(200);
      }
      await t.baton.outbox.drain();
      await seedLine(t, length);
      told.set(length, await claimTheFront(t));
    }
  }, 120_000);
  afterAll(async () => {
    for (const t of worlds) await t.close();
  });

  it('a short line: every place whose position changes in a way the rule tells hears of it, as before', () => {
    const { frames } = told.get(60)!;
    expect(frames).toEqual(expectedFrames(60));
    // The first 20 places, then the places entering the blocks of 30, 40 and 50, then the one who left.
    expect([...frames.values()]).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 30, 40, 50, null]);
  });

  it('a long line: the same rule up to the horizon, nobody behind it', () => {
    for (const length of [300, 3_000]) {
      const { frames } = told.get(length)!;
      expect(frames).toEqual(expectedFrames(length));
      expect(Math.max(...[...frames.values()].map((p) => p ?? 0))).toBe(LINE_HORIZON);
    }
  });

  it('frames written and rows changed do not grow with the line', () => {
    const long = told.get(300)!;
    const longer = told.get(3_000)!;
    expect(longer.frames.size).toBe(long.frames.size);
    expect(long.frames.size).toBe(1 + 20 + (LINE_HORIZON - 20) / 10);
    if (dialect === 'sqlite') {
      expect(long.rowsChanged).not.toBeNull();
      expect(longer.rowsChanged).toBe(long.rowsChanged);
    }
  });

  if (dialect === 'postgres') {
    describe('rows read', () => {
      it('the line is read only up to the horizon, however long it is', async () => {
        const t = worlds[2]!;
        const db = t.baton.ctx.database.db;
        const compiled = lineMovesQuery(db, { queueId: 'general' }, { limit: LINE_HORIZON, originId: id(0), livePositions: 20, positionStep: 10 }).compile();
        const plan = await db.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain (analyze, format text) ${compiled.sql}` });
        const scan = plan.rows.map((row) => row['QUERY PLAN']).find((line) => line.includes('on conversations c'));
        expect(scan, plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toBeDefined();
        const actualRows = Number(/actual time=[^)]* rows=(\d+)/.exec(scan!)?.[1]);
        expect(actualRows).toBeGreaterThan(0);
        expect(actualRows).toBeLessThanOrEqual(LINE_HORIZON + 1);
      });
    });
  }
});
