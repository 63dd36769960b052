/**
 * The widget's CSAT prompt posts to
 * `POST /api/widget/conversations/:id/rating` with the customer's token: only their own
 * conversation, only once it is resolved, and the score is what the agents' API then shows.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect('widget rating', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    ana = await t.tokenFor('ana');
  });
  afterAll(async () => {
    await t.close();
  });

  async function customer(): Promise<{ auth: Record<string, string>; id: string }> {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Kim', language: 'en' } } });
    const auth = { authorization: `Bearer ${session.data.token}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers: auth, payload: { message: 'I want to talk to a person' } });
    expect(started.statusCode).toBe(201);
    return { auth, id: started.data.conversation.id };
  }

  const rate = (id: string, headers: Record<string, string>, payload: Record<string, unknown>) => t.request({ method: 'POST', url: `/api/widget/conversations/${id}/rating`, headers, payload });

  it('refuses without a customer token, with an agent token, and for another customer’s conversation', async () => {
    const { id } = await customer();
    const other = await customer();
    expect((await rate(id, {}, { score: 5 })).statusCode).toBe(401);
    const asAgent = await rate(id, ana, { score: 5 });
    expect(asAgent.statusCode).toBe(403);
    expect(asAgent.data.error.code).toBe('forbidden');
    const foreign = await rate(id, other.auth, { score: 5 });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.data.error.code).toBe('not_found');
  });

  it('refuses a score outside 1–5 and a conversation that is not resolved yet', async () => {
    const { auth, id } = await customer();
    const six = await rate(id, auth, { score: 6 });
    expect(six.statusCode).toBe(422);
    expect(six.data.error.code).toBe('invalid');
    const early = await rate(id, auth, { score: 4 });
    expect(early.statusCode).toBe(409);
    expect(early.data.error.code).toBe('conflict');
  });

  it('stores the customer’s score after resolution, shown to the customer and to the agents', async () => {
    const { auth, id } = await customer();
    const resolved = await t.request({ method: 'POST', url: `/api/conversations/${id}/resolve`, headers: t.admin, payload: {} });
    expect(resolved.statusCode).toBe(200);
    const state = await t.request({ method: 'GET', url: `/api/widget/conversations/${id}`, headers: auth });
    expect(state.data).toMatchObject({ status: 'resolved', rating: null });

    const rated = await rate(id, auth, { score: 4, comment: 'quick, thanks' });
    expect(rated.statusCode).toBe(200);
    expect(rated.data).toMatchObject({ id, status: 'resolved', rating: 4 });
    const seen = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: ana });
    expect(seen.data.rating).toEqual({ score: 4, comment: 'quick, thanks', current: true });
  });
});
