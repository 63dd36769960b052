/**
 * Timers end to end: each is an
 * outbox row due at its instant; the tests move the manual clock and drain the worker by hand.
 */
import type { InjectOptions } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { parseEnv } from '../../src/platform/env.js';
import { manualClock } from '../../src/platform/runtime.js';
import { createBaton, type Baton } from '../../src/server.js';
import { applyValidatedConfig } from '../../src/services/workspace/apply-validated-config.js';
import { assignWaitingConversations } from '../../src/services/handoff/assign-waiting-conversations.js';
import { openDatabase } from '../../src/store/database.js';
import { listEvents } from '../../src/store/repositories/events.js';
import { listOutbox } from '../../src/store/repositories/outbox.js';
import { ADMIN_TOKEN, EXAMPLE_CONFIG, EXAMPLE_ENV, WEDNESDAY_MORNING, eachDialect, openTestDatabase, startTestApp, type TestApp } from '../support/test-app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Inject = (options: InjectOptions) => Promise<{
  statusCode: number;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
}>;

function injectInto(baton: Baton): Inject {
  return async (options) => {
    const response = await baton.app.inject(options);
    return { statusCode: response.statusCode, data: response.body === '' ? undefined : JSON.parse(response.body) };
  };
}

/** A widget customer who asks for a person; returns the conversation id and their headers. */
async function aCustomerAsksForAPerson(request: Inject, contact: Record<string, unknown>, message: string) {
  const session = await request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact } });
  expect(session.statusCode).toBe(201);
  const headers = { authorization: `Bearer ${session.data.token as string}` };
  const started = await request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
  const id = started.data.conversation.id as string;
  const turn = await request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers, payload: { body: message } });
  expect(turn.statusCode).toBe(201);
  return { id, headers, conversation: turn.data.conversation };
}

const LUCIA = { name: 'Lucía', language: 'es', properties: { plan: 'enterprise' } };

/**
 * The example's webhook target (hooks.acme.test) does not resolve here, and a lookup takes ~5 s
 * to fail; each drain that had a webhook in flight waited for it, and the test that drains six
 * times ran into its 30 s timeout now and then. Pointed at a loopback address instead, which the
 * workspace refuses at once (allowPrivateNetworks: false): these tests are about timers.
 */
function withRefusedWebhook(config: string): string {
  const out = config.replace('https://hooks.acme.test/baton', 'http://127.0.0.1:9/baton');
  if (out === config) throw new Error('the example no longer has the webhook target this test replaces');
  return out;
}

