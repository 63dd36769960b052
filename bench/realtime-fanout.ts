/**
 * Realtime fan-out between processes (`REDIS_URL`): how long after a handoff's response an agent's
 * socket on the *other* process has the `handoff.completed` frame, next to a socket on the process
 * that handled the request — through Redis, while Redis is down (each process reads the stream
 * every half second), and after Redis is back.
 *
 * Two `createBaton`s (outbox workers running, as in production) on one throwaway PostgreSQL
 * database, each as its own process would be (own pool, hub, caches), in this one Node process;
 * a redis-server of the benchmark's own on a free port (killed and restarted for the phases). One
 * agent socket on each; HANDOFFS sequential handoffs per phase, all through B
 * (`POST /api/conversations` on the API desk's `api-in` channel: handed off as it arrives).
 * Delay = the frame's arrival on the socket minus the moment the client had the 201 body
 * (negative: the frame came first). The client shares the event loop with both servers, so
 * both delays include waiting for it; compare them with each other, within one run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import pg from 'pg';
import WebSocket from 'ws';
import { parseConfigText } from '../src/config/parse-config-text.js';
import { parseEnv } from '../src/platform/env.js';
import { createBaton, type Baton } from '../src/server.js';
import { createUserToken } from '../src/services/auth/authenticate.js';
import { applyValidatedConfig } from '../src/services/workspace/apply-validated-config.js';
import { apiDeskWorkspaceYaml, BENCH_ADMIN_TOKEN, isMain, round, writeResult } from './lib.js';

const PG_URL = process.env.BATON_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const HANDOFFS = Number(process.env.BATON_BENCH_HANDOFFS ?? 200);
const FRAME_TIMEOUT_MS = 35_000;

interface Summary {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

function summary(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { samples: sorted.length, p50Ms: round(at(0.5), 2), p90Ms: round(at(0.9), 2), p99Ms: round(at(0.99), 2), maxMs: round(sorted[sorted.length - 1] ?? 0, 2) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function startRedis(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${String(code)}): ${output}`)));
  });
}

function stopRedis(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Arrival times of `handoff.completed` by conversation, on one socket. */
async function watch(base: string, token: string): Promise<{ arrivals: Map<string, number>; wait(id: string): Promise<number>; close(): void }> {
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  const ws = await new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/realtime`, { headers: { authorization: `Bearer ${token}` } });
    socket.on('message', (raw) => {
      const at = performance.now();
      const frame = JSON.parse((raw as Buffer).toString('utf8')) as { type: string; conversationId: string | null };
      if (frame.type === 'stream.ready') return resolve(socket);
      if (frame.type !== 'handoff.completed' || frame.conversationId === null) return;
      arrivals.set(frame.conversationId, at);
      waiters.get(frame.conversationId)?.(at);
    });
    socket.on('error', reject);
  });
  return {
    arrivals,
    wait(id) {
      const known = arrivals.get(id);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no frame for ${id}`)), FRAME_TIMEOUT_MS);
        waiters.set(id, (at) => {
          clearTimeout(timer);
          waiters.delete(id);
          resolve(at);
        });
      });
    },
    close: () => ws.close(),
  };
}

