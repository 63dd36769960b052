/**
 * GET /api/reports/handoffs over a small known history, made through the API as a desk would:
 * a handoff answered, then reassigned and resolved; one that waits, breaches its SLA (the test
 * clock), is re-routed and answered; an AI-only conversation resolved; a test contact's
 * conversation; ratings through the widget. Every figure is asserted exactly, for every groupBy,
 * and in CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignWaitingConversations } from '../../src/services/handoff/assign-waiting-conversations.js';
import { EXAMPLE_CONFIG, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const MINUTE = 60_000;
/** Wednesday 2026-11-25, 10:30 in Madrid (the workspace's zone). */
const T0 = Date.parse('2026-11-25T09:30:00Z');
/** Monday 2026-11-30, 10:00 in Madrid: the next ISO week. */
const T1 = Date.parse('2026-11-30T09:00:00Z');

const none = { median: null, p90: null, count: 0 };
const spread = (median: number, p90: number, count: number) => ({ median, p90, count });
const rating = (average: number | null, count: number) => ({ average, count });

/** C1: handed off to Ana (fallback), answered after 2 min, given to Olu, resolved at 10 min, rated 4. */
const C1 = {
  conversations: 1,
  aiResolved: 0,
  handoffs: 1,
  handoffRate: 1,
  firstHumanResponseSeconds: spread(120, 120, 1),
  queueWaitSeconds: none,
  reassignments: 1,
  slaBreaches: 0,
  resolutionSeconds: spread(600, 600, 1),
  csat: { handedOff: rating(4, 1), aiOnly: rating(null, 0) },
};
/** C2: Spanish enterprise, queued (Ana away), SLA breached, re-routed, Ana takes it at 10 min and answers at 12. */
const C2 = {
  conversations: 1,
  aiResolved: 0,
  handoffs: 1,
  handoffRate: 1,
  firstHumanResponseSeconds: spread(720, 720, 1),
  queueWaitSeconds: spread(600, 600, 1),
  reassignments: 0,
  slaBreaches: 1,
  resolutionSeconds: none,
  csat: { handedOff: rating(null, 0), aiOnly: rating(null, 0) },
};
/** C3: the AI agent answers; resolved at 3 min without a person; rated 5. */
const C3 = {
  conversations: 1,
  aiResolved: 1,
  handoffs: 0,
  handoffRate: 0,
  firstHumanResponseSeconds: none,
  queueWaitSeconds: none,
  reassignments: 0,
  slaBreaches: 0,
  resolutionSeconds: spread(180, 180, 1),
  csat: { handedOff: rating(null, 0), aiOnly: rating(5, 1) },
};
const C1C2 = {
  conversations: 2,
  aiResolved: 0,
  handoffs: 2,
  handoffRate: 1,
  firstHumanResponseSeconds: spread(120, 720, 2),
  queueWaitSeconds: spread(600, 600, 1),
  reassignments: 1,
  slaBreaches: 1,
  resolutionSeconds: spread(600, 600, 1),
  csat: { handedOff: rating(4, 1), aiOnly: rating(null, 0) },
};
const TOTALS = {
  conversations: 3,
  aiResolved: 1,
  handoffs: 2,
  handoffRate: 2 / 3,
  firstHumanResponseSeconds: spread(120, 720, 2),
  queueWaitSeconds: spread(600, 600, 1),
  reassignments: 1,
  slaBreaches: 1,
  resolutionSeconds: spread(180, 600, 2),
  csat: { handedOff: rating(4, 1), aiOnly: rating(5, 1) },
};

