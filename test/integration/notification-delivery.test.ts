/**
 * Notifications and webhooks leave Baton through real receivers on loopback: an SMTP server, a
 * Slack incoming webhook and a webhook endpoint (test/support/loopback-receivers.ts). Time moves
 * with the test clock, which the outbox worker reads for backoff.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeMailTransports } from '../../src/delivery/channels/email.js';
import { postJson } from '../../src/delivery/channels/http-post.js';
import { PermanentDeliveryError } from '../../src/delivery/outbox-worker.js';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../support/loopback-receivers.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PUBLIC_URL = 'https://desk.acme.test';

/** Everyone goes to the general queue, where Ana is the one available agent; every channel notifies. */
function configFor(options: { allowPrivateNetworks: boolean; bea?: boolean }): string {
  const bea = options.bea === true ? '\n  - { id: bea, name: Bea Souza, email: bea@acme.test, role: agent, schedule: always }' : '';
  return `
workspace: { name: Loopback Support, timezone: UTC }
schedules:
  - id: always
    timezone: UTC
    hours: { mon-sun: ["00:00-24:00"] }
users:
  - { id: ana, name: Ana García, email: ana@acme.test, role: agent, schedule: always }
  - { id: olu, name: Olu Bello, email: olu@acme.test, role: admin, schedule: always, status: away }${bea}
teams:
  - { id: desk, name: Front desk, members: [ana${options.bea === true ? ', bea' : ''}], leads: [olu], strategy: round_robin }
queues:
  - { id: general, name: General, team: desk }
channels:
  - { id: api, type: api, assistant: none, defaultRoute: { queue: general } }
handoff:
  rules:
    - id: everyone
      then:
        destination: { queue: general }
        assignment: reassign
        notify: [in_app, email, slack, webhook]
  fallback:
    destination: { queue: general }
notifications:
  slack: { webhookUrl: "\${HTTP_URL}/slack" }
  email: { smtpUrl: "\${SMTP_URL}", from: "Acme Support <support@acme.test>" }
  allowPrivateNetworks: ${options.allowPrivateNetworks}
  webhooks:
    - url: "\${HTTP_URL}/hook"
      secret: "${SECRET}"
      events: [handoff.assigned, handoff.completed, conversation.assigned]
`;
}

interface DeliveryView {
  target: string | null;
  id: string;
  kind: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  idempotencyKey: string;
  conversationId: string | null;
  type: string | null;
}

async function startConversation(t: TestApp, contactName: string): Promise<string> {
  const created = await t.request({
    method: 'POST',
    url: '/api/conversations',
    headers: t.admin,
    payload: { channel: 'api', contact: { name: contactName, email: 'customer@example.test' }, message: 'My invoice is wrong' },
  });
  expect(created.statusCode).toBe(201);
  expect(created.data.conversation).toMatchObject({ status: 'assigned', owner: 'ana' });
  return created.data.conversation.id as string;
}

async function deliveriesOf(t: TestApp, conversationId: string, query = ''): Promise<DeliveryView[]> {
  const listed = await t.request({ method: 'GET', url: `/api/deliveries?limit=500${query}`, headers: t.admin });
  expect(listed.statusCode).toBe(200);
  return (listed.data.items as DeliveryView[]).filter((d) => d.conversationId === conversationId);
}

