/**
 * External assistants against real loopback servers: a webhook bot
 * (test/support/loopback-receivers.ts) and a fake OpenAI-compatible chat-completions server
 * (node:http, speaking the request/response shapes, tool_calls included). Time moves with the test
 * clock, which the outbox worker reads for backoff.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startHttpReceiver, type HttpReceiver } from '../support/loopback-receivers.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const BOT_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const LLM_KEY = 'sk-test-0123456789';

const CONFIG = `
workspace: { name: Acme Support, timezone: UTC }
schedules:
  - id: always
    timezone: UTC
    hours: { mon-sun: ["00:00-24:00"] }
users:
  - { id: ana, name: Ana García, email: ana@acme.test, role: agent, schedule: always }
  - { id: olu, name: Olu Bello, email: olu@acme.test, role: admin, schedule: always, status: away }
teams:
  - { id: desk, name: Front desk, members: [ana], leads: [olu] }
queues:
  - { id: general, name: General, team: desk }
channels:
  - { id: bot-chat, type: api, assistant: webhook, botUrl: "\${BOT_URL}/bot", botSecret: "\${BOT_SECRET}", defaultRoute: { queue: general } }
  - { id: llm-chat, type: api, assistant: llm, defaultRoute: { queue: general } }
knowledge:
  - id: reset-password
    title: How do I reset my password?
    body: Open Settings, then Security, and choose "Reset password".
assistant:
  neverAutomate: [refund]
  llm:
    baseUrl: "\${LLM_URL}/v1"
    model: baton-test-model
    apiKey: "\${LLM_API_KEY}"
    timeout: 1s
handoff:
  rules: []
  fallback:
    destination: { queue: general }
    assignment: unassign_to_queue
notifications:
  allowPrivateNetworks: true
`;

interface LlmRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field
  readonly body: any;
}

type LlmBehaviour = (request: LlmRequest) => Promise<{ status: number; json: unknown } | 'hang'>;

/** A fake chat-completions server: records requests; `behave` decides each answer. */
async function startFakeLlm(): Promise<{ url: string; requests: LlmRequest[]; behave(next: LlmBehaviour): void; close(): Promise<void> }> {
  const requests: LlmRequest[] = [];
  let behaviour: LlmBehaviour = () => Promise.resolve({ status: 200, json: textAnswer('Hello!') });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
      requests.push(request);
      void behaviour(request).then((answer) => {
        if (answer === 'hang') return; // never answers: the client's timeout fires
        res.writeHead(answer.status, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify(answer.json));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    behave(next) {
      behaviour = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function textAnswer(content: string): unknown {
  return { id: 'chatcmpl-1', object: 'chat.completion', model: 'baton-test-model', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] };
}

function toolCall(args: unknown): unknown {
  return {
    id: 'chatcmpl-2',
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        finish_reason: 'tool_calls',
        message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'handoff_to_human', arguments: JSON.stringify(args) } }] },
      },
    ],
  };
}

/** Standard Webhooks verification at the signed instant (the test clock is not the wall clock). */
function verifyBotSignature(body: string, headers: IncomingHttpHeaders): unknown {
  vi.useFakeTimers({ toFake: ['Date'], now: Number(headers['webhook-timestamp']) * 1000 });
  try {
    return new Webhook(BOT_SECRET).verify(body, headers as Record<string, string>);
  } finally {
    vi.useRealTimers();
  }
}

async function start(t: TestApp, channel: string, message: string, name = 'Kim'): Promise<{ id: string; data: Record<string, unknown> }> {
  const created = await t.request({ method: 'POST', url: '/api/conversations', headers: t.admin, payload: { channel, contact: { name, language: 'en' }, message } });
  expect(created.statusCode).toBe(201);
  return { id: created.data.conversation.id as string, data: created.data as Record<string, unknown> };
}

async function conversation(t: TestApp, id: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const read = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin });
  expect(read.statusCode).toBe(200);
  return read.data as Record<string, unknown>;
}

async function messagesOf(t: TestApp, id: string): Promise<{ author: string; body: string; authorName: string | null }[]> {
  const read = await t.request({ method: 'GET', url: `/api/conversations/${id}/messages`, headers: t.admin });
  return read.data as { author: string; body: string; authorName: string | null }[];
}

