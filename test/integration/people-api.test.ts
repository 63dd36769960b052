import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeMailTransports } from '../../src/delivery/channels/email.js';
import { SESSION_COOKIE } from '../../src/http/app.js';
import type * as secrets from '../../src/platform/secrets.js';
import { hashPassword } from '../../src/platform/secrets.js';
import { listAudit } from '../../src/store/repositories/audit.js';
import { getPasswordHash } from '../../src/store/repositories/users.js';
import { startSmtpReceiver, type SmtpReceiver } from '../support/loopback-receivers.js';
import { eachDialect, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

// Hashing as it is, counted: a closed setup must not spend a hash (scrypt, 32 MiB) on anyone.
vi.mock('../../src/platform/secrets.js', async (importOriginal) => {
  const original = await importOriginal<typeof secrets>();
  return { ...original, hashPassword: vi.fn(original.hashPassword) };
});

const NEW_PASSWORD = 'plum tractor sunrise 42';
const DAY_MS = 24 * 3_600_000;

eachDialect('people joining the desk', (dialect) => {
  let t: TestApp;
  let olu: Record<string, string>;
  let ana: Record<string, string>;
  beforeEach(async () => {
    t = await startTestApp(dialect);
    olu = await t.tokenFor('olu');
    ana = await t.tokenFor('ana');
  });
  afterEach(async () => {
    await t.close();
  });

  function cookieFrom(response: { cookies: { name: string; value: string }[] }): Record<string, string> {
    const session = response.cookies.find((c) => c.name === SESSION_COOKIE);
    if (!session) throw new Error('no session cookie set');
    return { cookie: `${SESSION_COOKIE}=${session.value}` };
  }
  const invite = (id: string, headers = olu) => t.request({ method: 'POST', url: `/api/users/${id}/invite`, headers });
  const accept = (token: string, password: string) => t.request({ method: 'POST', url: '/api/auth/accept-invite', payload: { token, password } });
  const tokenOf = (url: string): string => url.slice(url.indexOf('#') + 1);
  const login = (email: string, password: string) => t.request({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  /** Every text column of the tables that could hold a secret, as one string. */
  async function storedText(): Promise<string> {
    const db = t.baton.ctx.database.db;
    const rows = [
      ...(await db.selectFrom('invitations').selectAll().execute()),
      ...(await db.selectFrom('outbox').selectAll().execute()),
      ...(await db.selectFrom('audit_log').selectAll().execute()),
      ...(await db.selectFrom('user_state').selectAll().execute()),
    ];
    return JSON.stringify(rows);
  }

  /** Ana (no password yet) added to the workspace; her token-less state. */
  async function addNewAgent(id = 'bea'): Promise<void> {
    const added = await t.request({ method: 'POST', url: '/api/users', headers: olu, payload: { id, name: 'Bea Ruiz', email: `${id}@acme.test`, role: 'agent' } });
    expect(added.statusCode).toBe(201);
  }

  it('lists the new endpoints in the OpenAPI document', async () => {
    const document = await t.request({ method: 'GET', url: '/api/openapi.json' });
    const paths = Object.keys(document.data.paths as Record<string, unknown>);
    for (const path of ['/api/users/{id}/invite', '/api/users/{id}/reset-password', '/api/auth/accept-invite', '/api/users/me/password', '/api/setup', '/api/user-access', '/api/users/{id}/deactivate', '/api/users/{id}/reactivate']) {
      expect(paths).toContain(path);
    }
  });

  // Regression (the fuzzer's stall detector): the public POST hashed the password before it asked
  // whether setup was open, so anyone could make a running desk spend a scrypt hash per request.
  it('offers no setup on a desk where people sign in: GET says not needed, POST is refused with a sentence, hashing nothing', async () => {
    expect((await t.request({ method: 'GET', url: '/api/setup' })).data).toEqual({ needed: false });
    vi.mocked(hashPassword).mockClear();
    const refused = await t.request({ method: 'POST', url: '/api/setup', payload: { name: 'Mallory', email: 'mallory@evil.test', password: NEW_PASSWORD } });
    expect(refused.statusCode).toBe(409);
    expect(refused.data.error.message).toBe('Baton is already set up: sign in, or ask an admin for an invitation');
    expect(hashPassword).not.toHaveBeenCalled();
    const users = await t.request({ method: 'GET', url: '/api/users', headers: olu });
    expect(users.data.items.map((u: { id: string }) => u.id)).not.toContain('mallory');
  });

  describe('POST /api/users/:id/invite', () => {
    it('refuses without credentials, an agent (403), and an unknown user (404)', async () => {
      expect((await t.request({ method: 'POST', url: '/api/users/ana/invite' })).statusCode).toBe(401);
      const agent = await invite('olu', ana);
      expect(agent.statusCode).toBe(403);
      expect(agent.data.error.code).toBe('forbidden');
      expect((await invite('nobody')).statusCode).toBe(404);
    });

    it('returns a link valid 7 days whose token is stored only hashed, and audits it', async () => {
      await addNewAgent();
      const response = await invite('bea');
      expect(response.statusCode).toBe(201);
      expect(response.data.url).toMatch(/^http:\/\/localhost:3000\/invite#bi_[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(response.data.expiresAt)).toBe(t.clock.now() + 7 * DAY_MS);
      expect(response.data.emailed).toBe(true); // the example workspace has SMTP
      // Only the hash is in the invitations table; the outbox row holds the link until the mail is sent.
      const token = tokenOf(response.data.url);
      const invitations = JSON.stringify(await t.baton.ctx.database.db.selectFrom('invitations').selectAll().execute());
      expect(invitations).not.toContain(token);
      const mail = await t.baton.ctx.database.db.selectFrom('outbox').selectAll().where('kind', '=', 'notify.email').execute();
      expect(mail.filter((row) => row.payload.includes('user.invited'))).toHaveLength(1);
      expect(await listAudit(t.baton.ctx.database.db, { action: 'user.invited', entityId: 'bea' })).toHaveLength(1);
      const access = await t.request({ method: 'GET', url: '/api/user-access', headers: olu });
      expect(access.data.items.find((a: { userId: string }) => a.userId === 'bea')).toMatchObject({ state: 'invited', invitationExpiresAt: response.data.expiresAt, lastSignedInAt: null });
    });

    it('emails nothing and keeps no copy of the token when the workspace has no SMTP', async () => {
      const config = await t.request({ method: 'GET', url: '/api/config', headers: olu });
      const document = { ...config.data, notifications: { ...config.data.notifications, email: undefined } };
      expect((await t.request({ method: 'PUT', url: '/api/config', headers: olu, payload: document })).statusCode).toBe(200);
      await addNewAgent();
      const response = await invite('bea');
      expect(response.data.emailed).toBe(false);
      expect(await storedText()).not.toContain(tokenOf(response.data.url));
    });
  });

  describe('POST /api/auth/accept-invite', () => {
    it('sets the password and signs in; the link works once', async () => {
      await addNewAgent();
      const token = tokenOf((await invite('bea')).data.url);
      const accepted = await accept(token, NEW_PASSWORD);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.data).toMatchObject({ id: 'bea', role: 'agent' });
      const me = await t.request({ method: 'GET', url: '/api/me', headers: cookieFrom(accepted) });
      expect(me.data.id).toBe('bea');
      expect((await login('bea@acme.test', NEW_PASSWORD)).statusCode).toBe(200);

      const again = await accept(token, 'another fine passphrase');
      expect(again.statusCode).toBe(409);
      expect(again.data.error.message).toMatch(/already been used/);
      expect((await login('bea@acme.test', NEW_PASSWORD)).statusCode).toBe(200);
      const access = await t.request({ method: 'GET', url: '/api/user-access', headers: olu });
      expect(access.data.items.find((a: { userId: string }) => a.userId === 'bea')).toMatchObject({ state: 'active', invitationExpiresAt: null });
      expect(access.data.items.find((a: { userId: string }) => a.userId === 'bea').lastSignedInAt).not.toBeNull();
    });

    it('of two concurrent accepts of one link, exactly one sets the password', async () => {
      await addNewAgent();
      const token = tokenOf((await invite('bea')).data.url);
      const [a, b] = await Promise.all([accept(token, NEW_PASSWORD), accept(token, 'another fine passphrase')]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const winner = a.statusCode === 200 ? NEW_PASSWORD : 'another fine passphrase';
      const loser = a.statusCode === 200 ? 'another fine passphrase' : NEW_PASSWORD;
      expect((await login('bea@acme.test', winner)).statusCode).toBe(200);
      expect((await login('bea@acme.test', loser)).statusCode).toBe(401);
    });

    it('refuses an expired link after 7 days, a superseded one, and an unknown one, in sentences', async () => {
      await addNewAgent();
      const first = tokenOf((await invite('bea')).data.url);
      const second = tokenOf((await invite('bea')).data.url);
      const superseded = await accept(first, NEW_PASSWORD);
      expect(superseded.statusCode).toBe(409);
      expect(superseded.data.error.message).toMatch(/replaced by a newer one/);
      t.clock.advance(7 * DAY_MS);
      const expired = await accept(second, NEW_PASSWORD);
      expect(expired.statusCode).toBe(409);
      expect(expired.data.error.message).toMatch(/^this invitation link expired on .*; ask an admin to send you a new one$/);
      const unknown = await accept('bi_nothing', NEW_PASSWORD);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.data.error.message).toMatch(/not valid/);
      expect(await getPasswordHash(t.baton.ctx.database.db, 'bea')).toBeNull();
    });

    it('refuses a short, a common and an oversized password with nothing changed; the link still works', async () => {
      await addNewAgent();
      const token = tokenOf((await invite('bea')).data.url);
      for (const [password, message] of [
        ['short1', 'use at least 10 characters'],
        ['password123', 'this password is on a list of commonly used passwords; choose another'],
        ['qwertyuiop', 'this password is on a list of commonly used passwords; choose another'],
        ['aaaaaaaaaaaa', 'this password repeats one or two characters; choose one that is harder to guess'],
        ['x'.repeat(201), 'use at most 200 characters'],
      ] as const) {
        const refused = await accept(token, password);
        expect(refused.statusCode).toBe(422);
        expect(refused.data.error.details).toContainEqual(expect.objectContaining({ path: 'password', message }));
      }
      expect(await getPasswordHash(t.baton.ctx.database.db, 'bea')).toBeNull();
      expect((await accept(token, NEW_PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('PUT /api/users/me/password', () => {
    it('refuses a wrong current password with a clear error, and a weak new one, changing nothing', async () => {
      const session = cookieFrom(await login('ana@acme.test', TEST_PASSWORD));
      const wrong = await t.request({ method: 'PUT', url: '/api/users/me/password', headers: session, payload: { current: 'not it at all', password: NEW_PASSWORD } });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.data.error.message).toBe('your current password is not right; nothing was changed');
      expect(wrong.data.error.details).toEqual([{ path: 'current', message: 'does not match your current password' }]);
      const weak = await t.request({ method: 'PUT', url: '/api/users/me/password', headers: session, payload: { current: TEST_PASSWORD, password: 'iloveyou' } });
      expect(weak.statusCode).toBe(422);
      expect((await login('ana@acme.test', TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('changes it: the old one stops working, the new one signs in', async () => {
      const session = cookieFrom(await login('ana@acme.test', TEST_PASSWORD));
      const changed = await t.request({ method: 'PUT', url: '/api/users/me/password', headers: session, payload: { current: TEST_PASSWORD, password: NEW_PASSWORD } });
      expect(changed.statusCode).toBe(204);
      expect((await login('ana@acme.test', TEST_PASSWORD)).statusCode).toBe(401);
      expect((await login('ana@acme.test', NEW_PASSWORD)).statusCode).toBe(200);
      expect(await listAudit(t.baton.ctx.database.db, { action: 'user.password_changed', entityId: 'ana' })).toHaveLength(1);
    });

    it('refuses the bootstrap admin token, which has no password', async () => {
      const refused = await t.request({ method: 'PUT', url: '/api/users/me/password', headers: t.admin, payload: { current: 'whatever it is', password: NEW_PASSWORD } });
      expect(refused.statusCode).toBe(403);
    });
  });

  describe('POST /api/users/:id/reset-password', () => {
    it('refuses an agent; for an admin, ends the password and sessions and returns a new link', async () => {
      expect((await t.request({ method: 'POST', url: '/api/users/olu/reset-password', headers: ana })).statusCode).toBe(403);
      const session = cookieFrom(await login('ana@acme.test', TEST_PASSWORD));
      const reset = await t.request({ method: 'POST', url: '/api/users/ana/reset-password', headers: olu });
      expect(reset.statusCode).toBe(201);
      expect((await t.request({ method: 'GET', url: '/api/me', headers: session })).statusCode).toBe(401);
      expect((await login('ana@acme.test', TEST_PASSWORD)).statusCode).toBe(401);
      expect((await accept(tokenOf(reset.data.url), NEW_PASSWORD)).statusCode).toBe(200);
      expect((await login('ana@acme.test', NEW_PASSWORD)).statusCode).toBe(200);
      expect(await listAudit(t.baton.ctx.database.db, { action: 'user.password_reset', entityId: 'ana' })).toHaveLength(1);
    });
  });

  describe('POST /api/users/:id/deactivate', () => {
    it('refuses an agent, and an admin deactivating themself', async () => {
      expect((await t.request({ method: 'POST', url: '/api/users/olu/deactivate', headers: ana })).statusCode).toBe(403);
      const self = await t.request({ method: 'POST', url: '/api/users/olu/deactivate', headers: cookieFrom(await login('olu@acme.test', TEST_PASSWORD)) });
      expect(self.statusCode).toBe(409);
      expect(self.data.error.message).toBe('you cannot deactivate your own account; ask another admin');
    });

    it("stops the user's session and token at once, refuses their sign-in, and sends their open conversations back to the queue", async () => {
      const session = cookieFrom(await login('ana@acme.test', TEST_PASSWORD));
      // A customer's conversation, handed off and then given to Ana.
      const customer = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Lu', language: 'en' } } });
      const headers = { authorization: `Bearer ${customer.data.token as string}` };
      const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
      const id = started.data.conversation.id as string;
      expect((await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers })).statusCode).toBeLessThan(300);
      const assigned = await t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: olu, payload: { user: 'ana', override: true } });
      expect(assigned.statusCode).toBe(200);
      expect(assigned.data.conversation.owner).toBe('ana');
      const queueBefore = assigned.data.conversation.queue as string | null;

      const deactivated = await t.request({ method: 'POST', url: '/api/users/ana/deactivate', headers: olu });
      expect(deactivated.statusCode).toBe(200);
      expect(deactivated.data.released).toEqual([id]);
      expect(deactivated.data.access).toMatchObject({ userId: 'ana', state: 'deactivated' });

      expect((await t.request({ method: 'GET', url: '/api/me', headers: session })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url: '/api/me', headers: ana })).statusCode).toBe(401);
      const refused = await login('ana@acme.test', TEST_PASSWORD);
      expect(refused.statusCode).toBe(401);
      expect(refused.data.error.message).toBe('this account has been deactivated; ask an admin to reactivate it');

      const conversation = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: olu });
      expect(conversation.data).toMatchObject({ status: 'queued', owner: null });
      expect(conversation.data.queue).toBe(queueBefore);
      expect(queueBefore).not.toBeNull();
      const notifications = await t.baton.ctx.database.db.selectFrom('outbox').selectAll().where('kind', '=', 'notify.in_app').execute();
      const released = notifications.filter((row) => row.payload.includes('conversation.released'));
      expect(released).toHaveLength(1);
      expect(JSON.parse(released[0]!.payload).recipients).toContain('olu');
      expect(await listAudit(t.baton.ctx.database.db, { action: 'user.deactivated', entityId: 'ana' })).toHaveLength(1);
      const me = await t.request({ method: 'GET', url: '/api/users', headers: olu });
      expect(me.data.items.find((u: { id: string }) => u.id === 'ana').currentStatus).toBe('offline');

      // Nobody can hand her a conversation by hand either.
      const transfer = await t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: olu, payload: { user: 'ana', override: true } });
      expect(transfer.statusCode).toBe(409);
      expect(transfer.data.error.message).toBe('Ana García is deactivated and cannot take conversations');

      const available = await t.request({ method: 'PATCH', url: '/api/users/ana/status', headers: olu, payload: { status: 'available' } });
      expect(available.statusCode).toBe(409);
      expect(available.data.error.message).toBe('Ana García is deactivated; reactivate them first');

      // Reactivated, she signs in again with her password.
      const back = await t.request({ method: 'POST', url: '/api/users/ana/reactivate', headers: olu });
      expect(back.statusCode).toBe(200);
      expect(back.data.state).toBe('active');
      expect((await login('ana@acme.test', TEST_PASSWORD)).statusCode).toBe(200);
    });
  });
});

eachDialect('first-run setup', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(dialect, { config: null });
  });
  afterEach(async () => {
    await t.close();
  });

  const setup = (email: string, password = NEW_PASSWORD) =>
    t.request({ method: 'POST', url: '/api/setup', payload: { name: 'Iris Admin', email, password } });

  it('refuses a weak password with nothing created', async () => {
    const weak = await setup('iris@acme.test', 'password1');
    expect(weak.statusCode).toBe(422);
    expect((await t.request({ method: 'GET', url: '/api/setup' })).data).toEqual({ needed: true });
    expect((await t.request({ method: 'GET', url: '/api/config', headers: t.admin })).statusCode).not.toBe(200);
  });

  it('creates the first admin as a workspace user and signs them in, once; of two concurrent setups exactly one wins', async () => {
    expect((await t.request({ method: 'GET', url: '/api/setup' })).data).toEqual({ needed: true });
    const [a, b] = await Promise.all([setup('iris@acme.test'), setup('noor@acme.test')]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([201, 409]);
    const winner = a.statusCode === 201 ? a : b;
    const loser = a.statusCode === 201 ? b : a;
    expect(loser.data.error.message).toBe('Baton is already set up: sign in, or ask an admin for an invitation');
    expect(winner.data).toMatchObject({ role: 'admin', name: 'Iris Admin' });
    const session = { cookie: `${SESSION_COOKIE}=${winner.cookies.find((c) => c.name === SESSION_COOKIE)!.value}` };
    expect((await t.request({ method: 'GET', url: '/api/me', headers: session })).data.id).toBe(winner.data.id);

    const config = await t.request({ method: 'GET', url: '/api/config', headers: t.admin });
    expect(config.data.users).toEqual([expect.objectContaining({ id: winner.data.id, email: winner.data.email, role: 'admin' })]);
    expect((await t.request({ method: 'GET', url: '/api/setup' })).data).toEqual({ needed: false });
    expect((await setup('late@acme.test')).statusCode).toBe(409);
  });
});

eachDialect('the invitation email', (dialect) => {
  let t: TestApp;
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await startTestApp(dialect, { env: { SMTP_URL: smtp.url, BATON_PUBLIC_URL: 'https://desk.acme.test' } });
  });
  afterAll(async () => {
    await t.close();
    closeMailTransports();
    await smtp.close();
  });

  it('is sent over the workspace SMTP after commit, to the invited person, with the link that works', async () => {
    const olu = await t.tokenFor('olu');
    const added = await t.request({ method: 'POST', url: '/api/users', headers: olu, payload: { id: 'bea', name: 'Bea Ruiz', email: 'bea@acme.test' } });
    expect(added.statusCode).toBe(201);
    const invited = await t.request({ method: 'POST', url: '/api/users/bea/invite', headers: olu });
    expect(invited.data.url).toMatch(/^https:\/\/desk\.acme\.test\/invite#bi_/);
    await t.baton.outbox.drain();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelopeTo).toEqual(['bea@acme.test']);
    expect(mail!.parsed.subject).toMatch(/^You are invited to .* on Baton$/);
    expect(mail!.parsed.text).toContain(`Set your password: ${invited.data.url as string}`);
    expect(String(mail!.parsed.html)).toContain(`href="${invited.data.url as string}"`);
    const token = (invited.data.url as string).split('#')[1]!;
    // Sent: the outbox row no longer holds the link; no copy of the token is left in the database.
    const rows = await t.baton.ctx.database.db.selectFrom('outbox').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(await t.baton.ctx.database.db.selectFrom('invitations').selectAll().execute())).not.toContain(token);
    expect((await t.request({ method: 'POST', url: '/api/auth/accept-invite', payload: { token, password: NEW_PASSWORD } })).statusCode).toBe(200);
  });
});

eachDialect('a deactivated user on the live stream', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // The periodic re-check an hour away: only the immediate one can close the socket in time.
    t = await startTestApp(dialect, { realtimeRecheckMs: 3_600_000 });
    await t.baton.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('has their open WebSocket closed with 4401 at once', async () => {
    const address = t.baton.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const ana = await t.tokenFor('ana');
    const ws = new WebSocket(`ws://127.0.0.1:${address.port}/api/realtime`, { headers: ana });
    await new Promise<void>((ready, fail) => {
      ws.on('message', (raw) => {
        if ((JSON.parse((raw as Buffer).toString('utf8')) as { type: string }).type === 'stream.ready') ready();
      });
      ws.on('error', fail);
    });
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    const deactivated = await t.request({ method: 'POST', url: '/api/users/ana/deactivate', headers: await t.tokenFor('olu') });
    expect(deactivated.statusCode).toBe(200);
    expect(await closed).toBe(4401);
  });
});
