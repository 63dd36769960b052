import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notifyInApp } from '../../src/delivery/outbox-worker.js';
import type { NotificationPayload } from '../../src/services/notifications/enqueue-notification.js';
import { createUserToken } from '../../src/services/auth/authenticate.js';
import { withTransaction } from '../../src/store/database.js';
import { createNotification } from '../../src/store/repositories/notifications.js';
import { claimDue, enqueue, getOutboxItemByKey } from '../../src/store/repositories/outbox.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect('notifications API', (dialect) => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  const notify = async (name: string, userId: string, title: string): Promise<void> => {
    t.clock.advance(1_000);
    const { notification } = await createNotification(t.baton.ctx.database.db, {
      userId,
      type: 'assigned',
      title,
      body: `${title} — body`,
      conversationId: null,
      now: t.clock.now(),
    });
    ids[name] = notification.id;
  };

  // Each test its own world: no test sees what another wrote (any order, any one alone).
  beforeEach(async () => {
    t = await startTestApp(dialect);
    await notify('ana1', 'ana', 'First for Ana');
    await notify('olu1', 'olu', 'First for Olu');
    await notify('ana2', 'ana', 'Second for Ana');
    await notify('ana3', 'ana', 'Third for Ana');
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (query: string, headers: Record<string, string>) => t.request({ method: 'GET', url: `/api/notifications${query}`, headers });
  const read = (payload: unknown, headers: Record<string, string> = {}) =>
    t.request({ method: 'POST', url: '/api/notifications/read', payload: payload as object, headers });

  describe('GET /api/notifications', () => {
    it('refuses without credentials', async () => {
      expect((await get('', {})).statusCode).toBe(401);
    });

    it('refuses the bootstrap admin token, which is nobody to notify', async () => {
      const response = await get('', t.admin);
      expect(response.statusCode).toBe(403);
      expect(response.data.error.code).toBe('forbidden');
    });

    it('refuses malformed unread and limit with every problem', async () => {
      const response = await get('?unread=maybe&limit=0', await t.tokenFor('ana'));
      expect(response.statusCode).toBe(422);
      expect(response.data.error.code).toBe('invalid');
      expect(response.data.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['query.limit', 'query.unread']);
    });

    it("lists only the caller's notifications, newest first, with the unread count", async () => {
      const response = await get('', await t.tokenFor('ana'));
      expect(response.statusCode).toBe(200);
      expect(response.data.unread).toBe(3);
      expect(response.data.items.map((n: { id: string }) => n.id)).toEqual([ids.ana3, ids.ana2, ids.ana1]);
      expect(response.data.items[0]).toEqual({
        id: ids.ana3,
        type: 'assigned',
        title: 'Third for Ana',
        body: 'Third for Ana — body',
        conversationId: null,
        read: false,
        createdAt: expect.any(String),
      });
      const olu = await get('', await t.tokenFor('olu'));
      expect(olu.data.items.map((n: { id: string }) => n.id)).toEqual([ids.olu1]);
    });

    it('pages with limit while the unread count stays the total', async () => {
      const response = await get('?limit=1', await t.tokenFor('ana'));
      expect(response.data.items).toHaveLength(1);
      expect(response.data.unread).toBe(3);
    });
  });

  describe('POST /api/notifications/read', () => {
    it('refuses without credentials', async () => {
      expect((await read({ all: true })).statusCode).toBe(401);
    });

    it('refuses a read-only token', async () => {
      const token = await createUserToken(t.baton.ctx, 'ana', { name: 'read only', scopes: ['read'] }, 'test');
      const response = await read({ all: true }, { authorization: `Bearer ${token.token}` });
      expect(response.statusCode).toBe(403);
      expect(response.data.error.code).toBe('forbidden');
    });

    it('refuses a body with neither ids nor all, with both, or with the wrong types', async () => {
      const ana = await t.tokenFor('ana');
      const neither = await read({}, ana);
      expect(neither.statusCode).toBe(422);
      expect(neither.data.error.details).toEqual([{ path: 'ids', message: 'give the ids to mark read, or all: true' }]);
      const both = await read({ ids: [ids.ana1], all: true }, ana);
      expect(both.statusCode).toBe(422);
      expect(both.data.error.details[0].path).toBe('all');
      const wrong = await read({ ids: 'ana1', all: 'yes' }, ana);
      expect(wrong.statusCode).toBe(422);
      expect(wrong.data.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['all', 'ids']);
      const tooMany = await read({ ids: Array.from({ length: 1_001 }, (_, i) => `n${i}`) }, ana);
      expect(tooMany.statusCode).toBe(422);
      expect(tooMany.data.error.details).toEqual([{ path: 'ids', message: 'at most 1000 ids at once; use all: true for everything' }]);
    });

    it("marks the given ids read, and never another user's", async () => {
      const ana = await t.tokenFor('ana');
      const marked = await read({ ids: [ids.ana1, ids.olu1] }, ana);
      expect(marked.statusCode).toBe(200);
      // Olu's id is ignored: the update only ever touches the caller's rows.
      expect(marked.data).toEqual({ marked: 1, unread: 2 });
      const olu = await get('', await t.tokenFor('olu'));
      expect(olu.data).toMatchObject({ unread: 1, items: [{ id: ids.olu1, read: false }] });

      const unread = await get('?unread=true', ana);
      expect(unread.data.items.map((n: { id: string }) => n.id)).toEqual([ids.ana3, ids.ana2]);
      const all = await get('', ana);
      expect(all.data.items.find((n: { id: string }) => n.id === ids.ana1).read).toBe(true);
    });

    it('marks all of the caller\'s read, once', async () => {
      const ana = await t.tokenFor('ana');
      // One of Ana's three already read: two left to mark.
      expect((await read({ ids: [ids.ana1] }, ana)).data).toEqual({ marked: 1, unread: 2 });
      expect((await read({ all: true }, ana)).data).toEqual({ marked: 2, unread: 0 });
      expect((await read({ all: true }, ana)).data).toEqual({ marked: 0, unread: 0 });
      expect((await get('?unread=true', ana)).data).toEqual({ items: [], unread: 0 });
      expect((await get('', await t.tokenFor('olu'))).data.unread).toBe(1);
    });
  });

  describe('delivered through the outbox', () => {
    const payload: NotificationPayload = {
      conversationId: null,
      recipients: ['ana', 'olu'],
      type: 'queued',
      title: 'A conversation waits in General',
      body: 'Ada Lovelace asked for a person',
      data: {},
    };

    it('appears in each recipient\'s centre once, however often the outbox drains', async () => {
      const key = 'conv-outbox-1:notify.in_app:1';
      await withTransaction(t.baton.ctx.database, (trx) =>
        enqueue(trx, { kind: 'notify.in_app', idempotencyKey: key, payload, now: t.clock.now() }),
      );
      // The same fact enqueued again (a retried request) is one row.
      const again = await enqueue(t.baton.ctx.database.db, { kind: 'notify.in_app', idempotencyKey: key, payload, now: t.clock.now() });
      expect(again.inserted).toBe(false);

      expect(await t.baton.outbox.drain()).toBe(1);
      expect(await t.baton.outbox.drain()).toBe(0);
      expect((await getOutboxItemByKey(t.baton.ctx.database.db, key))?.status).toBe('done');

      for (const user of ['ana', 'olu']) {
        const centre = await get('?unread=true', await t.tokenFor(user));
        const delivered = centre.data.items.filter((n: { title: string }) => n.title === payload.title);
        expect(delivered).toHaveLength(1);
        expect(delivered[0]).toMatchObject({ type: 'queued', body: payload.body, read: false });
      }
    });

    it('is not duplicated when a worker whose lease ran out already delivered it', async () => {
      const key = 'conv-outbox-2:notify.in_app:1';
      const second = { ...payload, recipients: ['ana'], title: 'Delivered twice, shown once' };
      await enqueue(t.baton.ctx.database.db, { kind: 'notify.in_app', idempotencyKey: key, payload: second, now: t.clock.now() });
      // Worker A claims the row with a short lease and delivers, but stalls before settling it…
      const [claimed] = await withTransaction(t.baton.ctx.database, (trx) =>
        claimDue(trx, { now: t.clock.now(), limit: 10, leaseMs: 1_000, kinds: ['notify.in_app'] }),
      );
      expect(claimed?.idempotencyKey).toBe(key);
      await withTransaction(t.baton.ctx.database, (trx) => notifyInApp.run(trx, second, claimed!, t.clock.now()));
      // …so after the lease another worker takes the row over and runs the job again.
      t.clock.advance(2_000);
      expect(await t.baton.outbox.drain()).toBe(1);

      const centre = await get('', await t.tokenFor('ana'));
      expect(centre.data.items.filter((n: { title: string }) => n.title === second.title)).toHaveLength(1);
    });
  });
});
