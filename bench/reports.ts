/**
 * The handoff report over a year (issue 18) on SQLite and PostgreSQL, at 10,000, 100,000 and
 * 1,000,000 conversations: p50 of `GET /api/reports/handoffs`'s service (readHandoffReport —
 * one read for the groups and the totals: the sums and the exact median/p90 of three durations)
 * for each groupBy over 2026-01-01..2026-12-31, written to bench/results/reports.json.
 *
 * Also measured: the longest the event loop was held while a grouping's requests ran
 * (monitorEventLoopDelay; on SQLite the report runs on a worker thread, store/read-off-thread.ts).
 *
 * The report reads only the report rows (one per conversation, kept with its events), so the
 * seed writes those rows directly through the store (insertReportRows), plus the contacts the
 * test-contact filter looks up (1% test). Each scale adds rows to the same database: 10k, then
 * 90k more, then 900k more, all spread over the year.
 *
 * `npm run bench -- reports`; `BENCH_REPORTS_SCALES=10000,100000` for fewer scales,
 * `BENCH_REPORTS_DIALECTS=sqlite` for one store. PostgreSQL at BATON_TEST_PG_URL or
 * postgres://postgres@127.0.0.1:5432.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { HandoffReportQuery, ReportGroupBy } from '../src/contract/reports-api.js';
import type { ServiceContext } from '../src/services/context.js';
import { readHandoffReport } from '../src/services/reports/read-handoff-report.js';
import { openDatabase, withTransaction, type Database, type Dialect } from '../src/store/database.js';
import { insertReportRows, type ReportRowRecord } from '../src/store/repositories/report-rows.js';
import { isMain, round, Rng, summarise, writeResult, type LatencySummary } from './lib.js';

const SCALES = (process.env.BENCH_REPORTS_SCALES ?? '10000,100000,1000000').split(',').map(Number);
const DIALECTS = (process.env.BENCH_REPORTS_DIALECTS ?? 'sqlite,postgres').split(',') as Dialect[];
const PG_URL = process.env.BATON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const GROUP_BYS: readonly ReportGroupBy[] = ['channel', 'team', 'queue', 'agent', 'rule', 'trigger', 'day', 'week'];
const YEAR_FROM = Date.parse('2026-01-01T00:00:00+01:00');
const YEAR_MS = 365 * 86_400_000;
const CONTACTS = 10_000;
const TRIGGERS = ['customer_requested_human', 'unsupported_topic', 'intent_or_keyword', 'workflow_flag', 'negative_sentiment', 'sla_breach', 'no_assistant'];

function runsAt(scale: number): number {
  return scale <= 10_000 ? 20 : scale <= 100_000 ? 7 : 3;
}

/** Rows `from` … `to - 1`: 60% handed off; durations log-spread; ratings on 20%. */
function reportRows(from: number, to: number): ReportRowRecord[] {
  const rng = new Rng(18 + from);
  const out: ReportRowRecord[] = [];
  for (let i = from; i < to; i += 1) {
    const startedAt = YEAR_FROM + Math.floor(rng.next() * YEAR_MS);
    const handed = rng.chance(0.6);
    const agent = handed || rng.chance(0.1) ? `agent-${rng.int(1, 200)}` : null;
    const resolved = rng.chance(0.85);
    out.push({
      conversationId: `c${i}`,
      contactId: `k${i % CONTACTS}`,
      channelId: `channel-${rng.int(1, 4)}`,
      startedAt,
      handedOffAt: handed ? startedAt + rng.int(0, 600_000) : null,
      trigger: handed ? rng.pick(TRIGGERS) : null,
      rule: handed ? `rule-${rng.int(1, 30)}` : null,
      teamId: handed ? `team-${rng.int(1, 10)}` : null,
      queueId: handed ? `queue-${rng.int(1, 20)}` : null,
      agentId: agent,
      reassignments: handed && rng.chance(0.2) ? rng.int(1, 3) : 0,
      firstResponseMs: handed && rng.chance(0.9) ? Math.floor(1000 * 3600 ** rng.next()) : null,
      queueWaitMs: handed && rng.chance(0.5) ? Math.floor(1000 * 7200 ** rng.next()) : null,
      queuedSince: null,
      status: resolved ? 'resolved' : 'assigned',
      resolutionMs: resolved ? Math.floor(60_000 * 2880 ** rng.next()) : null,
      slaBreaches: handed && rng.chance(0.05) ? 1 : 0,
      ...(resolved && rng.chance(0.2) ? { csatScore: rng.int(1, 5), csatHandedOff: agent !== null } : { csatScore: null, csatHandedOff: null }),
    });
  }
  return out;
}

