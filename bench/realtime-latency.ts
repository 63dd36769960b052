/**
 * Realtime latency: from a handoff's HTTP response (its transaction committed) to the agent's
 * WebSocket frame announcing it.
 *
 * The real server (`createBaton`, outbox worker and backlog assigner running as in production) on
 * a fresh SQLite file, listening on loopback. One agent connects to `GET /api/realtime` with the
 * `ws` client. Each handoff is `POST /api/conversations` on an `api` channel with
 * `assistant: none` (handed off as it arrives, `no_assistant`, and assigned by least_busy in one
 * transaction). The path measured: commit → `afterCommit` kicks the outbox worker → the
 * `conversation.published` job publishes the conversation's stream rows under the stream lock and
 * commits → `onDone` wakes the hub → the agent's connection reads the stream after its last seq
 * → the frame crosses the socket → the client parses it.
 *
 * Two phases of HANDOFFS each: one request at a time (the latency of a quiet desk) and
 * CONCURRENCY in flight (a busy one: the worker drains batches, the socket carries many frames).
 * Delay = arrival of the agent's `handoff.completed` (and `conversation.assigned`) frame minus
 * the moment the client had the 201 body. A frame may beat the response body to the client (the
 * worker is kicked at commit, before the response is written): such delays are negative and are
 * kept as they are.
 *
 * The client (fetch + the `ws` socket) runs in a worker thread of the same process: the server's
 * SQLite calls are synchronous, and a client on the server's event loop would only read its socket
 * after the server's next jobs (that measured 33 ms p50 instead of 8). Times are wall-clock
 * (timeOrigin + performance.now()), comparable between the threads. Each delay is also split at
 * the publisher's wake-up of the hub: before it, the outbox path (kick, claim, one transaction
 * per outbox row); after it, the realtime path (stream read, socket).
 */
import { existsSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import type { Baton } from '../src/server.js';
import { createUserToken } from '../src/services/auth/authenticate.js';
import { isMain, round, startApiDeskServer, BENCH_ADMIN_TOKEN, writeResult } from './lib.js';

const AGENTS = 10;
const WARMUP = 100;
const HANDOFFS = 1_000;
const CONCURRENCY = 16;
const FRAME_TIMEOUT_MS = 30_000;
const ADMIN_TOKEN = BENCH_ADMIN_TOKEN;


interface Summary {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly minMs: number;
  readonly meanMs: number;
}

function summary(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length);
  return {
    samples: sorted.length,
    p50Ms: round(at(0.5), 3),
    p90Ms: round(at(0.9), 3),
    p99Ms: round(at(0.99), 3),
    maxMs: round(sorted[sorted.length - 1] ?? 0, 3),
    minMs: round(sorted[0] ?? 0, 3),
    meanMs: round(mean, 3),
  };
}

/** Wall-clock ms with sub-ms precision, comparable between threads (each has its own timeOrigin). */
const nowMs = (): number => performance.timeOrigin + performance.now();

// ── the client, in a worker thread ────────────────────────────────────────────────────────────
// better-sqlite3 is synchronous: a commit's fsync blocks the server's event loop. A client on
// that same loop would read its socket only after the server's next jobs, and measure them; in
// its own thread it sees the frame when the server sends it, as a browser would.

interface ClientJob {
  readonly role: 'realtime-latency-client';
  readonly base: string;
  readonly agentToken: string;
  readonly adminToken: string;
  readonly phases: readonly { readonly count: number; readonly inFlight: number }[];
}

interface Sample {
  readonly respondedAt: number;
  readonly completedAt: number;
  readonly completedSeq: number;
  readonly assignedAt: number;
}

interface ClientReport {
  readonly phases: { readonly samples: Sample[]; readonly seconds: number }[];
  readonly framesReceived: number;
  readonly framesOutOfOrder: number;
}

interface Arrival {
  completedAt: number | null;
  completedSeq: number;
  assignedAt: number | null;
  wake: (() => void) | null;
}

