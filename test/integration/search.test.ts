/**
 * Search (issue 16 §3): `GET /api/conversations?q=` and `GET /api/contacts?q=`, `GET
 * /api/contacts/{id}`, on SQLite (FTS5) and PostgreSQL (tsvector + GIN), through the HTTP API of
 * a real server on a real database in checking mode.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStatus } from '../../src/contract/common.js';
import { withTransaction } from '../../src/store/database.js';
import { createContact } from '../../src/store/repositories/contacts.js';
import { createConversation } from '../../src/store/repositories/conversations.js';
import { appendMessage } from '../../src/store/repositories/messages.js';
import { eachDialect, startTestApp, WEDNESDAY_MORNING, type TestApp } from '../support/test-app.js';

interface Seed {
  readonly key: string;
  readonly contact: { readonly name: string; readonly email?: string };
  readonly messages: readonly string[];
  readonly note?: string;
  readonly tags?: readonly string[];
  readonly status?: ConversationStatus;
  readonly owner?: string;
  readonly quietFor: number;
}

const SEEDS: readonly Seed[] = [
  // Three mentions in a short message: the most relevant for "invoice".
  { key: 'invoiceMany', contact: { name: 'Lena Park' }, messages: ['Invoice, invoice, invoice: all three are wrong'], quietFor: 5 },
  {
    key: 'invoiceOnce',
    contact: { name: 'Tom Weber' },
    messages: ['Hello, I have a question about my account settings, the password page, the language of the emails I get, also one old invoice from March'],
    quietFor: 1,
  },
  {
    key: 'spanish',
    contact: { name: 'María Gómez', email: 'maria.gomez@example.es' },
    messages: ['No puedo pagar la factura del cañón', 'Gracias'],
    status: 'assigned',
    owner: 'ana',
    quietFor: 2,
  },
  { key: 'vip', contact: { name: 'Quentin Blake' }, messages: ['where is my parcel'], tags: ['vip-customer', 'shipping'], status: 'resolved', quietFor: 3 },
  { key: 'noted', contact: { name: 'Rosa Diaz' }, messages: ['my order is late'], note: 'customer threatened chargeback', owner: 'olu', status: 'assigned', quietFor: 4 },
  { key: 'hostile', contact: { name: 'Eve "Quotes" Null' }, messages: ['I said "refund" AND -now * NEAR(me) OR NOT this'], quietFor: 6 },
];

eachDialect('search', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;
  const ids = new Map<string, string>();
  const keyOf = new Map<string, string>();
  const contactIds = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp(dialect);
    ana = await t.tokenFor('ana');
    const db = t.baton.ctx.database.db;
    const now = WEDNESDAY_MORNING;
    for (const seed of SEEDS) {
      const contact = await createContact(db, { name: seed.contact.name, email: seed.contact.email ?? null, now });
      const conversation = await createConversation(db, { channelId: 'web-chat', channelType: 'chat', contactId: contact.id, tags: seed.tags ?? [], now });
      for (const body of seed.messages) await appendMessage(db, { conversationId: conversation.id, author: 'contact', body, now });
      if (seed.note !== undefined) await appendMessage(db, { conversationId: conversation.id, author: 'user', authorId: 'olu', body: seed.note, private: true, now });
      // Routing state is written by the one writer in the product; here the test sets the world up directly.
      await db
        .updateTable('conversations')
        .set({ status: seed.status ?? 'bot', owner_id: seed.owner ?? null, last_activity_at: now - seed.quietFor * 60_000 })
        .where('id', '=', conversation.id)
        .execute();
      ids.set(seed.key, conversation.id);
      keyOf.set(conversation.id, seed.key);
      contactIds.set(seed.key, contact.id);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  interface Item {
    id: string;
    snippet?: { source: string; seq: number | null; segments: { text: string; match: boolean }[] };
  }
  const search = async (query: string, headers = ana) => {
    const response = await t.request({ method: 'GET', url: `/api/conversations?${query}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.data as { items: Item[]; nextCursor: string | null };
  };
  const found = async (q: string, extra = '') => (await search(`q=${encodeURIComponent(q)}${extra}`)).items.map((i) => keyOf.get(i.id) ?? i.id);
  const matched = (item: Item | undefined) => (item?.snippet?.segments ?? []).filter((s) => s.match).map((s) => s.text);

  describe('refusals', () => {
    it('answers 401 without credentials and 403 to a customer token', async () => {
      expect((await t.request({ method: 'GET', url: '/api/conversations?q=invoice' })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url: '/api/contacts?q=lena' })).statusCode).toBe(401);
      const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: {} } });
      const customer = { authorization: `Bearer ${session.data.token as string}` };
      for (const url of ['/api/conversations?q=invoice', '/api/contacts?q=lena', `/api/contacts/${contactIds.get('spanish') ?? ''}`]) {
        const refused = await t.request({ method: 'GET', url, headers: customer });
        expect(refused.statusCode, url).toBe(403);
      }
    });

    it('answers 422 naming q when it is too long or holds no word, and cursor when it is not ours', async () => {
      for (const q of ['x'.repeat(201), '" * -', Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ')]) {
        for (const path of ['/api/conversations', '/api/contacts']) {
          const bad = await t.request({ method: 'GET', url: `${path}?q=${encodeURIComponent(q)}`, headers: ana });
          expect(bad.statusCode, `${path} ${q}`).toBe(422);
          expect(bad.data.error.code).toBe('invalid');
          const paths = (bad.data.error.details as { path: string }[]).map((d) => d.path);
          expect(paths.some((p) => p === 'q' || p === 'query.q'), paths.join()).toBe(true);
        }
      }
      const bad = await t.request({ method: 'GET', url: '/api/conversations?q=invoice&cursor=abc', headers: ana });
      expect(bad.statusCode).toBe(422);
      expect(bad.data.error.details[0].path).toBe('cursor');
    });

    it('searches hostile input as text: quotes, stars, operators, minus signs and unicode never fail or inject', async () => {
      for (const q of ['"', '"refund', 'refund"', '*', 'refund*', 'AND', 'OR NOT', '-now', 'NEAR(me)', 'a AND b', "'; drop table messages; --", '\\', '^refund', 'refund:*', 'cañón', '🙂', '東京']) {
        const response = await t.request({ method: 'GET', url: `/api/conversations?q=${encodeURIComponent(q)}`, headers: ana });
        expect([200, 422], `${q}: ${response.body}`).toContain(response.statusCode);
        if (response.statusCode === 422) expect(response.data.error.details[0].path).toBe('q');
      }
      // The operators are words to look for, not operators: only the message holding them matches.
      expect(await found('AND')).toEqual(['hostile']);
      expect(await found('"refund" -now')).toEqual(['hostile']);
      expect(await found('NEAR(me) OR NOT')).toEqual(['hostile']);
      expect(await found('Eve "Quotes"')).toEqual(['hostile']);
      expect(await found('cañón')).toEqual(['spanish']);
    });
  });

  describe('conversations', () => {
    it('ranks the more relevant conversation first and flags the match in the snippet', async () => {
      const result = await search('q=invoice');
      expect(result.items.map((i) => keyOf.get(i.id))).toEqual(['invoiceMany', 'invoiceOnce']);
      const [best, other] = result.items;
      expect(best?.snippet?.source).toBe('message');
      expect(best?.snippet?.seq).toBe(1);
      expect(matched(best)).toEqual(['Invoice', 'invoice', 'invoice']);
      expect(matched(other)).toEqual(['invoice']);
      // The snippet is the text itself, cut around the match.
      expect(other?.snippet?.segments.map((s) => s.text).join('')).toContain('one old invoice from March');
    });

    it('matches the last word as a prefix (search as you type) and folds case', async () => {
      expect(await found('INVOI')).toEqual(['invoiceMany', 'invoiceOnce']);
      expect(await found('factura pag')).toEqual(['spanish']);
    });

    it("finds conversations by their contact's name and email, and by tags", async () => {
      const byName = await search(`q=${encodeURIComponent('maría gómez')}`);
      expect(byName.items.map((i) => keyOf.get(i.id))).toEqual(['spanish']);
      expect(byName.items[0]?.snippet?.source).toBe('contact');
      expect(matched(byName.items[0])).toEqual(['María', 'Gómez', 'maria', 'gomez']);
      expect(await found('maria.gomez@example.es')).toEqual(['spanish']);
      const byTag = await search('q=vip-customer');
      expect(byTag.items.map((i) => keyOf.get(i.id))).toEqual(['vip']);
      expect(byTag.items[0]?.snippet?.source).toBe('tags');
      expect(matched(byTag.items[0])).toEqual(['vip', 'customer']);
      expect(await found('shipping')).toEqual(['vip']);
    });

    it('finds private notes for agents and says the snippet is a note', async () => {
      const result = await search('q=chargeback');
      expect(result.items.map((i) => keyOf.get(i.id))).toEqual(['noted']);
      expect(result.items[0]?.snippet?.source).toBe('note');
      expect(matched(result.items[0])).toEqual(['chargeback']);
    });

    it('combines with the view, status and owner filters, so a search shows only what the list would', async () => {
      expect(await found('invoice', '&status=bot')).toEqual(['invoiceMany', 'invoiceOnce']);
      expect(await found('invoice', '&status=assigned')).toEqual([]);
      expect(await found('parcel', '&view=all')).toEqual([]);
      expect(await found('parcel', '&view=resolved')).toEqual(['vip']);
      // Ana's own conversations: not Olu's, even when the words match.
      expect(await found('late', '&view=mine')).toEqual([]);
      expect(await found('factura', '&view=mine')).toEqual(['spanish']);
      expect(await found('late', '&owner=olu')).toEqual(['noted']);
    });

    it('pages a ranked result with the cursor, in the same order, without repeats', async () => {
      const first = await search('q=invoice&limit=1');
      expect(first.items.map((i) => keyOf.get(i.id))).toEqual(['invoiceMany']);
      expect(first.nextCursor).not.toBeNull();
      const second = await search(`q=invoice&limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
      expect(second.items.map((i) => keyOf.get(i.id))).toEqual(['invoiceOnce']);
      expect(second.nextCursor).toBeNull();
    });

    it('finds a message the moment its write commits, through the API that writes it', async () => {
      const id = ids.get('invoiceOnce') ?? '';
      const posted = await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: ana, payload: { body: 'Sent the corrected zeppelin receipt', private: false } });
      expect(posted.statusCode, posted.body).toBeLessThan(300);
      expect(await found('zeppelin')).toEqual(['invoiceOnce']);
    });

    it('leaves no index entry for a message whose transaction rolled back', async () => {
      const db = t.baton.ctx.database.db;
      await expect(
        withTransaction(db, async (trx) => {
          await appendMessage(trx, { conversationId: ids.get('vip') ?? '', author: 'contact', body: 'xylophonist', now: WEDNESDAY_MORNING });
          throw new Error('rolled back on purpose');
        }),
      ).rejects.toThrow('rolled back on purpose');
      expect(await found('xylophonist')).toEqual([]);
      if (dialect === 'sqlite') {
        const rows = await sql<{ n: number }>`select count(*) as n from messages_fts where messages_fts match 'xylophonist'`.execute(db);
        expect(rows.rows[0]?.n).toBe(0);
        // FTS5 compares the index with the messages table row by row: no stray or missing entry.
        for (const table of ['messages_fts', 'contacts_fts', 'conversations_fts']) {
          await sql.raw(`insert into ${table}(${table}, rank) values ('integrity-check', 1)`).execute(db);
        }
      }
    });

    it('follows a change of tags and of a contact name', async () => {
      const id = ids.get('invoiceMany') ?? '';
      const patched = await t.request({ method: 'PATCH', url: `/api/conversations/${id}`, headers: ana, payload: { tags: ['billing-dispute'] } });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(await found('dispute')).toEqual(['invoiceMany']);
      await t.request({ method: 'PATCH', url: `/api/conversations/${id}`, headers: ana, payload: { tags: [] } });
      expect(await found('dispute')).toEqual([]);
    });
  });

  describe('contacts', () => {
    it('finds contacts by name and email, best first, and pages them', async () => {
      const response = await t.request({ method: 'GET', url: `/api/contacts?q=${encodeURIComponent('gómez')}`, headers: ana });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.data.items.map((c: { name: string }) => c.name)).toEqual(['María Gómez']);
      const byEmail = await t.request({ method: 'GET', url: `/api/contacts?q=${encodeURIComponent('maria.gomez@example.es')}`, headers: ana });
      expect(byEmail.data.items.map((c: { id: string }) => c.id)).toEqual([contactIds.get('spanish')]);
      const all = await t.request({ method: 'GET', url: '/api/contacts?limit=2', headers: ana });
      expect(all.data.items).toHaveLength(2);
      expect(all.data.nextCursor).not.toBeNull();
    });

    it('reads one contact with their properties and conversations, and 404s an unknown one', async () => {
      const contactId = contactIds.get('spanish') ?? '';
      const db = t.baton.ctx.database.db;
      const second = await createConversation(db, { channelId: 'web-chat', channelType: 'chat', contactId, now: WEDNESDAY_MORNING - 86_400_000 });
      await db.updateTable('contacts').set({ properties: JSON.stringify({ plan: 'enterprise' }) }).where('id', '=', contactId).execute();
      const response = await t.request({ method: 'GET', url: `/api/contacts/${contactId}`, headers: ana });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.data.contact).toMatchObject({ id: contactId, name: 'María Gómez', email: 'maria.gomez@example.es', properties: { plan: 'enterprise' } });
      expect(response.data.conversations.map((c: { id: string }) => c.id)).toEqual([ids.get('spanish'), second.id]);
      const missing = await t.request({ method: 'GET', url: '/api/contacts/nobody', headers: ana });
      expect(missing.statusCode).toBe(404);
      expect(missing.data.error.code).toBe('not_found');
    });
  });
});