eachDialect('timers: SLA first response', (dialect) => {
  let t: TestApp;
  let olu: Record<string, string>;
  let ana: Record<string, string>;
  const request: Inject = (options) => t.request(options);
  const events = async (id: string, type: string) => (await listEvents(t.baton.ctx.database.db, id, { types: [type] })).map((e) => e.data);
  const setAna = async (status: 'available' | 'away') => {
    const response = await t.request({ method: 'PATCH', url: '/api/users/ana/status', headers: ana, payload: { status } });
    expect(response.statusCode).toBe(200);
  };

  // Each test its own Baton: ana's status, the clock and the queues start as the example has them.
  beforeEach(async () => {
    t = await startTestApp(dialect, { config: withRefusedWebhook(EXAMPLE_CONFIG) });
    olu = await t.tokenFor('olu');
    ana = await t.tokenFor('ana');
  });
  afterEach(async () => {
    await t.close();
  });

  it('breaches when nobody answers within 5 minutes: leads alerted, customer offered a follow-up, conversation re-routed', async () => {
    await setAna('away');
    const lucia = await aCustomerAsksForAPerson(request, LUCIA, 'quiero hablar con una persona');
    expect(lucia.conversation).toMatchObject({ status: 'queued' });
    await t.baton.outbox.drain();

    t.clock.advance(4 * MINUTE);
    await t.baton.outbox.drain();
    expect(await events(lucia.id, 'sla.breached')).toEqual([]);

    t.clock.advance(1 * MINUTE + 1_000);
    await t.baton.outbox.drain();
    const breaches = await events(lucia.id, 'sla.breached');
    expect(breaches).toEqual([expect.objectContaining({ queue: 'es-support', breaches: 1, streak: 1, rerouted: true })]);

    // Team billing's lead is told, in the notification centre.
    const inbox = await t.request({ method: 'GET', url: '/api/notifications', headers: olu });
    expect(inbox.data.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'handoff.sla_breach', conversationId: lucia.id, title: 'SLA breached: Lucía' })]),
    );
    // The rule notified Slack too: the lead alert goes there as well.
    const slack = await listOutbox(t.baton.ctx.database.db, { kind: 'notify.slack' });
    expect(slack.some((row) => (row.payload as { type: string; conversationId: string }).type === 'handoff.sla_breach' && (row.payload as { conversationId: string }).conversationId === lucia.id)).toBe(true);

    // The customer, in Spanish: nobody has answered, leave an email or keep waiting.
    const messages = await t.request({ method: 'GET', url: `/api/widget/conversations/${lucia.id}/messages`, headers: lucia.headers });
    const offer = (messages.data as { author: string; body: string }[]).filter((m) => m.body.startsWith('Perdona la espera'));
    expect(offer).toEqual([expect.objectContaining({ author: 'system' })]);

    // Re-routed by the rules with trigger sla_breach (no rule takes it: the fallback, queue general).
    const seen = await t.request({ method: 'GET', url: `/api/conversations/${lucia.id}`, headers: olu });
    expect(seen.data).toMatchObject({ status: 'queued', queue: 'general' });
    expect(seen.data.handoff).toMatchObject({ trigger: 'sla_breach', rule: 'fallback', queue: 'general' });

    // Draining again changes nothing; the es-support overflow timer (15 min) is stale now.
    t.clock.advance(15 * MINUTE);
    await t.baton.outbox.drain();
    expect(await events(lucia.id, 'sla.breached')).toHaveLength(1);
    expect(await events(lucia.id, 'handoff.completed')).toHaveLength(2);
    expect((await t.request({ method: 'GET', url: `/api/conversations/${lucia.id}`, headers: olu })).data.queue).toBe('general');
  });

  it('repeats at each missed target, re-routing at most 3 times in a row, then only alerts', async () => {
    // Nobody to take it: ana, billing's only agent, is away.
    await setAna('away');
    const max = await aCustomerAsksForAPerson(request, { name: 'Max', language: 'en' }, 'talk to a human');
    expect(max.conversation).toMatchObject({ status: 'queued' });
    expect((await t.request({ method: 'GET', url: `/api/conversations/${max.id}`, headers: olu })).data.queue).toBe('general');
    for (let hour = 0; hour < 6; hour++) {
      t.clock.advance(HOUR + 1_000);
      await t.baton.outbox.drain();
    }
    const breaches = await events(max.id, 'sla.breached');
    expect(breaches.map((b) => [b.streak, b.rerouted])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, false],
    ]);
    // One handoff for the request, one per re-route.
    expect(await events(max.id, 'handoff.completed')).toHaveLength(4);
    const inbox = await t.request({ method: 'GET', url: '/api/notifications?limit=200', headers: olu });
    expect((inbox.data.items as { type: string; conversationId: string }[]).filter((n) => n.type === 'handoff.sla_breach' && n.conversationId === max.id)).toHaveLength(4);
  });

  it('does not breach when an agent answered in time', async () => {
    await setAna('available');
    const lucia = await aCustomerAsksForAPerson(request, LUCIA, 'quiero hablar con una persona');
    expect(lucia.conversation).toMatchObject({ status: 'assigned' });
    t.clock.advance(2 * MINUTE);
    const reply = await t.request({ method: 'POST', url: `/api/conversations/${lucia.id}/messages`, headers: ana, payload: { body: '¡Hola Lucía! Soy Ana.' } });
    expect(reply.statusCode).toBe(201);
    t.clock.advance(10 * MINUTE);
    await t.baton.outbox.drain();
    expect(await events(lucia.id, 'sla.breached')).toEqual([]);
    const seen = await t.request({ method: 'GET', url: `/api/conversations/${lucia.id}`, headers: ana });
    expect(seen.data).toMatchObject({ status: 'assigned', owner: 'ana', queue: 'es-support' });
  });

  it('breaches an assigned conversation whose agent did not reply, and re-routes it (CW #13515, RC #12579)', async () => {
    const lucia = await aCustomerAsksForAPerson(request, LUCIA, 'quiero hablar con una persona');
    expect(lucia.conversation).toMatchObject({ status: 'assigned' });
    t.clock.advance(5 * MINUTE + 1_000);
    await t.baton.outbox.drain();
    expect(await events(lucia.id, 'sla.breached')).toEqual([expect.objectContaining({ queue: 'es-support', owner: 'ana', rerouted: true })]);
    const seen = await t.request({ method: 'GET', url: `/api/conversations/${lucia.id}`, headers: olu });
    expect(seen.data.handoff).toMatchObject({ trigger: 'sla_breach', previousOwner: 'ana' });
    // Not straight back to the agent who let it lapse: ana is the only billing agent, so it waits.
    expect(seen.data.owner).not.toBe('ana');
    expect(seen.data.handoff.candidates).toContainEqual(expect.objectContaining({ user: 'ana', eligible: false, reason: 'missed the first-response target' }));
    // Regression: the backlog assigner (kicked by ana coming back, and by the periodic sweep)
    // handed it straight back to ana, undoing the escalation.
    await setAna('away');
    await setAna('available');
    await assignWaitingConversations(t.baton.ctx);
    await t.baton.outbox.drain();
    const after = await t.request({ method: 'GET', url: `/api/conversations/${lucia.id}`, headers: olu });
    expect(after.data).toMatchObject({ status: 'queued', owner: null });
  });

  it('does not breach a conversation resolved before the target', async () => {
    const lucia = await aCustomerAsksForAPerson(request, LUCIA, 'quiero hablar con una persona');
    const resolved = await t.request({ method: 'POST', url: `/api/conversations/${lucia.id}/resolve`, headers: ana });
    expect(resolved.statusCode).toBe(200);
    t.clock.advance(6 * MINUTE);
    await t.baton.outbox.drain();
    expect(await events(lucia.id, 'sla.breached')).toEqual([]);
  });
});