async function runClient(job: ClientJob): Promise<ClientReport> {
  const arrivals = new Map<string, Arrival>();
  let frames = 0;
  let lastSeq = 0;
  let outOfOrder = 0;
  const arrivalOf = (id: string): Arrival => {
    let arrival = arrivals.get(id);
    if (arrival === undefined) arrivals.set(id, (arrival = { completedAt: null, completedSeq: 0, assignedAt: null, wake: null }));
    return arrival;
  };

  const socket = await new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${job.base.replace('http', 'ws')}/api/realtime`, { headers: { authorization: `Bearer ${job.agentToken}` } });
    ws.on('message', (raw) => {
      const at = nowMs();
      const frame = JSON.parse((raw as Buffer).toString('utf8')) as { seq: number; type: string; conversationId: string | null };
      frames += 1;
      if (frame.type === 'stream.ready') return resolve(ws);
      if (frame.type !== 'typing') {
        if (frame.seq <= lastSeq) outOfOrder += 1;
        lastSeq = frame.seq;
      }
      if (frame.conversationId === null || (frame.type !== 'handoff.completed' && frame.type !== 'conversation.assigned')) return;
      const arrival = arrivalOf(frame.conversationId);
      if (frame.type === 'handoff.completed' && arrival.completedAt === null) {
        arrival.completedAt = at;
        arrival.completedSeq = frame.seq;
      } else if (frame.type === 'conversation.assigned') arrival.assignedAt ??= at;
      if (arrival.completedAt !== null && arrival.assignedAt !== null) arrival.wake?.();
    });
    ws.on('error', reject);
    ws.on('unexpected-response', (_req, res) => reject(new Error(`realtime refused: HTTP ${res.statusCode}`)));
  });

  let counter = 0;
  async function handoff(): Promise<Sample> {
    const i = counter++;
    const response = await fetch(`${job.base}/api/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${job.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'api-in', contact: { name: `Customer ${i}` }, message: `My invoice is wrong #${i}` }),
    });
    const body = (await response.json()) as { conversation?: { id?: string } };
    const respondedAt = nowMs();
    const id = body.conversation?.id;
    if (response.status !== 201 || id === undefined) throw new Error(`handoff answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    const arrival = arrivalOf(id);
    if (arrival.completedAt === null || arrival.assignedAt === null) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no handoff.completed/conversation.assigned frame for ${id} within ${FRAME_TIMEOUT_MS} ms`)), FRAME_TIMEOUT_MS);
        arrival.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    arrivals.delete(id);
    return { respondedAt, completedAt: arrival.completedAt!, completedSeq: arrival.completedSeq, assignedAt: arrival.assignedAt! };
  }

  const phases: ClientReport['phases'] = [];
  for (const { count, inFlight } of job.phases) {
    const samples: Sample[] = [];
    let started = 0;
    const t0 = nowMs();
    const lane = async (): Promise<void> => {
      while (started < count) {
        started += 1;
        samples.push(await handoff());
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
    phases.push({ samples, seconds: round((nowMs() - t0) / 1000, 3) });
  }
  socket.close();
  return { phases, framesReceived: frames, framesOutOfOrder: outOfOrder };
}

function startClient(job: ClientJob): Promise<ClientReport> {
  // tsx's loader does not reach a worker's entry module by itself: register it, then import us.
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(code, { eval: true, workerData: job });
  return new Promise((resolve, reject) => {
    worker.once('message', (report: ClientReport) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`client thread exited with ${code}`))));
  });
}

// ── the server, in the main thread ────────────────────────────────────────────────────────────

interface PhaseResult {
  readonly handoffCompleted: Summary;
  readonly conversationAssigned: Summary;
  /** Response → the publisher's wake-up of the hub (the outbox path: kick, claim, jobs, commit). */
  readonly responseToPublish: Summary;
  /** The publisher's wake-up → the frame at the client (hub, stream read, socket). */
  readonly publishToFrame: Summary;
  readonly seconds: number;
}

interface StoreResult {
  readonly sequential: PhaseResult;
  readonly concurrent: PhaseResult;
  readonly framesReceived: number;
  readonly framesOutOfOrder: number;
}

