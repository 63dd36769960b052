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
 * Not here: workspace documents near the 2 MB body limit, whose YAML parse alone holds the loop
 * longer than the ceiling (slow-inputs.ts LARGEST_WORKSPACE_INPUTS; bench/results/event-loop.md).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SLOW_INPUTS, percentile, watchEventLoop, workspaceWithRegexRules, type Target } from '../support/slow-inputs.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** The longest the event loop may be held at once. Not the goal (100 ms): a ceiling. */
const STALL_CEILING_MS = 500;

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
    const measured: Array<{ input: string; maxBlockMs: number; cpuMs: number; healthzP99Ms: number; healthzMaxMs: number; polls: number }> = [];
    const record = (input: string, watch: Awaited<ReturnType<typeof watchEventLoop>>) =>
      measured.push({
        input,
        maxBlockMs: Math.round(watch.maxBlockMs),
        cpuMs: Math.round(watch.cpuMs),
        healthzP99Ms: Math.round(percentile(watch.healthzMs, 0.99)),
        healthzMaxMs: Math.round(Math.max(0, ...watch.healthzMs)),
        polls: watch.healthzMs.length,
      });
    for (const input of SLOW_INPUTS) record(input.name, await watchEventLoop(target, () => input.send(target)));
    record('all of them at once', await watchEventLoop(target, async () => void (await Promise.all(SLOW_INPUTS.map((input) => input.send(target))))));

    console.log(`event-loop guard [${dialect}] (ceiling ${STALL_CEILING_MS} ms, goal 100 ms):\n${measured.map((m) => `  ${m.maxBlockMs} ms max block (${m.cpuMs} ms CPU), /healthz p99 ${m.healthzP99Ms} ms (max ${m.healthzMaxMs}, ${m.polls} polls): ${m.input}`).join('\n')}`);
    for (const m of measured) {
      expect(m.polls, m.input).toBeGreaterThan(0);
      expect(m.maxBlockMs, m.input).toBeLessThan(STALL_CEILING_MS);
    }
    expect((await fetch(`${target.base}/healthz`)).status).toBe(200);
  }, 300_000);
});
