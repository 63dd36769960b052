/**
 * The SLA badge is true live (issue 16 §2: it still said "59 min left to first response" after the
 * first reply): the first public reply by a person stops the clock, and agents hear it on the
 * stream as a `conversation.updated` frame carrying the stopped clock — once, not for a note.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';
import { OWNERSHIP_CONFIG } from '../support/ownership-desk.js';

eachDialect('the SLA clock stops live', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(dialect, { config: OWNERSHIP_CONFIG });
    ana = await t.tokenFor('ana');
  });
  afterAll(async () => {
    await t.close();
  });

  async function framesOf(id: string): Promise<Record<string, unknown>[]> {
    const rows = await t.baton.ctx.database.db
      .selectFrom('stream_events')
      .select(['data', 'audience'])
      .where('conversation_id', '=', id)
      .where('type', '=', 'conversation.updated')
      .orderBy('seq')
      .execute();
    return rows.filter((r) => r.audience === 'agents').map((r) => JSON.parse(r.data) as Record<string, unknown>);
  }

  it('stops the first-response clock on the first public reply and tells every agent at once', async () => {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Lucía', language: 'en' } } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const id = (await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} })).data.conversation.id as string;
    await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers });
    expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/claim`, headers: ana })).statusCode).toBe(200);
    const before = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: ana });
    expect(before.data.firstResponseDueAt).not.toBeNull();
    expect(before.data.firstHumanResponseAt).toBeNull();

    t.clock.advance(60_000);
    await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: ana, payload: { body: 'checking with billing', private: true } });
    await t.baton.outbox.drain();
    expect((await framesOf(id)).some((f) => f.cause === 'sla.stopped')).toBe(false);

    const reply = await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: ana, payload: { body: 'Hi Lucía, Ana here.' } });
    expect(reply.statusCode).toBe(201);
    t.clock.advance(60_000);
    await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: ana, payload: { body: 'Let me look.' } });
    await t.baton.outbox.drain();

    const stopped = (await framesOf(id)).filter((f) => f.firstHumanResponseAt !== undefined);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ cause: 'sla.stopped', sla: 'met', firstResponseDueAt: before.data.firstResponseDueAt, status: 'assigned', owner: 'ana' });
    const after = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: ana });
    expect(after.data.firstHumanResponseAt).toBe(stopped[0]?.firstHumanResponseAt);
  });
});