/** Queue general stops re-routing after one breach (`sla.maxBreaches: 1`). */
const ONE_REROUTE_CONFIG = EXAMPLE_CONFIG.replace('sla: { firstResponse: 1h }', 'sla: { firstResponse: 1h, maxBreaches: 1 }');

eachDialect('timers: a queue\'s own limit on SLA re-routes', (dialect) => {
  let t: TestApp;
  let olu: Record<string, string>;
  const events = async (id: string, type: string) => (await listEvents(t.baton.ctx.database.db, id, { types: [type] })).map((e) => e.data);

  beforeAll(async () => {
    expect(ONE_REROUTE_CONFIG).toContain('maxBreaches: 1');
    t = await startTestApp(dialect, { config: withRefusedWebhook(ONE_REROUTE_CONFIG) });
    olu = await t.tokenFor('olu');
  });
  afterAll(async () => {
    await t.close();
  });

  // Regression: `maxBreaches` was accepted and exported but never read; every queue re-routed 3 times.
  it('re-routes once, then only alerts', async () => {
    const max = await aCustomerAsksForAPerson((options) => t.request(options), { name: 'Max', language: 'en' }, 'talk to a human');
    expect((await t.request({ method: 'GET', url: `/api/conversations/${max.id}`, headers: olu })).data.queue).toBe('general');
    for (let hour = 0; hour < 3; hour++) {
      t.clock.advance(HOUR + 1_000);
      await t.baton.outbox.drain();
    }
    const breaches = await events(max.id, 'sla.breached');
    expect(breaches.map((b) => [b.streak, b.rerouted])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(await events(max.id, 'handoff.completed')).toHaveLength(2);
  });
});

/** es-support's SLA is longer than its overflow limit here; the fallback rule adds a 3-day check-in. */
const OVERFLOW_CONFIG = EXAMPLE_CONFIG.replace('sla: { firstResponse: 5m }', 'sla: { firstResponse: 30m }').replace(
  `      en: "Thanks — a member of our team will reply soon. Expected wait: {{expected_wait}}."\n`,
  `      en: "Thanks — a member of our team will reply soon. Expected wait: {{expected_wait}}."\n    tasks:\n      - { type: check_in, assignee: owner, due: 3d }\n`,
);

eachDialect('timers: overflow and tasks', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;
  const request: Inject = (options) => t.request(options);
  const setAna = async (status: 'available' | 'away') => {
    const response = await t.request({ method: 'PATCH', url: '/api/users/ana/status', headers: ana, payload: { status } });
    expect(response.statusCode).toBe(200);
  };
  const taskNotifications = async (headers: Record<string, string>, conversationId: string) =>
    ((await t.request({ method: 'GET', url: '/api/notifications?limit=200', headers })).data.items as { type: string; conversationId: string; title: string }[]).filter(
      (n) => n.type === 'task.due' && n.conversationId === conversationId,
    );

  beforeEach(async () => {
    expect(OVERFLOW_CONFIG).toContain('firstResponse: 30m');
    expect(OVERFLOW_CONFIG).toContain('type: check_in');
    t = await startTestApp(dialect, { config: withRefusedWebhook(OVERFLOW_CONFIG) });
    ana = await t.tokenFor('ana');
  });
  afterEach(async () => {
    await t.close();
  });

  it('moves a conversation still waiting after 15 minutes to the overflow queue, general', async () => {
    await setAna('away');
    const lucia = await aCustomerAsksForAPerson(request, LUCIA, 'quiero hablar con una persona');
    expect(lucia.conversation).toMatchObject({ status: 'queued' });
    expect((await t.request({ method: 'GET', url: `/api/conversations/${lucia.id}`, headers: ana })).data.queue).toBe('es-support');
    t.clock.advance(14 * MINUTE);
    await t.baton.outbox.drain();
    expect((await t.request({ method: 'GET', url: `/api/conversations/${lucia.id}`, headers: ana })).data.queue).toBe('es-support');

    t.clock.advance(1 * MINUTE + 1_000);
    await t.baton.outbox.drain();
    const seen = await t.request({ method: 'GET', url: `/api/conversations/${lucia.id}`, headers: ana });
    expect(seen.data).toMatchObject({ status: 'queued', queue: 'general', owner: null });
    expect(seen.data.handoff).toMatchObject({ rule: 'overflow', queue: 'general' });
    const assigned = (await listEvents(t.baton.ctx.database.db, lucia.id, { types: ['conversation.assigned'] })).at(-1);
    expect(assigned?.data).toMatchObject({ reason: 'overflow' });
    // The es-support SLA timer (30 min) belongs to the replaced handoff: no breach at 30 minutes.
    t.clock.advance(20 * MINUTE);
    await t.baton.outbox.drain();
    expect(await listEvents(t.baton.ctx.database.db, lucia.id, { types: ['sla.breached'] })).toEqual([]);
    await setAna('available');
  });

  it('reminds the assignee once when a task falls due, and again when it is moved', async () => {
    const lucia = await aCustomerAsksForAPerson(request, LUCIA, 'quiero hablar con una persona');
    expect(lucia.conversation).toMatchObject({ status: 'assigned' });
    await t.request({ method: 'POST', url: `/api/conversations/${lucia.id}/messages`, headers: ana, payload: { body: 'Hola, te llamo en una hora.' } });
    const tasks = await t.request({ method: 'GET', url: '/api/tasks?assignee=me', headers: ana });
    const callback = (tasks.data.items as { id: string; conversationId: string; type: string }[]).find((x) => x.conversationId === lucia.id);
    expect(callback).toMatchObject({ type: 'callback' });

    t.clock.advance(59 * MINUTE);
    await t.baton.outbox.drain();
    expect(await taskNotifications(ana, lucia.id)).toEqual([]);

    t.clock.advance(1 * MINUTE);
    await t.baton.outbox.drain();
    await t.baton.outbox.drain();
    expect(await taskNotifications(ana, lucia.id)).toEqual([expect.objectContaining({ title: 'Call back due: Lucía' })]);

    // Moved an hour later: reminded again at the new time, once.
    const moved = await t.request({
      method: 'PATCH',
      url: `/api/tasks/${callback!.id}`,
      headers: ana,
      payload: { dueAt: new Date(t.clock.now() + HOUR).toISOString() },
    });
    expect(moved.statusCode).toBe(200);
    t.clock.advance(HOUR);
    await t.baton.outbox.drain();
    t.clock.advance(HOUR);
    await t.baton.outbox.drain();
    expect(await taskNotifications(ana, lucia.id)).toHaveLength(2);
  });

  it('sends the check-in 3 days after resolution, in the customer\'s language, once, and closes the task', async () => {
    const sam = await aCustomerAsksForAPerson(request, { name: 'Sam', language: 'en' }, 'talk to a human');
    expect(sam.conversation).toMatchObject({ status: 'assigned' });
    await t.request({ method: 'POST', url: `/api/conversations/${sam.id}/messages`, headers: ana, payload: { body: 'Fixed it!' } });
    const resolved = await t.request({ method: 'POST', url: `/api/conversations/${sam.id}/resolve`, headers: ana });
    expect(resolved.statusCode).toBe(200);
    const checkIns = async () =>
      ((await t.request({ method: 'GET', url: `/api/widget/conversations/${sam.id}/messages`, headers: sam.headers })).data as { author: string; body: string }[]).filter(
        (m) => m.body.includes('checking in'),
      );

    t.clock.advance(3 * DAY - MINUTE);
    await t.baton.outbox.drain();
    expect(await checkIns()).toEqual([]);

    t.clock.advance(2 * MINUTE);
    await t.baton.outbox.drain();
    await t.baton.outbox.drain();
    expect(await checkIns()).toEqual([
      expect.objectContaining({ author: 'system', body: 'Hi Sam, checking in — is everything working now? Reply here if you need anything.' }),
    ]);
    const tasks = await t.request({ method: 'GET', url: '/api/tasks?assignee=me&status=done', headers: ana });
    expect((tasks.data.items as { conversationId: string; type: string }[]).filter((x) => x.conversationId === sam.id)).toEqual([
      expect.objectContaining({ type: 'check_in', status: 'done' }),
    ]);
  });

  it('holds a check-in back while the conversation is reopened, and sends it after the next resolution', async () => {
    const sam = await aCustomerAsksForAPerson(request, { name: 'Sam', language: 'en' }, 'talk to a human');
    await t.request({ method: 'POST', url: `/api/conversations/${sam.id}/messages`, headers: ana, payload: { body: 'Done.' } });
    await t.request({ method: 'POST', url: `/api/conversations/${sam.id}/resolve`, headers: ana });
    t.clock.advance(DAY);
    expect((await t.request({ method: 'POST', url: `/api/conversations/${sam.id}/reopen`, headers: ana })).statusCode).toBe(200);
    const checkIns = async () =>
      ((await t.request({ method: 'GET', url: `/api/widget/conversations/${sam.id}/messages`, headers: sam.headers })).data as { body: string }[]).filter((m) =>
        m.body.includes('checking in'),
      );
    t.clock.advance(2 * DAY + MINUTE);
    await t.baton.outbox.drain();
    expect(await checkIns()).toEqual([]);

    await t.request({ method: 'POST', url: `/api/conversations/${sam.id}/resolve`, headers: ana });
    t.clock.advance(3 * DAY + MINUTE);
    await t.baton.outbox.drain();
    expect(await checkIns()).toHaveLength(1);
  });
});

