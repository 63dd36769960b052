/**
 * The one writer re-checks, under the agent's row lock, that an automatically chosen owner is
 * still available. A routing decision reads the agents a moment before it writes; on PostgreSQL a
 * deactivation (or "away") can commit in between, and the conversation must not land on them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assign } from '../../src/store/repositories/assignments.js';
import { getConversation } from '../../src/store/repositories/conversations.js';
import { setUserStatus } from '../../src/store/repositories/users.js';
import { aStoredConversation } from '../support/stored-conversation.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

eachDialect('automatic assignment to someone who is no longer available', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await test.drop();
  });

  const assignTo = async (userId: string, requireAvailable: boolean) => {
    const id = await aStoredConversation(test.database.db);
    const before = await getConversation(test.database.db, id);
    const outcome = await assign(test.database.db, {
      conversationId: id,
      expectedVersion: before?.version ?? -1,
      toUserId: userId,
      teamId: 'billing',
      queueId: 'general',
      capacity: null,
      enforceCapacity: true,
      requireAvailable,
      reason: 'handoff',
      actor: 'system',
      now: 10,
    });
    return { outcome, after: await getConversation(test.database.db, id) };
  };

  it('is refused when they went offline or away since the decision, and changes nothing', async () => {
    await setUserStatus(test.database.db, { userId: 'ana', status: 'offline', now: 5 });
    await setUserStatus(test.database.db, { userId: 'bea', status: 'away', now: 5 });
    for (const userId of ['ana', 'bea']) {
      const { outcome, after } = await assignTo(userId, true);
      expect(outcome).toMatchObject({ outcome: 'owner_unavailable' });
      expect(after).toMatchObject({ ownerId: null, status: 'bot' });
    }
  });

  it('goes through for someone available, or never given a status (the workspace default)', async () => {
    await setUserStatus(test.database.db, { userId: 'cai', status: 'available', now: 5 });
    for (const userId of ['cai', 'dee']) {
      const { outcome, after } = await assignTo(userId, true);
      expect(outcome).toMatchObject({ outcome: 'assigned' });
      expect(after).toMatchObject({ ownerId: userId, status: 'assigned' });
    }
  });

  it('does not apply to a person-made assignment (a transfer is checked by its service)', async () => {
    const { outcome } = await assignTo('ana', false);
    expect(outcome).toMatchObject({ outcome: 'assigned' });
  });
});
