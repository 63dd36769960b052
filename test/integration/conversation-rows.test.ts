import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** Issue 16 §4: an inbox row shows the latest message (not the trigger) and how long the customer has waited. */
eachDialect('conversation rows', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  it('carries the latest message and the wait since the oldest unanswered customer message, in the list and in one', async () => {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Kim', language: 'en' } } });
    const customer = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers: customer, payload: { message: 'My invoice is wrong' } });
    const id = started.data.conversation.id as string;
    t.clock.advance(60_000);
    const handedOffAt = t.clock.now();
    expect((await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers: customer })).statusCode).toBeLessThan(300);
    t.clock.advance(5 * 60_000);
    await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers: customer, payload: { body: 'Are you there?' } });

    const row = async () => {
      const list = await t.request({ method: 'GET', url: '/api/conversations?view=all', headers: t.admin });
      expect(list.statusCode).toBe(200);
      const one = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin });
      const listed = (list.data.items as { id: string }[]).find((c) => c.id === id) as Record<string, unknown>;
      expect({ lastMessage: one.data.lastMessage, customerWaitingSince: one.data.customerWaitingSince }).toEqual({
        lastMessage: listed.lastMessage,
        customerWaitingSince: listed.customerWaitingSince,
      });
      return listed as { lastMessage: { author: string; body: string; private: boolean } | null; customerWaitingSince: string | null; status: string };
    };

    // Waiting since the handoff: "Are you there?" came later, and nobody has answered.
    let listed = await row();
    expect(listed.lastMessage).toMatchObject({ author: 'contact', body: 'Are you there?', private: false });
    expect(listed.customerWaitingSince).toBe(new Date(handedOffAt).toISOString());

    // A note is the latest message but answers nobody.
    const olu = await t.tokenFor('olu');
    t.clock.advance(60_000);
    expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: olu, payload: { body: 'checking the invoice', private: true } })).statusCode).toBe(201);
    listed = await row();
    expect(listed.lastMessage).toMatchObject({ author: 'user', body: 'checking the invoice', private: true });
    expect(listed.customerWaitingSince).toBe(new Date(handedOffAt).toISOString());

    // A public reply: nobody waits; the next customer message starts the wait again.
    expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: olu, payload: { body: 'Fixed it', private: false } })).statusCode).toBe(201);
    listed = await row();
    expect(['assigned', 'queued']).toContain(listed.status);
    expect(listed.customerWaitingSince).toBeNull();
    t.clock.advance(2 * 60_000);
    const askedAgainAt = t.clock.now();
    await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers: customer, payload: { body: 'x'.repeat(400) } });
    listed = await row();
    expect(listed.lastMessage?.body).toHaveLength(280);
    expect(listed.lastMessage?.body.endsWith('…')).toBe(true);
    expect(['assigned', 'queued']).toContain(listed.status);
    expect(listed.customerWaitingSince).toBe(new Date(askedAgainAt).toISOString());
  });
});
