/**
 * The event-loop guard: while the slowest inputs known are processed (test/support/slow-inputs.ts:
 * long messages in eight widget conversations at once, ReDoS patterns in the rules, the largest
 * simulation, a large and deep workspace dry run), the process keeps answering. The longest
 * single block of the event loop is measured with perf_hooks' histogram in this process, which
 * is the server's, and `/healthz` is polled meanwhile.
 *
 * The goal is 100 ms (bench/event-loop.ts measures it, bench/results/event-loop.md); this test
 * asserts a stall ceiling of 500 ms instead, far above the goal so that a noisy machine does not
 * fail it, and far below the faults it guards against: each of them held the loop 1.1–3.6 s
 * (a backtracking regex, 3.6 s per message; 90 simulated messages of 20,000 characters, 3 s;
 * quadratic text scans of one long message, over a second).
 *
 * Not here: workspace documents near the 2 MB body limit (slow-inputs.ts LARGEST_WORKSPACE_INPUTS;
 * bench/results/event-loop.md). Their YAML parse held the loop longer than the ceiling; documents
 * of 32 KB and more are now read on a worker thread (config/parse-off-thread.ts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SLOW_INPUTS, percentile, watchEventLoop, workspaceWithRegexRules, type SlowInput, type Target } from '../support/slow-inputs.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** The longest the event loop may be held at once. Not the goal (100 ms): a ceiling. */
const STALL_CEILING_MS = 500;
/** Sends of an input before its stall counts as its own (see below). */
const ATTEMPTS = 3;

eachDialect('event-loop guard', (dialect) => {
  let t: TestApp;
  let target: Target;
  beforeAll(async () => {
    t = await startTestApp(dialect, { config: workspaceWithRegexRules() });
    await t.baton.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.baton.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    target = { base: `http://127.0.0.1:${address.port}`, admin: t.admin };
  });
  afterAll(async () => {
    await t.close();
  });

  it(`never holds the event loop ${STALL_CEILING_MS} ms for the slowest inputs, one by one and all at once`, async () => {
    const all: SlowInput = { name: 'all of them at once', send: async (to) => void (await Promise.all(SLOW_INPUTS.map((input) => input.send(to)))) };
    const lines: string[] = [];
    // Per input, the smallest block over its attempts that the process was busy for (see below).
    const best = new Map<string, number>();
    for (const input of [...SLOW_INPUTS, all]) {
      // A stall that is the input's recurs, and the process spends it working: a block of N ms
      // needs at least N ms of this process's CPU. One that is another process taking the cores
      // (a busy machine: the loop waited, using a fraction of that) is no stall of the input's.
      // So an input is sent again, up to ATTEMPTS times, until once it stays under the ceiling or
      // its round used less CPU than the ceiling. The faults this guards against fail every way.
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const watch = await watchEventLoop(target, () => input.send(target));
        expect(watch.healthzMs.length, input.name).toBeGreaterThan(0);
        const stall = Math.min(watch.maxBlockMs, watch.cpuMs);
        best.set(input.name, Math.min(best.get(input.name) ?? Infinity, stall));
        lines.push(
          `  ${Math.round(watch.maxBlockMs)} ms max block (${Math.round(watch.cpuMs)} ms CPU), /healthz p99 ${Math.round(percentile(watch.healthzMs, 0.99))} ms ` +
            `(max ${Math.round(Math.max(...watch.healthzMs))}, ${watch.healthzMs.length} polls): ${input.name}${attempt > 1 ? ` (attempt ${attempt})` : ''}`,
        );
        if (stall < STALL_CEILING_MS) break;
      }
    }
    console.log(`event-loop guard [${dialect}] (ceiling ${STALL_CEILING_MS} ms, goal 100 ms):\n${lines.join('\n')}`);
    for (const [input, maxBlockMs] of best) expect(Math.round(maxBlockMs), input).toBeLessThan(STALL_CEILING_MS);
    expect((await fetch(`${target.base}/healthz`)).status).toBe(200);
  }, 300_000);
});
