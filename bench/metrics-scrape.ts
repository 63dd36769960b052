/**
 * What a /metrics scrape costs the database (docs/monitoring.md "What a scrape costs"): p50/p99 of
 * each gauge's query (store/repositories/metrics-gauges.ts) on a store that has run for a while —
 * 1,000,000 outbox rows (1,000 dead, 500 due and not yet run, 2,000 timers set for later, the rest
 * done) and 200,000 conversations (400 waiting in 3 queues, the rest resolved) — and, for the dead
 * count, the same query with the partial index of migration 2026-12-09-metrics-indexes dropped
 * (what it would cost without it). Each query's plan is written too.
 *
 * `npm run bench -- metrics-scrape` (both stores), `BENCH_METRICS_DIALECTS=sqlite` for one,
 * `BENCH_METRICS_OUTBOX=100000` for a smaller outbox. PostgreSQL at BATON_TEST_PG_URL or
 * postgres://postgres@127.0.0.1:5432.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database, type Dialect } from '../src/store/database.js';
import {
  countOutboxDead,
  countOutboxDueByKind,
  countWaitingByQueue,
} from '../src/store/repositories/metrics-gauges.js';
import { isMain, summarise, writeResult, type LatencySummary } from './lib.js';

const OUTBOX = Number(process.env.BENCH_METRICS_OUTBOX ?? 1_000_000);
const CONVERSATIONS = 200_000;
const CONTACTS = 100_000;
const NOW = 1_764_000_000_000;
const PG_URL = process.env.BATON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const KINDS = [
  'conversation.published',
  'notify.in_app',
  'notify.email',
  'notify.slack',
  'notify.webhook',
  'deliver.webhook',
  'timer.sla.first_response',
  'timer.queue.overflow',
];

/** Row i of the outbox: dead, due, later or done — a fixed spread, the same on both stores. */
const STATUS_SQL = `case when i % 1000 = 0 then 'dead' when i % 2000 = 1 then 'pending' when i % 500 = 2 then 'pending' else 'done' end`;
const AVAILABLE_SQL = `case when i % 500 = 2 then ${NOW + 3_600_000} else ${NOW - 60_000} end`;
/** Kinds by blocks of 2,000 rows, so the due rows (one per block) spread over every kind. */
const KIND_SQL = `(array[${KINDS.map((k) => `'${k}'`).join(',')}])[(i / 2000) % ${KINDS.length} + 1]`;
const KIND_SQLITE = `case (i / 2000) % ${KINDS.length} ${KINDS.map((k, n) => `when ${n} then '${k}'`).join(' ')} end`;

