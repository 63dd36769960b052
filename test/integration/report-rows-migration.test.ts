/**
 * The 2026-12-09-reports migration backfills a report row for every conversation already in the
 * store, with its frozen copy of the definitions: on SQLite and PostgreSQL, random event logs are
 * written under the schema before it (more conversations than one page of the backfill), the
 * migration runs, and every row must be what today's core/reports folds from the same events.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportOfEvents } from '../../src/core/reports/conversation-report.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { listEvents } from '../../src/store/repositories/events.js';
import { getReportRow } from '../../src/store/repositories/report-rows.js';
import { eachDialect, openTestDatabaseAt, type TestDatabase } from '../support/test-app.js';

const BEFORE = '2026-12-08-bot-token-channels';
const NOW = 1_795_000_000_000;
const STATUSES = ['bot', 'queued', 'assigned', 'waiting_on_customer', 'resolved', 'closed'] as const;
const PEOPLE = ['ana', 'olu', null] as const;

const event = fc.oneof(
  fc.record({ type: fc.constant('handoff.completed'), data: fc.record({ trace: fc.record({ trigger: fc.constantFrom('customer_requested_human', 'sla_breach'), rule: fc.constantFrom('fallback', 'vip') }) }) }),
  fc.record({ type: fc.constant('conversation.assigned'), data: fc.record({ from: fc.constantFrom(...PEOPLE), to: fc.constantFrom(...PEOPLE) }) }),
  fc.record({ type: fc.constant('conversation.status_changed'), data: fc.record({ from: fc.constantFrom(...STATUSES), to: fc.constantFrom(...STATUSES) }) }),
  fc.record({ type: fc.constantFrom('sla.stopped', 'sla.breached', 'message.noted'), data: fc.constant({}) }),
  fc.record({ type: fc.constant('conversation.rated'), data: fc.record({ score: fc.integer({ min: 1, max: 5 }) }) }),
);
const history = fc.array(
  fc.record({ event, gapMs: fc.integer({ min: 0, max: 600_000 }), team: fc.constantFrom('billing', null), queue: fc.constantFrom('general', null) }),
  { maxLength: 8 },
);

eachDialect('report rows: the migration', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabaseAt(dialect, BEFORE);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('backfills every existing conversation with what the definitions fold from its events', async () => {
    const db = test.database.db;
    const histories = fc.sample(history, { seed: 1209, numRuns: 520 });
    for (const [i, h] of histories.entries()) {
      const id = `c${String(i).padStart(4, '0')}`;
      await sql`insert into contacts (id, created_at, updated_at) values (${`k-${id}`}, ${NOW}, ${NOW})`.execute(db);
      await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, created_at, updated_at, last_activity_at, last_event_seq)
        values (${id}, 'web-chat', 'chat', ${`k-${id}`}, 'bot', ${NOW}, ${NOW}, ${NOW}, ${h.length + 1})`.execute(db);
      let at = NOW + i * 1_000;
      const all = [{ event: { type: 'conversation.created', data: {} }, gapMs: 0, team: null, queue: null }, ...h];
      for (const [seq, e] of all.entries()) {
        at += e.gapMs;
        await sql`insert into conversation_events (id, conversation_id, seq, type, actor, data, owner_id, team_id, queue_id, created_at)
          values (${`${id}-${seq}`}, ${id}, ${seq + 1}, ${e.event.type}, 'system', ${JSON.stringify(e.event.data)}, null, ${e.team}, ${e.queue}, ${at})`.execute(db);
      }
    }

    await migrateToLatest(db);

    for (let i = 0; i < histories.length; i++) {
      const id = `c${String(i).padStart(4, '0')}`;
      const expected = reportOfEvents(await listEvents(db, id));
      expect(expected).not.toBeNull();
      expect(await getReportRow(db, id), id).toEqual({ ...expected, conversationId: id, contactId: `k-${id}`, channelId: 'web-chat' });
    }
  }, 120_000);
});