async function delivery(t: TestApp, id: string, kind: string): Promise<{ status: string; attempts: number; lastError: string | null }> {
  const listed = await t.request({ method: 'GET', url: '/api/deliveries?limit=500', headers: t.admin });
  const rows = (listed.data.items as { conversationId: string | null; kind: string; status: string; attempts: number; lastError: string | null }[]).filter((d) => d.conversationId === id && d.kind === kind);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** Drain, then let the clock pass each backoff and drain again, `attempts` times in all. */
async function runAttempts(t: TestApp, attempts: number): Promise<void> {
  await t.baton.outbox.drain();
  for (let i = 1; i < attempts; i++) {
    t.clock.advance(60_000);
    await t.baton.outbox.drain();
  }
}

eachDialect('webhook bot', (dialect) => {
  let t: TestApp;
  let bot: HttpReceiver;
  let botToken: Record<string, string>;
  beforeAll(async () => {
    bot = await startHttpReceiver();
    t = await startTestApp(dialect, { config: CONFIG, env: { BOT_URL: bot.url, BOT_SECRET, LLM_URL: 'http://127.0.0.1:9', LLM_API_KEY: LLM_KEY } });
    const created = await t.request({ method: 'POST', url: '/api/users/olu/tokens', headers: t.admin, payload: { name: 'our bot', scopes: ['bot'], channels: ['bot-chat'] } });
    expect(created.statusCode).toBe(201);
    botToken = { authorization: `Bearer ${created.data.token as string}` };
  });
  afterAll(async () => {
    await t.close();
    await bot.close();
  });

  it('refuses a bot scope mixed with others, and a bot token outside the bot endpoints', async () => {
    const mixed = await t.request({ method: 'POST', url: '/api/users/olu/tokens', headers: t.admin, payload: { name: 'x', scopes: ['bot', 'write'] } });
    expect(mixed.statusCode).toBe(422);
    expect(mixed.data.error.code).toBe('invalid');
    const { id } = await start(t, 'bot-chat', 'Where is my parcel?');
    const claim = await t.request({ method: 'POST', url: `/api/conversations/${id}/claim`, headers: botToken });
    expect(claim.statusCode).toBe(403);
    expect(claim.data.error.code).toBe('forbidden');
    const list = await t.request({ method: 'GET', url: '/api/conversations', headers: botToken });
    expect(list.statusCode).toBe(403);
  });

  it('POSTs {conversation, message} signed per Standard Webhooks; the customer request does not wait; the bot answers as the AI agent', async () => {
    const { id, data } = await start(t, 'bot-chat', 'How do I reset my password?');
    // Nothing answered synchronously: the message is the bot's to answer.
    expect(data.conversation).toMatchObject({ status: 'bot' });
    expect((data.messages as { author: string }[]).map((m) => m.author)).toEqual(['contact']);
    await t.baton.outbox.drain();
    const received = bot.to('/bot').filter((r) => r.body.includes(id));
    expect(received).toHaveLength(1);
    const request = received[0]!;
    const payload = verifyBotSignature(request.body, request.headers) as { conversation: { id: string; status: string; channel: string }; message: { author: string; body: string; seq: number } };
    expect(payload.conversation).toMatchObject({ id, status: 'bot', channel: 'bot-chat' });
    expect(payload.message).toMatchObject({ author: 'contact', body: 'How do I reset my password?', seq: 1 });
    expect(request.headers['webhook-id']).toBe(`${id}:bot.webhook.message:1`);
    expect(() => verifyBotSignature(request.body.replace('reset', 'RESET'), request.headers)).toThrow();

    const answer = await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: botToken, payload: { body: 'Open Settings → Security.' } });
    expect(answer.statusCode).toBe(201);
    expect(answer.data).toMatchObject({ author: 'assistant', authorName: 'AI assistant', authorId: null, body: 'Open Settings → Security.' });
    expect((await conversation(t, id)).status).toBe('bot');
    const read = await t.request({ method: 'GET', url: `/api/conversations/${id}/messages`, headers: botToken });
    expect(read.statusCode).toBe(200);
  });

  it('hands off when the bot asks, with its summary; after that the bot is refused (409)', async () => {
    const { id } = await start(t, 'bot-chat', 'My invoice shows the wrong amount');
    const handed = await t.request({
      method: 'POST',
      url: `/api/conversations/${id}/handoff`,
      headers: botToken,
      payload: { trigger: 'unsupported_topic', reason: 'billing question', summary: 'Invoice amount looks wrong; wants it corrected.' },
    });
    expect(handed.statusCode).toBe(200);
    expect(handed.data.handoff).toMatchObject({ trigger: 'unsupported_topic', rule: 'fallback', summary: { text: 'Invoice amount looks wrong; wants it corrected.', source: 'bot' } });
    const view = await conversation(t, id);
    expect(view.status).not.toBe('bot');
    expect(view.handoff.summary.source).toBe('bot');

    const late = await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: botToken, payload: { body: 'Anything else?' } });
    expect(late.statusCode).toBe(409);
    expect(late.data.error.code).toBe('conflict');
    const again = await t.request({ method: 'POST', url: `/api/conversations/${id}/handoff`, headers: botToken, payload: {} });
    expect(again.statusCode).toBe(409);
  });

  // Regression (issue 17 #9): a bot token read and answered every conversation, of every channel.
  it("reaches only its own channels' conversations, and must name them", async () => {
    const { id: elsewhere } = await start(t, 'llm-chat', 'hello from another channel');
    for (const request of [
      { method: 'GET' as const, url: `/api/conversations/${elsewhere}` },
      { method: 'GET' as const, url: `/api/conversations/${elsewhere}/messages` },
      { method: 'POST' as const, url: `/api/conversations/${elsewhere}/messages`, payload: { body: 'I am a bot' } },
      { method: 'POST' as const, url: `/api/conversations/${elsewhere}/handoff`, payload: {} },
    ]) {
      const response = await t.request({ ...request, headers: botToken });
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(404);
    }
    const unnamed = await t.request({ method: 'POST', url: '/api/users/olu/tokens', headers: t.admin, payload: { name: 'bot', scopes: ['bot'] } });
    expect(unnamed.statusCode).toBe(422);
    expect(unnamed.data.error.details).toEqual([{ path: 'channels', message: 'required with the bot scope' }]);
    const unknown = await t.request({ method: 'POST', url: '/api/users/olu/tokens', headers: t.admin, payload: { name: 'bot', scopes: ['bot'], channels: ['nope'] } });
    expect(unknown.statusCode).toBe(422);
    const person = await t.request({ method: 'POST', url: '/api/users/olu/tokens', headers: t.admin, payload: { name: 'me', channels: ['bot-chat'] } });
    expect(person.statusCode).toBe(422);
  });

  // Regression (issue 17 #9, in part): a bot token read the internal notes of the conversations it reached.
  it('never shows a bot the internal notes', async () => {
    const { id } = await start(t, 'bot-chat', 'My invoice shows the wrong amount');
    const note = await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: t.admin, payload: { body: 'Customer owes us 3 invoices: careful', private: true } });
    expect(note.statusCode).toBe(201);
    const asBot = await t.request({ method: 'GET', url: `/api/conversations/${id}/messages`, headers: botToken });
    expect(asBot.statusCode).toBe(200);
    expect((asBot.data as { body: string; private: boolean }[]).some((m) => m.private || m.body.includes('careful'))).toBe(false);
    const asAdmin = await t.request({ method: 'GET', url: `/api/conversations/${id}/messages`, headers: t.admin });
    expect((asAdmin.data as { body: string }[]).some((m) => m.body.includes('careful'))).toBe(true);
  });

  it('hands off at once when the customer asks for a person, without calling the bot; the human sees an extractive summary', async () => {
    const { id, data } = await start(t, 'bot-chat', 'I want to talk to a human');
    expect(data.handoff).toMatchObject({ trigger: 'customer_requested_human' });
    await t.baton.outbox.drain();
    expect(bot.requests.some((r) => r.body.includes(id))).toBe(false);
    expect((await conversation(t, id)).handoff.summary).toEqual({ text: 'Customer (1 message): “I want to talk to a human”', source: 'extractive' });
  });

  it('does not call the bot once the conversation has left bot', async () => {
    const { id } = await start(t, 'bot-chat', 'Can you help with my order?');
    const handed = await t.request({ method: 'POST', url: `/api/conversations/${id}/handoff`, headers: t.admin, payload: { reason: 'VIP' } });
    expect(handed.statusCode).toBe(200);
    await t.baton.outbox.drain();
    expect(bot.requests.some((r) => r.body.includes(id))).toBe(false);
    expect((await delivery(t, id, 'bot.webhook.message')).status).toBe('done');
  });

  it('hands off (no_assistant) when the bot is down after the retries', async () => {
    await bot.setMode('down');
    try {
      const { id } = await start(t, 'bot-chat', 'Is the shop open on Sunday?');
      await t.baton.outbox.drain();
      expect((await conversation(t, id)).status).toBe('bot');
      await runAttempts(t, 4);
      const view = await conversation(t, id);
      expect(view.status).not.toBe('bot');
      expect(view.handoff).toMatchObject({ trigger: 'no_assistant' });
      expect(view.handoff.note).toMatch(/^the webhook bot failed \(4 attempts\): POST .*ECONNREFUSED/);
      expect(await delivery(t, id, 'bot.webhook.message')).toMatchObject({ status: 'dead', attempts: 4 });
    } finally {
      await bot.setMode('ok');
    }
  });

  it('hands off at once when the bot refuses the message (HTTP 4xx)', async () => {
    await bot.setMode(410);
    try {
      const { id } = await start(t, 'bot-chat', 'Do you ship to Canada?');
      await t.baton.outbox.drain();
      const view = await conversation(t, id);
      expect(view.handoff).toMatchObject({ trigger: 'no_assistant' });
      expect(view.handoff.note).toContain('HTTP 410');
      expect(await delivery(t, id, 'bot.webhook.message')).toMatchObject({ status: 'dead', attempts: 1 });
    } finally {
      await bot.setMode('ok');
    }
  });
});

