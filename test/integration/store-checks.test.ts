/**
 * The store's checking mode (src/store/INTERNALS.md, src/store/transactions/checks.ts), which every
 * test database runs in: each check fails on a write path that breaks its invariant on purpose,
 * and stays quiet on the real paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvariantBroken, withTransaction } from '../../src/store/database.js';
import { keepWhenCommitted } from '../../src/store/repositories/committed-records.js';
import { appendMessage } from '../../src/store/repositories/messages.js';
import { aStoredConversation } from '../support/stored-conversation.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

eachDialect('store checking mode', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await test.drop();
  });

  const aConversation = (): Promise<string> => aStoredConversation(test.database.db);

  describe('records kept for the publish job equal their rows after each commit', () => {
    it('passes on the real write path (appendMessage keeps what it wrote)', async () => {
      const id = await aConversation();
      await expect(
        withTransaction(test.database, (trx) => appendMessage(trx, { conversationId: id, author: 'contact', body: 'hola', now: 2 })),
      ).resolves.toMatchObject({ seq: 1 });
    });

    it('fails when a write path keeps a record that is not what it wrote', async () => {
      const id = await aConversation();
      const broken = withTransaction(test.database, async (trx) => {
        const written = await appendMessage(trx, { conversationId: id, author: 'contact', body: 'hola', now: 2 });
        if (written === null) throw new Error('no conversation');
        keepWhenCommitted(trx, 'messages', [{ ...written, body: 'what it meant to write' }]);
      });
      await expect(broken).rejects.toThrow(InvariantBroken);
      await expect(broken).rejects.toThrow(/messages record kept in memory .* is not its row/);
    });

    it('fails when a write path keeps a record whose row it never wrote', async () => {
      const id = await aConversation();
      const broken = withTransaction(test.database, async (trx) => {
        const written = await appendMessage(trx, { conversationId: id, author: 'contact', body: 'hola', now: 2 });
        if (written === null) throw new Error('no conversation');
        keepWhenCommitted(trx, 'messages', [{ ...written, seq: written.seq + 1 }]);
      });
      await expect(broken).rejects.toThrow(/messages record kept in memory .* seq 2 is not its row/);
    });
  });

  describe('a transaction body runs twice', () => {
    it.skipIf(dialect !== 'sqlite')('every body is rehearsed once and rolled back before it runs for real', async () => {
      const id = await aConversation();
      let runs = 0;
      const message = await withTransaction(test.database, async (trx) => {
        runs += 1;
        return appendMessage(trx, { conversationId: id, author: 'contact', body: 'hola', now: 2 });
      });
      expect(runs).toBe(2);
      // The rehearsal's message was rolled back: the real run got the same seq.
      expect(message?.seq).toBe(1);
    });

    it.skipIf(dialect !== 'sqlite')('fails on a body that remembers in memory what its rolled-back first run wrote', async () => {
      const id = await aConversation();
      // A body "made idempotent" with a flag in memory: after a re-run it skips writes the
      // rollback undid.
      let written = false;
      const broken = withTransaction(test.database, async (trx) => {
        if (written) return;
        await appendMessage(trx, { conversationId: id, author: 'contact', body: 'once', now: 2 });
        written = true;
      });
      await expect(broken).rejects.toThrow(InvariantBroken);
      await expect(broken).rejects.toThrow(/changed \d+ rows on its first run and 0 on its second/);
    });

    it.skipIf(dialect !== 'sqlite')('passes on a body that depends only on the database', async () => {
      const id = await aConversation();
      await expect(
        withTransaction(test.database, async (trx) => {
          await appendMessage(trx, { conversationId: id, author: 'contact', body: 'one', now: 2 });
          await appendMessage(trx, { conversationId: id, author: 'user', authorId: 'ana', body: 'two', now: 3 });
        }),
      ).resolves.toBeUndefined();
    });
  });
});
