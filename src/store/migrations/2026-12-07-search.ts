/**
 * Full-text search (issue 16 §3): message text, contact name and email, conversation tags, each
 * indexed by the database's own full-text engine and kept in step by the database itself, in
 * the transaction of the write — a message is findable the moment it commits, and a rolled-back
 * write leaves no index entry.
 *
 * SQLite: FTS5 tables with external content (the text is not stored twice; the index points at
 * the source row's rowid), maintained by triggers on insert, on update of the indexed columns,
 * and on delete. `unicode61 remove_diacritics 2` folds case and accents for every script the
 * Unicode tables know. Caveat: an external-content index is keyed on the source rowid, which an
 * operator's `VACUUM` may renumber on tables without an INTEGER PRIMARY KEY (Baton never runs
 * one); `INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')` re-derives the index.
 *
 * PostgreSQL: a GIN index on a `to_tsvector` expression per table. The `simple`
 * configuration (lower-case, no stemming, no stop words) because one desk's messages are in many
 * languages (en, es, …) and a conversation's language is a guess made after its first messages:
 * a per-language configuration would stem "facturas" only when the guess was Spanish, and the
 * searcher would have to know which language to ask in. `simple` behaves like SQLite's
 * tokenizer (words, not stems), so a query finds the same conversations on both stores.
 *
 * Backfill: SQLite's `rebuild` indexes every existing row; PostgreSQL's CREATE INDEX reads them.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

/** table → the columns its FTS5 index holds (SQLite). */
const SQLITE_INDEXES: ReadonlyArray<readonly [table: string, columns: readonly string[]]> = [
  ['messages', ['body']],
  ['contacts', ['name', 'email']],
  ['conversations', ['tags']],
];

export async function up(db: AnyKysely): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // Expression indexes, not stored columns: every `select *` of these tables would carry a
    // tsvector as large as the text. The search query repeats each expression exactly
    // (store/repositories/search.ts), which is what lets the planner use the index.
    await sql`create index messages_search_idx on messages using gin (to_tsvector('simple'::regconfig, body))`.execute(db);
    // The email once as the parser sees it (one token, `ana@example.com`) and once split at its
    // punctuation (`ana`, `example`, `com`), so both the address and its parts find the contact.
    await sql`create index contacts_search_idx on contacts using gin (
      to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || translate(coalesce(email, ''), '@.+_-', '     '))
    )`.execute(db);
    // Tags are a JSON array in text: the parser skips the brackets, quotes and commas.
    await sql`create index conversations_search_idx on conversations using gin (to_tsvector('simple'::regconfig, tags))`.execute(db);
    return;
  }
  for (const [table, columns] of SQLITE_INDEXES) {
    const fts = `${table}_fts`;
    const cols = columns.join(', ');
    const values = (prefix: string) => columns.map((c) => `${prefix}.${c}`).join(', ');
    await sql
      .raw(`create virtual table ${fts} using fts5(${cols}, content='${table}', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`)
      .execute(db);
    await sql.raw(`create trigger ${fts}_insert after insert on ${table} begin
      insert into ${fts}(rowid, ${cols}) values (new.rowid, ${values('new')}); end`).execute(db);
    await sql.raw(`create trigger ${fts}_delete after delete on ${table} begin
      insert into ${fts}(${fts}, rowid, ${cols}) values ('delete', old.rowid, ${values('old')}); end`).execute(db);
    await sql.raw(`create trigger ${fts}_update after update of ${cols} on ${table} begin
      insert into ${fts}(${fts}, rowid, ${cols}) values ('delete', old.rowid, ${values('old')});
      insert into ${fts}(rowid, ${cols}) values (new.rowid, ${values('new')}); end`).execute(db);
    await sql.raw(`insert into ${fts}(${fts}) values ('rebuild')`).execute(db);
  }
}

export async function down(db: AnyKysely): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const table of ['messages', 'contacts', 'conversations']) await sql`drop index ${sql.raw(`${table}_search_idx`)}`.execute(db);
    return;
  }
  for (const [table] of SQLITE_INDEXES) {
    for (const op of ['insert', 'delete', 'update']) await sql.raw(`drop trigger ${table}_fts_${op}`).execute(db);
    await sql.raw(`drop table ${table}_fts`).execute(db);
  }
}
