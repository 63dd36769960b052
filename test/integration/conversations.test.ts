import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** A widget customer: session token and helpers bound to it. */
async function aCustomer(t: TestApp, contact: Record<string, unknown> = {}, channel = 'web-chat') {
  const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel, contact } });
  expect(session.statusCode).toBe(201);
  const headers = { authorization: `Bearer ${session.data.token as string}` };
  return {
    headers,
    contactId: session.data.contactId as string,
    start: (message?: string) =>
      t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: message === undefined ? {} : { message } }),
    say: (id: string, body: string) => t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers, payload: { body } }),
  };
}

eachDialect('conversations', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let olu: Record<string, string>;
  // Each test its own world: no test sees what another wrote (any order, any one alone).
  beforeEach(async () => {
    t = await startTestApp(dialect);
    ana = await t.tokenFor('ana');
    olu = await t.tokenFor('olu');
  });
  afterEach(async () => {
    await t.close();
  });

  describe('refusals', () => {
    it('answers 401 without credentials and 403 to a customer token on the agent API', async () => {
      expect((await t.request({ method: 'GET', url: '/api/conversations' })).statusCode).toBe(401);
      const customer = await aCustomer(t);
      const refused = await t.request({ method: 'GET', url: '/api/conversations', headers: customer.headers });
      expect(refused.statusCode).toBe(403);
      expect(refused.data.error.code).toBe('forbidden');
    });

    it('answers 422 with the path of each problem', async () => {
      const bad = await t.request({ method: 'POST', url: '/api/conversations', headers: ana, payload: { channel: 'web-chat', contact: { email: 'nope' } } });
      expect(bad.statusCode).toBe(422);
      expect(bad.data.error.code).toBe('invalid');
      const paths = (bad.data.error.details as { path: string }[]).map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['contact.email', 'message']));
    });

    it('refuses an unknown channel for a widget session', async () => {
      const bad = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'nowhere' } });
      expect(bad.statusCode).toBe(422);
      expect(bad.data.error.details[0].path).toBe('channel');
    });

    it("never shows a customer another customer's conversation", async () => {
      const lucia = await aCustomer(t, { name: 'Lucía' });
      const started = await lucia.start();
      const mallory = await aCustomer(t, { name: 'Mallory' });
      const peek = await t.request({ method: 'GET', url: `/api/widget/conversations/${started.data.conversation.id as string}/messages`, headers: mallory.headers });
      expect(peek.statusCode).toBe(404);
      const write = await mallory.say(started.data.conversation.id as string, 'hi');
      expect(write.statusCode).toBe(404);
    });

    it('does not let a public widget session pick an account owner or an external id', async () => {
      const sneaky = await aCustomer(t, { name: 'Eve', owner: 'ana', externalId: 'crm-42' });
      const started = await sneaky.start('hello');
      const seen = await t.request({ method: 'GET', url: `/api/conversations/${started.data.conversation.id as string}`, headers: ana });
      expect(seen.data.contact.owner).toBeNull();
    });
  });

  describe('a customer asks for a person', () => {
    it('routes a Spanish enterprise customer to the Spanish queue, where Ana is assigned, and tells the customer in Spanish', async () => {
      const lucia = await aCustomer(t, { name: 'Lucía', language: 'es', properties: { plan: 'enterprise' } });
      const started = await lucia.start();
      expect(started.data.conversation.status).toBe('bot');
      const id = started.data.conversation.id as string;
      const turn = await lucia.say(id, 'quiero hablar con una persona');
      expect(turn.statusCode).toBe(201);
      expect(turn.data.conversation).toMatchObject({ status: 'assigned', owner: { name: 'Ana' } });
      const bodies = (turn.data.messages as { author: string; body: string }[]).map((m) => m.body);
      expect(bodies[0]).toBe('quiero hablar con una persona');
      expect(bodies.some((b) => b.startsWith('Te paso con un especialista'))).toBe(true);

      const seen = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: ana });
      expect(seen.data).toMatchObject({ status: 'assigned', owner: 'ana', queue: 'es-support', team: 'billing', priority: 'high', tags: ['escalated'] });
      expect(seen.data.handoff).toMatchObject({ trigger: 'customer_requested_human', rule: 'enterprise-spanish', outcome: 'assigned', assignee: 'ana' });
      expect(seen.data.handoff.tasks).toEqual([expect.objectContaining({ type: 'callback', assignee: 'ana' })]);

      const events = await t.request({ method: 'GET', url: `/api/conversations/${id}/events`, headers: ana });
      const types = (events.data as { type: string }[]).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['conversation.created', 'conversation.assigned', 'conversation.status_changed', 'handoff.started', 'handoff.completed']));
      const assigned = (events.data as { type: string; data: Record<string, unknown>; owner: string | null }[]).find((e) => e.type === 'conversation.assigned');
      expect(assigned).toMatchObject({ owner: 'ana', data: { by: 'assistant', from: null, to: 'ana', reason: 'handoff', rule: 'enterprise-spanish' } });

      const tasks = await t.request({ method: 'GET', url: '/api/tasks?assignee=ana', headers: olu });
      expect((tasks.data.items as { conversationId: string; type: string }[]).filter((x) => x.conversationId === id)).toEqual([
        expect.objectContaining({ type: 'callback' }),
      ]);

      await t.baton.outbox.drain();
      const inbox = await t.request({ method: 'GET', url: '/api/notifications', headers: ana });
      expect((inbox.data.items as { conversationId: string }[]).some((n) => n.conversationId === id)).toBe(true);
    });

    it('hands off with the "Talk to a person" button, once, however often it is pressed', async () => {
      const sam = await aCustomer(t, { name: 'Sam', language: 'en' });
      const started = await sam.start();
      const id = started.data.conversation.id as string;
      const first = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers: sam.headers });
      expect(first.statusCode).toBe(200);
      expect(first.data.conversation.status).not.toBe('bot');
      const again = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers: sam.headers });
      expect(again.data.messages).toEqual([]);
      const events = await t.request({ method: 'GET', url: `/api/conversations/${id}/events`, headers: ana });
      expect((events.data as { type: string }[]).filter((e) => e.type === 'handoff.completed')).toHaveLength(1);
    });

    it('hands every conversation of a channel without an AI agent to people as it arrives (no_assistant)', async () => {
      const created = await t.request({
        method: 'POST',
        url: '/api/conversations',
        headers: olu,
        payload: { channel: 'support-email', contact: { name: 'Kim', email: 'kim@example.test' }, message: 'My invoice is wrong' },
      });
      expect(created.statusCode).toBe(201);
      expect(created.data.handoff).toMatchObject({ trigger: 'no_assistant', rule: 'fallback', queue: 'general' });
      expect(created.data.conversation.status).not.toBe('bot');
    });
  });

  describe('agents at work', () => {
    async function queuedConversation(): Promise<string> {
      // Nobody eligible: ana away, olu not in the billing team → waits in the general queue.
      await t.request({ method: 'PATCH', url: '/api/users/ana/status', headers: ana, payload: { status: 'away' } });
      const customer = await aCustomer(t, { name: 'Queued', language: 'en' });
      const started = await customer.start();
      const id = started.data.conversation.id as string;
      const handed = await t.request({ method: 'POST', url: `/api/conversations/${id}/handoff`, headers: olu, payload: { reason: 'test' } });
      expect(handed.data.conversation).toMatchObject({ status: 'queued', owner: null, queue: 'general' });
      await t.request({ method: 'PATCH', url: '/api/users/ana/status', headers: ana, payload: { status: 'available' } });
      return id;
    }

    it('gives exactly one of two simultaneous claims the conversation and the other a 409 naming the winner', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await queuedConversation();
        const [a, b] = await Promise.all([
          t.request({ method: 'POST', url: `/api/conversations/${id}/claim`, headers: ana }),
          t.request({ method: 'POST', url: `/api/conversations/${id}/claim`, headers: olu }),
        ]);
        const statuses = [a.statusCode, b.statusCode].sort();
        expect(statuses).toEqual([200, 409]);
        const winner = a.statusCode === 200 ? a.data.owner : b.data.owner;
        const loser = a.statusCode === 409 ? a : b;
        const names: Record<string, string> = { ana: 'Ana García', olu: 'Olu Bello' };
        expect(loser.data.error.code).toBe('conflict');
        expect(loser.data.error.message).toMatch(new RegExp(`^${names[winner as string] ?? '?'} is handling this conversation\\.`));
        const after = await t.request({ method: 'GET', url: `/api/conversations/${id}/events`, headers: ana });
        expect((after.data as { type: string }[]).filter((e) => e.type === 'conversation.assigned' && true).length).toBeGreaterThan(0);
        await t.request({ method: 'POST', url: `/api/conversations/${id}/resolve`, headers: olu });
      }
    });

    it('transfers, releases, hands back to the AI agent, resolves and reopens — each recorded', async () => {
      const id = await queuedConversation();
      const toOlu = await t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: ana, payload: { user: 'olu', note: 'VIP' } });
      expect(toOlu.statusCode).toBe(200);
      expect(toOlu.data.conversation).toMatchObject({ status: 'assigned', owner: 'olu' });

      // Olu holds it: Ana, his teammate, may take it over but not release it (core/ownership.ts).
      const notMine = await t.request({ method: 'POST', url: `/api/conversations/${id}/release`, headers: ana });
      expect(notMine.statusCode).toBe(409);
      expect(notMine.data.error.message).toBe('Olu Bello is handling this conversation. Take it over to release it.');
      const released = await t.request({ method: 'POST', url: `/api/conversations/${id}/release`, headers: olu });
      expect(released.data).toMatchObject({ status: 'queued', owner: null, queue: 'general' });

      const toQueue = await t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: olu, payload: { queue: 'general' } });
      expect(toQueue.data.conversation).toMatchObject({ owner: 'ana', status: 'assigned' });

      const back = await t.request({ method: 'POST', url: `/api/conversations/${id}/handback`, headers: ana });
      expect(back.data).toMatchObject({ status: 'bot', owner: null });
      const resolved = await t.request({ method: 'POST', url: `/api/conversations/${id}/resolve`, headers: ana });
      expect(resolved.data.status).toBe('resolved');
      const twice = await t.request({ method: 'POST', url: `/api/conversations/${id}/resolve`, headers: ana });
      expect(twice.statusCode).toBe(409);
      const reopened = await t.request({ method: 'POST', url: `/api/conversations/${id}/reopen`, headers: ana });
      expect(reopened.data.status).not.toBe('resolved');

      const audit = await t.request({ method: 'GET', url: '/api/audit?entity=conversation', headers: t.admin });
      expect((audit.data.items ?? audit.data).some((e: { action: string; entityId: string }) => e.action === 'conversation.transferred' && e.entityId === id)).toBe(true);
    });

    it('keeps internal notes from the customer', async () => {
      const customer = await aCustomer(t, { name: 'Noah', language: 'en' });
      const started = await customer.start();
      const id = started.data.conversation.id as string;
      await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: ana, payload: { body: 'looks like fraud', private: true } });
      await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: ana, payload: { body: 'Hi Noah, Ana here.' } });
      const customerView = await t.request({ method: 'GET', url: `/api/widget/conversations/${id}/messages`, headers: customer.headers });
      const bodies = (customerView.data as { body: string }[]).map((m) => m.body);
      expect(bodies).toContain('Hi Noah, Ana here.');
      expect(bodies).not.toContain('looks like fraud');
      const agentView = await t.request({ method: 'GET', url: `/api/conversations/${id}/messages`, headers: ana });
      expect((agentView.data as { body: string; private: boolean }[]).find((m) => m.body === 'looks like fraud')?.private).toBe(true);
      // A public reply took the conversation: the AI agent stops speaking.
      const now = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: ana });
      expect(now.data).toMatchObject({ status: 'assigned', owner: 'ana' });
      const after = await customer.say(id, 'thanks, how do I reset my password?');
      expect((after.data.messages as { author: string }[]).map((m) => m.author)).toEqual(['contact']);
    });

    it('resumes catch-up from a sequence number without gaps or repeats', async () => {
      const customer = await aCustomer(t, { name: 'Ola', language: 'en' });
      const started = await customer.start();
      const id = started.data.conversation.id as string;
      for (const text of ['one', 'two', 'three']) await customer.say(id, text);
      const all = await t.request({ method: 'GET', url: `/api/widget/conversations/${id}/messages`, headers: customer.headers });
      const seqs = (all.data as { seq: number }[]).map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const mid = seqs[1]!;
      const rest = await t.request({ method: 'GET', url: `/api/widget/conversations/${id}/messages?after=${mid}`, headers: customer.headers });
      expect((rest.data as { seq: number }[]).map((m) => m.seq)).toEqual(seqs.filter((s) => s > mid));
    });

    // Regression (the fuzzer): `after` beyond PostgreSQL's `integer` (2^31 − 1) failed in the database (500 there).
    it('refuses a sequence number larger than any stored one as invalid, and finds nothing after the largest', async () => {
      const customer = await aCustomer(t, { name: 'Ike', language: 'en' });
      const id = (await customer.start()).data.conversation.id as string;
      for (const url of [`/api/conversations/${id}/messages`, `/api/conversations/${id}/events`, `/api/widget/conversations/${id}/messages`]) {
        const headers = url.startsWith('/api/widget') ? customer.headers : ana;
        const beyond = await t.request({ method: 'GET', url: `${url}?after=${2 ** 31}`, headers });
        expect([beyond.statusCode, beyond.data.error?.details?.[0]?.path], url).toEqual([422, 'query.after']);
        const largest = await t.request({ method: 'GET', url: `${url}?after=${2 ** 31 - 1}`, headers });
        expect([largest.statusCode, largest.data], url).toEqual([200, []]);
      }
    });
  });

  describe('capacity and the waiting line', () => {
    it('never assigns Ana beyond her cap, and assigns the next waiting conversation the moment she has room', async () => {
      // Ana: chat capacity 3. Fill the Spanish queue concurrently.
      const customers = await Promise.all(Array.from({ length: 6 }, (_, i) => aCustomer(t, { name: `C${i}`, language: 'es', properties: { plan: 'enterprise' } })));
      const conversations = await Promise.all(customers.map(async (c) => ({ c, id: (await c.start()).data.conversation.id as string })));
      await Promise.all(conversations.map(({ c, id }) => c.say(id, 'quiero hablar con una persona')));
      const open = await t.request({ method: 'GET', url: '/api/conversations?owner=ana&status=assigned,waiting_on_customer&channel=web-chat&limit=200', headers: ana });
      const anaChats = (open.data.items as { channelType: string }[]).filter((c) => c.channelType === 'chat');
      expect(anaChats.length).toBeLessThanOrEqual(3);
      const waiting = await t.request({ method: 'GET', url: '/api/conversations?status=queued&queue=es-support', headers: ana });
      expect(waiting.data.items.length).toBeGreaterThan(0);

      // Ana resolves one: the oldest waiting conversation is assigned to her (event-driven path).
      const oneOfAnas = anaChats[0] as unknown as { id: string };
      await t.request({ method: 'POST', url: `/api/conversations/${oneOfAnas.id}/resolve`, headers: ana });
      const before = waiting.data.items.length as number;
      const assigned = await t.baton.assigner.runOnce();
      expect(assigned).toBe(1);
      const after = await t.request({ method: 'GET', url: '/api/conversations?status=queued&queue=es-support', headers: ana });
      expect(after.data.items.length).toBe(before - 1);
      const stillCapped = await t.request({ method: 'GET', url: '/api/conversations?owner=ana&status=assigned,waiting_on_customer&limit=200', headers: ana });
      expect((stillCapped.data.items as { channelType: string }[]).filter((c) => c.channelType === 'chat').length).toBeLessThanOrEqual(3);
    });
  });
});
