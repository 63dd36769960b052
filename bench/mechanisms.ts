/**
 * Each fast-path mechanism of the SQLite store (src/store/transactions/fast-paths.ts), weighed by
 * the handoff benchmark's headline number: sustained handoffs/s over HTTP (bench/handoff-http.ts,
 * phase 1 only: `POST /api/conversations` handed off on arrival, the outbox drained after the
 * phase). For each mechanism, pairs of runs with it on and off, back to back in this one process,
 * each on a fresh database file with a fresh server; the order inside a pair alternates (on/off,
 * off/on, …) so that a machine that speeds up or slows down over the run favours neither side.
 * The gain is read from the ratio of each pair, not from absolute rates: this machine's two cores
 * are shared and its speed drifts from minute to minute. Beside the rate, each run reports the
 * server thread's CPU time per handoff (phase and drain; /proc/self/task/<pid>/stat), which other
 * processes on the machine disturb less: the server is CPU-bound on one thread, so the inverse of
 * that time is the rate it could sustain alone (group commit's gain, an fsync saved, is wait,
 * not CPU: read the rate for it).
 *
 * `npm run bench -- mechanisms`; MECHANISMS=a,b picks some, PAIRS=n sets the pairs per mechanism.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Baton } from '../src/server.js';
import { fastPaths, type FastPath } from '../src/store/transactions/fast-paths.js';
import { waitForOutbox } from './handoff-http.js';
import { startHttpClient, type HttpClient, type StartStream } from './http-client.js';
import { isMain, round, startApiDeskServer, handoffStream, writeResult } from './lib.js';

const SEED = 20_260_102;
const AGENTS = 50;
const CONCURRENCY = 32;
const WARMUP_HANDOFFS = 300;
const MIN_HANDOFFS = 2_500;
const MIN_SECONDS = 6;
const OUTBOX_DRAIN_TIMEOUT_MS = 60_000;
const DEFAULT_PAIRS = 3;

interface RunResult {
  readonly on: boolean;
  readonly handoffs: number;
  readonly requestsPerSecond: number;
  readonly sustainedPerSecond: number;
  readonly drainedInMs: number | null;
  readonly non201: number;
  /** Server (main) thread CPU per handoff over the phase and the drain, ms. */
  readonly cpuMsPerHandoff: number;
}

/** The main thread's user + system CPU time, ms (Linux; clock ticks of 10 ms). */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5), counted after the ")" that ends field 2.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function oneRun(client: HttpClient): Promise<Omit<RunResult, 'on'>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-bench-mechanisms-'));
  const file = path.join(dir, 'baton.db');
  let baton: Baton | null = null;
  try {
    const started = await startApiDeskServer(file, 'Mechanisms bench', AGENTS);
    baton = started.baton;
    const base = started.base;
    const stream = (firstIndex: number, minCount: number, minSeconds: number): StartStream => handoffStream(SEED, firstIndex, minCount, minSeconds);
    await client.run(base, CONCURRENCY, stream(0, WARMUP_HANDOFFS, 0));
    await waitForOutbox(file, OUTBOX_DRAIN_TIMEOUT_MS);
    const cpuBefore = mainThreadCpuMs();
    const phase = await client.run(base, CONCURRENCY, stream(WARMUP_HANDOFFS, MIN_HANDOFFS, MIN_SECONDS));
    const drained = await waitForOutbox(file, OUTBOX_DRAIN_TIMEOUT_MS);
    const cpuMs = mainThreadCpuMs() - cpuBefore;
    const sustainedSeconds = phase.seconds + (drained.drainedInMs ?? OUTBOX_DRAIN_TIMEOUT_MS) / 1000;
    return {
      handoffs: phase.samples.length,
      requestsPerSecond: Math.round(phase.samples.length / phase.seconds),
      sustainedPerSecond: Math.round(phase.samples.length / sustainedSeconds),
      drainedInMs: drained.drainedInMs,
      non201: phase.samples.filter((sample) => sample.status !== 201).length,
      cpuMsPerHandoff: round(cpuMs / phase.samples.length, 3),
    };
  } finally {
    if (baton !== null) await baton.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const all = Object.keys(fastPaths) as FastPath[];
  const picked = process.env.MECHANISMS === undefined ? all : (process.env.MECHANISMS.split(',').filter((name) => all.includes(name as FastPath)) as FastPath[]);
  const pairs = Math.max(1, Number(process.env.PAIRS ?? DEFAULT_PAIRS));
  const client = startHttpClient();
  const results: Record<string, unknown> = {};
  console.log(`mechanisms: sustained handoffs/s with each mechanism on and off, ${pairs} pairs each, order alternating`);
  try {
    for (const mechanism of picked) {
      const runs: RunResult[] = [];
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      for (let pair = 0; pair < pairs; pair++) {
        const order = pair % 2 === 0 ? [true, false] : [false, true];
        const got = new Map<boolean, RunResult>();
        for (const on of order) {
          for (const key of all) fastPaths[key] = true;
          fastPaths[mechanism] = on;
          const result = { on, ...(await oneRun(client)) };
          runs.push(result);
          got.set(on, result);
        }
        for (const key of all) fastPaths[key] = true;
        const on = got.get(true)!;
        const off = got.get(false)!;
        ratios.push(on.sustainedPerSecond / off.sustainedPerSecond);
        cpuRatios.push(off.cpuMsPerHandoff / on.cpuMsPerHandoff);
        console.log(
          `  ${mechanism.padEnd(20)} pair ${pair + 1}: on ${on.sustainedPerSecond}/s ${on.cpuMsPerHandoff} ms  off ${off.sustainedPerSecond}/s ${off.cpuMsPerHandoff} ms` +
            `  rate on/off ${round(on.sustainedPerSecond / off.sustainedPerSecond, 3)}  cpu off/on ${round(off.cpuMsPerHandoff / on.cpuMsPerHandoff, 3)}`,
        );
      }
      const median = medianOf(ratios);
      const cpuMedian = medianOf(cpuRatios);
      results[mechanism] = {
        runs,
        rateRatios: ratios.map((r) => round(r, 4)),
        medianRateRatio: round(median, 4),
        rateGainPercent: round((median - 1) * 100, 1),
        cpuRatios: cpuRatios.map((r) => round(r, 4)),
        medianCpuRatio: round(cpuMedian, 4),
        cpuGainPercent: round((cpuMedian - 1) * 100, 1),
      };
      console.log(`  ${mechanism.padEnd(20)} median gain: rate ${round((median - 1) * 100, 1)}%, server CPU per handoff ${round((cpuMedian - 1) * 100, 1)}%`);
    }
  } finally {
    await client.close();
    for (const key of all) fastPaths[key] = true;
  }
  const written = writeResult('mechanisms', {
    parameters: {
      seed: SEED,
      agents: AGENTS,
      concurrency: CONCURRENCY,
      warmup: WARMUP_HANDOFFS,
      phase: `at least ${MIN_HANDOFFS} handoffs and ${MIN_SECONDS} s, then the outbox drained ("sustained")`,
      pairs,
      order: 'on/off, off/on, … alternating; a fresh SQLite file and server per run, one process',
      server: 'createBaton in-process, workers on, LOG_LEVEL silent; client: node:http in a worker thread (bench/http-client.ts)',
    },
    results,
  });
  console.log(`  → ${path.relative(process.cwd(), written)}`);
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

if (isMain(import.meta.url)) await run();
