/**
 * Full-text search over message text, contact name and email, and conversation tags, with the
 * databases' own engines (migration 2026-12-07-search): SQLite FTS5 (`*_fts` tables kept in step
 * by triggers) and PostgreSQL GIN indexes on `to_tsvector` expressions.
 *
 * User input never reaches a query language unescaped: each term is a quoted FTS5 phrase (`"`
 * doubled), or a `plainto_tsquery` argument (which has no operators); only a term made of
 * letters and digits alone is ever given a prefix marker. So `"`, `*`, `AND`, `-`, `NEAR(` …
 * are searched for as text and can neither fail a query nor change its meaning.
 *
 * Ranking: each source scores a conversation (FTS5 `bm25`, negated so that higher is better;
 * PostgreSQL `ts_rank`) — its best-matching message, its contact, its tags — and a conversation's
 * score is the sum, so one that matches in several places comes first. Ties: newest activity.
 * The score scales differ between the two engines; the order within one store is what counts.
 */
import { CompiledQuery, expressionBuilder, sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from '../database.js';
import type { DB } from '../schema.js';
import { rowToContact, type ContactRecord } from './contacts.js';
import { filterConditions, rowToConversation, type ConversationFilter, type ConversationRecord } from './conversations.js';
import { rowToMessage, type MessageRecord } from './messages.js';

export interface SearchTerms {
  /** Each matched as a phrase (the words it holds, in order); a row must match every term. */
  readonly terms: readonly string[];
  /** The last term also matches words it begins (search as you type). */
  readonly prefixLast: boolean;
}

const WORD_ONLY = /^[\p{L}\p{N}]+$/u;

function isPrefix(search: SearchTerms, i: number): boolean {
  return search.prefixLast && i === search.terms.length - 1 && WORD_ONLY.test(search.terms[i] ?? '');
}

/** The FTS5 MATCH expression: quoted phrases, implicitly AND-ed. */
export function fts5Match(search: SearchTerms): string {
  return search.terms.map((t, i) => `"${t.replaceAll('"', '""')}"${isPrefix(search, i) ? ' *' : ''}`).join(' ');
}

/**
 * The PostgreSQL documents, exactly as migration 2026-12-07-search indexes them (GIN on these
 * expressions): the planner uses an expression index only for the same expression.
 */
const MESSAGE_VECTOR = sql`to_tsvector('simple'::regconfig, m.body)`;
const CONTACT_VECTOR = sql`to_tsvector('simple'::regconfig, coalesce(k.name, '') || ' ' || coalesce(k.email, '') || ' ' || translate(coalesce(k.email, ''), '@.+_-', '     '))`;
const TAGS_VECTOR = sql`to_tsvector('simple'::regconfig, c.tags)`;

/** The PostgreSQL tsquery, every term bound as a parameter. */
function tsQuery(search: SearchTerms): RawBuilder<unknown> {
  const parts = search.terms.map((t, i) =>
    isPrefix(search, i) ? sql`to_tsquery('simple'::regconfig, ${`${t}:*`})` : sql`plainto_tsquery('simple'::regconfig, ${t})`,
  );
  return sql`(${sql.join(parts, sql` && `)})`;
}

export interface ConversationHit {
  readonly conversation: ConversationRecord;
  readonly score: number;
  /** The best-matching message, when a message matched. */
  readonly messageId: string | null;
  readonly contactMatched: boolean;
  readonly tagsMatched: boolean;
}

interface HitColumns {
  conversation_id: string;
  score: number;
  message_id: string | null;
  contact_hit: number;
  tag_hit: number;
}

/** One row per matching conversation: the summed score, the best message, which sources matched. */
/**
 * A query ranks the newest this many messages that match: SQLite's FTS5 walks its index newest
 * rowid first and stops; PostgreSQL ranks (`ts_rank`, which reads each row's tsvector) only the
 * newest by `created_at`. A word in most messages (~600,000 of 1,000,000) took 1.5 s (SQLite)
 * and 4.8 s (PostgreSQL) to rank in full (bench/results/search.md); a query with fewer matches —
 * the usual search for a name, an order number, an unusual word — is ranked in full.
 */
export const RANKED_MESSAGES = 2_000;

/**
 * PostgreSQL: a contact's conversations are looked up per matching contact (a LATERAL subquery
 * with a LIMIT, which the planner cannot flatten into a hash join): with its default estimate
 * of 500 matching contacts it read the whole conversations table to hash it instead
 * (bench/results/search.md, the plan of 2026-12-07's first run).
 */
const MAX_CONVERSATIONS_PER_CONTACT = 1_000;

function conversationHits(dialect: Dialect, search: SearchTerms, includeNotes: boolean, rankedMessages: number): RawBuilder<HitColumns> {
  if (dialect === 'sqlite') {
    const match = fts5Match(search);
    const notes = includeNotes ? sql`` : sql` and m.private = 0`;
    // `m.id` beside max(): SQLite takes a bare column from the row that gave the maximum.
    return sql<HitColumns>`(select conversation_id, sum(score) as score, max(message_id) as message_id, max(contact_hit) as contact_hit, max(tag_hit) as tag_hit from (
      select m.conversation_id as conversation_id, max(-f.rank) as score, m.id as message_id, 0 as contact_hit, 0 as tag_hit
        from (select rowid, rank from messages_fts where messages_fts match ${match} order by rowid desc limit ${rankedMessages}) f
        join messages m on m.rowid = f.rowid
        where true${notes} group by m.conversation_id
      union all
      select c.id, -f.rank, null, 1, 0
        from contacts_fts f join contacts k on k.rowid = f.rowid join conversations c on c.contact_id = k.id
        where contacts_fts match ${match}
      union all
      select c.id, -f.rank, null, 0, 1
        from conversations_fts f join conversations c on c.rowid = f.rowid
        where conversations_fts match ${match}
    ) group by conversation_id)`;
  }
  const q = tsQuery(search);
  const notes = includeNotes ? sql`` : sql` and m.private = 0`;
  return sql<HitColumns>`(select conversation_id, sum(score)::float8 as score, max(message_id) as message_id, max(contact_hit) as contact_hit, max(tag_hit) as tag_hit from (
      select m.conversation_id as conversation_id, max(ts_rank(${MESSAGE_VECTOR}, ${q})) as score,
          (array_agg(m.id order by ts_rank(${MESSAGE_VECTOR}, ${q}) desc))[1] as message_id, 0 as contact_hit, 0 as tag_hit
        from (select id, conversation_id, body from messages m where ${MESSAGE_VECTOR} @@ ${q}${notes}
          order by m.created_at desc, m.id desc limit ${rankedMessages}) m
        group by m.conversation_id
      union all
      select c.id, ts_rank(${CONTACT_VECTOR}, ${q}), null::text, 1, 0
        from contacts k cross join lateral (
          select c.id from conversations c where c.contact_id = k.id limit ${MAX_CONVERSATIONS_PER_CONTACT}
        ) c where ${CONTACT_VECTOR} @@ ${q}
      union all
      select c.id, ts_rank(${TAGS_VECTOR}, ${q}), null::text, 0, 1
        from conversations c where ${TAGS_VECTOR} @@ ${q}
    ) h group by conversation_id)`;
}

export interface ConversationSearch extends ConversationFilter {
  readonly dialect: Dialect;
  readonly search: SearchTerms;
  /** Private notes are the desk's own text: searchable by people, never by customers. */
  readonly includeNotes: boolean;
  /** Rank among the newest this many matching messages (default RANKED_MESSAGES). */
  readonly rankedMessages?: number;
  readonly offset: number;
  readonly limit: number;
}

function conversationSearchQuery(ex: Executor, options: ConversationSearch) {
  const conditions = filterConditions(expressionBuilder<DB, 'conversations'>(), options);
  if (conditions === null || options.search.terms.length === 0) return null;
  const limit = Math.max(1, Math.min(options.limit, 200));
  const base = ex
    .selectFrom(conversationHits(options.dialect, options.search, options.includeNotes, Math.max(1, Math.floor(options.rankedMessages ?? RANKED_MESSAGES))).as('s'))
    .innerJoin('conversations', 'conversations.id', 's.conversation_id')
    .selectAll('conversations')
    .select(['s.score', 's.message_id', 's.contact_hit', 's.tag_hit'])
    .orderBy('s.score', 'desc')
    .orderBy('conversations.last_activity_at', 'desc')
    .orderBy('conversations.id', 'desc')
    .limit(limit + 1)
    .offset(Math.max(0, options.offset));
  return { limit, query: conditions.length === 0 ? base : base.where((eb) => eb.and(conditions)) };
}

/** Matching conversations, best first; `more` when another page follows. */
export async function searchConversations(ex: Executor, options: ConversationSearch): Promise<{ hits: ConversationHit[]; more: boolean }> {
  const built = conversationSearchQuery(ex, options);
  if (built === null) return { hits: [], more: false };
  const rows = await built.query.execute();
  return {
    hits: rows.slice(0, built.limit).map((row) => ({
      conversation: rowToConversation(row),
      score: Number(row.score),
      messageId: row.message_id,
      contactMatched: Number(row.contact_hit) === 1,
      tagsMatched: Number(row.tag_hit) === 1,
    })),
    more: rows.length > built.limit,
  };
}

/**
 * The database's plan for searchConversations (SQLite `EXPLAIN QUERY PLAN`, PostgreSQL
 * `EXPLAIN`), one line per row: the benchmark commits it, a test asserts the index is used.
 */
export async function explainConversationSearch(ex: Executor, options: ConversationSearch): Promise<string[]> {
  const built = conversationSearchQuery(ex, options);
  if (built === null) return [];
  const compiled = built.query.compile();
  const prefix = options.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
  const result = await ex.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]));
  return result.rows.map((row) => (options.dialect === 'sqlite' ? `${String(row.id)}/${String(row.parent)} ${String(row.detail)}` : String(row['QUERY PLAN'])));
}

