/**
 * Search over 1,000,000 messages (issue 16 §3) on SQLite (FTS5) and PostgreSQL (GIN on to_tsvector):
 * p50/p99 of the store's search query (`searchConversations`, the query `GET
 * /api/conversations?q=` runs, first page of 50) for a few query shapes, and each shape's plan
 * (EXPLAIN QUERY PLAN / EXPLAIN), written to bench/results/search.json and search.md.
 *
 * The corpus: 200,000 conversations of 5 messages, 100,000 contacts (name, email), 1% of the
 * conversations tagged `vip`. Message words are drawn log-uniformly from a 5,000-word
 * vocabulary — a few words are in most messages (`w0`: ~60%), most are rare — and 20 messages
 * hold the word `zanzibarite`. Seeded in bulk: SQLite in one transaction of prepared inserts
 * (the FTS5 triggers index as it goes); PostgreSQL with multi-row `unnest` inserts, the GIN
 * indexes dropped during the load and built after it.
 *
 * `npm run bench -- search` (both), `BENCH_SEARCH_MESSAGES=100000` for a smaller corpus,
 * `BENCH_SEARCH_DIALECTS=sqlite` for one store. PostgreSQL at BATON_TEST_PG_URL or
 * postgres://postgres@127.0.0.1:5432.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { openDatabase, type Database, type Dialect } from '../src/store/database.js';
import { explainConversationSearch, searchConversations, type ConversationSearch } from '../src/store/repositories/search.js';
import { isMain, machine, RESULTS_DIR, Rng, round, summarise, writeResult, type LatencySummary } from './lib.js';

const MESSAGES = Number(process.env.BENCH_SEARCH_MESSAGES ?? 1_000_000);
const PER_CONVERSATION = 5;
const CONVERSATIONS = Math.ceil(MESSAGES / PER_CONVERSATION);
const CONTACTS = Math.ceil(CONVERSATIONS / 2);
const VOCABULARY = 5_000;
const WORDS_PER_MESSAGE = 12;
const RARE_WORD = 'zanzibarite';
const RARE_COUNT = 20;
const PG_URL = process.env.BATON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const NOW = 1_764_000_000_000;

interface Shape {
  readonly name: string;
  readonly terms: readonly string[];
  readonly prefixLast?: boolean;
  readonly runs: number;
  readonly filter?: Pick<ConversationSearch, 'status'>;
}

const SHAPES: readonly Shape[] = [
  { name: 'rare word (20 messages)', terms: [RARE_WORD], runs: 200 },
  { name: 'rare word, resolved conversations only (status filter)', terms: [RARE_WORD], runs: 200, filter: { status: ['resolved', 'closed'] } },
  { name: 'rare word, open conversations only (filters out all 20)', terms: [RARE_WORD], runs: 200, filter: { status: ['bot', 'queued', 'assigned', 'waiting_on_customer'] } },
  { name: 'mid-frequency word (~0.2% of messages)', terms: ['w400'], runs: 50 },
  { name: 'two mid words (AND)', terms: ['w40', 'w41'], runs: 50 },
  { name: 'prefix as typed (`w123*`)', terms: ['w123'], prefixLast: true, runs: 50 },
  { name: 'contact email', terms: ['person4242@example.com'], runs: 200 },
  { name: 'tag (1% of conversations)', terms: ['vip'], runs: 20 },
  { name: 'common word (~60% of messages)', terms: ['w0'], runs: 5 },
];

/** Log-uniform: word i with probability ~ 1/(i+1): a few very common words, a long tail. */
function body(rng: Rng): string {
  const words: string[] = [];
  for (let i = 0; i < WORDS_PER_MESSAGE; i += 1) words.push(`w${Math.floor(VOCABULARY ** rng.next()) - 1}`);
  return words.join(' ');
}

function* rows(): Generator<{ kind: 'contact' | 'conversation' | 'message'; values: unknown[] }> {
  const rng = new Rng(16);
  const rare = new Set(Array.from({ length: RARE_COUNT }, (_, i) => Math.floor(((i + 0.5) * MESSAGES) / RARE_COUNT)));
  for (let k = 0; k < CONTACTS; k += 1) yield { kind: 'contact', values: [`k${k}`, `Person ${k}`, `person${k}@example.com`, NOW, NOW] };
  let m = 0;
  for (let c = 0; c < CONVERSATIONS; c += 1) {
    const status = c % 10 < 7 ? 'resolved' : 'assigned';
    const tags = c % 100 === 0 ? '["vip","billing"]' : '[]';
    yield { kind: 'conversation', values: [`c${c}`, 'web-chat', 'chat', `k${c % CONTACTS}`, status, tags, NOW, NOW, NOW + c] };
    for (let s = 1; s <= PER_CONVERSATION && m < MESSAGES; s += 1, m += 1) {
      const text = rare.has(m) ? `${body(rng)} ${RARE_WORD}` : body(rng);
      yield { kind: 'message', values: [`m${m}`, `c${c}`, s, 'contact', text, NOW + c] };
    }
  }
}

