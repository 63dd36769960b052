/**
 * The 2026-11-29-open-loads migration backfills each user's open load from the conversations
 * already in the store, on SQLite and PostgreSQL: rows are written under the schema before it,
 * then the migration runs. After it, the one writer keeps the counter moving.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { reopen, resolve } from '../../src/store/repositories/assignments.js';
import { eachDialect, openTestDatabaseAt, type TestDatabase } from '../support/test-app.js';

const BEFORE = '2026-11-28-inbox-views';
const NOW = 1_764_000_000_000;

/** Rows under the old schema, by raw SQL: the typed schema of today may have moved on. */
async function aConversation(test: TestDatabase, id: string, channelType: string, status: string, ownerId: string | null): Promise<void> {
  const db = test.database.db;
  await sql`insert into contacts (id, created_at, updated_at) values (${`contact-${id}`}, ${NOW}, ${NOW})`.execute(db);
  await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, owner_id, created_at, updated_at, last_activity_at)
    values (${id}, ${`channel-${channelType}`}, ${channelType}, ${`contact-${id}`}, ${status}, ${ownerId}, ${NOW}, ${NOW}, ${NOW})`.execute(db);
}

async function counters(test: TestDatabase): Promise<Record<string, number>> {
  const rows = await test.database.db.selectFrom('open_loads').select(['user_id', 'channel_type', 'open']).execute();
  return Object.fromEntries(rows.map((r) => [`${r.user_id}:${r.channel_type}`, r.open]));
}

/** The conversations in the store when the migration runs. */
async function theConversationsBefore(test: TestDatabase): Promise<void> {
  await aConversation(test, 'c1', 'chat', 'assigned', 'maria');
  await aConversation(test, 'c2', 'chat', 'assigned', 'maria');
  await aConversation(test, 'c3', 'chat', 'waiting_on_customer', 'maria');
  await aConversation(test, 'c4', 'email', 'assigned', 'maria');
  await aConversation(test, 'c5', 'chat', 'resolved', 'maria');
  await aConversation(test, 'c6', 'chat', 'closed', 'maria');
  await aConversation(test, 'c7', 'api', 'waiting_on_customer', 'jon');
  // Resolved and closed only: no open load, no row.
  await aConversation(test, 'c8', 'chat', 'resolved', 'ana');
  await aConversation(test, 'c9', 'chat', 'closed', 'ana');
  // Nobody owns these.
  await aConversation(test, 'c10', 'chat', 'queued', null);
  await aConversation(test, 'c11', 'chat', 'bot', null);
}

eachDialect('open load counters', (dialect) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await openTestDatabaseAt(dialect, BEFORE);
  });
  afterEach(async () => {
    await test.drop();
  });

  describe('the migration', () => {
    it('counts the open conversations each user owns per channel type, and nothing else', async () => {
      await theConversationsBefore(test);

      await migrateToLatest(test.database.db);

      expect(await counters(test)).toEqual({ 'maria:chat': 3, 'maria:email': 1, 'jon:api': 1 });
    });
  });

  describe('after the migration', () => {
    it('moves the backfilled counter when the one writer resolves and reopens a conversation', async () => {
      await theConversationsBefore(test);
      await migrateToLatest(test.database.db);
      const resolved = await resolve(test.database.db, { conversationId: 'c1', reason: 'test', actor: 'maria', now: NOW + 1 });
      expect(resolved.outcome).toBe('changed');
      expect(await counters(test)).toMatchObject({ 'maria:chat': 2 });
      const reopened = await reopen(test.database.db, { conversationId: 'c1', reason: 'test', actor: 'maria', now: NOW + 2 });
      expect(reopened).toMatchObject({ outcome: 'changed', conversation: { status: 'assigned', ownerId: 'maria' } });
      expect(await counters(test)).toEqual({ 'maria:chat': 3, 'maria:email': 1, 'jon:api': 1 });
    });
  });
});
