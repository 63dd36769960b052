import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertSavedReply } from '../../src/store/repositories/saved-replies.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const BRUNO = { id: 'bruno', name: 'Bruno Díaz', email: 'bruno@acme.test' };

eachDialect('saved replies API', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let olu: Record<string, string>;
  let bruno: Record<string, string>;

  beforeEach(async () => {
    t = await startTestApp(dialect);
    expect((await t.request({ method: 'POST', url: '/api/users', headers: t.admin, payload: BRUNO })).statusCode).toBe(201);
    ana = await t.tokenFor('ana');
    olu = await t.tokenFor('olu');
    bruno = await t.tokenFor('bruno');
  });
  afterEach(async () => {
    await t.close();
  });

  const create = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: '/api/saved-replies', headers, payload });
  const list = async (headers: Record<string, string>, query = ''): Promise<{ title: string; rendered?: { language: string; body: string } }[]> => {
    const response = await t.request({ method: 'GET', url: `/api/saved-replies${query}`, headers });
    expect(response.statusCode).toBe(200);
    return response.data.items as { title: string; rendered?: { language: string; body: string } }[];
  };
  const refund = { title: 'Refund on its way', shortcut: 'refund', defaultLanguage: 'en', bodies: { en: 'Hi {{contact.name}}, {{agent.name}} here.', es: 'Hola {{contact.name}}, soy {{agent.name}}.' } };

  describe('refusals', () => {
    it('refuses without credentials', async () => {
      expect((await t.request({ method: 'GET', url: '/api/saved-replies' })).statusCode).toBe(401);
      expect((await create({}, refund)).statusCode).toBe(401);
    });

    it('refuses an agent creating a shared reply', async () => {
      const response = await create(ana, { ...refund, shared: true });
      expect(response.statusCode).toBe(403);
      expect(response.data.error.code).toBe('forbidden');
    });

    it('refuses unknown variables at save time, naming each with its language', async () => {
      const response = await create(ana, { ...refund, bodies: { en: 'Order {{order.id}} for {{contact.name}}', es: 'Espera {{expected_wait}}' } });
      expect(response.statusCode).toBe(422);
      expect(response.data.error.code).toBe('invalid');
      expect(response.data.error.details.map((d: { path: string }) => d.path)).toEqual(['bodies.en', 'bodies.es']);
      expect(response.data.error.details[0].message).toContain('{{order.id}}');
    });

    it('refuses oversized and malformed input with every problem', async () => {
      const response = await create(ana, { title: '', shortcut: 'Bad Shortcut', defaultLanguage: 'english', bodies: { en: 'x'.repeat(5_001) } });
      expect(response.statusCode).toBe(422);
      expect(response.data.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['bodies.en', 'defaultLanguage', 'shortcut', 'title']);
    });

    it('refuses a 501st personal reply: a picker, not a knowledge base', async () => {
      for (let n = 0; n < 500; n += 1) {
        await insertSavedReply(t.baton.ctx.database.db, { id: `r${n}`, ownerId: 'ana', title: `Reply ${n}`, shortcut: null, defaultLanguage: 'en', bodies: { en: 'x' }, createdBy: 'ana', now: t.clock.now() });
      }
      const response = await create(ana, refund);
      expect(response.statusCode).toBe(422);
      expect(response.data.error.message).toContain('at most 500');
      expect((await create(bruno, refund)).statusCode).toBe(201);
    });

    it('refuses a default language without a body', async () => {
      const response = await create(ana, { ...refund, defaultLanguage: 'fr' });
      expect(response.statusCode).toBe(422);
      expect(response.data.error.details[0].path).toBe('defaultLanguage');
    });
  });

  describe('personal and shared', () => {
    it("keeps an agent's personal reply from every other agent: not listed, 404 on change and removal", async () => {
      const created = await create(ana, refund);
      expect(created.statusCode).toBe(201);
      expect(created.data).toMatchObject({ title: 'Refund on its way', shortcut: 'refund', shared: false, owner: 'ana', defaultLanguage: 'en' });
      const id = created.data.id as string;

      expect((await list(ana)).map((r) => r.title)).toEqual(['Refund on its way']);
      expect(await list(bruno)).toEqual([]);
      expect(await list(olu)).toEqual([]);
      for (const headers of [bruno, olu]) {
        const patch = await t.request({ method: 'PATCH', url: `/api/saved-replies/${id}`, headers, payload: { title: 'Mine now' } });
        expect(patch.statusCode).toBe(404);
        expect(patch.data.error.code).toBe('not_found');
        expect((await t.request({ method: 'DELETE', url: `/api/saved-replies/${id}`, headers })).statusCode).toBe(404);
      }

      const renamed = await t.request({ method: 'PATCH', url: `/api/saved-replies/${id}`, headers: ana, payload: { title: 'Refund sent', shortcut: null } });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.data).toMatchObject({ title: 'Refund sent', shortcut: null, bodies: refund.bodies });
      expect((await t.request({ method: 'DELETE', url: `/api/saved-replies/${id}`, headers: ana })).statusCode).toBe(200);
      expect(await list(ana)).toEqual([]);
    });

    it('lets an admin write shared replies that every agent sees but cannot change', async () => {
      const created = await create(olu, { ...refund, title: 'Welcome', shared: true });
      expect(created.statusCode).toBe(201);
      expect(created.data).toMatchObject({ shared: true, owner: null });
      const id = created.data.id as string;
      await create(ana, { ...refund, title: 'Ana only' });

      expect((await list(ana)).map((r) => r.title)).toEqual(['Ana only', 'Welcome']);
      expect((await list(bruno)).map((r) => r.title)).toEqual(['Welcome']);
      expect((await list(t.admin)).map((r) => r.title)).toEqual(['Welcome']);

      const patch = await t.request({ method: 'PATCH', url: `/api/saved-replies/${id}`, headers: ana, payload: { title: 'Hijacked' } });
      expect(patch.statusCode).toBe(403);
      expect(patch.data.error.message).toContain('only admins');
      expect((await t.request({ method: 'DELETE', url: `/api/saved-replies/${id}`, headers: bruno })).statusCode).toBe(403);

      const edited = await t.request({ method: 'PATCH', url: `/api/saved-replies/${id}`, headers: olu, payload: { bodies: { en: 'Welcome, {{contact.name}}!' } } });
      expect(edited.statusCode).toBe(200);
      expect(edited.data.bodies).toEqual({ en: 'Welcome, {{contact.name}}!' });
      const unknown = await t.request({ method: 'PATCH', url: `/api/saved-replies/${id}`, headers: olu, payload: { bodies: { en: '{{nope}}' } } });
      expect(unknown.statusCode).toBe(422);
      expect((await t.request({ method: 'DELETE', url: `/api/saved-replies/${id}`, headers: olu })).statusCode).toBe(200);
    });
  });

  it('is described in the OpenAPI document, with its bounded body schema', async () => {
    const doc = await t.request({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys(doc.data.paths['/api/saved-replies'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.data.paths['/api/saved-replies/{id}'])).toEqual(expect.arrayContaining(['patch', 'delete']));
    expect(JSON.stringify(doc.data.paths['/api/saved-replies'].post)).toContain('5000');
  });

  describe('rendered for a conversation', () => {
    const startWidgetConversation = async (name: string, language: string): Promise<string> => {
      const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name, language } } });
      expect(session.statusCode).toBe(201);
      const started = await t.request({
        method: 'POST',
        url: '/api/widget/conversations',
        headers: { authorization: `Bearer ${session.data.token as string}` },
        payload: { message: 'hello' },
      });
      expect(started.statusCode).toBe(201);
      return (started.data.conversation?.id ?? started.data.id) as string;
    };

    it("picks the contact's language, falls back to the default, and fills the variables", async () => {
      await create(ana, refund);
      const spanish = await startWidgetConversation('Lucía', 'es');
      const german = await startWidgetConversation('Jonas', 'de');

      expect((await list(ana, `?conversation=${spanish}`))[0]?.rendered).toEqual({ language: 'es', body: 'Hola Lucía, soy Ana García.' });
      expect((await list(ana, `?conversation=${german}`))[0]?.rendered).toEqual({ language: 'en', body: 'Hi Jonas, Ana García here.' });
      expect((await list(ana))[0]?.rendered).toBeUndefined();
      expect((await t.request({ method: 'GET', url: '/api/saved-replies?conversation=nope', headers: ana })).statusCode).toBe(404);
    });
  });
});
