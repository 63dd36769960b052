/**
 * The 2026-12-09-ratings-per-resolution migration, on SQLite and PostgreSQL: the ratings given
 * before it are kept, each as the rating of the resolution it followed (the latest one of a
 * resolution, when it was changed then), and the conversation knows its latest resolution and the
 * one its latest rating belongs to.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { DB } from '../../src/store/schema.js';
import { eachDialect, openTestDatabaseAt, type TestDatabase } from '../support/test-app.js';

const BEFORE = '2026-12-08-bot-token-channels';
const NOW = 1_000_000;

async function conversation(db: Kysely<DB>, id: string, status: string, csat: { score: number; comment: string | null } | null, handedOffAt: number | null): Promise<void> {
  await sql`insert into contacts (id, properties, is_test, created_at, updated_at) values (${`contact-${id}`}, '{}', 0, ${NOW}, ${NOW})`.execute(db);
  await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, handed_off_at, resolved_at, csat_score, csat_comment, created_at, updated_at, last_activity_at)
    values (${id}, 'web-chat', 'chat', ${`contact-${id}`}, ${status}, ${handedOffAt}, ${status === 'resolved' ? NOW : null}, ${csat?.score ?? null}, ${csat?.comment ?? null}, ${NOW}, ${NOW + 5}, ${NOW})`.execute(db);
}

async function event(db: Kysely<DB>, conversationId: string, seq: number, type: string, data: Record<string, unknown>, actor = 'contact:c1'): Promise<void> {
  await sql`insert into conversation_events (id, conversation_id, seq, type, actor, data, created_at)
    values (${`${conversationId}-${seq}`}, ${conversationId}, ${seq}, ${type}, ${actor}, ${JSON.stringify(data)}, ${NOW + seq})`.execute(db);
}

eachDialect('the ratings-per-resolution migration', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabaseAt(dialect, BEFORE);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('keeps every rating as the rating of the resolution it followed', async () => {
    const db = test.database.db;
    // Rated, reopened, resolved again, rated twice (the second replaced the first then).
    await conversation(db, 'twice', 'resolved', { score: 5, comment: 'better' }, 10);
    await event(db, 'twice', 1, 'conversation.status_changed', { to: 'assigned' });
    await event(db, 'twice', 2, 'conversation.status_changed', { to: 'resolved' });
    await event(db, 'twice', 3, 'conversation.rated', { score: 2, comment: null, handedOff: true });
    await event(db, 'twice', 4, 'conversation.status_changed', { to: 'assigned' });
    await event(db, 'twice', 5, 'conversation.status_changed', { to: 'resolved' });
    await event(db, 'twice', 6, 'conversation.rated', { score: 3, comment: 'meh', handedOff: true }, 'olu');
    await event(db, 'twice', 7, 'conversation.rated', { score: 5, comment: 'better', handedOff: true }, 'olu');
    // Resolved, not rated: the customer is still to be asked.
    await conversation(db, 'unrated', 'resolved', null, null);
    await event(db, 'unrated', 1, 'conversation.status_changed', { to: 'resolved' });
    // A score without its event (written by hand, say): kept for the latest resolution.
    await conversation(db, 'bare', 'resolved', { score: 4, comment: null }, null);
    await event(db, 'bare', 1, 'conversation.status_changed', { to: 'resolved' });
    // Never resolved: untouched.
    await conversation(db, 'open', 'assigned', null, 10);

    await migrateToLatest(db);

    const ratings = await db.selectFrom('ratings').selectAll().orderBy('conversation_id').orderBy('resolution_seq').execute();
    expect(ratings.map((r) => ({ c: r.conversation_id, at: Number(r.resolution_seq), score: Number(r.score), comment: r.comment, handedOff: Number(r.handed_off), source: r.source }))).toEqual([
      { c: 'bare', at: 1, score: 4, comment: null, handedOff: 0, source: 'api' },
      { c: 'twice', at: 2, score: 2, comment: null, handedOff: 1, source: 'widget' },
      { c: 'twice', at: 5, score: 5, comment: 'better', handedOff: 1, source: 'api' },
    ]);
    const conversations = await db.selectFrom('conversations').select(['id', 'resolution_seq', 'csat_resolution_seq']).orderBy('id').execute();
    expect(conversations.map((c) => [c.id, c.resolution_seq === null ? null : Number(c.resolution_seq), c.csat_resolution_seq === null ? null : Number(c.csat_resolution_seq)])).toEqual([
      ['bare', 1, 1],
      ['open', null, null],
      ['twice', 5, 5],
      ['unrated', 1, null],
    ]);
  });
});