const COLUMNS = {
  contact: ['id', 'name', 'email', 'created_at', 'updated_at'],
  conversation: ['id', 'channel_id', 'channel_type', 'contact_id', 'status', 'tags', 'created_at', 'updated_at', 'last_activity_at'],
  message: ['id', 'conversation_id', 'seq', 'author', 'body', 'created_at'],
} as const;
const TABLE = { contact: 'contacts', conversation: 'conversations', message: 'messages' } as const;

function seedSqlite(file: string): void {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const inserts = Object.fromEntries(
    (Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]).map((kind) => [
      kind,
      db.prepare(`insert into ${TABLE[kind]} (${COLUMNS[kind].join(', ')}) values (${COLUMNS[kind].map(() => '?').join(', ')})`),
    ]),
  ) as Record<keyof typeof COLUMNS, SqliteDatabase.Statement>;
  db.transaction(() => {
    for (const row of rows()) inserts[row.kind].run(...row.values);
  })();
  db.exec(`insert into messages_fts(messages_fts) values ('optimize'); analyze;`);
  db.close();
}

async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The migration's GIN indexes, dropped for the load and built again after it, as defined.
    const indexes = (await client.query<{ indexdef: string }>("select indexdef from pg_indexes where indexname like '%\\_search\\_idx'")).rows.map((r) => r.indexdef);
    if (indexes.length !== 3) throw new Error(`expected the 3 search indexes, found ${indexes.length}`);
    for (const table of ['messages', 'contacts', 'conversations']) await client.query(`drop index ${table}_search_idx`);
    const batch: Record<keyof typeof COLUMNS, unknown[][]> = { contact: [], conversation: [], message: [] };
    const types: Record<keyof typeof COLUMNS, string[]> = {
      contact: ['text', 'text', 'text', 'int8', 'int8'],
      conversation: ['text', 'text', 'text', 'text', 'text', 'text', 'int8', 'int8', 'int8'],
      message: ['text', 'text', 'int4', 'text', 'text', 'int8'],
    };
    const flush = async (kind: keyof typeof COLUMNS) => {
      const list = batch[kind];
      if (list.length === 0) return;
      const columns = COLUMNS[kind].map((_, i) => list.map((r) => r[i]));
      const unnest = types[kind].map((t, i) => `$${i + 1}::${t}[]`).join(', ');
      await client.query(`insert into ${TABLE[kind]} (${COLUMNS[kind].join(', ')}) select * from unnest(${unnest})`, columns);
      batch[kind] = [];
    };
    await client.query('begin');
    for (const row of rows()) {
      // Parents before children: flush contacts before their conversations, conversations before messages.
      if (row.kind === 'conversation') await flush('contact');
      if (row.kind === 'message' && batch.conversation.length > 0) await flush('conversation');
      batch[row.kind].push(row.values);
      if (batch[row.kind].length >= 10_000) await flush(row.kind);
    }
    await flush('contact');
    await flush('conversation');
    await flush('message');
    await client.query('commit');
    await client.query('set maintenance_work_mem = 1048576');
    for (const definition of indexes) await client.query(definition);
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}

interface ShapeResult {
  readonly shape: string;
  readonly q: string;
  readonly hits: number;
  readonly latency: LatencySummary;
  readonly plan: readonly string[];
}

async function measure(database: Database, dialect: Dialect): Promise<ShapeResult[]> {
  const out: ShapeResult[] = [];
  for (const shape of SHAPES) {
    const options: ConversationSearch = {
      dialect,
      search: { terms: shape.terms, prefixLast: shape.prefixLast ?? false },
      includeNotes: true,
      offset: 0,
      limit: 50,
      ...shape.filter,
    };
    const first = await searchConversations(database.db, options); // warm the cache once
    const samples = new Float64Array(shape.runs);
    for (let i = 0; i < shape.runs; i += 1) {
      const started = process.hrtime.bigint();
      await searchConversations(database.db, options);
      samples[i] = Number(process.hrtime.bigint() - started);
    }
    const latency = summarise(samples);
    const plan = await explainConversationSearch(database.db, options);
    out.push({ shape: shape.name, q: shape.terms.join(' ') + (shape.prefixLast === true ? '*' : ''), hits: first.hits.length, latency, plan });
    console.log(`   ${dialect} ${shape.name}: p50 ${round(latency.p50Us / 1000, 2)} ms, p99 ${round(latency.p99Us / 1000, 2)} ms (${shape.runs} runs)`);
  }
  return out;
}

