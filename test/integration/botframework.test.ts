/**
 * Bot Framework handoff (docs/api.md "Bots"), with activities built by the botbuilder
 * package's EventFactory from a TestAdapter turn, and a loopback HTTP receiver as the bot's
 * Connector (`serviceUrl`). Time moves with the test clock, which the outbox worker reads for
 * backoff.
 */
import { randomUUID } from 'node:crypto';
import { EventFactory, TestAdapter, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBotframeworkLink } from '../../src/store/repositories/botframework-conversations.js';
import { startHttpReceiver, type HttpReceiver } from '../support/loopback-receivers.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const CONFIG = `
workspace: { name: Bot Support, timezone: UTC }
schedules:
  - id: always
    timezone: UTC
    hours: { mon-sun: ["00:00-24:00"] }
users:
  - { id: ana, name: Ana García, email: ana@acme.test, role: agent, schedule: always, skills: [product:billing] }
  - { id: olu, name: Olu Bello, email: olu@acme.test, role: admin, schedule: always, status: away }
teams:
  - { id: billing, name: Billing, members: [ana], strategy: round_robin }
  - { id: desk, name: Front desk, members: [olu], strategy: round_robin }
queues:
  - { id: billing, name: Billing, team: billing }
  - { id: general, name: General, team: desk }
channels:
  - { id: bot-chat, type: chat, assistant: builtin, defaultRoute: { queue: general } }
handoff:
  rules:
    - id: billing-bot
      description: The bot says the customer needs billing, for enterprise customers.
      when: [customer_requested_human]
      if:
        all:
          - conversation.skill: { eq: billing }
          - contact.plan: { eq: enterprise }
      then:
        destination: { queue: billing }
        assignment: reassign
  fallback:
    destination: { queue: general }
notifications:
  allowPrivateNetworks: true