eachDialect('the handoff report', (dialect) => {
  let t: TestApp;
  let olu: Record<string, string>;
  let ana: Record<string, string>;
  const report = async (query: string, headers: Record<string, string> = olu) =>
    t.request({ method: 'GET', url: `/api/reports/handoffs?from=2026-11-25&to=2026-11-30&${query}`, headers });

  async function customer(contact: Record<string, unknown>, message: string) {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
    const id = started.data.conversation.id as string;
    const turn = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers, payload: { body: message } });
    expect(turn.statusCode).toBe(201);
    return { id, headers, status: turn.data.conversation.status as string };
  }
  async function ok(options: Parameters<TestApp['request']>[0], status = 200) {
    const response = await t.request(options);
    expect(response.statusCode, response.body).toBe(status);
    return response;
  }

  beforeAll(async () => {
    // The example's webhook target does not resolve here (timers.test.ts): a refused loopback instead.
    t = await startTestApp(dialect, { now: T0, config: EXAMPLE_CONFIG.replace('https://hooks.acme.test/baton', 'http://127.0.0.1:9/baton') });
    olu = await t.tokenFor('olu');
    ana = await t.tokenFor('ana');

    // C1
    const max = await customer({ name: 'Max', language: 'en' }, 'talk to a human');
    expect(max.status).toBe('assigned');
    t.clock.set(T0 + 2 * MINUTE);
    await ok({ method: 'POST', url: `/api/conversations/${max.id}/messages`, headers: ana, payload: { body: 'Hi, Ana here' } }, 201);
    t.clock.set(T0 + 5 * MINUTE);
    await ok({ method: 'POST', url: `/api/conversations/${max.id}/assign`, headers: olu, payload: { user: 'olu' } });
    t.clock.set(T0 + 10 * MINUTE);
    await ok({ method: 'POST', url: `/api/conversations/${max.id}/resolve`, headers: olu, payload: {} });
    t.clock.set(T0 + 11 * MINUTE);
    await ok({ method: 'POST', url: `/api/widget/conversations/${max.id}/rating`, headers: max.headers, payload: { score: 4 } });

    // C2
    t.clock.set(T0 + 20 * MINUTE);
    await ok({ method: 'PATCH', url: '/api/users/ana/status', headers: ana, payload: { status: 'away' } });
    const lucia = await customer({ name: 'Lucía', language: 'es', properties: { plan: 'enterprise' } }, 'quiero hablar con una persona');
    expect(lucia.status).toBe('queued');
    await t.baton.outbox.drain();
    t.clock.set(T0 + 25 * MINUTE + 1_000);
    await t.baton.outbox.drain();
    t.clock.set(T0 + 30 * MINUTE);
    await ok({ method: 'PATCH', url: '/api/users/ana/status', headers: ana, payload: { status: 'available' } });
    await assignWaitingConversations(t.baton.ctx);
    const taken = await ok({ method: 'GET', url: `/api/conversations/${lucia.id}`, headers: olu });
    expect(taken.data).toMatchObject({ status: 'assigned', owner: 'ana' });
    t.clock.set(T0 + 32 * MINUTE);
    await ok({ method: 'POST', url: `/api/conversations/${lucia.id}/messages`, headers: ana, payload: { body: 'Hola, soy Ana' } }, 201);

    // A test contact's conversation, handed off: left out unless includeTest.
    t.clock.set(T0 + 40 * MINUTE);
    await ok({ method: 'POST', url: '/api/conversations', headers: olu, payload: { channel: 'web-chat', contact: { name: 'Probe', test: true }, message: 'talk to a human' } }, 201);

    // C3, the next week.
    t.clock.set(T1);
    const zoe = await customer({ name: 'Zoe', language: 'en' }, 'How do I reset my password?');
    expect(zoe.status).toBe('bot');
    t.clock.set(T1 + 3 * MINUTE);
    await ok({ method: 'POST', url: `/api/conversations/${zoe.id}/resolve`, headers: olu, payload: {} });
    await ok({ method: 'POST', url: `/api/widget/conversations/${zoe.id}/rating`, headers: zoe.headers, payload: { score: 5 } });
    await t.baton.outbox.drain();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the range in the workspace zone, with the totals', async () => {
    const response = await ok({ method: 'GET', url: '/api/reports/handoffs?from=2026-11-25&to=2026-11-30&groupBy=channel', headers: olu });
    expect(response.data).toEqual({
      from: '2026-11-25',
      to: '2026-11-30',
      timezone: 'Europe/Madrid',
      groupBy: 'channel',
      totals: TOTALS,
      groups: [{ key: 'web-chat', label: 'web-chat', ...TOTALS }],
    });
  });

  const groupings: Record<string, unknown[]> = {
    agent: [
      { key: 'ana', label: 'Ana García', ...C2 },
      { key: 'olu', label: 'Olu Bello', ...C1 },
      { key: null, label: 'No agent', ...C3 },
    ],
    team: [
      { key: 'billing', label: 'Billing', ...C1C2 },
      { key: null, label: 'No team', ...C3 },
    ],
    queue: [
      { key: 'general', label: 'General', ...C1 },
      { key: 'es-support', label: 'Spanish support', ...C2 },
      { key: null, label: 'No queue', ...C3 },
    ],
    rule: [
      { key: 'enterprise-spanish', label: 'enterprise-spanish', ...C2 },
      { key: 'fallback', label: 'fallback', ...C1 },
      { key: null, label: 'Not handed off', ...C3 },
    ],
    trigger: [
      { key: 'customer_requested_human', label: 'customer_requested_human', ...C1C2 },
      { key: null, label: 'Not handed off', ...C3 },
    ],
    day: [
      { key: '2026-11-25', label: '2026-11-25', ...C1C2 },
      { key: '2026-11-30', label: '2026-11-30', ...C3 },
    ],
    week: [
      { key: '2026-11-23', label: 'Week of 2026-11-23', ...C1C2 },
      { key: '2026-11-30', label: 'Week of 2026-11-30', ...C3 },
    ],
  };
  for (const [groupBy, groups] of Object.entries(groupings)) {
    it(`groups by ${groupBy}`, async () => {
      const response = await ok({ method: 'GET', url: `/api/reports/handoffs?from=2026-11-25&to=2026-11-30&groupBy=${groupBy}`, headers: olu });
      expect(response.data.totals).toEqual(TOTALS);
      expect(response.data.groups).toEqual(groups);
    });
  }

  it("counts test contacts' conversations only with includeTest=true", async () => {
    const response = await report('groupBy=agent&includeTest=true');
    expect(response.data.totals).toMatchObject({ conversations: 4, handoffs: 3, handoffRate: 3 / 4 });
    expect(response.data.groups.map((g: { key: string; conversations: number }) => [g.key, g.conversations])).toEqual([
      ['ana', 2],
      ['olu', 1],
      [null, 1],
    ]);
  });

  it('filters by channel, team and queue, and by the range', async () => {
    expect((await report('groupBy=agent&queue=es-support')).data.totals).toEqual(C2);
    expect((await report('groupBy=agent&team=billing')).data.totals).toEqual(C1C2);
    expect((await report('groupBy=agent&channel=support-email')).data).toMatchObject({ groups: [], totals: { conversations: 0, handoffRate: 0, queueWaitSeconds: none } });
    const lastDay = await ok({ method: 'GET', url: '/api/reports/handoffs?from=2026-11-30&to=2026-11-30&groupBy=day', headers: olu });
    expect(lastDay.data.totals).toEqual(C3);
  });

  it('gives an agent their own row, and refuses them other groupings', async () => {
    const own = await report('groupBy=agent', ana);
    expect(own.statusCode).toBe(200);
    expect(own.data.groups).toEqual([{ key: 'ana', label: 'Ana García', ...C2 }]);
    expect(own.data.totals).toEqual(C2);
    const team = await report('groupBy=team', ana);
    expect(team.statusCode).toBe(403);
    expect(team.data.error.code).toBe('forbidden');
  });

  it("gives a team lead every row, even on a token without the admin scope (Olu leads Billing)", async () => {
    const { createUserToken } = await import('../../src/services/auth/authenticate.js');
    const narrow = (await createUserToken(t.baton.ctx, 'olu', { name: 'lead, no admin scope', scopes: ['read', 'write'] }, 'test')).token;
    const response = await report('groupBy=team', { authorization: `Bearer ${narrow}` });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.data.totals).toEqual(TOTALS);
  });

  describe('the query', () => {
    it.each([
      ['from=2026-11-25&to=2026-11-30&groupBy=month', 'groupBy'],
      ['from=2026-02-30&to=2026-11-30&groupBy=agent', 'from'],
      ['from=25/11/2026&to=2026-11-30&groupBy=agent', 'from'],
      ['from=2026-11-25&groupBy=agent', 'to'],
      ['from=2026-11-25&to=2026-11-24&groupBy=agent', 'to'],
      ['from=2025-11-29&to=2026-11-30&groupBy=agent', 'to'],
      ['from=2026-11-25&to=2026-11-30&includeTest=maybe', 'includeTest'],
    ])('refuses %s (422 on %s)', async (query, path) => {
      const response = await t.request({ method: 'GET', url: `/api/reports/handoffs?${query}`, headers: olu });
      expect(response.statusCode, response.body).toBe(422);
      expect(JSON.stringify(response.data.error.details)).toContain(path);
    });

    it('takes 366 days', async () => {
      const response = await t.request({ method: 'GET', url: '/api/reports/handoffs?from=2025-12-01&to=2026-12-01&groupBy=week', headers: olu });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.data.totals).toEqual(TOTALS);
    });
  });

  it('answers CSV for Accept: text/csv and format=csv: a header, a row per group, the totals', async () => {
    const byAccept = await t.request({ method: 'GET', url: '/api/reports/handoffs?from=2026-11-25&to=2026-11-30&groupBy=agent', headers: { ...olu, accept: 'text/csv' } });
    const byFormat = await report('groupBy=agent&format=csv');
    for (const response of [byAccept, byFormat]) {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe('attachment; filename="handoffs-by-agent-2026-11-25-to-2026-11-30.csv"');
      expect(response.body.split('\r\n')).toEqual([
        'key,label,conversations,aiResolved,handoffs,handoffRate,firstHumanResponseMedianSeconds,firstHumanResponseP90Seconds,firstHumanResponseCount,queueWaitMedianSeconds,queueWaitP90Seconds,queueWaitCount,reassignments,slaBreaches,resolutionMedianSeconds,resolutionP90Seconds,resolutionCount,csatHandedOffAverage,csatHandedOffCount,csatAiOnlyAverage,csatAiOnlyCount',
        'ana,Ana García,1,0,1,1,720,720,1,600,600,1,0,1,,,0,,0,,0',
        'olu,Olu Bello,1,0,1,1,120,120,1,,,0,1,0,600,600,1,4,1,,0',
        ',No agent,1,1,0,0,,,0,,,0,0,0,180,180,1,,0,5,1',
        `,Total,3,1,2,${2 / 3},120,720,2,600,600,1,1,1,180,600,2,4,1,5,1`,
        '',
      ]);
    }
  });
});