async function runSqlite(): Promise<{ seedSeconds: number; results: ShapeResult[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-bench-search-'));
  const file = path.join(dir, 'baton.db');
  try {
    await (await openDatabase(`sqlite:${file}`, { migrate: true })).close();
    const started = Date.now();
    seedSqlite(file);
    const seedSeconds = (Date.now() - started) / 1000;
    console.log(`   sqlite: seeded ${MESSAGES} messages in ${seedSeconds.toFixed(1)} s`);
    const database = await openDatabase(`sqlite:${file}`);
    try {
      return { seedSeconds, results: await measure(database, 'sqlite') };
    } finally {
      await database.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgres(): Promise<{ seedSeconds: number; results: ShapeResult[] }> {
  const name = `baton_bench_search_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const url = `${PG_URL}/${name}`;
    await (await openDatabase(url, { migrate: true })).close();
    const started = Date.now();
    await seedPostgres(url);
    const seedSeconds = (Date.now() - started) / 1000;
    console.log(`   postgres: seeded ${MESSAGES} messages in ${seedSeconds.toFixed(1)} s`);
    const database = await openDatabase(url);
    try {
      return { seedSeconds, results: await measure(database, 'postgres') };
    } finally {
      await database.close();
    }
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

function markdown(runs: Partial<Record<Dialect, { seedSeconds: number; results: ShapeResult[] }>>): string {
  const m = machine();
  const lines = [
    '# Search over 1,000,000 messages',
    '',
    `\`npm run bench -- search\` (bench/search.ts), ${new Date().toISOString().slice(0, 10)}, ${m.cpu}, ${m.cores} cores shared with other work, ${m.memoryGiB} GiB, Node ${m.node}.`,
    `Corpus: ${MESSAGES.toLocaleString('en')} messages in ${CONVERSATIONS.toLocaleString('en')} conversations, ${CONTACTS.toLocaleString('en')} contacts; ` +
      'the store query of `GET /api/conversations?q=` (first page of 50), timed in-process on a warm cache.',
    '',
    '| store | query shape | q | results (page) | p50 ms | p99 ms | runs |',
    '|---|---|---|---:|---:|---:|---:|',
  ];
  for (const [dialect, run] of Object.entries(runs)) {
    for (const r of run.results) {
      lines.push(`| ${dialect} | ${r.shape} | \`${r.q}\` | ${r.hits} | ${round(r.latency.p50Us / 1000, 2)} | ${round(r.latency.p99Us / 1000, 2)} | ${r.latency.samples} |`);
    }
  }
  lines.push('', 'Seeding (bulk, including building the indexes): ');
  for (const [dialect, run] of Object.entries(runs)) lines.push(`- ${dialect}: ${run.seedSeconds.toFixed(1)} s`);
  lines.push(
    '',
    '## Notes',
    '',
    '- The machine is shared (2 cores, other sessions building and testing at the same time): the p99s include their interference.',
    '- A query ranks the newest 2,000 matching messages (`RANKED_MESSAGES`, store/repositories/search.ts). SQLite walks the FTS5 index newest rowid first and stops; ' +
      'PostgreSQL finds every match in the GIN index and reads those rows to keep the newest 2,000 (a bitmap heap scan of the matches, not of the table), ' +
      'which is why a word in most messages costs it far more than SQLite.',
    '- Before that bound, on the first run of this benchmark (2026-12-07, same corpus): the common word took p50 1,503 ms on SQLite and 4,762 ms on PostgreSQL; ' +
      "and PostgreSQL hashed the whole conversations table to join a contact's conversations (a Seq Scan, rare word p50 56 ms) until that join became a LATERAL lookup by index.",
  );
  lines.push('', '## Plans', '', 'Each source is read through its full-text index; the tables are reached by key from the index hits.');
  for (const [dialect, run] of Object.entries(runs)) {
    for (const r of run.results) {
      lines.push('', `### ${dialect}: ${r.shape} (\`${r.q}\`)`, '', '```', ...r.plan, '```');
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function run(): Promise<void> {
  const dialects = (process.env.BENCH_SEARCH_DIALECTS ?? 'sqlite,postgres').split(',') as Dialect[];
  const runs: Partial<Record<Dialect, { seedSeconds: number; results: ShapeResult[] }>> = {};
  if (dialects.includes('sqlite')) runs.sqlite = await runSqlite();
  if (dialects.includes('postgres')) runs.postgres = await runPostgres();
  const file = writeResult('search', {
    messages: MESSAGES,
    conversations: CONVERSATIONS,
    contacts: CONTACTS,
    runs: Object.fromEntries(Object.entries(runs).map(([d, r]) => [d, { seedSeconds: r.seedSeconds, results: r.results.map(({ plan: _plan, ...rest }) => rest) }])),
  });
  writeFileSync(`${RESULTS_DIR}search.md`, markdown(runs));
  console.log(`   wrote ${file} and search.md`);
}

if (isMain(import.meta.url)) await run();
