/**
 * `bench/handoff-http.ts --db postgres`: handoffs end to end over HTTP on PostgreSQL, read against
 * what the same PostgreSQL server does for pgbench in the same run, and beside SQLite's handoffs.
 *
 * 1. pgbench: `pgbench -i -s 10` then `pgbench -c 32 -j 2 -T 15` (TPC-B-like) on a scratch
 *    database of the same server; its transactions/s (excluding connection time).
 * 2. PostgreSQL handoffs: the real server (`createBaton`, outbox worker and backlog assigner
 *    running, the default pool of 10) on a fresh database of that server, the bench desk
 *    (bench/lib.ts: 50 agents, least_busy, `api-in` without an AI agent), 32 requests in flight
 *    from a client thread (bench/http-client.ts) for at least 15 s. An agent's WebSocket
 *    (`GET /api/realtime`, in a thread of its own: bench/frame-listener.ts) notes when each
 *    conversation's `handoff.completed` frame arrives. A handoff counts as delivered only then:
 *    sustained handoffs/s = handoffs ÷ (phase start → the last frame delivered); realtime lag =
 *    frame arrival − that request's response. Round trips per handoff (the statements the pool
 *    sent, the outbox work included, ÷ handoffs) when the store can count them.
 * 3. SQLite handoffs: the same phase on a fresh SQLite file, measured the same way.
 *
 * Goals (the issue): sustained PostgreSQL handoffs ≥ 0.3 × pgbench TPS; realtime lag p99 ≤ 1 s.
 * The machine is shared (load in the result): read the ratios, not the absolute figures.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { parseConfigText } from '../src/config/parse-config-text.js';
import { parseEnv } from '../src/platform/env.js';
import { createBaton, type Baton } from '../src/server.js';
import { createUserToken } from '../src/services/auth/authenticate.js';
import { applyValidatedConfig } from '../src/services/workspace/apply-validated-config.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { startHttpClient, type HttpClient, type Sample } from './http-client.js';
import { startFrameListener } from './frame-listener.js';
import { apiDeskWorkspaceYaml, BENCH_ADMIN_TOKEN, handoffStream, round, writeResult } from './lib.js';

const SEED = 20_260_102;
const AGENTS = 50;
const CONCURRENCY = 32;
const WARMUP_HANDOFFS = 300;
const MIN_HANDOFFS = 2_000;
const MIN_SECONDS = 15;
const FRAME_TIMEOUT_MS = 120_000;
const PGBENCH = { scale: 10, clients: 32, threads: 2, seconds: 15 } as const;
const GOALS = { ratioToPgbench: 0.3, lagP99Ms: 1_000 } as const;
const PG_URL = process.env.BATON_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  return {
    url: `${PG_URL}/${name}`,
    // pg-pool's end() resolves before its idle clients have disconnected, and a forced drop kills
    // them (an unhandled 57P01): wait until the server has no backend left on the database.
    drop: () =>
      admin(async (client) => {
        for (let i = 0; i < 100; i++) {
          const left = await client.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (Number((left.rows[0] as { n: number } | undefined)?.n ?? 0) === 0) break;
          await new Promise((done) => setTimeout(done, 100));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      }),
  };
}

function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `loadavg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  }
}

/** pgbench on a scratch database of the same server: TPC-B-like transactions/s. */
async function measurePgbench(): Promise<{ tps: number; scale: number; clients: number; seconds: number; output: string }> {
  const scratch = await scratchDatabase('baton_bench_pgbench');
  try {
    execFileSync('pgbench', ['-i', '-q', '-s', String(PGBENCH.scale), scratch.url], { stdio: 'pipe' });
    const output = execFileSync('pgbench', ['-c', String(PGBENCH.clients), '-j', String(PGBENCH.threads), '-T', String(PGBENCH.seconds), scratch.url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ?? /tps = ([\d.]+)/.exec(output);
    if (match === null) throw new Error(`no tps in pgbench's output:\n${output}`);
    return { tps: Math.round(Number(match[1])), scale: PGBENCH.scale, clients: PGBENCH.clients, seconds: PGBENCH.seconds, output: output.trim().split('\n').slice(-4).join(' | ') };
  } finally {
    await scratch.drop();
  }
}

async function startServer(url: string, database?: Database): Promise<{ baton: Baton; base: string }> {
  const processEnv = { DATABASE_URL: url, BATON_DEMO: '0', LOG_LEVEL: 'silent', BATON_ADMIN_TOKEN: BENCH_ADMIN_TOKEN, BATON_RATE_LIMITS: '0' };
  const baton = await createBaton({ env: parseEnv(processEnv), processEnv, workers: true, ...(database === undefined ? {} : { database }) });
  try {
    const parsed = parseConfigText(apiDeskWorkspaceYaml('Handoff bench (PostgreSQL)', AGENTS), 'yaml', processEnv);
    if (!parsed.ok) throw new Error('bench workspace is invalid');
    await applyValidatedConfig(baton.ctx, { raw: parsed.raw, actor: 'bench' });
    await baton.app.listen({ host: '127.0.0.1', port: 0 });
    const address = baton.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
    return { baton, base: `http://127.0.0.1:${address.port}` };
  } catch (error) {
    await baton.close();
    throw error;
  }
}

async function outboxDrained(baton: Baton, timeoutMs: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const row = await sql<{ n: number }>`select count(*) as n from outbox where status in ('pending', 'processing', 'failed') and available_at <= ${Date.now()}`.execute(baton.ctx.database.db);
    if (Number(row.rows[0]?.n ?? 0) === 0) return Date.now() - started;
    await new Promise((done) => setTimeout(done, 50));
  }
  return null;
}

function quantiles(values: readonly number[]): { samples: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { samples: sorted.length, p50Ms: round(at(0.5), 1), p90Ms: round(at(0.9), 1), p99Ms: round(at(0.99), 1), maxMs: round(at(1), 1) };
}

interface HandoffPhase {
  readonly handoffs: number;
  readonly answeredPerSecond: number;
  readonly deliveredPerSecond: number;
  readonly framesMissing: number;
  readonly statuses: Record<string, number>;
  readonly responseLatency: ReturnType<typeof quantiles>;
  readonly realtimeLag: ReturnType<typeof quantiles>;
  readonly outboxDrainedMsAfterPhase: number | null;
  readonly roundTripsPerHandoff: number | null;
}

/** Warm-up, then the timed phase; delivered = the handoff.completed frame reached the agent's socket. */
async function handoffPhase(client: HttpClient, baton: Baton, base: string): Promise<HandoffPhase> {
  const token = (await createUserToken(baton.ctx, 'agent-01', { name: 'bench', scopes: ['read', 'write'] }, 'bench')).token;
  const listener = startFrameListener();
  try {
    await listener.open(`${base.replace('http', 'ws')}/api/realtime`, token);
    const warmup = await client.run(base, CONCURRENCY, handoffStream(SEED, 0, WARMUP_HANDOFFS, 0));
    if (warmup.samples.some((s) => s.status !== 201)) throw new Error(`a warm-up handoff answered ${warmup.samples.find((s) => s.status !== 201)?.status}`);
    await outboxDrained(baton, 60_000);
    await listener.collect(warmup.samples.map(idOf), FRAME_TIMEOUT_MS);
    const trips = baton.ctx.database.roundTrips;
    trips?.reset();
    const start = Number(process.hrtime.bigint());
    const phase = await client.run(base, CONCURRENCY, handoffStream(SEED, WARMUP_HANDOFFS, MIN_HANDOFFS, MIN_SECONDS));
    const drained = await outboxDrained(baton, FRAME_TIMEOUT_MS);
    const ok = phase.samples.filter((s) => s.status === 201);
    const { arrivals } = await listener.collect(ok.map(idOf), FRAME_TIMEOUT_MS);
    const statuses: Record<string, number> = {};
    for (const s of phase.samples) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
    const lags: number[] = [];
    let last = start;
    for (const s of ok) {
      const at = arrivals.get(idOf(s));
      if (at === undefined) continue;
      last = Math.max(last, at);
      lags.push((at - (start + s.atNs)) / 1e6);
    }
    const roundTrips = trips === undefined ? null : round(trips.count / Math.max(1, phase.samples.length), 1);
    return {
      handoffs: phase.samples.length,
      answeredPerSecond: Math.round(phase.samples.length / phase.seconds),
      deliveredPerSecond: Math.round(arrivals.size / ((last - start) / 1e9)),
      framesMissing: ok.length - arrivals.size,
      statuses,
      responseLatency: quantiles(phase.samples.map((s) => s.ns / 1e6)),
      realtimeLag: quantiles(lags),
      outboxDrainedMsAfterPhase: drained,
      roundTripsPerHandoff: roundTrips,
    };
  } finally {
    await listener.close();
  }
}

function idOf(sample: Sample): string {
  if (sample.conversationId === null) throw new Error(`no conversation id in the answer (${sample.status}): ${sample.error ?? ''}`);
  return sample.conversationId;
}

function commitOf(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function runPostgres(): Promise<void> {
  const loadBefore = uptime();
  const code = commitOf();
  const client = startHttpClient();
  let postgres: HandoffPhase;
  let sqlite: HandoffPhase;
  let pgbench: Awaited<ReturnType<typeof measurePgbench>>;
  try {
    pgbench = await measurePgbench();
    const loadAfterPgbench = uptime();

    const scratch = await scratchDatabase('baton_bench_handoff');
    try {
      // Opened here, so the store may count the statements its pool sends (an older store ignores the option).
      const database = await openDatabase(scratch.url, { migrate: true, countRoundTrips: true });
      const server = await startServer(scratch.url, database);
      try {
        postgres = await handoffPhase(client, server.baton, server.base);
      } finally {
        await server.baton.close();
        // Opened here, so closed here (createBaton closes only a database it opened).
        await database.close();
      }
    } finally {
      await scratch.drop();
    }

    const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-bench-handoff-pg-sqlite-'));
    try {
      const server = await startServer(`sqlite:${path.join(dir, 'baton.db')}`);
      try {
        sqlite = await handoffPhase(client, server.baton, server.base);
      } finally {
        await server.baton.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const ratio = round(postgres.deliveredPerSecond / pgbench.tps, 3);
    const loadAfter = uptime();
    const written = writeResult('handoff-http-postgres', {
      parameters: {
        code,
        seed: SEED,
        command: 'npm run bench -- handoff-http --db postgres (node --import tsx bench/handoff-http.ts --db postgres)',
        postgres: PG_URL.replace(/\/\/[^@]*@/, '//…@'),
        pgbench: `pgbench -i -q -s ${PGBENCH.scale}; pgbench -c ${PGBENCH.clients} -j ${PGBENCH.threads} -T ${PGBENCH.seconds} on a scratch database of the same server`,
        server: 'createBaton in-process, workers on (outbox worker, backlog assigner), default pool (10), LOG_LEVEL silent, 127.0.0.1',
        client: `node:http keep-alive in a worker thread, ${CONCURRENCY} in flight; POST /api/conversations on api-in (assistant none: handed off as it arrives, least_busy over ${AGENTS} agents)`,
        phase: `${WARMUP_HANDOFFS} warm-up handoffs, then at least ${MIN_HANDOFFS} and ${MIN_SECONDS} s`,
        delivered: "agent-01's WebSocket on /api/realtime in a thread of its own; a handoff counts once its handoff.completed frame has arrived",
        sustained: 'delivered handoffs ÷ (phase start → the last frame delivered)',
        lag: "frame arrival − the request's response (process.hrtime, one clock for all threads)",
      },
      load: { before: loadBefore, afterPgbench: loadAfterPgbench, after: loadAfter },
      results: { pgbench, postgres, sqlite, ratioPostgresDeliveredToPgbenchTps: ratio, ratioPostgresToSqliteDelivered: round(postgres.deliveredPerSecond / Math.max(1, sqlite.deliveredPerSecond), 3) },
      goals: {
        ratioToPgbench: { goal: GOALS.ratioToPgbench, measured: ratio, met: ratio >= GOALS.ratioToPgbench },
        realtimeLagP99Ms: { goal: GOALS.lagP99Ms, measured: postgres.realtimeLag.p99Ms, met: postgres.realtimeLag.p99Ms <= GOALS.lagP99Ms },
      },
    });
    const line = (name: string, r: HandoffPhase): string =>
      `  ${name.padEnd(10)} ${String(r.deliveredPerSecond).padStart(5)} handoffs/s delivered (answered ${r.answeredPerSecond}/s; ${r.handoffs} handoffs, ${r.framesMissing} frames missing)  lag p50 ${r.realtimeLag.p50Ms} ms p99 ${r.realtimeLag.p99Ms} ms  response p99 ${r.responseLatency.p99Ms} ms${r.roundTripsPerHandoff === null ? '' : `  ${r.roundTripsPerHandoff} round trips/handoff`}`;
    console.log(`handoff-http --db postgres (code ${code})`);
    console.log(`  pgbench    ${String(pgbench.tps).padStart(5)} tps (-c ${PGBENCH.clients} -T ${PGBENCH.seconds}, scale ${PGBENCH.scale})`);
    console.log(line('postgres', postgres));
    console.log(line('sqlite', sqlite));
    console.log(`  ratio      ${ratio} of pgbench TPS (goal ≥ ${GOALS.ratioToPgbench}); lag p99 goal ≤ ${GOALS.lagP99Ms} ms`);
    console.log(`  load       ${loadBefore} → ${loadAfter}`);
    console.log(`  → ${path.relative(process.cwd(), written)}`);
  } finally {
    await client.close();
  }
}