async function seed(database: Database, from: number, to: number): Promise<void> {
  if (from === 0) {
    await withTransaction(database.db, async (trx) => {
      for (let k = 0; k < CONTACTS; k += 500) {
        const chunk = Array.from({ length: Math.min(500, CONTACTS - k) }, (_, j) => ({
          id: `k${k + j}`,
          properties: '{}',
          is_test: (k + j) % 100 === 0 ? 1 : 0,
          created_at: YEAR_FROM,
          updated_at: YEAR_FROM,
        }));
        await trx.insertInto('contacts').values(chunk).execute();
      }
    });
  }
  for (let start = from; start < to; start += 50_000) {
    const rows = reportRows(start, Math.min(to, start + 50_000));
    await withTransaction(database.db, (trx) => insertReportRows(trx, rows));
  }
  // PostgreSQL: vacuum too, as autovacuum would — an index-only scan needs the visibility map.
  await (database.dialect === 'postgres' ? sql`vacuum analyze report_rows` : sql`analyze`).execute(database.db);
}

/** Just what readHandoffReport reads of a context: the database and the workspace's zone and names. */
function contextOf(database: Database): ServiceContext {
  const model = { timezone: 'Europe/Madrid', channels: new Map(), teams: new Map(), queues: new Map(), users: new Map() };
  return { database, workspace: { current: async () => ({ model }) } } as unknown as ServiceContext;
}

interface Measured {
  readonly scale: number;
  readonly groupBy: ReportGroupBy;
  readonly groups: number;
  readonly latency: LatencySummary;
  /** The longest the server's thread was held while this grouping's requests ran (ms). */
  readonly longestEventLoopBlockMs: number;
}

async function measure(database: Database, scale: number): Promise<Measured[]> {
  const ctx = contextOf(database);
  const out: Measured[] = [];
  for (const groupBy of GROUP_BYS) {
    const query: HandoffReportQuery = { from: '2026-01-01', to: '2026-12-31', groupBy, includeTest: false };
    const first = await readHandoffReport(ctx, { kind: 'admin_token' }, query);
    if (first.totals.conversations < scale * 0.98) throw new Error(`the report counted ${first.totals.conversations} of ${scale}`);
    const runs = runsAt(scale);
    const samples = new Float64Array(runs);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    for (let i = 0; i < runs; i += 1) {
      const started = process.hrtime.bigint();
      await readHandoffReport(ctx, { kind: 'admin_token' }, query);
      samples[i] = Number(process.hrtime.bigint() - started);
    }
    delay.disable();
    const latency = summarise(samples);
    const longestEventLoopBlockMs = round(delay.max / 1e6, 1);
    out.push({ scale, groupBy, groups: first.groups.length, latency, longestEventLoopBlockMs });
    console.log(
      `   ${database.dialect} ${scale.toLocaleString('en')} groupBy=${groupBy}: p50 ${round(latency.p50Us / 1000, 1)} ms (${runs} runs, ${first.groups.length} groups), event loop held at most ${longestEventLoopBlockMs} ms`,
    );
  }
  return out;
}

async function runOn(dialect: Dialect): Promise<{ seedSeconds: Record<string, number>; results: Measured[] }> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-bench-reports-'));
    url = `sqlite:${path.join(dir, 'baton.db')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `baton_bench_reports_${process.pid}`;
    const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
    await admin.connect();
    await admin.query(`create database ${name}`);
    url = `${PG_URL}/${name}`;
    cleanup = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const seedSeconds: Record<string, number> = {};
  const results: Measured[] = [];
  try {
    const database = await openDatabase(url, { migrate: true, ...(dialect === 'sqlite' ? { synchronous: 'NORMAL' as const } : {}) });
    try {
      let seeded = 0;
      for (const scale of SCALES) {
        const started = Date.now();
        await seed(database, seeded, scale);
        seeded = scale;
        seedSeconds[String(scale)] = round((Date.now() - started) / 1000, 1);
        console.log(`   ${dialect}: ${scale.toLocaleString('en')} report rows (seeded in ${seedSeconds[String(scale)]} s)`);
        results.push(...(await measure(database, scale)));
        writeResult('reports', { partial: true, dialect, scales: SCALES, results });
      }
    } finally {
      await database.close();
    }
  } finally {
    await cleanup();
  }
  return { seedSeconds, results };
}

export async function run(): Promise<void> {
  const byDialect: Record<string, Awaited<ReturnType<typeof runOn>>> = {};
  for (const dialect of DIALECTS) {
    byDialect[dialect] = await runOn(dialect);
    const file = writeResult('reports', {
      range: '2026-01-01..2026-12-31 (Europe/Madrid)',
      scales: SCALES,
      runsPerScale: Object.fromEntries(SCALES.map((s) => [s, runsAt(s)])),
      dialects: byDialect,
    });
    console.log(`   wrote ${file}`);
  }
}

if (isMain(import.meta.url)) await run();