async function oneDelivery(t: TestApp, conversationId: string, kind: string, type?: string): Promise<DeliveryView> {
  const found = (await deliveriesOf(t, conversationId)).filter((d) => d.kind === kind && (type === undefined || d.type === type));
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Standard Webhooks verification against the receiver's clock, set to the signed instant (the test clock is not the wall clock). */
function verifyWebhook(body: string, headers: Record<string, unknown>): unknown {
  const at = Number(headers['webhook-timestamp']) * 1000;
  vi.useFakeTimers({ toFake: ['Date'], now: at });
  try {
    return new Webhook(SECRET).verify(body, headers as Record<string, string>);
  } finally {
    vi.useRealTimers();
  }
}

eachDialect('notification delivery', (dialect) => {
  let t: TestApp;
  let smtp: SmtpReceiver;
  let http: HttpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    http = await startHttpReceiver();
    t = await startTestApp(dialect, {
      config: configFor({ allowPrivateNetworks: true }),
      env: { SMTP_URL: smtp.url, HTTP_URL: http.url, BATON_PUBLIC_URL: PUBLIC_URL },
    });
  });
  afterAll(async () => {
    await t.close();
    closeMailTransports();
    await smtp.close();
    await http.close();
  });

  it("emails the new owner, with the link and the customer's name escaped in the HTML", async () => {
    const id = await startConversation(t, 'Zoë <script>alert(1)</script> & Co');
    await t.baton.outbox.drain();
    const mails = (await smtp.waitFor(1)).filter((m) => m.parsed.text?.includes(id));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.envelopeTo).toEqual(['ana@acme.test']);
    expect(mail.parsed.from?.text).toContain('support@acme.test');
    expect(mail.parsed.subject).toBe('New conversation: Zoë <script>alert(1)</script> & Co');
    expect(mail.parsed.text).toContain(`${PUBLIC_URL}/conversations/${id}`);
    const html = String(mail.parsed.html);
    expect(html).toContain(`href="${PUBLIC_URL}/conversations/${id}"`);
    expect(html).toContain('Zoë &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(html).not.toContain('<script>');
    expect(mail.parsed.messageId).toMatch(/^<[0-9a-f]{40}@desk\.acme\.test>$/);
    expect((await oneDelivery(t, id, 'notify.email')).status).toBe('done');
  });

  it('posts a Block Kit message to Slack with the contact, trigger, rule and a button to the conversation', async () => {
    const id = await startConversation(t, 'Kim <!channel>');
    await t.baton.outbox.drain();
    const posts = http.to('/slack').map((r) => JSON.parse(r.body) as { text: string; blocks: Record<string, unknown>[] });
    const message = posts.find((p) => JSON.stringify(p).includes(id));
    expect(message).toBeDefined();
    const blocks = message!.blocks as { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { url: string; text: { text: string } }[] }[];
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
    expect(blocks[0]!.text!.text).toBe('New conversation: Kim <!channel>');
    const fields = blocks[2]!.fields!.map((f) => f.text);
    expect(fields).toEqual(
      expect.arrayContaining(['*Contact*\nKim &lt;!channel&gt; &lt;customer@example.test&gt;', '*Trigger*\nno assistant', '*Rule*\neveryone', '*Queue*\nGeneral', '*For*\nAna García']),
    );
    expect(blocks[3]!.elements![0]).toMatchObject({ url: `${PUBLIC_URL}/conversations/${id}`, text: { text: 'Open conversation' } });
  });

  it('signs webhooks per Standard Webhooks, for the notification and the subscribed events', async () => {
    const id = await startConversation(t, 'Lee');
    await t.baton.outbox.drain();
    const received = http.to('/hook').filter((r) => r.body.includes(id));
    const types = received.map((r) => (JSON.parse(r.body) as { type: string }).type).sort();
    expect(types).toEqual(['conversation.assigned', 'handoff.assigned', 'handoff.completed']);
    for (const request of received) {
      const payload = verifyWebhook(request.body, request.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
      expect(payload.data.conversationId).toBe(id);
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
      // The decision's input kept for replay (every agent's status and load) stays inside.
      if (payload.type === 'handoff.completed') {
        expect(payload.data.trace).toBeDefined();
        expect(payload.data).not.toHaveProperty('input');
      }
    }
    const assigned = received.find((r) => (JSON.parse(r.body) as { type: string }).type === 'conversation.assigned')!;
    const row = await oneDelivery(t, id, 'deliver.webhook', 'conversation.assigned');
    expect(assigned.headers['webhook-id']).toBe(row.idempotencyKey);
    expect(row.target).toBe(`${http.url}/hook`);
    expect(JSON.parse(assigned.body)).toMatchObject({ data: { owner: 'ana', to: 'ana', conversationId: id } });
    // Tampering breaks the signature.
    expect(() => verifyWebhook(assigned.body.replace('ana', 'eve'), assigned.headers)).toThrow();
  });

  it('backs off while a receiver is down, then delivers with the same webhook-id', async () => {
    await http.setMode(503);
    const id = await startConversation(t, 'Down Then Up');
    await t.baton.outbox.drain();
    let row = await oneDelivery(t, id, 'deliver.webhook', 'conversation.assigned');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toContain('HTTP 503');
    const first = http.to('/hook').find((r) => r.headers['webhook-id'] === row.idempotencyKey)!;
    expect(first).toBeDefined();
    // 2 s base delay, up to half of it jitter: due between 1 and 2 seconds from now.
    const wait = Date.parse(row.nextAttemptAt!) - t.clock.now();
    expect(wait).toBeGreaterThan(1_000);
    expect(wait).toBeLessThanOrEqual(2_000);

    await http.setMode('down');
    t.clock.advance(wait - 1);
    await t.baton.outbox.drain();
    expect((await oneDelivery(t, id, 'deliver.webhook', 'conversation.assigned')).attempts).toBe(1);
    t.clock.advance(1);
    await t.baton.outbox.drain();
    row = await oneDelivery(t, id, 'deliver.webhook', 'conversation.assigned');
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row.lastError).toMatch(/ECONNREFUSED/);
    const second = Date.parse(row.nextAttemptAt!) - t.clock.now();
    expect(second).toBeGreaterThan(2_000);
    expect(second).toBeLessThanOrEqual(4_000);

    await http.setMode('ok');
    t.clock.advance(second);
    await t.baton.outbox.drain();
    row = await oneDelivery(t, id, 'deliver.webhook', 'conversation.assigned');
    expect(row).toMatchObject({ status: 'done', attempts: 3, nextAttemptAt: null });
    const deliveries = http.to('/hook').filter((r) => r.headers['webhook-id'] === row.idempotencyKey);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]!.body).toBe(first.body);
    expect(() => verifyWebhook(deliveries[1]!.body, deliveries[1]!.headers)).not.toThrow();
  });

  it('dead-letters after the last attempt; an admin sees it and retries it into a delivery', async () => {
    await http.setMode(500);
    const id = await startConversation(t, 'Always Failing');
    await t.baton.outbox.drain();
    for (let attempt = 2; attempt <= 12; attempt++) {
      t.clock.advance(3_600_000);
      await t.baton.outbox.drain();
    }
    const dead = await oneDelivery(t, id, 'deliver.webhook', 'conversation.assigned');
    expect(dead).toMatchObject({ status: 'dead', attempts: 12, nextAttemptAt: null });
    expect(dead.lastError).toContain('HTTP 500');
    // Notifications give up sooner (8 attempts) and are in the dead list too.
    expect(await oneDelivery(t, id, 'notify.slack')).toMatchObject({ status: 'dead', attempts: 8 });
    const listed = await deliveriesOf(t, id, '&status=dead');
    expect(listed.map((d) => d.id)).toContain(dead.id);

    await http.setMode('ok');
    const retried = await t.request({ method: 'POST', url: `/api/deliveries/${dead.id}/retry`, headers: t.admin });
    expect(retried.statusCode).toBe(200);
    expect(retried.data).toMatchObject({ id: dead.id, status: 'pending', attempts: 0 });
    await t.baton.outbox.drain();
    expect(await oneDelivery(t, id, 'deliver.webhook', 'conversation.assigned')).toMatchObject({ status: 'done', attempts: 1 });
    expect(http.to('/hook').filter((r) => r.headers['webhook-id'] === dead.idempotencyKey).at(-1)?.body).toContain(id);
    const audit = await t.request({ method: 'GET', url: `/api/audit?entity=delivery&entityId=${dead.id}`, headers: t.admin });
    expect(audit.data.items).toEqual([expect.objectContaining({ action: 'delivery.retried', actor: 'admin-token' })]);
  });

  it('dead-letters at once on a 400 answer: no retry will change it', async () => {
    await http.setMode(400);
    const id = await startConversation(t, 'Bad Request');
    await t.baton.outbox.drain();
    const row = await oneDelivery(t, id, 'notify.slack');
    expect(row).toMatchObject({ status: 'dead', attempts: 1 });
    expect(row.lastError).toContain('HTTP 400');
    await http.setMode('ok');
  });

  it('hands off while the SMTP server is down, and mails once it is back', async () => {
    await smtp.down();
    const before = smtp.mails.length;
    const id = await startConversation(t, 'Patient Customer');
    await t.baton.outbox.drain();
    const failed = await oneDelivery(t, id, 'notify.email');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toContain('SMTP to ana@acme.test');
    // The handoff itself is untouched: assigned, in-app notification delivered.
    expect(await oneDelivery(t, id, 'notify.in_app')).toMatchObject({ status: 'done' });

    await smtp.up();
    t.clock.advance(2_000);
    await t.baton.outbox.drain();
    expect(await oneDelivery(t, id, 'notify.email')).toMatchObject({ status: 'done', attempts: 2 });
    const mails = await smtp.waitFor(before + 1);
    expect(mails.some((m) => m.parsed.text?.includes(id))).toBe(true);
  });

  it("skips the channels a user switched off for the type, and keeps the others", async () => {
    const ana = await t.tokenFor('ana');
    const put = await t.request({
      method: 'PUT',
      url: '/api/users/ana/notification-preferences',
      headers: ana,
      payload: { types: { 'handoff.assigned': { email: false, in_app: false } } },
    });
    expect(put.statusCode).toBe(200);
    const mailsBefore = smtp.mails.length;
    const id = await startConversation(t, 'Quiet Please');
    await t.baton.outbox.drain();
    expect(smtp.mails.length).toBe(mailsBefore);
    expect(await oneDelivery(t, id, 'notify.email')).toMatchObject({ status: 'done' });
    const inbox = await t.request({ method: 'GET', url: '/api/notifications', headers: ana });
    expect((inbox.data.items as { conversationId: string }[]).some((n) => n.conversationId === id)).toBe(false);
    expect(http.to('/slack').some((r) => r.body.includes(id))).toBe(true);

    await t.request({ method: 'PUT', url: '/api/users/ana/notification-preferences', headers: ana, payload: { types: {} } });
    const next = await startConversation(t, 'Loud Again');
    await t.baton.outbox.drain();
    expect(smtp.mails.some((m) => m.parsed.text?.includes(next))).toBe(true);
  });
});

