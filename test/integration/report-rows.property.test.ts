/**
 * The report rows agree with the event log: random histories of conversations driven through the
 * real API (handoffs, replies, claims, releases, transfers, resolutions, reopenings, hand-backs,
 * ratings, agents going away and back, the clock moving so SLA timers and overflow fire), on
 * SQLite and PostgreSQL; then every conversation's stored row must be exactly what the pure
 * definition (core/reports) folds from its events, and the report the API answers must be
 * exactly `metricsOf` those rows — the SQL sums and percentiles held to the reference.
 *
 * Fixed seed, so CI is reproducible; fast-check prints the seed and path of a counterexample.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportOfEvents } from '../../src/core/reports/conversation-report.js';
import { metricsOf } from '../../src/core/reports/handoff-metrics.js';
import { assignWaitingConversations } from '../../src/services/handoff/assign-waiting-conversations.js';
import { listEvents } from '../../src/store/repositories/events.js';
import { getReportRow } from '../../src/store/repositories/report-rows.js';
import { EXAMPLE_CONFIG, WEDNESDAY_MORNING, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const MINUTE = 60_000;
type Headers = Record<string, string>;
type Person = 'ana' | 'olu';

interface Conversation {
  readonly id: string;
  readonly customer: Headers | null;
}

const conv = fc.nat({ max: 1_000 });
const person = fc.constantFrom<Person>('ana', 'olu');
const action = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('widget' as const), message: fc.constantFrom('talk to a human', 'How do I reset my password?', 'quiero hablar con una persona', 'I want a refund'), spanish: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('email' as const), test: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('reply' as const), conv, by: person }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('claim' as const), conv, by: person }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('release' as const, 'resolve' as const, 'reopen' as const, 'handback' as const, 'wait' as const), conv }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer' as const), conv, to: fc.constantFrom<Record<string, string>>({ user: 'ana' }, { user: 'olu' }, { queue: 'general' }, { queue: 'es-support' }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rate' as const), conv, score: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom('available' as const, 'away' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('time' as const), minutes: fc.integer({ min: 1, max: 20 }) }) },
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

eachDialect('report rows', (dialect) => {
  let t: TestApp;
  let tokens: Record<Person, Headers>;
  const conversations: Conversation[] = [];
  let serial = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect, { config: EXAMPLE_CONFIG.replace('https://hooks.acme.test/baton', 'http://127.0.0.1:9/baton') });
    tokens = { ana: await t.tokenFor('ana'), olu: await t.tokenFor('olu') };
  });
  afterAll(async () => {
    await t.close();
  });

  const pick = (ix: number): Conversation | undefined => (conversations.length === 0 ? undefined : conversations[ix % conversations.length]);

  async function step(a: Action): Promise<void> {
    t.clock.advance(7_000);
    if (a.kind === 'widget' || a.kind === 'email' || a.kind === 'status' || a.kind === 'time') return happen(a);
    const c = pick(a.conv);
    if (c === undefined) return;
    let r: Awaited<ReturnType<TestApp['request']>>;
    switch (a.kind) {
      case 'reply':
        r = await t.request({ method: 'POST', url: `/api/conversations/${c.id}/messages`, headers: tokens[a.by], payload: { body: 'Hello from a person' } });
        break;
      case 'claim':
        r = await t.request({ method: 'POST', url: `/api/conversations/${c.id}/claim`, headers: tokens[a.by] });
        break;
      case 'transfer':
        r = await t.request({ method: 'POST', url: `/api/conversations/${c.id}/assign`, headers: tokens.olu, payload: { ...a.to, ...('user' in a.to ? { override: true } : {}) } });
        break;
      case 'rate':
        if (c.customer === null) return;
        r = await t.request({ method: 'POST', url: `/api/widget/conversations/${c.id}/rating`, headers: c.customer, payload: { score: a.score } });
        break;
      case 'release':
      case 'resolve':
      case 'reopen':
      case 'handback':
      case 'wait':
        r = await t.request({ method: 'POST', url: `/api/conversations/${c.id}/${a.kind}`, headers: tokens.olu, payload: {} });
        break;
    }
    // Refusals (a conflict, a closed conversation, capacity) are part of a random history; a crash is not.
    expect(r.statusCode, `${JSON.stringify(a)}: ${r.body}`).toBeLessThan(500);
  }

  /** What happens beside a conversation: a new one, an agent's status, the clock. */
  async function happen(a: Extract<Action, { kind: 'widget' | 'email' | 'status' | 'time' }>): Promise<void> {
    if (a.kind === 'widget') {
      const contact = a.spanish ? { name: `C${serial++}`, language: 'es', properties: { plan: 'enterprise' } } : { name: `C${serial++}`, language: 'en' };
      const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact } });
      const customer = { authorization: `Bearer ${session.data.token as string}` };
      const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers: customer, payload: {} });
      const id = started.data.conversation.id as string;
      conversations.push({ id, customer });
      await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers: customer, payload: { body: a.message } });
    } else if (a.kind === 'email') {
      const r = await t.request({ method: 'POST', url: '/api/conversations', headers: t.admin, payload: { channel: 'support-email', contact: { name: `E${serial++}`, test: a.test }, message: 'my invoice is wrong' } });
      expect(r.statusCode, r.body).toBe(201);
      conversations.push({ id: r.data.conversation.id as string, customer: null });
    } else if (a.kind === 'status') {
      await t.request({ method: 'PATCH', url: '/api/users/ana/status', headers: t.admin, payload: { status: a.status } });
      await assignWaitingConversations(t.baton.ctx);
    } else {
      t.clock.advance(a.minutes * MINUTE);
      await t.baton.outbox.drain();
    }
  }

  it('keeps every conversation’s report row equal to the fold of its events, and the report equal to the reference', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 10, maxLength: 30 }), async (actions) => {
        for (const a of actions) await step(a);
        const db = t.baton.ctx.database.db;
        const rows = [];
        for (const c of conversations) {
          const expected = reportOfEvents(await listEvents(db, c.id, { limit: 5_000 }));
          const stored = await getReportRow(db, c.id);
          expect(stored === null ? null : { ...stored, conversationId: undefined, contactId: undefined, channelId: undefined }, c.id).toEqual(
            expected === null ? null : { ...expected, conversationId: undefined, contactId: undefined, channelId: undefined },
          );
          if (expected !== null) rows.push(expected);
        }
        const from = new Date(WEDNESDAY_MORNING - 86_400_000).toISOString().slice(0, 10);
        const to = new Date(t.clock.now() + 86_400_000).toISOString().slice(0, 10);
        const report = await t.request({ method: 'GET', url: `/api/reports/handoffs?from=${from}&to=${to}&groupBy=agent&includeTest=true`, headers: tokens.olu });
        expect(report.statusCode, report.body).toBe(200);
        expect(report.data.totals).toEqual(metricsOf(rows));
      }),
      { seed: 18, numRuns: 6, interruptAfterTimeLimit: 60_000 },
    );
  }, 180_000);
});
