/**
 * Notifications in a conversation's history (GET /api/conversations/{id}/events: "every status
 * change, assignment and notification"): each notification enqueued about a conversation appends a
 * `notification.enqueued` event in the same transaction, naming the channel, the kind and the
 * people — never the payload's data or a target's address — and enqueued again under the same key
 * it appends nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueNotification } from '../../src/services/notifications/enqueue-notification.js';
import { withTransaction } from '../../src/store/database.js';
import { listOutbox } from '../../src/store/repositories/outbox.js';
import { EXAMPLE_CONFIG, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

interface EventView {
  type: string;
  actor: string | null;
  data: Record<string, unknown>;
}

eachDialect('notifications in the conversation events', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect, { config: EXAMPLE_CONFIG.replace('https://hooks.acme.test/baton', 'http://127.0.0.1:9/baton') });
  });
  afterAll(async () => {
    await t.close();
  });

  const eventsOf = async (id: string) => {
    const response = await t.request({ method: 'GET', url: `/api/conversations/${id}/events`, headers: t.admin });
    expect(response.statusCode).toBe(200);
    return response.data as EventView[];
  };

  it('lists every notification a handoff enqueued, with its channel and recipients and nothing else', async () => {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Lucía', language: 'es', properties: { plan: 'enterprise' } } } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const id = (await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} })).data.conversation.id as string;
    expect((await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers, payload: { body: 'quiero hablar con una persona' } })).statusCode).toBe(201);

    const events = await eventsOf(id);
    const notified = events.filter((e) => e.type === 'notification.enqueued');
    // One event per notification row about this conversation (an email row per person counts once per notification).
    const rows = (await listOutbox(t.baton.ctx.database.db, {})).filter((row) => row.kind.startsWith('notify.') && (row.payload as { conversationId: string | null }).conversationId === id);
    expect(rows.length).toBeGreaterThan(0);
    const channels = new Set(rows.map((row) => row.kind.slice('notify.'.length)));
    expect(new Set(notified.map((e) => e.data.channel))).toEqual(channels);
    for (const event of notified) {
      expect(event.actor).toBe('system');
      expect(Object.keys(event.data).sort()).toEqual(['channel', 'notification', 'recipients', 'title']);
      expect(event.data.recipients).toEqual(expect.any(Array));
    }
    // After the handoff that caused them.
    const completed = events.findIndex((e) => e.type === 'handoff.started');
    expect(completed).toBeGreaterThanOrEqual(0);
    expect(events.findIndex((e) => e.type === 'notification.enqueued')).toBeGreaterThan(completed);
  });

  it('appends one event per notification, not one per retry of the same key', async () => {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Grace' } } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const id = (await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} })).data.conversation.id as string;
    const notify = () =>
      withTransaction(t.baton.ctx.database, (trx) =>
        enqueueNotification(trx, {
          channel: 'email',
          idempotencyKey: `${id}:test:notify.email`,
          payload: { conversationId: id, recipients: ['ana', 'olu'], type: 'handoff.alert', title: 'Look at this', body: 'b', data: { link: 'secret-link' } },
          now: t.clock.now(),
        }),
      );
    await notify();
    await notify();
    const notified = (await eventsOf(id)).filter((e) => e.type === 'notification.enqueued');
    expect(notified.map((e) => e.data)).toEqual([{ channel: 'email', notification: 'handoff.alert', recipients: ['ana', 'olu'], title: 'Look at this' }]);
    expect(JSON.stringify(notified)).not.toContain('secret-link');
  });
});
