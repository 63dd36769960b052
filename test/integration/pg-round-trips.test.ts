/**
 * Round trips to PostgreSQL per handoff (issue "As fast as PostgreSQL allows"): on a database
 * opened with `countRoundTrips` (every statement a pool client sends, BEGIN, COMMIT and
 * SAVEPOINT included), one representative handoff on the demo workspace — a widget customer on
 * web-chat talking to the built-in AI agent asks for a person: the fallback queues the
 * conversation in `general` (round_robin), it is assigned to an agent, the customer is told, the
 * first-response SLA timer and the notifications are written — then the outbox work it leaves
 * (publishing to the realtime stream, in-app notifications) separately.
 *
 * The bounds are what the store achieves now: a change that sends more statements fails here.
 * `BATON_LOG_ROUND_TRIPS=1` prints every statement of both phases.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoundTrips } from '../../src/store/database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const DEMO = readFileSync(new URL('../../demo/baton.yaml', import.meta.url), 'utf8');
/** The handoff request: one transaction. */
const HANDOFF_BOUND = 22;
/** The outbox work the handoff leaves, drained to the end. */
const OUTBOX_BOUND = 29;

const LOG = process.env.BATON_LOG_ROUND_TRIPS === '1';

function show(title: string, trips: RoundTrips): void {
  if (!LOG) return;
  console.log(`── ${title}: ${trips.count} round trips\n${trips.statements.map((s, i) => `${String(i + 1).padStart(3)}  ${s.replace(/\s+/g, ' ').slice(0, 400)}`).join('\n')}`);
}

describe.skipIf(process.env.BATON_TEST_PG === '0')('round trips per handoff [postgres]', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No checking mode: its commit checks send statements of their own after every commit.
    t = await startTestApp('postgres', { config: DEMO, checks: false, countRoundTrips: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('hands a widget conversation over to a person in a bounded number of statements, and publishes it in a bounded number more', async () => {
    const trips = t.baton.ctx.database.roundTrips;
    if (trips === undefined) throw new Error('the test database does not count round trips');
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Round Trip', language: 'en' } } });
    expect(session.statusCode).toBe(201);
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: { message: 'How do I reset my password?' } });
    expect(started.statusCode).toBeLessThan(300);
    const id = started.data.conversation.id as string;
    expect(started.data.conversation.status).toBe('bot');
    await t.baton.outbox.drain();
    // A warm workspace cache, as on a running server.
    await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin });

    trips.reset({ log: LOG });
    const handoff = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers, payload: { body: 'I want to talk to a human, please' } });
    expect(handoff.statusCode).toBeLessThan(300);
    const handoffTrips = trips.count;
    show('handoff', trips);

    const written = await sql<{ kind: string }>`select kind from outbox where status = 'pending' order by kind`.execute(t.baton.ctx.database.db);
    expect(written.rows.map((row) => row.kind)).toEqual(expect.arrayContaining(['conversation.published', 'notify.in_app', 'timer.sla.first_response']));

    trips.reset({ log: LOG });
    await t.baton.outbox.drain();
    const outboxTrips = trips.count;
    show('outbox', trips);

    const conversation = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin });
    expect(conversation.data.status).toBe('assigned');
    expect(conversation.data.owner).toEqual(expect.any(String));
    console.log(`round trips: handoff ${handoffTrips} (bound ${HANDOFF_BOUND}), outbox after it ${outboxTrips} (bound ${OUTBOX_BOUND})`);
    expect(handoffTrips).toBeLessThanOrEqual(HANDOFF_BOUND);
    expect(outboxTrips).toBeLessThanOrEqual(OUTBOX_BOUND);
  });
});