/** The messages with these ids, by id. */
export async function getMessagesByIds(ex: Executor, ids: readonly string[]): Promise<Map<string, MessageRecord>> {
  const out = new Map<string, MessageRecord>();
  if (ids.length === 0) return out;
  const rows = await ex.selectFrom('messages').selectAll().where('id', 'in', ids).execute();
  for (const row of rows) out.set(row.id, rowToMessage(row));
  return out;
}

/** Contacts whose name or email match, best first; without terms, newest first. */
export async function searchContacts(
  ex: Executor,
  options: { readonly dialect: Dialect; readonly search: SearchTerms | null; readonly offset: number; readonly limit: number },
): Promise<{ contacts: ContactRecord[]; more: boolean }> {
  const limit = Math.max(1, Math.min(options.limit, 200));
  const offset = Math.max(0, options.offset);
  let rows;
  if (options.search === null || options.search.terms.length === 0) {
    rows = await ex.selectFrom('contacts').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).offset(offset).execute();
  } else if (options.dialect === 'sqlite') {
    const match = fts5Match(options.search);
    rows = await ex
      .selectFrom(sql<{ rowid: number; rank: number }>`(select rowid, rank from contacts_fts where contacts_fts match ${match})`.as('f'))
      .innerJoin('contacts', (join) => join.on(sql<boolean>`contacts.rowid = f.rowid`))
      .selectAll('contacts')
      .orderBy('f.rank')
      .orderBy('contacts.id')
      .limit(limit + 1)
      .offset(offset)
      .execute();
  } else {
    const q = tsQuery(options.search);
    rows = await ex
      .selectFrom('contacts as k')
      .selectAll()
      .where(sql<boolean>`${CONTACT_VECTOR} @@ ${q}`)
      .orderBy(sql`ts_rank(${CONTACT_VECTOR}, ${q})`, 'desc')
      .orderBy('k.id')
      .limit(limit + 1)
      .offset(offset)
      .execute();
  }
  return { contacts: rows.slice(0, limit).map(rowToContact), more: rows.length > limit };
}