eachDialect('LLM agent', (dialect) => {
  let t: TestApp;
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  beforeAll(async () => {
    llm = await startFakeLlm();
    t = await startTestApp(dialect, { config: CONFIG, env: { BOT_URL: 'http://127.0.0.1:9', BOT_SECRET, LLM_URL: llm.url, LLM_API_KEY: LLM_KEY } });
  });
  afterAll(async () => {
    await t.close();
    await llm.close();
  });

  it('posts the model’s answer as the AI agent, having sent the model, the grounding, the transcript, the tool and the key', async () => {
    llm.behave(() => Promise.resolve({ status: 200, json: textAnswer('Open Settings, then Security, and choose "Reset password".') }));
    const { id, data } = await start(t, 'llm-chat', 'How do I reset my password?');
    expect((data.messages as { author: string }[]).map((m) => m.author)).toEqual(['contact']);
    const before = llm.requests.length;
    await t.baton.outbox.drain();
    expect(llm.requests.length).toBe(before + 1);
    const request = llm.requests.at(-1)!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${LLM_KEY}`);
    expect(request.body.model).toBe('baton-test-model');
    const [system, ...rest] = request.body.messages as { role: string; content: string }[];
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('Acme Support');
    expect(system?.content).toContain('How do I reset my password? (id: reset-password)');
    expect(rest).toEqual([{ role: 'user', content: 'How do I reset my password?' }]);
    expect(request.body.tools).toEqual([expect.objectContaining({ type: 'function', function: expect.objectContaining({ name: 'handoff_to_human' }) })]);

    const messages = await messagesOf(t, id);
    expect(messages.map((m) => [m.author, m.body])).toEqual([
      ['contact', 'How do I reset my password?'],
      ['assistant', 'Open Settings, then Security, and choose "Reset password".'],
    ]);
    expect((await conversation(t, id)).status).toBe('bot');
    expect((await delivery(t, id, 'bot.llm.turn')).status).toBe('done');
  });

  it('hands off on the handoff tool, with the model’s summary and its reason mapped to a trigger', async () => {
    llm.behave(() => Promise.resolve({ status: 200, json: toolCall({ reason: 'the customer is upset', summary: 'Charged twice for order 1234; wants a refund of one charge.' }) }));
    const { id } = await start(t, 'llm-chat', 'You charged me twice, this is ridiculous');
    await t.baton.outbox.drain();
    const view = await conversation(t, id);
    expect(view.status).not.toBe('bot');
    expect(view.handoff).toMatchObject({
      trigger: 'negative_sentiment',
      rule: 'fallback',
      note: 'the LLM agent handed off: the customer is upset',
      summary: { text: 'Charged twice for order 1234; wants a refund of one charge.', source: 'llm' },
    });
    expect((await messagesOf(t, id)).some((m) => m.author === 'assistant')).toBe(false);
  });

  it('hands off when the model does not answer in time, after the retries', async () => {
    llm.behave(() => Promise.resolve('hang'));
    const { id } = await start(t, 'llm-chat', 'What are your opening hours?');
    await runAttempts(t, 3);
    const view = await conversation(t, id);
    expect(view.handoff).toMatchObject({ trigger: 'no_assistant' });
    expect(view.handoff.note).toMatch(/^the LLM agent failed \(3 attempts\): POST .*no answer within 1000 ms/);
    expect(await delivery(t, id, 'bot.llm.turn')).toMatchObject({ status: 'dead', attempts: 3 });
  });

  it('hands off when the model answers 500, after the retries', async () => {
    llm.behave(() => Promise.resolve({ status: 500, json: { error: { message: 'overloaded' } } }));
    const { id } = await start(t, 'llm-chat', 'Can I change my delivery address?');
    await t.baton.outbox.drain();
    expect((await conversation(t, id)).status).toBe('bot');
    expect(await delivery(t, id, 'bot.llm.turn')).toMatchObject({ status: 'failed', attempts: 1 });
    for (let attempt = 2; attempt <= 3; attempt++) {
      t.clock.advance(60_000);
      await t.baton.outbox.drain();
    }
    const view = await conversation(t, id);
    expect(view.handoff).toMatchObject({ trigger: 'no_assistant' });
    expect(view.handoff.note).toContain('HTTP 500');
    expect(view.handoff.summary).toMatchObject({ source: 'extractive' });
  });

  it('retries a malformed answer, then hands off', async () => {
    llm.behave(() => Promise.resolve({ status: 200, json: { choices: [] } }));
    const { id } = await start(t, 'llm-chat', 'Where can I download my invoice?');
    await runAttempts(t, 3);
    const view = await conversation(t, id);
    expect(view.handoff).toMatchObject({ trigger: 'no_assistant' });
    expect(view.handoff.note).toContain('not a chat completion');
  });

  it('hands off at once on an answer no retry changes (401: a wrong key)', async () => {
    llm.behave(() => Promise.resolve({ status: 401, json: { error: { message: 'invalid api key' } } }));
    const { id } = await start(t, 'llm-chat', 'Do you have gift cards?');
    await t.baton.outbox.drain();
    expect((await conversation(t, id)).handoff).toMatchObject({ trigger: 'no_assistant' });
    expect(await delivery(t, id, 'bot.llm.turn')).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('posts nothing when the conversation leaves bot while the model is thinking', async () => {
    let conversationId = '';
    llm.behave(async () => {
      // A person takes the conversation during the call.
      const handed = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/handoff`, headers: t.admin, payload: { reason: 'taking over' } });
      expect(handed.statusCode).toBe(200);
      return { status: 200, json: textAnswer('Here is how…') };
    });
    const { id } = await start(t, 'llm-chat', 'How do I export my data?');
    conversationId = id;
    await t.baton.outbox.drain();
    expect((await messagesOf(t, id)).some((m) => m.author === 'assistant')).toBe(false);
    expect((await conversation(t, id)).handoff).toMatchObject({ trigger: 'workflow_flag' });
    expect((await delivery(t, id, 'bot.llm.turn')).status).toBe('done');
  });
});