eachDialect('timers: restart with pending timers', (dialect) => {
  it('fires a timer set before a restart exactly once after it', async () => {
    const test = await openTestDatabase(dialect);
    const clock = manualClock(WEDNESDAY_MORNING);
    const env = parseEnv({ BATON_ADMIN_TOKEN: ADMIN_TOKEN, BATON_DEMO: '0', LOG_LEVEL: 'silent', DATABASE_URL: test.url });
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    let second: Awaited<ReturnType<typeof openDatabase>> | null = null;
    try {
      const first = await createBaton({ env, processEnv: EXAMPLE_ENV, database: test.database, clock, workers: false });
      const parsed = parseConfigText(EXAMPLE_CONFIG, 'yaml', EXAMPLE_ENV);
      if (!parsed.ok) throw new Error('example config invalid');
      await applyValidatedConfig(first.ctx, { raw: parsed.raw, actor: 'test' });
      const before = injectInto(first);
      expect((await before({ method: 'PATCH', url: '/api/users/ana/status', headers: admin, payload: { status: 'away' } })).statusCode).toBe(200);
      const lucia = await aCustomerAsksForAPerson(before, LUCIA, 'quiero hablar con una persona');
      expect(lucia.conversation).toMatchObject({ status: 'queued' });
      await first.outbox.drain();
      await first.close();

      // A new process: its own connection, migrations at start-up, nothing in memory.
      second = await openDatabase(test.url, { migrate: true, checks: true });
      const restarted = await createBaton({ env, processEnv: EXAMPLE_ENV, database: second, clock, workers: false });
      try {
        clock.advance(5 * MINUTE + 1_000);
        await restarted.outbox.drain();
        await restarted.outbox.drain();
        const breached = await listEvents(second.db, lucia.id, { types: ['sla.breached'] });
        expect(breached).toHaveLength(1);
        const after = injectInto(restarted);
        const seen = await after({ method: 'GET', url: `/api/conversations/${lucia.id}`, headers: admin });
        expect(seen.data.handoff).toMatchObject({ trigger: 'sla_breach' });
        const timers = await listOutbox(second.db, { kind: 'timer.sla.first_response' });
        expect(timers.filter((row) => (row.payload as { conversationId: string }).conversationId === lucia.id).map((row) => row.status).sort()).toEqual(['done', 'pending']);
      } finally {
        await restarted.close();
      }
    } finally {
      await second?.close();
      await test.drop();
    }
  });
});
