/**
 * The fuzzer (issue 17's probe, kept): every operation of /api/openapi.json gets requests made
 * with fast-check from its own schemas — right-shaped values, and the same values with a wrong
 * type, a field missing, fields nobody declared (`__proto__` …), strings beyond the body limit,
 * nesting beyond 64 levels, hostile unicode, numbers at their edges, bodies that are not JSON
 * (test/support/fuzz-requests.ts). Whatever comes in, Baton answers: never a 5xx, every error in
 * the usual shape, none slower than 2 s (a hang detector, not a benchmark: bench/ measures speed),
 * and the memory it took is given back.
 *
 * Fixed seed and a small budget here; `npm run fuzz` runs many more with a seed of its own and
 * prints it. To replay a failure: BATON_FUZZ_SEED=<seed> BATON_FUZZ_RUNS=<runs> and, to narrow
 * it, BATON_FUZZ_ONLY='<METHOD /path>'; BATON_FUZZ_LOG=1 prints the server's error log.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ErrorBody } from '../../src/contract/common.js';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { applyValidatedConfig } from '../../src/services/workspace/apply-validated-config.js';
import { apiOperations, callerHeaders, type ApiOperation } from '../support/api-operations.js';
import { requestsFor, type FuzzRequest, type KnownIds } from '../support/fuzz-requests.js';
import { EXAMPLE_CONFIG, EXAMPLE_ENV, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** Requests per operation. The default keeps this file near a minute per database on a slow CI machine. */
const RUNS = Number(process.env.BATON_FUZZ_RUNS ?? 12);
const SEED = Number(process.env.BATON_FUZZ_SEED ?? 17_2026);
const ONLY = process.env.BATON_FUZZ_ONLY;
/** The issue's stall ceiling: any single answer slower than this is a hang. */
const STALL_MS = 2_000;
/** Heap the run may keep after a full collection (caches filled, code compiled), bytes. */
const HEAP_MARGIN = 64 * 1024 * 1024;

/**
 * Operations that get only made-up ids, never the world's own: with a real one, a right-shaped
 * request legitimately ends what the rest of the run stands on. Each with its reason. None so far:
 * the run's requests use the bootstrap token, which nothing revokes, the workspace is re-applied
 * after every operation that may change it, and the check after each operation names the one
 * that ended the world, to be listed here.
 */
const MADE_UP_IDS_ONLY: Readonly<Record<string, string>> = {};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapAfterCollection(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const summary = (request: FuzzRequest) => `${request.method} ${request.url.slice(0, 160)} — ${request.how}${request.payload === undefined ? '' : ` — ${request.payload.slice(0, 200)}`}`;

eachDialect('fuzzing every operation', (dialect) => {
  let t: TestApp;
  let operations: ApiOperation[];
  let customer: Record<string, string>;
  let known: KnownIds;
  let heapBefore: number;

  /** The workspace as the run started: re-applied after each operation that may have changed it. */
  const example = parseConfigText(EXAMPLE_CONFIG, 'yaml', EXAMPLE_ENV);
  const restore = async () => {
    if (!example.ok) throw new Error('the example workspace is invalid');
    await applyValidatedConfig(t.baton.ctx, { raw: example.raw, actor: 'test' });
  };

  beforeAll(async () => {
    t = await startTestApp(dialect, process.env.BATON_FUZZ_LOG === '1' ? { env: { LOG_LEVEL: 'error' } } : {});
    operations = (await apiOperations(t)).filter((operation) => ONLY === undefined || operation.key === ONLY);
    customer = (await callerHeaders(t)).customer;
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers: customer, payload: { message: 'I need help with my invoice' } });
    const conversation = started.data.conversation.id as string;
    const task = await t.request({ method: 'POST', url: '/api/tasks', headers: t.admin, payload: { type: 'callback', assignee: 'ana', conversation } });
    const reply = await t.request({ method: 'POST', url: '/api/saved-replies', headers: await t.tokenFor('olu'), payload: { title: 'Thanks', shortcut: 'thanks', defaultLanguage: 'en', bodies: { en: 'Thanks, {{contact.name}}!' }, shared: true } });
    expect([started.statusCode, task.statusCode, reply.statusCode]).toEqual([201, 201, 201]);
    known = {
      id: [conversation, 'ana', 'olu', 'me', 'billing', 'general', 'office', 'web-chat', 'reset-password', task.data.id as string, reply.data.id as string],
      n: ['1', '2'],
      channel: ['web-chat', 'support-email'],
    };
    heapBefore = heapAfterCollection();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers every generated request below 500, errors in the usual shape, none slower than 2 s', { timeout: 60 * 60 * 1000 }, async () => {
    const faults: string[] = [];
    const slowest = { ms: 0, request: '' };
    const statuses = new Map<number, number>();
    let sent = 0;
    const startedAt = performance.now();
    for (const operation of operations) {
      const headers = operation.operation.security?.some((s) => Object.hasOwn(s as object, 'customerToken')) === true ? customer : t.admin;
      const ids = MADE_UP_IDS_ONLY[operation.key] === undefined ? known : {};
      const requests = fc.sample(requestsFor(operation, headers, ids), { seed: SEED, numRuns: RUNS });
      for (const [index, request] of requests.entries()) {
        const before = performance.now();
        const response = await t.request({ method: request.method, url: request.url, headers: request.headers, ...(request.payload === undefined ? {} : { payload: request.payload }) });
        const ms = performance.now() - before;
        sent += 1;
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        const where = `${operation.key} #${index}: ${summary(request)}`;
        if (ms > slowest.ms) Object.assign(slowest, { ms, request: where });
        if (ms > STALL_MS) faults.push(`took ${Math.round(ms)} ms: ${where}`);
        if (response.statusCode >= 500) faults.push(`${response.statusCode} ${response.body.slice(0, 200)}: ${where}`);
        else if (response.statusCode >= 400 && !ErrorBody.safeParse(response.data).success) faults.push(`${response.statusCode} not in the error shape: ${response.body.slice(0, 200)}: ${where}`);
      }
      if (operation.method !== 'GET') await restore();
      // The run's own footing: the admin token, the customer's session and its conversation.
      const alive = await t.request({ method: 'GET', url: '/api/widget/conversations', headers: customer });
      const admin = await t.request({ method: 'GET', url: '/api/config', headers: t.admin });
      if (alive.statusCode !== 200 || admin.statusCode !== 200) throw new Error(`${operation.key} ended the world the run stands on (${alive.statusCode}, ${admin.statusCode}): give it made-up ids only, with the reason`);
    }
    const seconds = (performance.now() - startedAt) / 1000;
    console.log(
      `[${dialect}] fuzz seed ${SEED}: ${operations.length} operations × ${RUNS} = ${sent} requests in ${seconds.toFixed(1)} s; ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; slowest ${Math.round(slowest.ms)} ms: ${slowest.request.slice(0, 300)}`,
    );
    expect(faults, `seed ${SEED}, ${RUNS} runs per operation`).toEqual([]);
  });

  it('gives the memory back, and no prototype was polluted', () => {
    const heapAfter = heapAfterCollection();
    console.log(`[${dialect}] heap after a full collection: before ${megabytes(heapBefore)}, after ${megabytes(heapAfter)} (${megabytes(heapAfter - heapBefore)} kept)`);
    expect(heapAfter - heapBefore).toBeLessThan(HEAP_MARGIN);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