async function seed(database: Database, dialect: Dialect): Promise<void> {
  const db = database.db;
  const series = (n: number) =>
    dialect === 'sqlite'
      ? `with recursive s(i) as (select 0 union all select i + 1 from s where i < ${n - 1}) select i from s`
      : `select generate_series(0, ${n - 1}) as i`;
  await sql
    .raw(
      `insert into contacts (id, name, email, created_at, updated_at) select 'k' || i, 'Person', 'p' || i || '@example.com', ${NOW}, ${NOW} from (${series(CONTACTS)}) n`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into conversations (id, channel_id, channel_type, contact_id, status, queue_id, tags, created_at, updated_at, last_activity_at, queued_at)
       select 'c' || i, 'web-chat', 'chat', 'k' || (i % ${CONTACTS}), case when i % 500 = 0 then 'queued' else 'resolved' end,
              case when i % 500 = 0 then 'q' || (i % 3) else null end, '[]', ${NOW}, ${NOW}, ${NOW}, case when i % 500 = 0 then ${NOW} else null end
       from (${series(CONVERSATIONS)}) n`,
    )
    .execute(db);
  const kind = dialect === 'sqlite' ? KIND_SQLITE : KIND_SQL;
  await sql
    .raw(
      `insert into outbox (id, kind, idempotency_key, payload, status, attempts, available_at, created_at, updated_at, last_error)
       select 'o' || i, ${kind}, 'b' || i, '{}', ${STATUS_SQL}, 1, ${AVAILABLE_SQL}, ${NOW}, ${NOW}, null from (${series(OUTBOX)}) n`,
    )
    .execute(db);
  // PostgreSQL: as autovacuum leaves a table that has settled (statistics and the visibility map).
  await sql.raw(dialect === 'sqlite' ? 'analyze' : 'vacuum analyze').execute(db);
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<LatencySummary> {
  for (let i = 0; i < 5; i += 1) await fn();
  const samples = new Float64Array(runs);
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await fn();
    samples[i] = (performance.now() - started) * 1e6;
  }
  return summarise(samples);
}

async function plan(database: Database, dialect: Dialect, query: string): Promise<string[]> {
  const rows = await sql
    .raw(`${dialect === 'sqlite' ? 'explain query plan' : 'explain'} ${query}`)
    .execute(database.db);
  return rows.rows.map((row) =>
    String((row as Record<string, unknown>).detail ?? (row as Record<string, unknown>)['QUERY PLAN']),
  );
}

async function open(dialect: Dialect): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-bench-metrics-'));
    const database = await openDatabase(`sqlite:${path.join(dir, 'baton.db')}`, { migrate: true });
    return {
      database,
      drop: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `baton_bench_metrics_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const database = await openDatabase(`${PG_URL}/${name}`, { migrate: true });
  return {
    database,
    drop: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export async function run(): Promise<void> {
  const dialects = (process.env.BENCH_METRICS_DIALECTS ?? 'sqlite,postgres').split(',') as Dialect[];
  const results: Record<string, unknown> = {};
  for (const dialect of dialects) {
    const { database, drop } = await open(dialect);
    try {
      const seeding = performance.now();
      await seed(database, dialect);
      console.log(`   ${dialect}: seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
      const db = database.db;
      const counts = {
        waiting: Object.fromEntries(await countWaitingByQueue(db)),
        due: Object.fromEntries(await countOutboxDueByKind(db, NOW)),
        dead: await countOutboxDead(db),
      };
      const gauges = {
        queueWaiting: await time(200, () => countWaitingByQueue(db)),
        outboxDueByKind: await time(200, () => countOutboxDueByKind(db, NOW)),
        outboxDead: await time(200, () => countOutboxDead(db)),
      };
      const plans = {
        queueWaiting: await plan(
          database,
          dialect,
          `select queue_id, count(*) from conversations where status = 'queued' group by queue_id`,
        ),
        outboxDueByKind: await plan(
          database,
          dialect,
          `select kind, count(*) from outbox where status in ('pending', 'processing', 'failed') and available_at <= ${NOW} group by kind`,
        ),
        outboxDead: await plan(database, dialect, `select count(*) from outbox where status = 'dead'`),
      };
      await sql.raw('drop index outbox_dead_idx').execute(db);
      const withoutIndex = {
        outboxDead: await time(20, () => countOutboxDead(db)),
        plan: await plan(
          database,
          dialect,
          `select count(*) from outbox where status = 'dead' /* without outbox_dead_idx */`,
        ),
      };
      results[dialect] = {
        rows: { outbox: OUTBOX, conversations: CONVERSATIONS },
        counts,
        gauges,
        plans,
        withoutDeadIndex: withoutIndex,
      };
      const line = (name: string, s: LatencySummary) => `${name} p50 ${s.p50Us} µs p99 ${s.p99Us} µs`;
      console.log(
        `   ${dialect}: ${line('waiting', gauges.queueWaiting)}; ${line('due', gauges.outboxDueByKind)}; ${line('dead', gauges.outboxDead)}; dead without its index: p50 ${withoutIndex.outboxDead.p50Us} µs`,
      );
    } finally {
      await drop();
    }
  }
  console.log(`   wrote ${writeResult('metrics-scrape', { outboxRows: OUTBOX, results })}`);
}

if (isMain(import.meta.url)) await run();
