/**
 * A handoff's trace is stored once, on its `handoff.completed` event (migration
 * 2026-11-30-trace-once drops `conversations.handoff`). The latest trace of a conversation is its
 * latest such event — for conversations handed off before the migration too, on SQLite and
 * PostgreSQL — and the API still shows it on the conversation.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { latestHandoffPromises } from '../../src/store/repositories/conversations.js';
import { latestHandoffTrace, latestHandoffTraces } from '../../src/store/repositories/events.js';
import { eachDialect, openTestDatabaseAt, type TestDatabase } from '../support/test-app.js';

const BEFORE = '2026-11-29-team-waiting';
const NOW = 1_764_000_000_000;

/** A conversation and its events under the schema before the migration, by raw SQL. */
async function handedOffBefore(test: TestDatabase, id: string, traces: readonly Record<string, unknown>[]): Promise<void> {
  const db = test.database.db;
  await sql`insert into contacts (id, created_at, updated_at) values (${`contact-${id}`}, ${NOW}, ${NOW})`.execute(db);
  const last = traces[traces.length - 1];
  await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, handoff, handed_off_at, last_event_seq, created_at, updated_at, last_activity_at)
    values (${id}, 'web', 'chat', ${`contact-${id}`}, 'queued', ${last === undefined ? null : JSON.stringify(last)}, ${last === undefined ? null : NOW},
            ${traces.length * 2}, ${NOW}, ${NOW}, ${NOW})`.execute(db);
  let seq = 0;
  for (const trace of traces) {
    for (const [type, data] of [
      ['handoff.completed', { trace }],
      ['conversation.updated', { trace: { rule: 'not a handoff' } }],
    ] as const) {
      seq += 1;
      await sql`insert into conversation_events (id, conversation_id, seq, type, actor, data, created_at)
        values (${`${id}-e${seq}`}, ${id}, ${seq}, ${type}, 'system', ${JSON.stringify(data)}, ${NOW + seq})`.execute(db);
    }
  }
}

eachDialect('the trace stored once', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabaseAt(dialect, BEFORE);
    await handedOffBefore(test, 'twice', [{ rule: 'first' }, { rule: 'second' }]);
    await handedOffBefore(test, 'once', [{ rule: 'only' }]);
    await handedOffBefore(test, 'never', []);
    await migrateToLatest(test.database.db);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('drops the column and finds each conversation\'s latest trace on its events', async () => {
    const columns = await test.database.db.introspection.getTables();
    const conversations = columns.find((table) => table.name === 'conversations');
    expect(conversations?.columns.map((c) => c.name)).not.toContain('handoff');

    const traces = await latestHandoffTraces(test.database.db, ['twice', 'once', 'never', 'missing']);
    expect(Object.fromEntries(traces)).toEqual({ twice: { rule: 'second' }, once: { rule: 'only' } });
    expect(await latestHandoffTrace(test.database.db, 'twice')).toEqual({ rule: 'second' });
    expect(await latestHandoffTrace(test.database.db, 'never')).toBeNull();
  });
});

eachDialect('the promise of the latest handoff, read without its trace', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabaseAt(dialect, BEFORE);
    await handedOffBefore(test, 'promised', [
      { rule: 'first', expectedWaitSeconds: 900, queuePosition: 7 },
      { rule: 'second', expectedWaitSeconds: 240.5, queuePosition: 3 },
    ]);
    await handedOffBefore(test, 'unknown-wait', [{ rule: 'r', expectedWaitSeconds: null, queuePosition: null }]);
    await handedOffBefore(test, 'older-trace', [{ rule: 'no promise fields' }]);
    await handedOffBefore(test, 'never', []);
    await migrateToLatest(test.database.db);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('equals the numbers of the latest trace, for each conversation that was handed off', async () => {
    const ids = ['promised', 'unknown-wait', 'older-trace', 'never', 'missing'];
    const promises = await latestHandoffPromises(test.database.db, ids);
    expect(Object.fromEntries(promises)).toEqual({
      promised: { seconds: 240.5, atPosition: 3 },
      'unknown-wait': { seconds: null, atPosition: null },
      'older-trace': { seconds: null, atPosition: null },
    });
    // The same as reading the whole trace.
    const traces = await latestHandoffTraces(test.database.db, ids);
    for (const [id, trace] of traces) {
      const t = trace as unknown as { expectedWaitSeconds?: number | null; queuePosition?: number | null };
      expect(promises.get(id)).toEqual({ seconds: t.expectedWaitSeconds ?? null, atPosition: t.queuePosition ?? null });
    }
  });
});
