/**
 * Jobs on PostgreSQL: Baton's outbox against pg-boss (an existing PostgreSQL job engine), side by
 * side on one throwaway database in one run (issue 20: would an engine serve better?).
 *
 * Each of N jobs is enqueued the way Baton enqueues work: in the transaction of a state change (a
 * row inserted into `bench_state`), 16 such transactions in flight at once. pg-boss enqueues on
 * that same transaction's connection (`send(…, { db })`), so both sides commit the job with the
 * state change or not at all. Measured: throughput (N over first enqueue → last run) and the
 * latency from the start of the enqueuing transaction to the job's run, p50/p99.
 *
 * The outbox worker is kicked after each commit (as the server's afterCommit does) and polls every
 * second; pg-boss 10 polls (`pollingIntervalSeconds`, at least 0.5 s) and fetches up to
 * `batchSize` jobs per poll — measured twice: woken after each commit (`notifyWorker`, the same
 * help the outbox gets) and polling only. All run the jobs as no-ops that note the time.
 *
 *   npm run bench -- jobs            (BENCH_JOBS=10000, BENCH_PG_URL=postgres://postgres@127.0.0.1:5432)
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { createOutboxWorker, defineJob } from '../src/delivery/outbox-worker.js';
import { systemClock } from '../src/platform/runtime.js';
import { openDatabase, withTransaction, type Database } from '../src/store/database.js';
import { enqueue } from '../src/store/repositories/outbox.js';
import { isMain, round, summarise, writeResult, type LatencySummary } from './lib.js';

const N = Number(process.env.BENCH_JOBS ?? '10000');
const IN_FLIGHT = 16;
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

interface Side {
  readonly jobs: number;
  readonly seconds: number;
  readonly jobsPerSecond: number;
  readonly enqueueToRun: LatencySummary;
}

/** Runs `enqueueOne(i)` for i < N, IN_FLIGHT at a time; returns the start instants (ns). */
async function enqueueAll(enqueueOne: (i: number) => Promise<void>): Promise<Float64Array> {
  const started = new Float64Array(N);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < N; i = next++) {
      started[i] = performance.now() * 1e6;
      await enqueueOne(i);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return started;
}

function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const tick = (): void => {
      if (done()) resolve();
      else if (Date.now() > deadline) reject(new Error('jobs did not all run in time'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

function side(started: Float64Array, ran: Float64Array): Side {
  let first = Infinity;
  let last = 0;
  const latency = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    first = Math.min(first, started[i]!);
    last = Math.max(last, ran[i]!);
    latency[i] = ran[i]! - started[i]!;
  }
  const seconds = (last - first) / 1e9;
  return { jobs: N, seconds: round(seconds, 2), jobsPerSecond: round(N / seconds, 1), enqueueToRun: summarise(latency) };
}

async function outboxSide(database: Database): Promise<Side> {
  const ran = new Float64Array(N);
  let count = 0;
  const job = defineJob({
    kind: 'bench.noop',
    payload: z.object({ i: z.number().int() }),
    retry: { attempts: 3, backoffMs: 1_000 },
    async run(_trx, payload) {
      if (ran[payload.i] === 0) count += 1;
      ran[payload.i] = performance.now() * 1e6;
    },
  });
  const worker = createOutboxWorker({ database, clock: systemClock, jobs: [job] });
  worker.start();
  const started = await enqueueAll(async (i) => {
    await withTransaction(database, async (trx) => {
      await sql`insert into bench_state (i, side) values (${i}, 'outbox')`.execute(trx);
      await enqueue(trx, { kind: 'bench.noop', idempotencyKey: `bench:${i}`, payload: { i }, now: Date.now() });
    });
    worker.kick();
  });
  await waitUntil(() => count === N, 600_000);
  await worker.stop();
  return side(started, ran);
}

/**
 * pg-boss on the same database. `kicked`: its worker is woken after each commit
 * (`notifyWorker`, as Baton's outbox is kicked); otherwise it only polls — and a pg-boss 10
 * worker waits out its polling interval after every fetch, full batch or not.
 */
async function pgBossSide(database: Database, url: string, kicked: boolean): Promise<Side & { readonly version: string }> {
  const { default: PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: url, max: 4 });
  boss.on('error', (error: unknown) => console.error('pg-boss:', error));
  await boss.start();
  const queue = kicked ? 'bench-kicked' : 'bench-polled';
  await boss.createQueue(queue);
  const ran = new Float64Array(N);
  let count = 0;
  const workerId = await boss.work<{ i: number }>(queue, { batchSize: 100, pollingIntervalSeconds: 0.5 }, async (jobs) => {
    for (const job of jobs) {
      if (ran[job.data.i] === 0) count += 1;
      ran[job.data.i] = performance.now() * 1e6;
    }
  });
  const started = await enqueueAll(async (i) => {
    await withTransaction(database, async (trx) => {
      await sql`insert into bench_state (i, side) values (${i}, ${queue})`.execute(trx);
      // The job joins the state change's transaction: pg-boss runs its INSERT on this connection.
      await boss.send(queue, { i }, { db: { executeSql: (text: string, values: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, values)) } });
    });
    if (kicked) boss.notifyWorker(workerId);
  });
  await waitUntil(() => count === N, 600_000);
  await boss.stop({ graceful: true, wait: true });
  const { createRequire } = await import('node:module');
  const version = (createRequire(import.meta.url)('pg-boss/package.json') as { version: string }).version;
  return { ...side(started, ran), version };
}