async function measure(root: string): Promise<StoreResult> {
  const dir = mkdtempSync(path.join(root, 'baton-realtime-bench-'));
  const file = path.join(dir, 'baton.db');
  let baton: Baton | null = null;
  try {
    const started = await startApiDeskServer(file, 'Realtime bench', AGENTS);
    baton = started.baton;
    const server = started.baton;
    const agentToken = (await createUserToken(server.ctx, 'agent-01', { name: 'bench', scopes: ['read', 'write'] }, 'bench')).token;

    // The publisher's wake-ups as the hub sees them (seq, when), to split each delay in two.
    const notices: { seq: number; at: number }[] = [];
    server.hub.subscribe({ audiences: ['agents'], onNotice: (notice) => notices.push({ seq: notice.seq, at: nowMs() }), onEphemeral: () => undefined });
    const publishedAt = (seq: number): number | null => notices.find((n) => n.seq >= seq)?.at ?? null;

    const report = await startClient({
      role: 'realtime-latency-client',
      base: started.base,
      agentToken,
      adminToken: ADMIN_TOKEN,
      phases: [
        { count: WARMUP, inFlight: 1 },
        { count: HANDOFFS, inFlight: 1 },
        { count: HANDOFFS, inFlight: CONCURRENCY },
      ],
    });
    const result = (phase: ClientReport['phases'][number] | undefined): PhaseResult => {
      const samples = phase?.samples ?? [];
      const published = samples.map((s) => publishedAt(s.completedSeq) ?? s.completedAt);
      return {
        handoffCompleted: summary(samples.map((s) => s.completedAt - s.respondedAt)),
        conversationAssigned: summary(samples.map((s) => s.assignedAt - s.respondedAt)),
        responseToPublish: summary(samples.map((s, i) => published[i]! - s.respondedAt)),
        publishToFrame: summary(samples.map((s, i) => s.completedAt - published[i]!)),
        seconds: phase?.seconds ?? 0,
      };
    };
    return { sequential: result(report.phases[1]), concurrent: result(report.phases[2]), framesReceived: report.framesReceived, framesOutOfOrder: report.framesOutOfOrder };
  } finally {
    if (baton !== null) await baton.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const TMPFS_MAGIC = 0x01021994;

export async function run(): Promise<void> {
  const stores: Record<string, { directory: string; tmpfs: boolean; results: StoreResult }> = {};
  const roots: [string, string][] = [['disk', os.tmpdir()]];
  // The same run on a RAM-backed file shows what is left when each commit's fsync costs nothing.
  if (existsSync('/dev/shm') && statfsSync('/dev/shm').type === TMPFS_MAGIC) roots.push(['tmpfs', '/dev/shm']);
  for (const [name, root] of roots) {
    stores[name] = { directory: root, tmpfs: statfsSync(root).type === TMPFS_MAGIC, results: await measure(root) };
  }

  const written = writeResult('realtime-latency', {
    parameters: {
      server: 'createBaton in-process, workers: true, LOG_LEVEL silent, listening on 127.0.0.1; SQLite WAL synchronous=FULL on a fresh file',
      client: "fetch for the handoffs and one `ws` WebSocket (agent-01's API token) on GET /api/realtime, in the same process",
      workspace: `${AGENTS} available agents, one least_busy team and queue, channel api-in (type api, assistant none); fallback notify [in_app]`,
      handoff: 'POST /api/conversations {channel: api-in, contact, message} with the admin token; 201 = committed and assigned',
      warmup: WARMUP,
      handoffsPerPhase: HANDOFFS,
      phases: { sequential: '1 request in flight', concurrent: `${CONCURRENCY} requests in flight` },
      delay: 'performance.now() at the agent frame minus performance.now() once the 201 body was read (negative: the frame came first)',
      split: 'responseToPublish: until the hub got the publisher wake-up covering the frame (outbox kick, claim, jobs, commit); publishToFrame: from there to the client (stream read, socket)',
    },
    results: stores,
  });

  const line = (name: string, s: Summary): string => `    ${name.padEnd(36)} p50 ${s.p50Ms} ms  p90 ${s.p90Ms} ms  p99 ${s.p99Ms} ms  max ${s.maxMs} ms  (min ${s.minMs} ms)`;
  console.log(`realtime-latency: 201 response → agent's WebSocket frame, SQLite synchronous=FULL, ${HANDOFFS} handoffs per phase`);
  for (const [name, store] of Object.entries(stores)) {
    const { sequential, concurrent } = store.results;
    console.log(`  ${name} (${store.directory})`);
    console.log(line('1 in flight: handoff.completed', sequential.handoffCompleted));
    console.log(line('  response → publisher commit', sequential.responseToPublish));
    console.log(line('  publisher commit → frame', sequential.publishToFrame));
    console.log(line(`${CONCURRENCY} in flight: handoff.completed`, concurrent.handoffCompleted));
    console.log(line('  response → publisher commit', concurrent.responseToPublish));
    console.log(line('  publisher commit → frame', concurrent.publishToFrame));
    console.log(`    frames ${store.results.framesReceived}, out of order ${store.results.framesOutOfOrder}`);
  }
  console.log(`  → ${path.relative(process.cwd(), written)}`);
}

const clientJob = workerData as ClientJob | null;
if (!isMainThread && clientJob?.role === 'realtime-latency-client') parentPort?.postMessage(await runClient(clientJob));
else if (isMainThread && isMain(import.meta.url)) await run();