describe('notification delivery to private addresses', () => {
  let t: TestApp;
  let http: HttpReceiver;
  beforeAll(async () => {
    http = await startHttpReceiver();
    t = await startTestApp('sqlite', {
      config: configFor({ allowPrivateNetworks: false }),
      // A name, not an IP literal: the guard checks what it resolves to, at connect time. (The SMTP
      // server is not subject to the guard — mail relays live on private networks; none runs here.)
      env: { SMTP_URL: 'smtp://127.0.0.1:9', HTTP_URL: http.url.replace('127.0.0.1', 'localhost'), BATON_PUBLIC_URL: PUBLIC_URL },
    });
  });
  afterAll(async () => {
    await t.close();
    await http.close();
  });

  it('refuses Slack and webhook targets on loopback unless allowPrivateNetworks is true', async () => {
    const id = await startConversation(t, 'Guarded');
    await t.baton.outbox.drain();
    const slack = await oneDelivery(t, id, 'notify.slack');
    expect(slack).toMatchObject({ status: 'dead', attempts: 1 });
    expect(slack.lastError).toMatch(/localhost resolves to the private address (127\.0\.0\.1|::1)/);
    const hooks = (await deliveriesOf(t, id)).filter((d) => d.kind === 'deliver.webhook');
    expect(hooks).toHaveLength(3);
    for (const hook of hooks) expect(hook).toMatchObject({ status: 'dead', attempts: 1 });
    expect(http.requests).toEqual([]);
  });
});

