import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AfterCommitWork } from '../../src/services/context.js';
import { setUserStatus } from '../../src/services/people/set-user-status.js';
import { listAudit } from '../../src/store/repositories/audit.js';
import { getUserState } from '../../src/store/repositories/users.js';
import { createUserToken } from '../../src/services/auth/authenticate.js';
import { SESSION_COOKIE } from '../../src/http/app.js';
import { eachDialect, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

const WEEK_SECONDS = 7 * 24 * 3600;

eachDialect('sign-in, tokens and availability', (dialect) => {
  let t: TestApp;
  // Each test its own world: no test sees what another wrote (any order, any one alone).
  beforeEach(async () => {
    t = await startTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  const login = (email: string, password: string) =>
    t.request({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  /** The `cookie` header a browser would send back after this response. */
  function cookieFrom(response: { cookies: { name: string; value: string }[] }): Record<string, string> {
    const session = response.cookies.find((c) => c.name === SESSION_COOKIE);
    if (!session) throw new Error('no session cookie set');
    return { cookie: `${SESSION_COOKIE}=${session.value}` };
  }

  async function tokenWith(userId: string, scopes: ('read' | 'write' | 'admin')[]): Promise<{ id: string; header: Record<string, string> }> {
    const created = await createUserToken(t.baton.ctx, userId, { name: `${scopes.join('+')} for tests`, scopes }, 'test');
    return { id: created.id, header: { authorization: `Bearer ${created.token}` } };
  }

  describe('POST /api/auth/login', () => {
    it('refuses a malformed body with invalid and every problem', async () => {
      const response = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: 'not-an-email' } });
      expect(response.statusCode).toBe(422);
      expect(response.data.error.code).toBe('invalid');
      expect(response.data.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['email', 'password']);
    });

    it('answers a wrong password and an unknown email alike, without a cookie', async () => {
      const wrongPassword = await login('ana@acme.test', 'not the password');
      const unknownEmail = await login('nobody@acme.test', TEST_PASSWORD);
      for (const response of [wrongPassword, unknownEmail]) {
        expect(response.statusCode).toBe(401);
        expect(response.data.error).toEqual({ code: 'unauthorized', message: 'wrong email or password' });
        expect(response.headers['set-cookie']).toBeUndefined();
      }
    });

    it('sets an HttpOnly, SameSite=Lax session cookie for the whole site and answers who signed in', async () => {
      const response = await login('ANA@acme.test', TEST_PASSWORD);
      expect(response.statusCode).toBe(200);
      expect(response.data).toEqual({ id: 'ana', name: 'Ana García', email: 'ana@acme.test', role: 'agent', status: 'available' });
      const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: WEEK_SECONDS });
      // Plain http (inject): no Secure flag, or a browser on http://localhost would drop the cookie.
      expect(cookie?.secure).toBeUndefined();
    });

    it('lets the session cookie stand in for credentials until logout, then not', async () => {
      const signedIn = await login('olu@acme.test', TEST_PASSWORD);
      const cookie = cookieFrom(signedIn);
      const me = await t.request({ method: 'GET', url: '/api/me', headers: cookie });
      expect(me.statusCode).toBe(200);
      expect(me.data).toMatchObject({ id: 'olu', role: 'admin', status: 'available' });
      // A session is a full sign-in: admin routes work with it.
      const tokens = await t.request({ method: 'GET', url: '/api/users/ana/tokens', headers: cookie });
      expect(tokens.statusCode).toBe(200);

      const out = await t.request({ method: 'POST', url: '/api/auth/logout', headers: cookie });
      expect(out.statusCode).toBe(204);
      const cleared = out.cookies.find((c) => c.name === SESSION_COOKIE);
      expect(cleared?.value).toBe('');
      expect(cleared?.path).toBe('/');
      expect(cleared?.expires?.getTime() ?? 0).toBeLessThanOrEqual(Date.now());

      const after = await t.request({ method: 'GET', url: '/api/me', headers: cookie });
      expect(after.statusCode).toBe(401);
      expect(after.data.error.code).toBe('unauthorized');
    });

    it('ends the session at its expiry', async () => {
      const cookie = cookieFrom(await login('ana@acme.test', TEST_PASSWORD));
      expect((await t.request({ method: 'GET', url: '/api/me', headers: cookie })).statusCode).toBe(200);
      t.clock.advance(WEEK_SECONDS * 1000 + 1);
      expect((await t.request({ method: 'GET', url: '/api/me', headers: cookie })).statusCode).toBe(401);
    });

    it('logs out without a session, as a no-op', async () => {
      const response = await t.request({ method: 'POST', url: '/api/auth/logout' });
      expect(response.statusCode).toBe(204);
    });

    // Regression: ten wrong passwords refused the *correct* one for 15 minutes, from anywhere: anyone
    // could lock a person out by typing their email.
    it('slows guessing from one address with growing delays, and never locks the person out elsewhere', async () => {
      const from = (remoteAddress: string, password: string) =>
        t.request({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { email: 'olu@acme.test', password } });
      for (let i = 0; i < 5; i++) expect((await from('203.0.113.9', `guess ${i}`)).statusCode).toBe(401);
      const slowed = await from('203.0.113.9', TEST_PASSWORD);
      expect(slowed.statusCode).toBe(429);
      expect(slowed.data.error).toMatchObject({ code: 'rate_limited', message: 'too many failed sign-ins for this email from here; try again in 1 second(s)' });
      expect(slowed.headers['retry-after']).toBe('1');
      expect(slowed.cookies).toHaveLength(0);

      // The person, from their own address, signs in at once.
      const elsewhere = await from('198.51.100.7', TEST_PASSWORD);
      expect(elsewhere.statusCode).toBe(200);

      // The guesser waits twice as long after each further failure: 1 s, 2 s, 4 s, 8 s …
      const waits: string[] = [];
      for (let i = 0; i < 4; i++) {
        const refused = await from('203.0.113.9', 'still guessing');
        expect(refused.statusCode).toBe(429);
        waits.push(String(refused.headers['retry-after']));
        t.clock.advance(Number(refused.headers['retry-after']) * 1000);
        expect((await from('203.0.113.9', 'still guessing')).statusCode).toBe(401);
      }
      expect(waits).toEqual(['1', '2', '4', '8']);
      // After the wait, the right password works from there too.
      t.clock.advance(16_000);
      expect((await from('203.0.113.9', TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('answers a known and an unknown email alike while slowing them', async () => {
      const attempt = (email: string) => t.request({ method: 'POST', url: '/api/auth/login', remoteAddress: '203.0.113.10', payload: { email, password: 'wrong password' } });
      for (let i = 0; i < 5; i++) {
        expect((await attempt('olu@acme.test')).statusCode).toBe(401);
        expect((await attempt('nobody@acme.test')).statusCode).toBe(401);
      }
      const known = await attempt('olu@acme.test');
      const unknown = await attempt('nobody@acme.test');
      expect([known.statusCode, unknown.statusCode]).toEqual([429, 429]);
      expect(known.data.error.message).toBe(unknown.data.error.message);
    });
  });

  describe('GET /api/me', () => {
    it('refuses without credentials and with an unknown cookie or token', async () => {
      expect((await t.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=bs_forged` } })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url: '/api/me', headers: { authorization: 'Bearer bt_forged' } })).statusCode).toBe(401);
    });

    it('answers for a user token with the live status, and for the bootstrap token with no status', async () => {
      const me = await t.request({ method: 'GET', url: '/api/me', headers: await t.tokenFor('ana') });
      expect(me.data).toMatchObject({ id: 'ana', email: 'ana@acme.test', role: 'agent' });
      expect(['available', 'away', 'offline']).toContain(me.data.status);
      const bootstrap = await t.request({ method: 'GET', url: '/api/me', headers: t.admin });
      expect(bootstrap.data).toMatchObject({ role: 'admin', status: null });
    });
  });

  describe('POST /api/users/:id/tokens', () => {
    const create = (id: string, payload: unknown, headers: Record<string, string> = {}) =>
      t.request({ method: 'POST', url: `/api/users/${id}/tokens`, payload: payload as object, headers });

    it('refuses without credentials', async () => {
      expect((await create('ana', { name: 'ci' })).statusCode).toBe(401);
    });

    it('refuses agents, and an admin whose token lacks the admin scope', async () => {
      const agent = await create('ana', { name: 'ci' }, await t.tokenFor('ana'));
      expect(agent.statusCode).toBe(403);
      expect(agent.data.error.code).toBe('forbidden');
      const narrow = await tokenWith('olu', ['read', 'write']);
      expect((await create('ana', { name: 'ci' }, narrow.header)).statusCode).toBe(403);
    });

    it('refuses an invalid body with every problem, and the admin scope for an agent', async () => {
      const bad = await create('ana', { name: '', scopes: ['read', 'root'] }, t.admin);
      expect(bad.statusCode).toBe(422);
      expect(bad.data.error.code).toBe('invalid');
      expect(bad.data.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['name', 'scopes[1]']));
      const tooMuch = await create('ana', { name: 'ci', scopes: ['admin'] }, t.admin);
      expect(tooMuch.statusCode).toBe(422);
      expect(tooMuch.data.error.details).toEqual([{ path: 'scopes', message: 'admin scope needs an admin user' }]);
    });

    it('answers 404 for an unknown user', async () => {
      const response = await create('nobody', { name: 'ci' }, t.admin);
      expect(response.statusCode).toBe(404);
      expect(response.data.error.code).toBe('not_found');
    });

    it('returns the token once; it acts as the user; the creation is audited', async () => {
      const response = await create('ana', { name: 'crm sync', scopes: ['read'] }, await t.tokenFor('olu'));
      expect(response.statusCode).toBe(201);
      expect(response.data).toMatchObject({ name: 'crm sync', userId: 'ana', scopes: ['read'] });
      expect(response.data.token).toMatch(/^bt_/);
      const me = await t.request({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${response.data.token}` } });
      expect(me.data.id).toBe('ana');
      const audit = await listAudit(t.baton.ctx.database.db, { action: 'token.created', entityId: 'ana', actor: 'olu' });
      expect(audit[0]?.data).toMatchObject({ tokenId: response.data.id, name: 'crm sync', scopes: ['read'] });
    });
  });

  describe('GET /api/users/:id/tokens', () => {
    it('refuses without credentials, and an agent asking for someone else', async () => {
      expect((await t.request({ method: 'GET', url: '/api/users/ana/tokens' })).statusCode).toBe(401);
      const other = await t.request({ method: 'GET', url: '/api/users/olu/tokens', headers: await t.tokenFor('ana') });
      expect(other.statusCode).toBe(403);
      expect(other.data.error.code).toBe('forbidden');
    });

    it('answers 404 for an unknown user', async () => {
      expect((await t.request({ method: 'GET', url: '/api/users/nobody/tokens', headers: t.admin })).statusCode).toBe(404);
    });

    it('lists tokens without their secrets, to the user themself and to an admin', async () => {
      const { id } = await tokenWith('ana', ['read']);
      const own = await t.request({ method: 'GET', url: '/api/users/ana/tokens', headers: await t.tokenFor('ana') });
      expect(own.statusCode).toBe(200);
      const listed = own.data.items.find((token: { id: string }) => token.id === id);
      expect(listed).toMatchObject({ id, userId: 'ana', scopes: ['read'], revokedAt: null });
      expect(Object.keys(listed).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'scopes', 'userId']);
      expect(own.body).not.toMatch(/bt_|hash/);
      const byAdmin = await t.request({ method: 'GET', url: '/api/users/ana/tokens', headers: t.admin });
      expect(byAdmin.data.items.map((token: { id: string }) => token.id)).toContain(id);
    });
  });

  describe('DELETE /api/users/:id/tokens/:tokenId', () => {
    it('refuses without credentials, an agent revoking someone else\'s token, and a read-only token', async () => {
      const olus = await tokenWith('olu', ['read']);
      expect((await t.request({ method: 'DELETE', url: `/api/users/olu/tokens/${olus.id}` })).statusCode).toBe(401);
      const byAgent = await t.request({ method: 'DELETE', url: `/api/users/olu/tokens/${olus.id}`, headers: await t.tokenFor('ana') });
      expect(byAgent.statusCode).toBe(403);
      const readOnly = await tokenWith('ana', ['read']);
      const self = await t.request({ method: 'DELETE', url: `/api/users/ana/tokens/${readOnly.id}`, headers: readOnly.header });
      expect(self.statusCode).toBe(403);
      expect(self.data.error.message).toMatch(/write scope/);
    });

    it("answers 404 for an unknown token and for another user's token under this user", async () => {
      expect((await t.request({ method: 'DELETE', url: '/api/users/ana/tokens/nope', headers: t.admin })).statusCode).toBe(404);
      const olus = await tokenWith('olu', ['read']);
      const crossed = await t.request({ method: 'DELETE', url: `/api/users/ana/tokens/${olus.id}`, headers: t.admin });
      expect(crossed.statusCode).toBe(404);
      expect(crossed.data.error.code).toBe('not_found');
    });

    it('revokes: the token gets 401 from then on, the list shows when, and the revocation is audited once', async () => {
      const victim = await tokenWith('ana', ['read', 'write']);
      expect((await t.request({ method: 'GET', url: '/api/me', headers: victim.header })).statusCode).toBe(200);
      const revoked = await t.request({ method: 'DELETE', url: `/api/users/ana/tokens/${victim.id}`, headers: await t.tokenFor('olu') });
      expect(revoked.statusCode).toBe(204);
      const after = await t.request({ method: 'GET', url: '/api/me', headers: victim.header });
      expect(after.statusCode).toBe(401);
      expect(after.data.error.code).toBe('unauthorized');
      const list = await t.request({ method: 'GET', url: '/api/users/ana/tokens', headers: t.admin });
      expect(list.data.items.find((token: { id: string }) => token.id === victim.id).revokedAt).not.toBeNull();
      // Again: nothing to do, nothing more in the audit log.
      expect((await t.request({ method: 'DELETE', url: `/api/users/ana/tokens/${victim.id}`, headers: t.admin })).statusCode).toBe(204);
      const audit = await listAudit(t.baton.ctx.database.db, { action: 'token.revoked', entityId: 'ana' });
      expect(audit.filter((entry) => entry.data.tokenId === victim.id)).toHaveLength(1);
      expect(audit.find((entry) => entry.data.tokenId === victim.id)?.actor).toBe('olu');
    });

    it('lets users revoke their own token', async () => {
      const own = await tokenWith('ana', ['read']);
      const response = await t.request({ method: 'DELETE', url: `/api/users/ana/tokens/${own.id}`, headers: await t.tokenFor('ana') });
      expect(response.statusCode).toBe(204);
      expect((await t.request({ method: 'GET', url: '/api/me', headers: own.header })).statusCode).toBe(401);
    });
  });

  describe('PATCH /api/users/:id/status', () => {
    const patch = (id: string, payload: unknown, headers: Record<string, string> = {}) =>
      t.request({ method: 'PATCH', url: `/api/users/${id}/status`, payload: payload as object, headers });

    it('refuses without credentials', async () => {
      expect((await patch('ana', { status: 'away' })).statusCode).toBe(401);
    });

    it("refuses an agent changing someone else's status, and a read-only token", async () => {
      const other = await patch('olu', { status: 'away' }, await t.tokenFor('ana'));
      expect(other.statusCode).toBe(403);
      expect(other.data.error.code).toBe('forbidden');
      const readOnly = await tokenWith('ana', ['read']);
      const own = await patch('ana', { status: 'away' }, readOnly.header);
      expect(own.statusCode).toBe(403);
      expect(own.data.error.message).toMatch(/write scope/);
    });

    it('refuses an unknown status with invalid and its path', async () => {
      const response = await patch('ana', { status: 'busy' }, await t.tokenFor('ana'));
      expect(response.statusCode).toBe(422);
      expect(response.data.error.code).toBe('invalid');
      expect(response.data.error.details[0].path).toBe('status');
    });

    it('answers 404 for an unknown user', async () => {
      const response = await patch('nobody', { status: 'away' }, t.admin);
      expect(response.statusCode).toBe(404);
      expect(response.data.error.code).toBe('not_found');
    });

    it('lets a user set their own status, shown by /api/me, without an audit entry', async () => {
      const ana = await t.tokenFor('ana');
      const response = await patch('ana', { status: 'away' }, ana);
      expect(response.statusCode).toBe(200);
      expect(response.data).toEqual({ id: 'ana', status: 'away' });
      expect((await t.request({ method: 'GET', url: '/api/me', headers: ana })).data.status).toBe('away');
      expect(await listAudit(t.baton.ctx.database.db, { action: 'user.status_changed', actor: 'ana' })).toHaveLength(0);
    });

    it("audits an admin changing someone else's status", async () => {
      await patch('ana', { status: 'offline' }, await t.tokenFor('ana'));
      const response = await patch('ana', { status: 'available' }, await t.tokenFor('olu'));
      expect(response.data).toEqual({ id: 'ana', status: 'available' });
      const audit = await listAudit(t.baton.ctx.database.db, { action: 'user.status_changed', entityId: 'ana' });
      expect(audit[0]).toMatchObject({ actor: 'olu', entity: 'user', data: { from: 'offline', to: 'available' } });
      const byBootstrap = await patch('olu', { status: 'away' }, t.admin);
      expect(byBootstrap.data).toEqual({ id: 'olu', status: 'away' });
      const bootstrapAudit = await listAudit(t.baton.ctx.database.db, { action: 'user.status_changed', entityId: 'olu' });
      expect(bootstrapAudit[0]).toMatchObject({ actor: 'admin-token', data: { from: 'available', to: 'away' } });
    });

    it('wakes the waiting-conversation assigner after commit when an agent comes online, not when they leave', async () => {
      const woken: { work: AfterCommitWork; status: Promise<string | null | undefined> }[] = [];
      const ctx = {
        ...t.baton.ctx,
        afterCommit: (work: AfterCommitWork) => {
          // What the assigner would read at that moment, from outside the transaction.
          woken.push({ work, status: getUserState(t.baton.ctx.database.db, 'ana').then((s) => s?.status) });
        },
      };
      const ana = { kind: 'user' as const, userId: 'ana', role: 'agent' as const, scopes: 'all' as const };
      await setUserStatus(ctx, ana, { userId: 'ana', status: 'offline' });
      expect(woken).toHaveLength(0);
      await setUserStatus(ctx, ana, { userId: 'ana', status: 'away' });
      expect(woken).toHaveLength(0);
      await setUserStatus(ctx, ana, { userId: 'ana', status: 'available' });
      expect(woken.map((w) => w.work)).toEqual([{ kind: 'assign_waiting' }]);
      expect(await woken[0]!.status).toBe('available');
      // Clicking "available" again changes nothing, so wakes nobody.
      await setUserStatus(ctx, ana, { userId: 'ana', status: 'available' });
      expect(woken).toHaveLength(1);
    });
  });
});