async function readiness(base: string): Promise<string | undefined> {
  const response = await fetch(`${base}/readyz`);
  return ((await response.json()) as { redis?: string }).redis;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function run(): Promise<void> {
  const name = `baton_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const port = await freePort();
  let redis: ChildProcess | null = await startRedis(port);
  const processEnv = {
    DATABASE_URL: `${PG_URL}/${name}`,
    BATON_DEMO: '0',
    LOG_LEVEL: 'silent',
    BATON_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    BATON_RATE_LIMITS: '0',
    REDIS_URL: `redis://127.0.0.1:${port}`,
    BATON_REDIS_PREFIX: `baton-bench:${randomBytes(4).toString('hex')}:`,
  };
  const batons: Baton[] = [];
  const loadBefore = os.loadavg();
  try {
    const a = await createBaton({ env: parseEnv(processEnv), processEnv, workers: true });
    batons.push(a);
    const parsed = parseConfigText(apiDeskWorkspaceYaml('Fan-out desk', 10), 'yaml', processEnv);
    if (!parsed.ok) throw new Error('bench workspace is invalid');
    await applyValidatedConfig(a.ctx, { raw: parsed.raw, actor: 'bench' });
    const b = await createBaton({ env: parseEnv(processEnv), processEnv, workers: true });
    batons.push(b);
    const bases: string[] = [];
    for (const baton of batons) {
      await baton.app.listen({ host: '127.0.0.1', port: 0 });
      const address = baton.app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      bases.push(`http://127.0.0.1:${address.port}`);
    }
    const [baseA, baseB] = bases as [string, string];
    const agentToken = (await createUserToken(a.ctx, 'agent-01', { name: 'bench', scopes: ['read'] }, 'bench')).token;
    const onA = await watch(baseA, agentToken);
    const onB = await watch(baseB, agentToken);

    let counter = 0;
    async function phase(count: number): Promise<{ otherProcess: Summary; sameProcess: Summary }> {
      const other: number[] = [];
      const same: number[] = [];
      for (let i = 0; i < count; i++) {
        const n = counter++;
        const response = await fetch(`${baseB}/api/conversations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ channel: 'api-in', contact: { name: `Customer ${n}` }, message: `My invoice is wrong #${n}` }),
        });
        const body = (await response.json()) as { conversation?: { id?: string } };
        const respondedAt = performance.now();
        const id = body.conversation?.id;
        if (response.status !== 201 || id === undefined) throw new Error(`handoff answered ${response.status}`);
        const [atA, atB] = await Promise.all([onA.wait(id), onB.wait(id)]);
        other.push(atA - respondedAt);
        same.push(atB - respondedAt);
      }
      return { otherProcess: summary(other), sameProcess: summary(same) };
    }

    await phase(20); // warm-up
    const throughRedis = await phase(HANDOFFS);
    await stopRedis(redis);
    redis = null;
    await until('both degraded', async () => (await readiness(baseA)) === 'degraded' && (await readiness(baseB)) === 'degraded');
    const redisDown = await phase(Math.ceil(HANDOFFS / 2));
    redis = await startRedis(port);
    const restartedAt = performance.now();
    await until('both ok', async () => (await readiness(baseA)) === 'ok' && (await readiness(baseB)) === 'ok');
    const recoveredAfterMs = round(performance.now() - restartedAt, 0);
    const redisBack = await phase(Math.ceil(HANDOFFS / 2));
    onA.close();
    onB.close();

    const results = { throughRedis, redisDown, redisBack, recoveredAfterMs };
    const file = writeResult('realtime-fanout', {
      parameters: {
        processes: 'two createBaton (workers: true) on one throwaway PostgreSQL database, in one Node process; the client there too',
        redis: "a redis-server of the benchmark's own (--save ''), SIGKILLed for the redisDown phase and started again",
        handoff: 'POST /api/conversations through B (api-in channel, assistant none: handed off on arrival); one at a time',
        delay: "the agent socket's handoff.completed frame minus the 201 body read; otherProcess: the socket on A, sameProcess: the socket on B",
        handoffsPerPhase: { throughRedis: HANDOFFS, redisDown: Math.ceil(HANDOFFS / 2), redisBack: Math.ceil(HANDOFFS / 2) },
      },
      loadAverage: { before: loadBefore.map((x) => round(x, 2)), after: os.loadavg().map((x) => round(x, 2)) },
      results,
    });
    console.log(JSON.stringify(results, null, 2));
    console.log(`   wrote ${file}`);
  } finally {
    for (const baton of batons.reverse()) await baton.close();
    if (redis !== null) await stopRedis(redis);
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

if (isMain(import.meta.url)) await run();
