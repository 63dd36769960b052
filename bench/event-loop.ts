/**
 * How long the slowest inputs known hold the event loop, and how long `GET /healthz` waits
 * meanwhile, against the goal of 100 ms (issue 17). The inputs are the event-loop guard's
 * (test/support/slow-inputs.ts): each alone, then all at once, `ROUNDS` times, on a Baton in
 * this process (createBaton, SQLite file, workers on, LOG_LEVEL silent) listening on 127.0.0.1.
 * The test bounds a stall at 500 ms; this program reports the numbers: bench/results/event-loop.json.
 *
 * `node --import tsx bench/event-loop.ts [filter]` runs only the inputs whose name contains filter
 * (with `--cpu-prof` to see where a block goes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfigText } from '../src/config/parse-config-text.js';
import { parseEnv } from '../src/platform/env.js';
import { hashPassword } from '../src/platform/secrets.js';
import { createBaton } from '../src/server.js';
import { applyValidatedConfig } from '../src/services/workspace/apply-validated-config.js';
import { setPasswordHash } from '../src/store/repositories/users.js';
import { LARGEST_WORKSPACE_INPUTS, SLOW_INPUTS, percentile, watchEventLoop, workspaceWithRegexRules, type SlowInput, type Target } from '../test/support/slow-inputs.js';
import { BENCH_ADMIN_TOKEN, isMain, round, writeResult } from './lib.js';

const ROUNDS = 5;
const GOAL_MS = 100;

interface Row {
  readonly input: string;
  readonly rounds: number;
  readonly maxBlockMs: number;
  /** CPU time of this process per round (server and client), mean over the rounds. */
  readonly cpuMsPerRound: number;
  readonly healthz: { readonly polls: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  readonly withinGoal: boolean;
}

export async function run(filter?: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-bench-event-loop-'));
  const processEnv = {
    DATABASE_URL: `sqlite:${path.join(dir, 'baton.db')}`,
    BATON_DEMO: '0',
    LOG_LEVEL: 'silent',
    BATON_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    BATON_RATE_LIMITS: '0',
    // What `${VAR}` in the example workspace reads (as test/support/test-app.ts's EXAMPLE_ENV).
    SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/slack',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  };
  const baton = await createBaton({ env: parseEnv(processEnv), processEnv, workers: true });
  try {
    const parsed = parseConfigText(workspaceWithRegexRules(), 'yaml', processEnv);
    if (!parsed.ok) throw new Error(`workspace invalid: ${JSON.stringify(parsed.problems)}`);
    await applyValidatedConfig(baton.ctx, { raw: parsed.raw, actor: 'bench' });
    const hash = await hashPassword('bench-password');
    for (const user of parsed.config.users) await setPasswordHash(baton.ctx.database.db, user.id, hash);
    await baton.app.listen({ host: '127.0.0.1', port: 0 });
    const address = baton.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const target: Target = { base: `http://127.0.0.1:${address.port}`, admin: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` } };

    const all: SlowInput = { name: 'all of them at once', send: async (t) => void (await Promise.all(SLOW_INPUTS.map((input) => input.send(t)))) };
    const inputs = [...SLOW_INPUTS, all, ...LARGEST_WORKSPACE_INPUTS].filter((input) => filter === undefined || input.name.includes(filter));
    // One round unmeasured: the first request of each kind compiles and caches.
    for (const input of inputs) await input.send(target);
    const loadBefore = os.loadavg().map((load) => round(load, 1));
    const rows: Row[] = [];
    for (const input of inputs) {
      let maxBlockMs = 0;
      let cpuMs = 0;
      const healthzMs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const watch = await watchEventLoop(target, () => input.send(target));
        maxBlockMs = Math.max(maxBlockMs, watch.maxBlockMs);
        cpuMs += watch.cpuMs;
        healthzMs.push(...watch.healthzMs);
      }
      const row: Row = {
        input: input.name,
        rounds: ROUNDS,
        maxBlockMs: round(maxBlockMs, 1),
        cpuMsPerRound: round(cpuMs / ROUNDS, 1),
        healthz: { polls: healthzMs.length, p50Ms: round(percentile(healthzMs, 0.5), 1), p99Ms: round(percentile(healthzMs, 0.99), 1), maxMs: round(Math.max(0, ...healthzMs), 1) },
        withinGoal: maxBlockMs <= GOAL_MS,
      };
      rows.push(row);
      console.log(`   ${String(row.maxBlockMs).padStart(7)} ms max block | ${row.cpuMsPerRound} ms CPU a round | /healthz p50 ${row.healthz.p50Ms} p99 ${row.healthz.p99Ms} max ${row.healthz.maxMs} ms (${row.healthz.polls} polls) | ${row.input}`);
    }
    if (filter !== undefined) return;
    const file = writeResult('event-loop', {
      parameters: {
        server: 'createBaton in-process, workers: true, LOG_LEVEL silent, BATON_RATE_LIMITS=0, listening on 127.0.0.1; SQLite WAL on a fresh file',
        workspace: 'test/fixtures/config-example.yaml plus one handoff rule per ReDoS pattern (message.text matches)',
        inputs: 'test/support/slow-inputs.ts SLOW_INPUTS, each alone, then all at once; one unmeasured round first',
        rounds: ROUNDS,
        maxBlock: 'perf_hooks.monitorEventLoopDelay({resolution: 10}).max minus the resolution, over the rounds',
        cpu: 'process.cpuUsage() (user + system) over each round, mean: the work, less stretched by other processes than the blocks',
        healthz: 'GET /healthz polled back to back (5 ms pause) with fetch from the same process meanwhile; round trip in ms',
        goalMs: GOAL_MS,
      },
      // Wall-clock numbers: on a shared machine other processes' work lands inside the blocks.
      loadAverage1m: { before: loadBefore[0], after: round(os.loadavg()[0]!, 1) },
      results: rows,
    });
    console.log(`   wrote ${file}`);
  } finally {
    await baton.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await run(process.argv[2]);