// Regression (issue 17 #10): a delivery whose target left the workspace was marked done, as if sent.
eachDialect('a webhook target removed while a delivery waits', (dialect) => {
  let t: TestApp;
  let http: HttpReceiver;
  beforeAll(async () => {
    http = await startHttpReceiver();
    t = await startTestApp(dialect, { config: configFor({ allowPrivateNetworks: true }), env: { SMTP_URL: 'smtp://127.0.0.1:9', HTTP_URL: http.url, BATON_PUBLIC_URL: PUBLIC_URL } });
  });
  afterAll(async () => {
    await t.close();
    await http.close();
  });

  it('cancels the delivery and says why, instead of calling it done', async () => {
    await http.setMode(503);
    const id = await startConversation(t, 'Target Gone');
    await t.baton.outbox.drain();
    const failed = (await deliveriesOf(t, id)).filter((d) => d.kind === 'deliver.webhook');
    expect(failed.length).toBeGreaterThan(0);
    for (const row of failed) expect(row.status).toBe('failed');

    const withoutHooks = configFor({ allowPrivateNetworks: true }).replace(/ {2}webhooks:\n( {4}.*\n)+/, '');
    expect(withoutHooks).not.toContain('/hook');
    const applied = await t.request({ method: 'PUT', url: '/api/config', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: withoutHooks });
    expect(applied.statusCode).toBe(200);
    await http.setMode('ok');
    t.clock.advance(60_000);
    await t.baton.outbox.drain();
    const after = (await deliveriesOf(t, id)).filter((d) => d.kind === 'deliver.webhook');
    for (const row of after) expect(row).toMatchObject({ status: 'cancelled', lastError: 'cancelled: this webhook target is no longer in the workspace' });
    // Nothing went out after the removal: only the first, refused attempts reached the receiver.
    expect(http.to('/hook')).toHaveLength(failed.length);
    const listed = await t.request({ method: 'GET', url: '/api/deliveries?status=cancelled', headers: t.admin });
    expect(listed.statusCode).toBe(200);
    expect((listed.data.items as { conversationId: string | null }[]).filter((d) => d.conversationId === id)).toHaveLength(after.length);
  });
});

