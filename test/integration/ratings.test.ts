/**
 * CSAT once per resolution (issue 18), on both databases: the widget and the API for in_app and
 * api channels. A second rating of the same resolution is a conflict; a conversation reopened and
 * resolved again is asked again; each rating is a `ratings` row and a `conversation.rated` event
 * saying whether a person had the conversation (reports split handed-off vs AI-only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect('ratings per resolution', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let appBot: Record<string, string>;
  let chatBot: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    ana = await t.tokenFor('ana');
    const channel = await t.request({
      method: 'POST',
      url: '/api/channels',
      headers: t.admin,
      payload: { id: 'mobile-app', name: 'Mobile app', type: 'in_app', assistant: 'builtin', defaultRoute: { queue: 'general' } },
    });
    expect(channel.statusCode).toBeLessThan(300);
    const bot = async (channels: string[]) => {
      const made = await t.request({ method: 'POST', url: '/api/users/olu/tokens', headers: t.admin, payload: { name: `bot ${channels.join()}`, scopes: ['bot'], channels } });
      expect(made.statusCode).toBeLessThan(300);
      return { authorization: `Bearer ${made.data.token as string}` };
    };
    appBot = await bot(['mobile-app']);
    chatBot = await bot(['web-chat']);
  });
  afterAll(async () => {
    await t.close();
  });

  const db = () => t.baton.ctx.database.db;
  const resolve = (id: string) => t.request({ method: 'POST', url: `/api/conversations/${id}/resolve`, headers: t.admin, payload: {} });
  const reopen = (id: string) => t.request({ method: 'POST', url: `/api/conversations/${id}/reopen`, headers: t.admin, payload: {} });
  const rateByApi = (id: string, headers: Record<string, string>, payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: `/api/conversations/${id}/rating`, headers, payload });
  const ratedEvents = async (id: string): Promise<{ data: Record<string, unknown> }[]> => {
    const events = (await t.request({ method: 'GET', url: `/api/conversations/${id}/events`, headers: t.admin })).data as { type: string; data: Record<string, unknown> }[];
    return events.filter((e) => e.type === 'conversation.rated');
  };

  async function widgetCustomer(message = 'I want to talk to a person'): Promise<{ auth: Record<string, string>; id: string }> {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Kim', language: 'en' } } });
    const auth = { authorization: `Bearer ${session.data.token}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers: auth, payload: { message } });
    expect(started.statusCode).toBe(201);
    return { auth, id: started.data.conversation.id };
  }

  async function inAppConversation(message = 'How do I reset my password?'): Promise<string> {
    const started = await t.request({
      method: 'POST',
      url: '/api/conversations',
      headers: ana,
      payload: { channel: 'mobile-app', contact: { name: 'Lee', email: `lee-${Math.random().toString(36).slice(2)}@example.test` }, message },
    });
    expect(started.statusCode).toBeLessThan(300);
    return (started.data.conversation?.id ?? started.data.id) as string;
  }

  describe('in the widget', () => {
    it('refuses a second rating of the same resolution with 409 conflict, and leaves the first', async () => {
      const { auth, id } = await widgetCustomer();
      expect((await resolve(id)).statusCode).toBe(200);
      const first = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/rating`, headers: auth, payload: { score: 2, comment: 'slow' } });
      expect(first.statusCode).toBe(200);
      const second = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/rating`, headers: auth, payload: { score: 5 } });
      expect(second.statusCode).toBe(409);
      expect(second.data.error.code).toBe('conflict');
      expect(second.data.error.message).toContain('already rated');
      const seen = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: ana });
      expect(seen.data.rating).toEqual({ score: 2, comment: 'slow', current: true });
      expect(await db().selectFrom('ratings').select(['score']).where('conversation_id', '=', id).execute()).toHaveLength(1);
    });

    it('asks again after a reopen and a new resolution, and keeps both ratings', async () => {
      const { auth, id } = await widgetCustomer();
      await resolve(id);
      expect((await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/rating`, headers: auth, payload: { score: 2 } })).statusCode).toBe(200);
      expect((await t.request({ method: 'GET', url: `/api/widget/conversations/${id}`, headers: auth })).data.rating).toBe(2);

      expect((await reopen(id)).statusCode).toBe(200);
      // Open again: nothing to rate, and the agents still see the latest rating.
      const early = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/rating`, headers: auth, payload: { score: 4 } });
      expect(early.statusCode).toBe(409);
      await resolve(id);
      const asked = await t.request({ method: 'GET', url: `/api/widget/conversations/${id}`, headers: auth });
      expect(asked.data).toMatchObject({ status: 'resolved', rating: null });
      expect((await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: ana })).data.rating).toEqual({ score: 2, comment: null, current: false });

      const again = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/rating`, headers: auth, payload: { score: 5, comment: 'fixed now' } });
      expect(again.statusCode).toBe(200);
      expect(again.data.rating).toBe(5);
      expect((await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: ana })).data.rating).toEqual({ score: 5, comment: 'fixed now', current: true });

      const rows = await db().selectFrom('ratings').selectAll().where('conversation_id', '=', id).orderBy('resolution_seq').execute();
      expect(rows.map((r) => ({ score: Number(r.score), source: r.source, handedOff: Number(r.handed_off) }))).toEqual([
        { score: 2, source: 'widget', handedOff: 1 },
        { score: 5, source: 'widget', handedOff: 1 },
      ]);
      expect(Number(rows[1]!.resolution_seq)).toBeGreaterThan(Number(rows[0]!.resolution_seq));
      const events = await ratedEvents(id);
      expect(events.map((e) => e.data)).toEqual([
        { score: 2, comment: null, handedOff: true, resolutionSeq: Number(rows[0]!.resolution_seq), source: 'widget' },
        { score: 5, comment: 'fixed now', handedOff: true, resolutionSeq: Number(rows[1]!.resolution_seq), source: 'widget' },
      ]);
      // The resolution a rating belongs to is the event that resolved the conversation.
      const resolvedEvents = (await t.request({ method: 'GET', url: `/api/conversations/${id}/events`, headers: t.admin })).data.filter(
        (e: { type: string; data: { to?: string } }) => e.type === 'conversation.status_changed' && e.data.to === 'resolved',
      );
      expect(resolvedEvents.map((e: { seq: number }) => e.seq)).toEqual(rows.map((r) => Number(r.resolution_seq)));
    });
  });

  describe('over the API, for in_app and api channels', () => {
    it('refuses without credentials (401), a customer token (403), a bad score (422), a chat conversation (403) and another channel’s bot (404)', async () => {
      const { auth, id: chatId } = await widgetCustomer();
      await resolve(chatId);
      expect((await rateByApi(chatId, {}, { score: 5 })).statusCode).toBe(401);
      const asCustomer = await rateByApi(chatId, auth, { score: 5 });
      expect(asCustomer.statusCode).toBe(403);
      const zero = await rateByApi(chatId, ana, { score: 0 });
      expect(zero.statusCode).toBe(422);
      expect(zero.data.error).toMatchObject({ code: 'invalid', details: [{ path: 'score' }] });
      const chat = await rateByApi(chatId, ana, { score: 5 });
      expect(chat.statusCode).toBe(403);
      expect(chat.data.error.code).toBe('forbidden');
      expect(chat.data.error.message).toContain('widget');

      const id = await inAppConversation();
      await resolve(id);
      const foreign = await rateByApi(id, chatBot, { score: 5 });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.data.error.code).toBe('not_found');
    });

    it("takes the customer's rating from the app's bot token once per resolution, AI-only when no person had it", async () => {
      const id = await inAppConversation();
      const before = await rateByApi(id, appBot, { score: 4 });
      expect(before.statusCode).toBe(409);
      expect((await resolve(id)).statusCode).toBe(200);
      const rated = await rateByApi(id, appBot, { score: 4, comment: 'the article helped' });
      expect(rated.statusCode).toBe(200);
      expect(rated.data).toMatchObject({ id, status: 'resolved', rating: { score: 4, comment: 'the article helped', current: true } });
      const twice = await rateByApi(id, appBot, { score: 1 });
      expect(twice.statusCode).toBe(409);
      expect(twice.data.error.code).toBe('conflict');
      const [event] = await ratedEvents(id);
      expect(event?.data).toMatchObject({ score: 4, handedOff: false, source: 'api' });

      await reopen(id);
      await resolve(id);
      const again = await rateByApi(id, ana, { score: 3 });
      expect(again.statusCode).toBe(200);
      expect((await db().selectFrom('ratings').select(['score']).where('conversation_id', '=', id).execute()).map((r) => Number(r.score)).sort()).toEqual([3, 4]);
    });

    it('counts a conversation handed to a person as handed off', async () => {
      const id = await inAppConversation('I want to talk to a person');
      const handed = await t.request({ method: 'POST', url: `/api/conversations/${id}/handoff`, headers: ana, payload: { reason: 'asked' } });
      expect(handed.statusCode).toBe(200);
      await resolve(id);
      expect((await rateByApi(id, appBot, { score: 5 })).statusCode).toBe(200);
      const [event] = await ratedEvents(id);
      expect(event?.data).toMatchObject({ handedOff: true });
    });
  });
});
