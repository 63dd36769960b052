/**
 * `GET /api/deliveries`, `POST /api/deliveries/{id}/retry` and
 * `GET|PUT /api/users/{id}/notification-preferences`. The workspace asks for email but configures
 * no SMTP server, so every email delivery is dead-lettered at once — a dead list without receivers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const CONFIG = `
workspace: { name: Deliveries, timezone: UTC }
schedules:
  - id: always
    timezone: UTC
    hours: { mon-sun: ["00:00-24:00"] }
users:
  - { id: ana, name: Ana García, email: ana@acme.test, role: agent, schedule: always }
  - { id: bea, name: Bea Ruiz, email: bea@acme.test, role: agent, schedule: always, status: away }
  - { id: olu, name: Olu Bello, email: olu@acme.test, role: admin, schedule: always, status: away }
teams:
  - { id: desk, name: Front desk, members: [ana, bea], strategy: round_robin }
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
        notify: [in_app, email]
  fallback:
    destination: { queue: general }
`;

eachDialect('deliveries API', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let bea: Record<string, string>;
  let olu: Record<string, string>;
  const conversations: string[] = [];

  async function handOff(name: string): Promise<string> {
    const created = await t.request({
      method: 'POST',
      url: '/api/conversations',
      headers: t.admin,
      payload: { channel: 'api', contact: { name }, message: 'hello' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.data.conversation.id as string;
    conversations.push(id);
    return id;
  }

  // Each test gets its own Baton with the same three dead-lettered hand-offs: retries,
  // preference changes and new conversations stay in the test that makes them.
  beforeEach(async () => {
    conversations.length = 0;
    t = await startTestApp(dialect, { config: CONFIG });
    ana = await t.tokenFor('ana');
    bea = await t.tokenFor('bea');
    olu = await t.tokenFor('olu');
    for (const name of ['One', 'Two', 'Three']) {
      await handOff(name);
      t.clock.advance(1_000);
    }
    await t.baton.outbox.drain();
  });
  afterEach(async () => {
    await t.close();
  });

  describe('refusals', () => {
    it('answers 401 without credentials', async () => {
      expect((await t.request({ method: 'GET', url: '/api/deliveries' })).statusCode).toBe(401);
      expect((await t.request({ method: 'POST', url: '/api/deliveries/x/retry' })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url: '/api/users/ana/notification-preferences' })).statusCode).toBe(401);
    });

    it('answers 403 to agents: deliveries are for admins', async () => {
      const listed = await t.request({ method: 'GET', url: '/api/deliveries', headers: ana });
      expect(listed.statusCode).toBe(403);
      expect(listed.data.error.code).toBe('forbidden');
      expect((await t.request({ method: 'POST', url: '/api/deliveries/x/retry', headers: ana })).statusCode).toBe(403);
    });

    it("answers 403 to an agent reading or changing another user's preferences", async () => {
      expect((await t.request({ method: 'GET', url: '/api/users/ana/notification-preferences', headers: bea })).statusCode).toBe(403);
      const put = await t.request({ method: 'PUT', url: '/api/users/ana/notification-preferences', headers: bea, payload: { types: {} } });
      expect(put.statusCode).toBe(403);
      expect(put.data.error.code).toBe('forbidden');
    });

    it('answers 422 naming the problem', async () => {
      const badStatus = await t.request({ method: 'GET', url: '/api/deliveries?status=lost', headers: t.admin });
      expect(badStatus.statusCode).toBe(422);
      expect(badStatus.data.error.code).toBe('invalid');
      const badKind = await t.request({ method: 'GET', url: '/api/deliveries?kind=timer.sla', headers: t.admin });
      expect(badKind.statusCode).toBe(422);
      const badCursor = await t.request({ method: 'GET', url: '/api/deliveries?cursor=nope', headers: t.admin });
      expect(badCursor.statusCode).toBe(422);
      const badType = await t.request({ method: 'PUT', url: '/api/users/ana/notification-preferences', headers: ana, payload: { types: { 'handoff.assignd': { email: false } } } });
      expect(badType.statusCode).toBe(422);
      const badChannel = await t.request({ method: 'PUT', url: '/api/users/ana/notification-preferences', headers: ana, payload: { types: { 'handoff.assigned': { sms: false } } } });
      expect(badChannel.statusCode).toBe(422);
    });

    it('answers 404 for an unknown delivery or user, and for outbox rows that are not deliveries', async () => {
      expect((await t.request({ method: 'POST', url: '/api/deliveries/nope/retry', headers: t.admin })).statusCode).toBe(404);
      expect((await t.request({ method: 'GET', url: '/api/users/nobody/notification-preferences', headers: t.admin })).statusCode).toBe(404);
      const internal = await t.baton.ctx.database.db.selectFrom('outbox').select('id').where('kind', '=', 'conversation.published').executeTakeFirstOrThrow();
      expect((await t.request({ method: 'POST', url: `/api/deliveries/${internal.id}/retry`, headers: t.admin })).statusCode).toBe(404);
    });
  });

  describe('the list', () => {
    it('shows dead deliveries with their attempts and last error, newest first', async () => {
      const listed = await t.request({ method: 'GET', url: '/api/deliveries?status=dead', headers: olu });
      expect(listed.statusCode).toBe(200);
      const ours = (listed.data.items as { conversationId: string }[]).filter((d) => conversations.includes(d.conversationId));
      expect(ours).toHaveLength(3);
      expect(ours[0]).toMatchObject({
        kind: 'notify.email',
        status: 'dead',
        attempts: 1,
        lastError: 'email is not configured: set notifications.email.smtpUrl',
        nextAttemptAt: null,
        conversationId: conversations[2],
        type: 'handoff.assigned',
        recipients: ['ana'],
        target: null,
      });
      expect(ours.map((d) => d.conversationId)).toEqual([...conversations].reverse());
    });

    it('filters by kind and by several statuses, and leaves out internal rows', async () => {
      const inApp = await t.request({ method: 'GET', url: '/api/deliveries?kind=notify.in_app&status=done,failed', headers: t.admin });
      expect(inApp.statusCode).toBe(200);
      expect((inApp.data.items as { kind: string; status: string }[]).every((d) => d.kind === 'notify.in_app' && d.status === 'done')).toBe(true);
      expect(inApp.data.items.length).toBeGreaterThanOrEqual(3);
      const all = await t.request({ method: 'GET', url: '/api/deliveries?limit=500', headers: t.admin });
      expect((all.data.items as { kind: string }[]).every((d) => d.kind.startsWith('notify.') || d.kind.startsWith('deliver.'))).toBe(true);
    });

    it('pages with a cursor, without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await t.request({ method: 'GET', url: `/api/deliveries?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`, headers: t.admin });
        expect(page.statusCode).toBe(200);
        expect(page.data.items.length).toBeLessThanOrEqual(2);
        seen.push(...(page.data.items as { id: string }[]).map((d) => d.id));
        cursor = page.data.nextCursor as string | null;
      } while (cursor !== null);
      const all = await t.request({ method: 'GET', url: '/api/deliveries?limit=500', headers: t.admin });
      expect(seen).toEqual((all.data.items as { id: string }[]).map((d) => d.id));
      expect(new Set(seen).size).toBe(seen.length);
    });
  });

  describe('retry', () => {
    it('puts a dead delivery back to pending now, audited; it runs again at the next drain', async () => {
      const dead = await t.request({ method: 'GET', url: '/api/deliveries?status=dead&kind=notify.email&limit=1', headers: t.admin });
      const id = dead.data.items[0].id as string;
      const retried = await t.request({ method: 'POST', url: `/api/deliveries/${id}/retry`, headers: olu });
      expect(retried.statusCode).toBe(200);
      expect(retried.data).toMatchObject({ id, status: 'pending', attempts: 0, nextAttemptAt: new Date(t.clock.now()).toISOString() });
      const audit = await t.request({ method: 'GET', url: `/api/audit?entity=delivery&entityId=${id}`, headers: t.admin });
      expect(audit.data.items).toEqual([expect.objectContaining({ action: 'delivery.retried', actor: 'olu', data: expect.objectContaining({ from: 'dead', kind: 'notify.email' }) })]);
      await t.baton.outbox.drain();
      const again = await t.request({ method: 'GET', url: '/api/deliveries?status=dead&kind=notify.email&limit=500', headers: t.admin });
      expect((again.data.items as { id: string; attempts: number }[]).find((d) => d.id === id)).toMatchObject({ attempts: 1 });
    });

    it('answers 409 for a delivery that is not failed or dead', async () => {
      const done = await t.request({ method: 'GET', url: '/api/deliveries?status=done&kind=notify.in_app&limit=1', headers: t.admin });
      const id = done.data.items[0].id as string;
      const retried = await t.request({ method: 'POST', url: `/api/deliveries/${id}/retry`, headers: t.admin });
      expect(retried.statusCode).toBe(409);
      expect(retried.data.error).toMatchObject({ code: 'conflict', message: 'the delivery is done; only failed or dead deliveries can be retried' });
    });
  });

  describe('notification preferences', () => {
    it('starts with every channel on for every type', async () => {
      const read = await t.request({ method: 'GET', url: '/api/users/ana/notification-preferences', headers: ana });
      expect(read.statusCode).toBe(200);
      expect(read.data).toMatchObject({ userId: 'ana', updatedAt: null });
      expect(Object.keys(read.data.types).sort()).toEqual(['handoff.alert', 'handoff.assigned', 'handoff.queued', 'handoff.sla_breach']);
      for (const switches of Object.values(read.data.types)) expect(switches).toEqual({ in_app: true, email: true, slack: true });
    });

    it('lets a user switch channels off per type, and an admin read and reset them', async () => {
      const put = await t.request({
        method: 'PUT',
        url: '/api/users/ana/notification-preferences',
        headers: ana,
        payload: { types: { 'handoff.queued': { email: false, slack: false }, 'handoff.alert': { in_app: true } } },
      });
      expect(put.statusCode).toBe(200);
      expect(put.data.types['handoff.queued']).toEqual({ in_app: true, email: false, slack: false });
      expect(put.data.types['handoff.alert']).toEqual({ in_app: true, email: true, slack: true });
      expect(put.data.updatedAt).toBe(new Date(t.clock.now()).toISOString());

      const seen = await t.request({ method: 'GET', url: '/api/users/ana/notification-preferences', headers: olu });
      expect(seen.data.types['handoff.queued']).toEqual({ in_app: true, email: false, slack: false });

      const reset = await t.request({ method: 'PUT', url: '/api/users/ana/notification-preferences', headers: t.admin, payload: { types: {} } });
      expect(reset.statusCode).toBe(200);
      expect(reset.data.types['handoff.queued']).toEqual({ in_app: true, email: true, slack: true });
    });

    it('suppresses a switched-off channel: no in-app notification, and the email row settles as done without sending', async () => {
      await t.request({ method: 'PUT', url: '/api/users/ana/notification-preferences', headers: ana, payload: { types: { 'handoff.assigned': { in_app: false, email: false } } } });
      const id = await handOff('Muted');
      await t.baton.outbox.drain();
      const rows = await t.request({ method: 'GET', url: '/api/deliveries?limit=500', headers: t.admin });
      const mine = (rows.data.items as { conversationId: string; kind: string; status: string }[]).filter((d) => d.conversationId === id);
      // Without an SMTP server an email attempt would be dead: done means nobody was to be mailed.
      expect(mine.map((d) => [d.kind, d.status]).sort()).toEqual([
        ['notify.email', 'done'],
        ['notify.in_app', 'done'],
      ]);
      const inbox = await t.request({ method: 'GET', url: '/api/notifications', headers: ana });
      expect((inbox.data.items as { conversationId: string }[]).some((n) => n.conversationId === id)).toBe(false);
      await t.request({ method: 'PUT', url: '/api/users/ana/notification-preferences', headers: ana, payload: { types: {} } });
    });
  });
});
