/**
 * appendEvents: several events of one conversation in one go (an assignment and its status
 * change, a handoff's start and completion) must be exactly what appending them one by one gives
 * — consecutive seqs in order, the same snapshot, the same single publish row covering them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTransaction } from '../../src/store/database.js';
import { appendEvent, appendEvents, listEvents } from '../../src/store/repositories/events.js';
import { CONVERSATION_PUBLISHED, type ConversationPublishedPayload } from '../../src/store/repositories/publications.js';
import { aStoredConversation } from '../support/stored-conversation.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

eachDialect('appendEvents', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await test.drop();
  });

  const aConversation = (): Promise<string> => aStoredConversation(test.database.db);

  async function publishRows(conversationId: string): Promise<ConversationPublishedPayload[]> {
    const rows = await test.database.db.selectFrom('outbox').select('payload').where('kind', '=', CONVERSATION_PUBLISHED).execute();
    return rows.map((row) => JSON.parse(row.payload) as ConversationPublishedPayload).filter((p) => p.conversationId === conversationId);
  }

  it('gives the same rows as one by one, and one publish row for the transaction', async () => {
    const batched = await aConversation();
    const single = await aConversation();
    const events = (id: string) => [
      { conversationId: id, type: 'a.first', actor: 'system', data: { n: 1 }, now: 10 },
      { conversationId: id, type: 'a.second', actor: 'ana', data: { n: 2 }, now: 10 },
      { conversationId: id, type: 'a.third', actor: null, now: 11 },
    ];
    await withTransaction(test.database, async (trx) => {
      await appendEvent(trx, { conversationId: batched, type: 'a.zero', actor: 'system', now: 9 });
      const out = await appendEvents(trx, events(batched));
      expect(out?.map((e) => [e.seq, e.type])).toEqual([
        [2, 'a.first'],
        [3, 'a.second'],
        [4, 'a.third'],
      ]);
    });
    await withTransaction(test.database, async (trx) => {
      await appendEvent(trx, { conversationId: single, type: 'a.zero', actor: 'system', now: 9 });
      for (const event of events(single)) await appendEvent(trx, event);
    });
    const strip = (list: Awaited<ReturnType<typeof listEvents>>) => list.map(({ id: _id, conversationId: _c, ...rest }) => rest);
    expect(strip(await listEvents(test.database.db, batched))).toEqual(strip(await listEvents(test.database.db, single)));
    expect(await publishRows(batched)).toEqual([{ conversationId: batched, events: { from: 1, to: 4 }, messages: null }]);
    expect(await publishRows(single)).toEqual([{ conversationId: single, events: { from: 1, to: 4 }, messages: null }]);
    const row = await test.database.db.selectFrom('conversations').select('last_event_seq').where('id', '=', batched).executeTakeFirstOrThrow();
    expect(row.last_event_seq).toBe(4);
  });

  it('starts the publish row at the first of the batch when the batch opens the transaction', async () => {
    const id = await aConversation();
    await appendEvents(test.database.db, [
      { conversationId: id, type: 'b.one', actor: 'system', now: 1 },
      { conversationId: id, type: 'b.two', actor: 'system', now: 1 },
    ]);
    expect(await publishRows(id)).toEqual([{ conversationId: id, events: { from: 1, to: 2 }, messages: null }]);
  });

  it('answers null for a conversation that does not exist, and refuses events of two conversations', async () => {
    expect(await appendEvents(test.database.db, [{ conversationId: 'nope', type: 'x', actor: null, now: 1 }])).toBeNull();
    const id = await aConversation();
    await expect(
      appendEvents(test.database.db, [
        { conversationId: id, type: 'x', actor: null, now: 1 },
        { conversationId: 'other', type: 'y', actor: null, now: 1 },
      ]),
    ).rejects.toThrow('one conversation');
    expect(await appendEvents(test.database.db, [])).toEqual([]);
  });
});