async function loadAverage(): Promise<number[]> {
  const os = await import('node:os');
  return os.loadavg().map((value) => round(value, 2));
}

export async function run(): Promise<void> {
  const name = `baton_bench_jobs_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = `${PG_URL}/${name}`;
  const database = await openDatabase(url, { migrate: true, poolSize: IN_FLIGHT + 4 });
  try {
    await sql`create table bench_state (i integer not null, side text not null, primary key (side, i))`.execute(database.db);
    const loadBefore = await loadAverage();
    const outbox = await outboxSide(database);
    console.log(`   outbox:  ${outbox.jobsPerSecond} jobs/s, enqueue→run p50 ${outbox.enqueueToRun.p50Us / 1000} ms, p99 ${outbox.enqueueToRun.p99Us / 1000} ms`);
    const boss = await pgBossSide(database, url, true);
    console.log(`   pg-boss, woken after each commit: ${boss.jobsPerSecond} jobs/s, enqueue→run p50 ${boss.enqueueToRun.p50Us / 1000} ms, p99 ${boss.enqueueToRun.p99Us / 1000} ms`);
    const polled = await pgBossSide(database, url, false);
    console.log(`   pg-boss, polling: ${polled.jobsPerSecond} jobs/s, enqueue→run p50 ${polled.enqueueToRun.p50Us / 1000} ms, p99 ${polled.enqueueToRun.p99Us / 1000} ms`);
    const loadAfter = await loadAverage();
    const file = writeResult('jobs', {
      command: 'npm run bench -- jobs',
      parameters: { jobs: N, inFlight: IN_FLIGHT, outboxPollMs: 1_000, pgBoss: { version: boss.version, batchSize: 100, pollingIntervalSeconds: 0.5 } },
      loadAverage: { before: loadBefore, after: loadAfter },
      outbox,
      pgBossWoken: boss,
      pgBossPolling: polled,
      ratios: {
        throughputOutboxOverPgBossWoken: round(outbox.jobsPerSecond / boss.jobsPerSecond, 2),
        p99PgBossWokenOverOutbox: round(boss.enqueueToRun.p99Us / outbox.enqueueToRun.p99Us, 2),
        throughputOutboxOverPgBossPolling: round(outbox.jobsPerSecond / polled.jobsPerSecond, 2),
        p99PgBossPollingOverOutbox: round(polled.enqueueToRun.p99Us / outbox.enqueueToRun.p99Us, 2),
      },
    });
    console.log(`   → ${file}`);
  } finally {
    await database.close();
    const cleanup = new pg.Client({ connectionString: `${PG_URL}/postgres` });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  }
}

if (isMain(import.meta.url)) await run();