// Regression (issue 17 #10): a delivery queued to a private address while that was refused went
// out once an admin switched allowPrivateNetworks on.
eachDialect('private networks switched on after a delivery was queued', (dialect) => {
  let t: TestApp;
  let http: HttpReceiver;
  beforeAll(async () => {
    http = await startHttpReceiver();
    t = await startTestApp(dialect, { config: configFor({ allowPrivateNetworks: false }), env: { SMTP_URL: 'smtp://127.0.0.1:9', HTTP_URL: http.url, BATON_PUBLIC_URL: PUBLIC_URL } });
  });
  afterAll(async () => {
    await t.close();
    await http.close();
  });

  it('refuses what was queued while they were refused, and delivers what is queued after', async () => {
    const before = await startConversation(t, 'Queued While Refused');
    t.clock.advance(1_000);
    const switched = await t.request({ method: 'PUT', url: '/api/config', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: configFor({ allowPrivateNetworks: true }) });
    expect(switched.statusCode).toBe(200);
    t.clock.advance(1_000);
    await t.baton.outbox.drain();
    const refused = (await deliveriesOf(t, before)).filter((d) => d.kind === 'deliver.webhook' || d.kind === 'notify.slack');
    expect(refused.length).toBeGreaterThan(0);
    for (const row of refused) {
      expect(row.status).toBe('dead');
      expect(row.lastError).toMatch(/private address|loopback|127\.0\.0\.1/);
    }
    expect(http.requests).toEqual([]);

    const after = await startConversation(t, 'Queued When Allowed');
    await t.baton.outbox.drain();
    const delivered = (await deliveriesOf(t, after)).filter((d) => d.kind === 'deliver.webhook' || d.kind === 'notify.slack');
    expect(delivered.length).toBeGreaterThan(0);
    for (const row of delivered) expect(row.status).toBe('done');
  });
});

describe('one outbound POST', () => {
  it('gives up on a receiver that does not answer in time, as a failure worth retrying', async () => {
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow`;
    try {
      const started = Date.now();
      const error = await postJson({ url, body: '{}', allowPrivateNetworks: true, timeoutMs: 200 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      expect((error as Error).message).toBe(`POST ${url}: no answer within 200 ms`);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('does not follow a redirect: it could point anywhere, private addresses included', async () => {
    const redirecting = createServer((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
      res.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/hook`;
    try {
      await expect(postJson({ url, body: '{}', allowPrivateNetworks: true })).rejects.toThrow(PermanentDeliveryError);
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  it('refuses a non-http scheme before any connection', async () => {
    await expect(postJson({ url: 'ftp://example.test/x', body: '{}', allowPrivateNetworks: true })).rejects.toThrow(/only http and https/);
  });
});

eachDialect('notification email to several people', (dialect) => {
  let t: TestApp;
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    const http = await startHttpReceiver();
    t = await startTestApp(dialect, {
      config: configFor({ allowPrivateNetworks: true, bea: true }),
      env: { SMTP_URL: smtp.url, HTTP_URL: http.url, BATON_PUBLIC_URL: PUBLIC_URL },
    });
    await http.close();
  });
  afterAll(async () => {
    await t.close();
    closeMailTransports();
    await smtp.close();
  });

  // Regression: the mails of one notification went out in one outbox row, so a mailbox that
  // refused for good (550) dead-lettered the row before the next recipient was mailed, and a
  // retry of a transient failure re-sent every earlier recipient's mail.
  it('mails each person on a row of their own: a refusing mailbox dead-letters only its row', async () => {
    for (const id of ['ana', 'bea']) {
      const away = await t.request({ method: 'PATCH', url: `/api/users/${id}/status`, headers: t.admin, payload: { status: 'away' } });
      expect(away.statusCode).toBe(200);
    }
    smtp.refused.add('ana@acme.test');
    const created = await t.request({
      method: 'POST',
      url: '/api/conversations',
      headers: t.admin,
      payload: { channel: 'api', contact: { name: 'Queued Customer', email: 'customer@example.test' }, message: 'My invoice is wrong' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.data.conversation).toMatchObject({ status: 'queued', owner: null });
    const id = created.data.conversation.id as string;
    await t.baton.outbox.drain();

    const emails = (await deliveriesOf(t, id)).filter((d) => d.kind === 'notify.email');
    expect(emails.map((d) => [d.idempotencyKey.split(':').pop(), d.status]).sort()).toEqual([
      ['ana', 'dead'],
      ['bea', 'done'],
    ]);
    expect(emails.find((d) => d.status === 'dead')?.lastError).toContain('ana@acme.test');
    const mails = (await smtp.waitFor(1)).filter((m) => m.parsed.text?.includes(id));
    expect(mails.map((m) => m.envelopeTo)).toEqual([['bea@acme.test']]);
  });
});
