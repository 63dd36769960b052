/**
 * The search migration (2026-12-07-search) and the plan: rows written before it are found after
 * it (backfill), rows written after it by plain SQL are found too (the database keeps the index),
 * and on 10,000 messages a search reads the full-text index, never the messages table from end
 * to end — asserted on the database's own EXPLAIN output, not on timings.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { explainConversationSearch, searchConversations } from '../../src/store/repositories/search.js';
import { eachDialect, openTestDatabaseAt, type TestDatabase } from '../support/test-app.js';

const BEFORE = '2026-12-03-handoff-promise';
const NOW = 1_764_000_000_000;

eachDialect('search index', (dialect) => {
  let test: TestDatabase;
  // Each test its own database under the schema before the index; it writes its rows and migrates.
  beforeEach(async () => {
    test = await openTestDatabaseAt(dialect, BEFORE);
  });
  afterEach(async () => {
    await test.drop();
  });

  const find = async (...terms: string[]) =>
    (await searchConversations(test.database.db, { dialect, search: { terms, prefixLast: false }, includeNotes: true, offset: 0, limit: 50 })).hits.map(
      (h) => h.conversation.id,
    );

  /** Olga's conversation, written under the schema before the index. */
  const olgaBefore = async (): Promise<void> => {
    const db = test.database.db;
    await sql`insert into contacts (id, name, email, created_at, updated_at) values ('k1', 'Olga Petrova', 'olga@example.org', ${NOW}, ${NOW})`.execute(db);
    await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, tags, created_at, updated_at, last_activity_at)
      values ('c1', 'web-chat', 'chat', 'k1', 'bot', '["warranty"]', ${NOW}, ${NOW}, ${NOW})`.execute(db);
    await sql`insert into messages (id, conversation_id, seq, author, body, created_at) values ('m1', 'c1', 1, 'contact', 'The kettle whistles backwards', ${NOW})`.execute(db);
  };

  describe('the migration', () => {
    it('indexes the messages, contacts and tags already in the store', async () => {
      const db = test.database.db;
      await olgaBefore();

      await migrateToLatest(db);

      expect(await find('kettle')).toEqual(['c1']);
      expect(await find('petrova')).toEqual(['c1']);
      expect(await find('olga@example.org')).toEqual(['c1']);
      expect(await find('warranty')).toEqual(['c1']);
      expect(await find('teapot')).toEqual([]);
    });

    it('keeps the index in step with rows written afterwards, updated and deleted, whoever writes them', async () => {
      const db = test.database.db;
      await olgaBefore();
      await migrateToLatest(db);
      await sql`insert into messages (id, conversation_id, seq, author, body, created_at) values ('m2', 'c1', 2, 'contact', 'teapot too', ${NOW})`.execute(db);
      expect(await find('teapot')).toEqual(['c1']);
      await sql`update messages set body = 'samovar' where id = 'm2'`.execute(db);
      expect(await find('teapot')).toEqual([]);
      expect(await find('samovar')).toEqual(['c1']);
      await sql`delete from messages where id = 'm2'`.execute(db);
      expect(await find('samovar')).toEqual([]);
      await sql`update contacts set name = 'Olga Ivanova' where id = 'k1'`.execute(db);
      expect(await find('petrova')).toEqual([]);
      expect(await find('ivanova')).toEqual(['c1']);
      if (dialect === 'sqlite') {
        for (const table of ['messages_fts', 'contacts_fts', 'conversations_fts']) {
          await sql.raw(`insert into ${table}(${table}, rank) values ('integrity-check', 1)`).execute(db);
        }
      }
    });
  });

  describe('the plan', () => {
    it('reads the full-text index on 10,000 messages, not the whole messages table', async () => {
      const db = test.database.db;
      await migrateToLatest(db);
      // 1,000 conversations of 10 messages; one message holds the rare word.
      if (dialect === 'sqlite') {
        await sql`insert into contacts (id, name, created_at, updated_at)
          with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000) select 'pk' || i, 'Person ' || i, ${NOW}, ${NOW} from n`.execute(db);
        await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, created_at, updated_at, last_activity_at)
          with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000) select 'pc' || i, 'web-chat', 'chat', 'pk' || i, 'bot', ${NOW}, ${NOW}, ${NOW} + i from n`.execute(db);
        await sql`insert into messages (id, conversation_id, seq, author, body, created_at)
          with recursive n(i) as (select 0 union all select i + 1 from n where i < 9999)
          select 'pm' || i, 'pc' || (i / 10 + 1), i % 10 + 1, 'contact', case when i = 4321 then 'my flux capacitor broke' else 'hello I need help with my order number ' || i end, ${NOW} from n`.execute(db);
        await sql`analyze`.execute(db);
      } else {
        await sql`insert into contacts (id, name, created_at, updated_at) select 'pk' || i, 'Person ' || i, ${NOW}, ${NOW} from generate_series(1, 1000) i`.execute(db);
        await sql`insert into conversations (id, channel_id, channel_type, contact_id, status, created_at, updated_at, last_activity_at)
          select 'pc' || i, 'web-chat', 'chat', 'pk' || i, 'bot', ${NOW}, ${NOW}, ${NOW}::bigint + i from generate_series(1, 1000) i`.execute(db);
        await sql`insert into messages (id, conversation_id, seq, author, body, created_at)
          select 'pm' || i, 'pc' || (i / 10 + 1), i % 10 + 1, 'contact', case when i = 4321 then 'my flux capacitor broke' else 'hello I need help with my order number ' || i end, ${NOW}
          from generate_series(0, 9999) i`.execute(db);
        await sql`analyze`.execute(db);
      }
      const options = { dialect, search: { terms: ['capacitor'], prefixLast: false }, includeNotes: true, offset: 0, limit: 50 } as const;
      expect(await find('capacitor')).toEqual(['pc433']);
      // PostgreSQL rightly reads 10,000 short rows end to end rather than through an index (the
      // cheaper plan at this size; bench/results/search.md shows its plan on 1,000,000); with
      // sequential scans priced out, the plan shows the query is one the GIN index can serve.
      // A word found in most messages: the newest matches are ranked, not all of them.
      const newest = await searchConversations(db, { ...options, search: { terms: ['hello'], prefixLast: false }, rankedMessages: 3 });
      expect(newest.hits.map((h) => h.conversation.id)).toEqual(['pc1000']);
      const plan =
        dialect === 'sqlite'
          ? await explainConversationSearch(db, { ...options, status: ['bot'] })
          : await db.transaction().execute(async (trx) => {
              await sql`set local enable_seqscan = off`.execute(trx);
              return explainConversationSearch(trx, { ...options, status: ['bot'] });
            });
      const text = plan.join('\n');
      if (dialect === 'sqlite') {
        // Each source is read through its FTS5 index (`VIRTUAL TABLE INDEX … M…`: the MATCH) …
        expect(text).toMatch(/SCAN f VIRTUAL TABLE INDEX \d+:M/);
        expect(plan.filter((line) => /VIRTUAL TABLE INDEX \d+:M/.test(line))).toHaveLength(3);
        // … and the tables only by key, from the index's hits.
        expect(text).toMatch(/SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)/);
        expect(plan.filter((line) => /\bSCAN (m|messages|k|contacts|c|conversations)\b(?! VIRTUAL)/.test(line)), text).toEqual([]);
      } else {
        for (const index of ['messages_search_idx', 'contacts_search_idx', 'conversations_search_idx']) expect(text).toContain(`Bitmap Index Scan on ${index}`);
        expect(text).not.toMatch(/Seq Scan on (messages|contacts)/);
      }
    });
  });
});
