/**
 * The records kept for the publish job (src/store/repositories/committed-records.ts): only once
 * committed, exactly what reading them back gives, per database, and taken once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inSavepoint, withTransaction } from '../../src/store/database.js';
import { COMMITTED_RECORDS_KEPT, takeCommitted } from '../../src/store/repositories/committed-records.js';
import { createContact } from '../../src/store/repositories/contacts.js';
import { createConversation } from '../../src/store/repositories/conversations.js';
import { appendEvent, appendEvents, listEvents } from '../../src/store/repositories/events.js';
import { appendMessage, listMessages } from '../../src/store/repositories/messages.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

eachDialect('records kept for the publish job', (dialect) => {
  let test: TestDatabase;
  let other: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    other = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await test.drop();
    await other.drop();
  });

  async function aConversation(on: TestDatabase = test): Promise<string> {
    const contact = await createContact(on.database.db, { name: 'Ada', now: 1 });
    return (await createConversation(on.database.db, { channelId: 'web', channelType: 'chat', contactId: contact.id, now: 1 })).id;
  }

  it('keeps exactly what reading the rows back gives, JSON\'s changes included', async () => {
    const id = await aConversation();
    await withTransaction(test.database, async (trx) => {
      await appendEvents(trx, [
        { conversationId: id, type: 'a.plain', actor: 'system', data: { trace: { rule: 'vip', candidates: [{ id: 'ana', score: 1.5 }], note: null } }, now: 10 },
        // What JSON does not give back as it was: an undefined key, a Date, NaN, -0, a hole.
        // eslint-disable-next-line no-sparse-arrays -- the hole is the point
        { conversationId: id, type: 'a.changed', actor: null, data: { note: undefined, at: new Date(0), ratio: Number.NaN, zero: -0, list: [1, , 3] }, now: 11 },
        { conversationId: id, type: 'a.empty', actor: 'ana', now: 12 },
      ]);
      await appendMessage(trx, { conversationId: id, author: 'contact', body: 'hola', data: { language: 'es', extra: undefined }, now: 13 });
      await appendMessage(trx, { conversationId: id, author: 'user', authorId: 'ana', body: 'VIP', private: true, externalId: 'ext-1', now: 14 });
    });
    const events = takeCommitted(test.database.db, 'events', id, { from: 1, to: 3 });
    const messages = takeCommitted(test.database.db, 'messages', id, { from: 1, to: 2 });
    // toStrictEqual: an undefined-valued key is not the same as no key.
    expect(events).toStrictEqual(await listEvents(test.database.db, id));
    expect(messages).toStrictEqual(await listMessages(test.database.db, id, { includePrivate: true }));
  });

  it('keeps nothing before the commit, nor anything of a transaction rolled back', async () => {
    const id = await aConversation();
    await withTransaction(test.database, async (trx) => {
      await appendEvent(trx, { conversationId: id, type: 'b.pending', actor: null, now: 1 });
      expect(takeCommitted(trx, 'events', id, { from: 1, to: 1 })).toBeNull();
    });
    expect(takeCommitted(test.database.db, 'events', id, { from: 1, to: 1 })?.map((e) => e.type)).toEqual(['b.pending']);

    await expect(
      withTransaction(test.database, async (trx) => {
        await appendEvent(trx, { conversationId: id, type: 'b.undone', actor: null, now: 2 });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(takeCommitted(test.database.db, 'events', id, { from: 2, to: 2 })).toBeNull();
  });

  it('keeps what a seq rolled back to a savepoint was handed out to next, not what it named before', async () => {
    const id = await aConversation();
    const untouched = await aConversation();
    await withTransaction(test.database, async (trx) => {
      await expect(
        inSavepoint(trx, async (own) => {
          await appendMessage(own, { conversationId: id, author: 'system', body: 'rolled back', now: 1 });
          await appendMessage(own, { conversationId: untouched, author: 'system', body: 'rolled back', now: 1 });
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      await inSavepoint(trx, (own) => appendMessage(own, { conversationId: id, author: 'system', body: 'committed', now: 2 }));
    });
    expect(takeCommitted(test.database.db, 'messages', id, { from: 1, to: 1 })?.map((m) => m.body)).toEqual(['committed']);
    expect(takeCommitted(test.database.db, 'messages', untouched, { from: 1, to: 1 })).toBeNull();
  });

  it.runIf(dialect === 'sqlite')('under group commit, keeps what the seq names once committed when a transaction of the group that had it rolled back', async () => {
    const id = await aConversation();
    const untouched = await aConversation();
    const before = test.database.commitStats?.() ?? { commits: 0, transactions: 0 };
    const outcomes = await Promise.allSettled([
      withTransaction(test.database, async (trx) => {
        await appendMessage(trx, { conversationId: id, author: 'system', body: 'rolled back', now: 1 });
        throw new Error('undo');
      }),
      withTransaction(test.database, (trx) => appendMessage(trx, { conversationId: id, author: 'system', body: 'committed', now: 2 })),
      withTransaction(test.database, async (trx) => {
        await appendMessage(trx, { conversationId: untouched, author: 'system', body: 'rolled back', now: 1 });
        throw new Error('undo');
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    // One SQLite transaction carried them: seq 1 was handed out twice within it.
    expect(test.database.commitStats?.()).toEqual({ commits: before.commits + 1, transactions: before.transactions + 3 });
    expect(takeCommitted(test.database.db, 'messages', untouched, { from: 1, to: 1 })).toBeNull();
    const [read] = await listMessages(test.database.db, id);
    expect(read?.seq).toBe(1);
    expect(takeCommitted(test.database.db, 'messages', id, { from: 1, to: 1 })).toStrictEqual([read]);
  });

  it('hands a range over once, and only whole', async () => {
    const id = await aConversation();
    await withTransaction(test.database, async (trx) => {
      for (const body of ['one', 'two', 'three']) await appendMessage(trx, { conversationId: id, author: 'system', body, now: 1 });
    });
    expect(takeCommitted(test.database.db, 'messages', id, { from: 2, to: 2 })?.map((m) => m.body)).toEqual(['two']);
    // Seq 2 is gone: the range is not whole, and what was left of it is forgotten too.
    expect(takeCommitted(test.database.db, 'messages', id, { from: 1, to: 3 })).toBeNull();
    expect(takeCommitted(test.database.db, 'messages', id, { from: 3, to: 3 })).toBeNull();
  });

  it('keeps each database\'s records apart', async () => {
    const here = await aConversation();
    await appendMessage(test.database.db, { conversationId: here, author: 'system', body: 'here', now: 1 });
    expect(takeCommitted(other.database.db, 'messages', here, { from: 1, to: 1 })).toBeNull();
    expect(takeCommitted(test.database.db, 'messages', here, { from: 1, to: 1 })?.map((m) => m.body)).toEqual(['here']);
  });

  it(`keeps the latest ${COMMITTED_RECORDS_KEPT} of a kind, forgetting the oldest`, async () => {
    const id = await aConversation();
    const many = COMMITTED_RECORDS_KEPT + 3;
    await appendEvents(
      test.database.db,
      Array.from({ length: many }, (_, i) => ({ conversationId: id, type: 'c.many', actor: null, data: { i }, now: 1 })),
    );
    expect(takeCommitted(test.database.db, 'events', id, { from: 1, to: many })).toBeNull();
    expect(takeCommitted(test.database.db, 'events', id, { from: 3, to: 3 })).toBeNull();
    expect(takeCommitted(test.database.db, 'events', id, { from: 4, to: many })?.length).toBe(COMMITTED_RECORDS_KEPT);
  });
});