`;

const BOT = { id: 'bot-1', name: 'Helper Bot', role: 'bot' };

interface Customer {
  readonly id: string;
  readonly name: string;
}

/** `EventFactory.createHandoffInitiation` on a TestAdapter turn of the customer's last message. */
function handoffInitiation(input: {
  readonly serviceUrl: string;
  readonly bfConversationId: string;
  readonly customer: Customer;
  readonly context: Record<string, unknown>;
  readonly transcript: Activity[];
}): Record<string, unknown> {
  const user = { id: input.customer.id, name: input.customer.name, role: 'user' };
  const reference = { channelId: 'directline', serviceUrl: input.serviceUrl, user, bot: BOT, conversation: { id: input.bfConversationId } } as unknown as ConversationReference;
  const adapter = new TestAdapter(reference);
  const turn = new TurnContext(adapter, {
    type: 'message',
    id: randomUUID(),
    text: 'I want to talk to a person',
    from: user,
    recipient: BOT,
    conversation: { id: input.bfConversationId },
    channelId: 'directline',
    serviceUrl: input.serviceUrl,
  } as Partial<Activity>);
  const event = EventFactory.createHandoffInitiation(turn, input.context, { activities: input.transcript });
  // As it travels: JSON (dates become ISO strings).
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
}

function transcriptOf(customer: Customer, lines: [role: 'user' | 'bot', text: string, at: string][]): Activity[] {
  return lines.map(([role, text, at], i) => ({
    type: 'message',
    id: `t-${customer.id}-${i}`,
    text,
    timestamp: at as unknown as Date,
    from: role === 'user' ? { id: customer.id, name: customer.name, role: 'user' } : BOT,
  }) as Partial<Activity> as Activity);
}

function activitiesPath(bfConversationId: string): string {
  return `/v3/conversations/${encodeURIComponent(bfConversationId)}/activities`;
}

interface ReceivedActivity {
  id: string;
  type: string;
  name?: string;
  text?: string;
  value?: { state: string; message?: string };
  replyToId?: string;
  conversation: { id: string };
  recipient?: { id: string };
}

eachDialect('Bot Framework handoff', (dialect) => {
  let t: TestApp;
  let connector: HttpReceiver;
  let bot: Record<string, string>;
  beforeAll(async () => {
    connector = await startHttpReceiver();
    t = await startTestApp(dialect, { config: CONFIG });
    const created = await t.request({ method: 'POST', url: '/api/users/olu/tokens', headers: t.admin, payload: { name: 'bot connector', scopes: ['bot'], channels: ['bot-chat'] } });
    expect(created.statusCode).toBe(201);
    bot = { authorization: `Bearer ${created.data.token as string}` };
  });
  afterAll(async () => {
    await t.close();
    await connector.close();
  });

  const post = (channel: string, activity: unknown, headers: Record<string, string> = bot) =>
    t.request({ method: 'POST', url: `/api/bots/botframework/${channel}`, headers, payload: activity as Record<string, unknown> });
  const received = (bfConversationId: string): ReceivedActivity[] =>
    connector.to(activitiesPath(bfConversationId)).map((r) => JSON.parse(r.body) as ReceivedActivity);
  const linkOf = async (bfConversationId: string) => {
    const link = await findBotframeworkLink(t.baton.ctx.database.db, 'bot-chat', bfConversationId);
    expect(link).not.toBeNull();
    return link!;
  };
  interface MessageView {
    author: string;
    body: string;
    createdAt: string;
    private: boolean;
  }
  const messagesOf = async (conversationId: string): Promise<MessageView[]> => {
    const listed = await t.request({ method: 'GET', url: `/api/conversations/${conversationId}/messages`, headers: t.admin });
    expect(listed.statusCode).toBe(200);
    return listed.data as MessageView[];
  };
  const aCustomer = (name: string): Customer => ({ id: `user-${randomUUID()}`, name });
  /** A customer's message the bot relays to Baton (it thinks people have the conversation). */
  const relayedMessage = (bfConversationId: string, customer: Customer, text: string) => ({
    type: 'message',
    id: `m-${randomUUID()}`,
    text,
    serviceUrl: connector.url,
    channelId: 'directline',
    from: { id: customer.id, name: customer.name, role: 'user' },
    recipient: BOT,
    conversation: { id: bfConversationId },
  });
  const simpleInitiation = (bfConversationId: string, customer: Customer, context: Record<string, unknown> = {}) =>
    handoffInitiation({
      serviceUrl: connector.url,
      bfConversationId,
      customer,
      context,
      transcript: transcriptOf(customer, [['user', 'hello, I need help', '2026-11-25T09:00:00Z']]),
    });

  describe('refusals', () => {
    it('answers 401 without a token and with an unknown one, in the one error shape', async () => {
      const activity = simpleInitiation(`bf-${randomUUID()}`, aCustomer('Nobody'));
      const missing = await post('bot-chat', activity, {});
      expect(missing.statusCode).toBe(401);
      expect(missing.data).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      const wrong = await post('bot-chat', activity, { authorization: 'Bearer bt_not-a-real-token' });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.data.error.code).toBe('unauthorized');
    });

    it('answers 403 to a token without the bot scope, and the bot token reaches nothing else', async () => {
      const activity = simpleInitiation(`bf-${randomUUID()}`, aCustomer('Nobody'));
      const agent = await post('bot-chat', activity, await t.tokenFor('ana'));
      expect(agent.statusCode).toBe(403);
      expect(agent.data.error.code).toBe('forbidden');
      const list = await t.request({ method: 'GET', url: '/api/conversations', headers: bot });
      expect(list.statusCode).toBe(403);
    });

    it('answers 400 with every problem of a malformed activity', async () => {
      const bad = await post('bot-chat', { type: 'event', name: 'handoff.initiate', id: 'x1', serviceUrl: 'ftp://connector.test', from: {} });
      expect(bad.statusCode).toBe(400);
      expect(bad.data.error.code).toBe('invalid');
      const paths = (bad.data.error.details as { path: string }[]).map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['serviceUrl', 'from.id', 'conversation']));
      const notJson = await t.request({ method: 'POST', url: '/api/bots/botframework/bot-chat', headers: { ...bot, 'content-type': 'application/json' }, payload: '{"type": "event",' });
      expect(notJson.statusCode).toBe(400);
      expect(notJson.data.error.code).toBe('invalid');
    });
  });

  describe('handoff.initiate', () => {
    it('creates the conversation with the transcript and context, hands it off by the rules and answers accepted', async () => {
      const customer = aCustomer('Lucía Pérez');
      const bfConversationId = `bf-${randomUUID()}`;
      const activity = handoffInitiation({
        serviceUrl: connector.url,
        bfConversationId,
        customer,
        context: { skill: 'billing', summary: 'Charged twice for November', priority: 'high', properties: { plan: 'enterprise' }, agentHub: { custom: true } },
        transcript: transcriptOf(customer, [
          ['user', 'I was charged twice this month', '2026-11-25T09:00:00Z'],
          ['bot', 'I can look at your invoices. Which one?', '2026-11-25T09:00:05Z'],
          ['user', 'talk to a human please', '2026-11-25T09:01:00Z'],
        ]),
      });
      // The botbuilder-js EventFactory sends the transcript as application/json named "Transcript".
      expect((activity.attachments as { contentType: string; name: string }[])[0]).toMatchObject({ contentType: 'application/json', name: 'Transcript' });

      const answer = await post('bot-chat', activity);
      expect(answer.statusCode).toBe(200);
      expect(answer.data).toMatchObject({
        type: 'event',
        name: 'handoff.status',
        value: { state: 'accepted' },
        conversation: { id: bfConversationId },
        replyToId: activity.id,
        recipient: { id: BOT.id },
        channelId: 'directline',
      });

      const link = await linkOf(bfConversationId);
      const conversation = await t.request({ method: 'GET', url: `/api/conversations/${link.conversationId}`, headers: t.admin });
      expect(conversation.statusCode).toBe(200);
      expect(conversation.data).toMatchObject({
        channel: 'bot-chat',
        status: 'assigned',
        owner: 'ana',
        queue: 'billing',
        priority: 'high',
        properties: { skill: 'billing' },
        contact: { name: 'Lucía Pérez', properties: { plan: 'enterprise' } },
        handoff: { trigger: 'customer_requested_human', rule: 'billing-bot' },
      });

      const list = await messagesOf(link.conversationId);
      const transcript = list.filter((m) => m.author !== 'system');
      expect(transcript.map((m) => [m.author, m.body, m.createdAt])).toEqual([
        ['contact', 'I was charged twice this month', '2026-11-25T09:00:00.000Z'],
        ['assistant', 'I can look at your invoices. Which one?', '2026-11-25T09:00:05.000Z'],
        ['contact', 'talk to a human please', '2026-11-25T09:01:00.000Z'],
      ]);
      const note = list.find((m) => m.author === 'system' && m.private);
      expect(note?.body).toContain('Summary: Charged twice for November');
      expect(note?.body).toContain('Skill: billing');

      // The same status on the bot's Connector, with the same id.
      await t.baton.outbox.drain();
      const sent = received(bfConversationId);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ id: answer.data.id, type: 'event', name: 'handoff.status', value: { state: 'accepted' } });
    });

    it('accepts the transcript as application/vnd.microsoft.activity.transcript holding the activities', async () => {
      const customer = aCustomer('Kim');
      const bfConversationId = `bf-${randomUUID()}`;
      const activity = simpleInitiation(bfConversationId, customer);
      const attachments = activity.attachments as { contentType: string; content: { activities: unknown[] } }[];
      activity.attachments = [{ contentType: 'application/vnd.microsoft.activity.transcript', content: attachments[0]!.content.activities }];
      const answer = await post('bot-chat', activity);
      expect(answer.data.value).toEqual({ state: 'accepted' });
      const link = await linkOf(bfConversationId);
      const conversation = await t.request({ method: 'GET', url: `/api/conversations/${link.conversationId}`, headers: t.admin });
      // No skill, no enterprise plan: the fallback.
      expect(conversation.data).toMatchObject({ status: 'queued', queue: 'general', handoff: { rule: 'fallback' } });
      expect((await messagesOf(link.conversationId)).filter((m) => m.author === 'contact').map((m) => m.body)).toEqual(['hello, I need help']);
    });

    it('answers failed for an unknown channel, on the HTTP answer and on the Connector', async () => {
      const bfConversationId = `bf-${randomUUID()}`;
      // The bot's own token is for bot-chat only (issue 17 #9): another channel is refused outright.
      const elsewhere = await post('nowhere', simpleInitiation(bfConversationId, aCustomer('Lost')));
      expect(elsewhere.statusCode).toBe(403);
      expect(elsewhere.data.error.message).toBe('this bot token is not for channel "nowhere"');
      // The bootstrap token reaches every channel, so an unknown one is answered in the protocol.
      const answer = await post('nowhere', simpleInitiation(bfConversationId, aCustomer('Lost')), t.admin);
      expect(answer.statusCode).toBe(200);
      expect(answer.data).toMatchObject({ type: 'event', name: 'handoff.status', value: { state: 'failed', message: 'unknown channel "nowhere"' } });
      await t.baton.outbox.drain();
      expect(received(bfConversationId)).toEqual([expect.objectContaining({ id: answer.data.id, value: answer.data.value })]);
      expect(await findBotframeworkLink(t.baton.ctx.database.db, 'nowhere', bfConversationId)).toBeNull();
    });

    it('answers failed for a context it cannot use, and creates nothing', async () => {
      const bfConversationId = `bf-${randomUUID()}`;
      const answer = await post('bot-chat', simpleInitiation(bfConversationId, aCustomer('Odd'), { priority: 'mega', trigger: 'sla_breach' }));
      expect(answer.statusCode).toBe(200);
      expect(answer.data.value.state).toBe('failed');
      expect(answer.data.value.message).toContain('value.priority');
      expect(answer.data.value.message).toContain('value.trigger');
      expect(await findBotframeworkLink(t.baton.ctx.database.db, 'bot-chat', bfConversationId)).toBeNull();
    });

    it('keeps one conversation per Bot Framework conversation: a re-sent initiate, a second one, and two at once', async () => {
      const customer = aCustomer('Sam');
      const bfConversationId = `bf-${randomUUID()}`;
      const first = simpleInitiation(bfConversationId, customer);
      // Several different initiates for a new Bot Framework conversation at the same moment.
      const others = [1, 2, 3].map((n) => simpleInitiation(bfConversationId, customer, { summary: `thought ${n}` }));
      const answers = await Promise.all([first, ...others].map((activity) => post('bot-chat', activity)));
      expect(answers.map((r): unknown[] => [r.statusCode, r.data.value.state])).toEqual(answers.map(() => [200, 'accepted']));
      const a = answers[0]!;
      const link = await linkOf(bfConversationId);
      const rows = await t.baton.ctx.database.db.selectFrom('botframework_conversations').selectAll().where('bf_conversation_id', '=', bfConversationId).execute();
      expect(rows).toHaveLength(1);
      const contactConversations = await t.request({ method: 'GET', url: `/api/conversations?channel=bot-chat`, headers: t.admin });
      expect((contactConversations.data.items as { contact: { name: string } }[]).filter((c) => c.contact.name === 'Sam')).toHaveLength(1);

      // The first again (the bot retried): the same answer, nothing new written.
      const before = await messagesOf(link.conversationId);
      const again = await post('bot-chat', first);
      expect(again.data).toMatchObject({ id: a.data.id, value: { state: 'accepted' } });
      const after = await messagesOf(link.conversationId);
      expect(after).toHaveLength(before.length);
      // The transcript line both carried is there once.
      expect(after.filter((m) => m.body === 'hello, I need help')).toHaveLength(1);
      // Handed off once: a second initiate does not re-route a conversation people have.
      const events = await t.request({ method: 'GET', url: `/api/conversations/${link.conversationId}/events`, headers: t.admin });
      expect((events.data as { type: string }[]).filter((e) => e.type === 'handoff.completed')).toHaveLength(1);
    });
  });

  describe('after the handoff', () => {
    it('sends completed once when an agent resolves it, retrying after a 503 with the same activity', async () => {
      const customer = aCustomer('Resolved Customer');
      const bfConversationId = `bf-${randomUUID()}`;
      await post('bot-chat', simpleInitiation(bfConversationId, customer, { skill: 'billing', properties: { plan: 'enterprise' } }));
      await t.baton.outbox.drain();
      const link = await linkOf(bfConversationId);
      expect(received(bfConversationId).map((a) => a.value?.state)).toEqual(['accepted']);

      await connector.setMode(503);
      const resolved = await t.request({ method: 'POST', url: `/api/conversations/${link.conversationId}/resolve`, headers: await t.tokenFor('ana') });
      expect(resolved.statusCode).toBe(200);
      await t.baton.outbox.drain();
      const refused = received(bfConversationId).filter((a) => a.value?.state === 'completed');
      expect(refused).toHaveLength(1);
      const deliveries = await t.request({ method: 'GET', url: '/api/deliveries?kind=deliver.botframework&limit=500', headers: t.admin });
      const row = (deliveries.data.items as { conversationId: string; type: string; status: string; attempts: number; lastError: string; nextAttemptAt: string; target: string }[]).find(
        (d) => d.conversationId === link.conversationId && d.status !== 'done',
      );
      expect(row).toMatchObject({ status: 'failed', attempts: 1, type: 'handoff.status', target: `${connector.url}${activitiesPath(bfConversationId)}` });
      expect(row!.lastError).toContain('HTTP 503');

      await connector.setMode('ok');
      t.clock.advance(Date.parse(row!.nextAttemptAt) - t.clock.now());
      await t.baton.outbox.drain();
      t.clock.advance(3_600_000);
      await t.baton.outbox.drain();
      const completed = received(bfConversationId).filter((a) => a.value?.state === 'completed');
      // The 503 and the one that was taken; the same activity both times.
      expect(completed).toHaveLength(2);
      expect(completed[1]).toEqual(completed[0]);
      expect(completed[1]).toMatchObject({ type: 'event', name: 'handoff.status', conversation: { id: bfConversationId }, recipient: { id: BOT.id } });
      expect(connector.requests.filter((r) => r.body.includes(completed[0]!.id))).toHaveLength(2);
    });

    it("relays the agent's reply as a message activity, and the customer's messages back into the conversation", async () => {
      const customer = aCustomer('Chatty Customer');
      const bfConversationId = `bf-${randomUUID()}`;
      await post('bot-chat', simpleInitiation(bfConversationId, customer, { skill: 'billing', properties: { plan: 'enterprise' } }));
      const link = await linkOf(bfConversationId);
      const ana = await t.tokenFor('ana');
      const reply = await t.request({ method: 'POST', url: `/api/conversations/${link.conversationId}/messages`, headers: ana, payload: { body: 'Hi, Ana here. Let me check.' } });
      expect(reply.statusCode).toBeLessThan(300);
      await t.request({ method: 'POST', url: `/api/conversations/${link.conversationId}/messages`, headers: ana, payload: { body: 'internal: refund?', private: true } });
      await t.baton.outbox.drain();
      const messages = received(bfConversationId).filter((a) => a.type === 'message');
      expect(messages).toEqual([expect.objectContaining({ type: 'message', text: 'Hi, Ana here. Let me check.', from: expect.objectContaining({ name: 'Ana García' }) })]);

      const customerMessage = relayedMessage(bfConversationId, customer, 'Thanks Ana, it is invoice 42');
      const relayed = await post('bot-chat', customerMessage);
      expect(relayed.statusCode).toBe(200);
      expect(relayed.data).toEqual({ id: customerMessage.id });
      await post('bot-chat', customerMessage);
      expect((await messagesOf(link.conversationId)).filter((m) => m.body === 'Thanks Ana, it is invoice 42')).toEqual([
        expect.objectContaining({ author: 'contact' }),
      ]);
    });

    it('hands the same conversation off again when the bot initiates after it was resolved', async () => {
      const customer = aCustomer('Returning Customer');
      const bfConversationId = `bf-${randomUUID()}`;
      const context = { skill: 'billing', properties: { plan: 'enterprise' } };
      await post('bot-chat', simpleInitiation(bfConversationId, customer, context));
      const link = await linkOf(bfConversationId);
      expect((await t.request({ method: 'POST', url: `/api/conversations/${link.conversationId}/resolve`, headers: t.admin })).statusCode).toBe(200);
      const again = await post('bot-chat', simpleInitiation(bfConversationId, customer, { ...context, summary: 'back with another question' }));
      expect(again.data.value).toEqual({ state: 'accepted' });
      expect((await linkOf(bfConversationId)).conversationId).toBe(link.conversationId);
      const conversation = await t.request({ method: 'GET', url: `/api/conversations/${link.conversationId}`, headers: t.admin });
      expect(conversation.data).toMatchObject({ status: 'assigned', owner: 'ana', queue: 'billing' });
      const events = await t.request({ method: 'GET', url: `/api/conversations/${link.conversationId}/events`, headers: t.admin });
      expect((events.data as { type: string }[]).filter((e) => e.type === 'handoff.completed')).toHaveLength(2);
    });

    it('goes on in a new conversation that names the closed one: an initiate and a relayed message after it closed', async () => {
      const customer = aCustomer('Back Next Month');
      const bfConversationId = `bf-${randomUUID()}`;
      const context = { skill: 'billing', properties: { plan: 'enterprise' } };
      await post('bot-chat', simpleInitiation(bfConversationId, customer, context));
      const first = (await linkOf(bfConversationId)).conversationId;
      expect((await t.request({ method: 'POST', url: `/api/conversations/${first}/resolve`, headers: t.admin })).statusCode).toBe(200);
      t.clock.advance(8 * 86_400_000);
      await t.baton.outbox.drain();
      expect((await t.request({ method: 'GET', url: `/api/conversations/${first}`, headers: t.admin })).data).toMatchObject({ status: 'closed' });

      // The bot hands the same Bot Framework conversation off again: accepted, in a new conversation.
      const again = await post('bot-chat', simpleInitiation(bfConversationId, customer, { ...context, summary: 'a new question' }));
      expect(again.data.value).toEqual({ state: 'accepted' });
      const second = (await linkOf(bfConversationId)).conversationId;
      expect(second).not.toBe(first);
      expect((await t.request({ method: 'GET', url: `/api/conversations/${second}`, headers: t.admin })).data).toMatchObject({
        status: 'assigned',
        owner: 'ana',
        previousConversationId: first,
      });
      const continued = await t.request({ method: 'GET', url: `/api/conversations/${first}/events`, headers: t.admin });
      expect((continued.data as { type: string; data: unknown }[]).filter((e) => e.type === 'conversation.continued')).toEqual([
        expect.objectContaining({ data: { conversationId: second } }),
      ]);
      // The agent's reply goes out from the new conversation to the same Bot Framework conversation.
      const ana = await t.tokenFor('ana');
      expect((await t.request({ method: 'POST', url: `/api/conversations/${second}/messages`, headers: ana, payload: { body: 'Welcome back' } })).statusCode).toBeLessThan(300);
      await t.baton.outbox.drain();
      expect(received(bfConversationId).filter((a) => a.type === 'message').map((a) => a.text)).toContain('Welcome back');

      // Closed again; this time the bot relays a message as if people still had it: not dropped.
      expect((await t.request({ method: 'POST', url: `/api/conversations/${second}/resolve`, headers: ana })).statusCode).toBe(200);
      t.clock.advance(8 * 86_400_000);
      await t.baton.outbox.drain();
      expect((await t.request({ method: 'GET', url: `/api/conversations/${second}`, headers: t.admin })).data).toMatchObject({ status: 'closed' });
      const relay = relayedMessage(bfConversationId, customer, 'Hello again, my invoice is wrong');
      expect((await post('bot-chat', relay)).statusCode).toBe(200);
      await post('bot-chat', relay);
      const third = (await linkOf(bfConversationId)).conversationId;
      expect(third).not.toBe(second);
      expect((await t.request({ method: 'GET', url: `/api/conversations/${third}`, headers: t.admin })).data).toMatchObject({ previousConversationId: second });
      expect((await t.request({ method: 'GET', url: `/api/conversations/${third}`, headers: t.admin })).data).not.toMatchObject({ status: 'bot' });
      expect((await messagesOf(third)).filter((m) => m.body === 'Hello again, my invoice is wrong')).toEqual([expect.objectContaining({ author: 'contact' })]);
      expect((await messagesOf(second)).filter((m) => m.body === 'Hello again, my invoice is wrong')).toEqual([]);
    });

    it('sends completed when an agent hands the conversation back to the bot', async () => {
      const bfConversationId = `bf-${randomUUID()}`;
      await post('bot-chat', simpleInitiation(bfConversationId, aCustomer('Back To Bot')));
      const link = await linkOf(bfConversationId);
      const back = await t.request({ method: 'POST', url: `/api/conversations/${link.conversationId}/handback`, headers: t.admin });
      expect(back.statusCode).toBe(200);
      await t.baton.outbox.drain();
      expect(received(bfConversationId).map((a) => [a.name, a.value?.state, a.value?.message])).toEqual([
        ['handoff.status', 'accepted', undefined],
        ['handoff.status', 'completed', 'handed back to the bot'],
      ]);
      // With the bot again, the bot speaks: a relayed message does not enter the conversation.
      const before = (await messagesOf(link.conversationId)).length;
      await post('bot-chat', { type: 'message', id: `m-${randomUUID()}`, text: 'hello bot', serviceUrl: connector.url, from: { id: 'x', role: 'user' }, conversation: { id: bfConversationId } });
      expect(await messagesOf(link.conversationId)).toHaveLength(before);
    });
  });

  it('describes the endpoint in the OpenAPI document, bearer token only', async () => {
    const doc = await t.request({ method: 'GET', url: '/api/openapi.json' });
    const operation = doc.data.paths['/api/bots/botframework/{channel}'].post;
    expect(operation.security).toEqual([{ bearer: [] }]);
    expect(operation.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['type', 'id', 'serviceUrl', 'from', 'conversation']));
  });
});

eachDialect('Bot Framework handoff to a private serviceUrl', (dialect) => {
  let t: TestApp;
  let connector: HttpReceiver;
  beforeAll(async () => {
    connector = await startHttpReceiver();
    t = await startTestApp(dialect, { config: CONFIG.replace('allowPrivateNetworks: true', 'allowPrivateNetworks: false') });
  });
  afterAll(async () => {
    await t.close();
    await connector.close();
  });

  it('hands off but refuses to send to a loopback Connector unless the workspace allows private networks', async () => {
    const customer: Customer = { id: 'user-private', name: 'Private' };
    const bfConversationId = `bf-${randomUUID()}`;
    const activity = handoffInitiation({
      serviceUrl: connector.url,
      bfConversationId,
      customer,
      context: {},
      transcript: transcriptOf(customer, [['user', 'help', '2026-11-25T09:00:00Z']]),
    });
    const answer = await t.request({ method: 'POST', url: '/api/bots/botframework/bot-chat', headers: t.admin, payload: activity });
    expect(answer.data.value).toEqual({ state: 'accepted' });
    await t.baton.outbox.drain();
    expect(connector.requests).toHaveLength(0);
    const deliveries = await t.request({ method: 'GET', url: '/api/deliveries?kind=deliver.botframework', headers: t.admin });
    expect(deliveries.data.items).toEqual([expect.objectContaining({ status: 'dead', attempts: 1, lastError: expect.stringMatching(/private|loopback/i) })]);
  });
});
