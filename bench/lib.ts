/**
 * What every benchmark program shares: a seeded PRNG (runs are repeatable, no Math.random),
 * latency summaries, the machine description and the result file writer.
 *
 * A result file is `bench/results/<name>.json`, pretty-printed with a stable key order so that a
 * person can diff two commits' numbers. Timings vary between runs; parameters and workload
 * facts (winning-rule spread, mismatches) must not.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { exportConfig } from '../src/config/export-config.js';
import { parseConfigText } from '../src/config/parse-config-text.js';
import { parseEnv } from '../src/platform/env.js';
import { createBaton, type Baton } from '../src/server.js';
import { applyValidatedConfig } from '../src/services/workspace/apply-validated-config.js';
import type { StartStream } from './http-client.js';
import { aWorkspace } from '../src/core/testing/factories.js';

/** mulberry32: small, fast, good enough to shape a workload; the same seed gives the same run. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `[[value, weight], …]`: weights need not add up to anything in particular. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of items) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return items[items.length - 1]![0];
  }

  /** `count` distinct items, in a random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) {
      const index = Math.floor(this.next() * pool.length);
      out.push(pool[index]!);
      pool.splice(index, 1);
    }
    return out;
  }
}

export interface LatencySummary {
  readonly samples: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly meanUs: number;
}

/** Nanosecond samples → microseconds, nearest-rank percentiles. */
export function summarise(nanoseconds: Float64Array): LatencySummary {
  const sorted = Float64Array.from(nanoseconds).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    samples: sorted.length,
    p50Us: us(at(0.5)),
    p90Us: us(at(0.9)),
    p99Us: us(at(0.99)),
    maxUs: us(sorted[sorted.length - 1] ?? 0),
    meanUs: us(sorted.length === 0 ? 0 : sum / sorted.length),
  };
}

function us(nanoseconds: number): number {
  return round(nanoseconds / 1000, 2);
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export interface Machine {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
  };
}

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** Writes `bench/results/<name>.json` (date and machine first) and returns its path. */
export function writeResult(name: string, body: Record<string, unknown>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${name}.json`;
  const document = { benchmark: name, date: new Date().toISOString(), machine: machine(), ...body };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

/** True when this module is the program node was started with (`node --import tsx bench/x.ts`). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && fileURLToPath(moduleUrl) === entry;
}

/** Agent ids of the API-desk workspace: agent-01, agent-02, … */
export function apiDeskAgentIds(agents: number): string[] {
  return Array.from({ length: agents }, (_, i) => `agent-${String(i + 1).padStart(2, '0')}`);
}

/**
 * The benchmarks' workspace: one always-open schedule, `agents` available agents that never hit
 * a cap, one least_busy team and queue, one API channel without an AI agent — so every new
 * conversation is handed off as it arrives — and one with the built-in AI agent, where a new
 * conversation without a message stays with the AI until something hands it off.
 */
export function apiDeskWorkspaceYaml(name: string, agents: number): string {
  const desk = aWorkspace()
    .withSettings({ name })
    .withSchedule('always', { 'mon-sun': ['00:00-24:00'] })
    .withTeam('desk', { name: 'Desk', strategy: 'least_busy' });
  apiDeskAgentIds(agents).forEach((id, i) =>
    desk.withAgent(id, { name: `Agent ${i + 1}`, email: `${id}@bench.test`, role: 'agent', schedule: 'always', status: 'available', capacity: { api: 100_000 }, teams: ['desk'] }),
  );
  return exportConfig(
    desk
      .withQueue('general', { name: 'General', team: 'desk' })
      .withChannel('api-in', { type: 'api', assistant: 'none', defaultRoute: { queue: 'general' } })
      .withChannel('api-bot', { type: 'api', assistant: 'builtin', defaultRoute: { queue: 'general' } })
      .withFallback({ destination: { queue: 'general' }, assignment: 'unassign_to_queue', message: false, notify: ['in_app'] })
      .config(),
  );
}

/** The bootstrap admin token of the benchmarks' servers. */
export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';

/**
 * A Baton on the SQLite file `file` with the API-desk workspace of `agents` agents applied, its
 * workers running, listening on a free loopback port: what every HTTP benchmark measures.
 */
export async function startApiDeskServer(file: string, name: string, agents: number): Promise<{ readonly baton: Baton; readonly base: string }> {
  // Request limits off: a benchmark is one client sending as fast as it can.
  const processEnv = { DATABASE_URL: `sqlite:${file}`, BATON_DEMO: '0', LOG_LEVEL: 'silent', BATON_ADMIN_TOKEN: BENCH_ADMIN_TOKEN, BATON_RATE_LIMITS: '0' };
  const baton = await createBaton({ env: parseEnv(processEnv), processEnv, workers: true });
  try {
    const parsed = parseConfigText(apiDeskWorkspaceYaml(name, agents), 'yaml', processEnv);
    if (!parsed.ok) throw new Error(`bench workspace is invalid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
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

/**
 * The client's stream of new conversations on the API desk's `api-in` channel, each handed off as
 * it arrives: `minCount` of them and at least `minSeconds`, numbered from `firstIndex` (each with
 * its own seeded contact, so passes of one run never repeat a conversation).
 */
export function handoffStream(seed: number, firstIndex: number, minCount: number, minSeconds: number): StartStream {
  return { kind: 'start', url: '/api/conversations', token: BENCH_ADMIN_TOKEN, channel: 'api-in', seed: seed + firstIndex, firstIndex, minCount, minSeconds };
}
