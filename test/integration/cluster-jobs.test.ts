/**
 * Background work with several Baton processes on one PostgreSQL database (issue 20): two
 * createBaton instances, each with a pool of its own, drain one outbox side by side.
 *
 * - Each job runs once: every SLA timer breaches once, every webhook reaches the receiver once.
 * - A worker that claims external sends and dies (its pool gone, never settling) holds them only
 *   for its lease; the other takes them over after it, and sends each once.
 * - A worker alive but slow (a receiver that takes long) keeps its leases renewed: the other
 *   does not send the same row at the same time.
 * - A worker that dies in the middle of a transactional batch (its connection terminated) leaves
 *   its rows locked only until PostgreSQL rolls the transaction back; the other runs them.
 *
 * Periodic work (the waiting-line sweep, the stream pruner) runs once per period across the
 * processes, on both databases.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { createOutboxWorker, type JobDefinition } from '../../src/delivery/outbox-worker.js';
import { parseEnv } from '../../src/platform/env.js';
import { manualClock } from '../../src/platform/runtime.js';
import { createBaton, type Baton } from '../../src/server.js';
import { applyValidatedConfig } from '../../src/services/workspace/apply-validated-config.js';
import { openDatabase, type Database, type Dialect } from '../../src/store/database.js';
import { getClusterLease } from '../../src/store/repositories/cluster-leases.js';
import { listEvents } from '../../src/store/repositories/events.js';
import { listOutbox } from '../../src/store/repositories/outbox.js';
import { startHttpReceiver, type HttpReceiver } from '../support/loopback-receivers.js';
import { ADMIN_TOKEN, WEDNESDAY_MORNING, dialects, eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

const MINUTE = 60_000;
const LEASE_MS = 2_000;
/** Two Batons and a PostgreSQL database per test, on a machine shared with other suites. */
const SLOW = 120_000;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function configFor(hookUrl: string): string {
  return `
workspace: { name: Cluster desk, timezone: UTC }
schedules:
  - { id: always, timezone: UTC, hours: { mon-sun: ["00:00-24:00"] } }
users:
  - { id: ana, name: Ana García, email: ana@acme.test, role: agent, schedule: always, capacity: { chat: 100 } }
  - { id: bea, name: Bea Souza, email: bea@acme.test, role: agent, schedule: always, capacity: { chat: 100 } }
  - { id: olu, name: Olu Bello, email: olu@acme.test, role: admin, schedule: always, status: away }
teams:
  - { id: desk, name: Front desk, members: [ana, bea], leads: [olu], strategy: round_robin }
queues:
  - { id: general, name: General, team: desk, sla: { firstResponse: 1m } }
channels:
  - { id: api, type: api, assistant: none, defaultRoute: { queue: general } }
handoff:
  rules:
    - id: everyone
      then:
        destination: { queue: general }
        assignment: reassign
        notify: [in_app]
  fallback:
    destination: { queue: general }
notifications:
  allowPrivateNetworks: true
  webhooks:
    - url: "${hookUrl}/hook"
      secret: "${SECRET}"
      events: [handoff.completed, conversation.assigned, sla.breached]
`;
}

interface Cluster {
  readonly test: TestDatabase;
  readonly clock: ReturnType<typeof manualClock>;
  readonly a: Baton;
  readonly b: Baton;
  /** Databases opened besides the test's (B's pool, a dying worker's), closed at the end. */
  readonly extra: Database[];
  close(): Promise<void>;
}

/** Two Baton processes' worth of state on one database: each its own pool (or SQLite connection), one clock. */
async function twoProcesses(dialect: Dialect, hookUrl: string): Promise<Cluster> {
  const test = await openTestDatabase(dialect);
  const clock = manualClock(WEDNESDAY_MORNING);
  const env = parseEnv({
    BATON_ADMIN_TOKEN: ADMIN_TOKEN,
    BATON_DEMO: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: test.url,
    BATON_RATE_LIMITS: '0',
    BATON_OUTBOX_LEASE_MS: String(LEASE_MS),
    BATON_SWEEP_MS: '1000',
  });
  const a = await createBaton({ env, processEnv: {}, database: test.database, clock, workers: false });
  const parsed = parseConfigText(configFor(hookUrl), 'yaml', {});
  if (!parsed.ok) throw new Error(`test config invalid: ${JSON.stringify(parsed.problems)}`);
  await applyValidatedConfig(a.ctx, { raw: parsed.raw, actor: 'test' });
  const otherDatabase = await openDatabase(test.url, { checks: true, poolSize: 6 });
  const b = await createBaton({ env, processEnv: {}, database: otherDatabase, clock, workers: false });
  const extra: Database[] = [otherDatabase];
  return {
    test,
    clock,
    a,
    b,
    extra,
    async close() {
      await a.close();
      await b.close();
      for (const database of extra) await database.close().catch(() => undefined);
      await test.drop();
    },
  };
}

/** A handed-off conversation, started through `baton` (assigned to ana or bea). */
async function startConversation(baton: Baton, n: number): Promise<string> {
  const created = await baton.app.inject({
    method: 'POST',
    url: '/api/conversations',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { channel: 'api', contact: { name: `Customer ${n}`, email: `c${n}@example.test` }, message: 'My invoice is wrong' },
  });
  expect(created.statusCode).toBe(201);
  const body = JSON.parse(created.body) as { conversation: { id: string; status: string } };
  expect(body.conversation.status).toBe('assigned');
  return body.conversation.id;
}

/** Both processes drain side by side until a round settles nothing; returns what each settled. */
async function drainBoth(cluster: Cluster): Promise<{ a: number; b: number }> {
  const total = { a: 0, b: 0 };
  for (let round = 0; round < 50; round++) {
    const [a, b] = await Promise.all([cluster.a.outbox.drain(), cluster.b.outbox.drain()]);
    total.a += a;
    total.b += b;
    if (a + b === 0) return total;
  }
  throw new Error('the outbox did not settle in 50 rounds');
}

/** Webhook deliveries the receiver got, by `webhook-id` (the outbox row's idempotency key). */
function deliveriesById(http: HttpReceiver): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of http.to('/hook')) {
    const id = String(request.headers['webhook-id']);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

async function webhookRows(database: Database) {
  return listOutbox(database.db, { kind: 'deliver.webhook', limit: 500 });
}

/** Every due row settled: nothing pending, processing or failed before `now`. */
async function nothingLeftDue(database: Database, now: number): Promise<void> {
  const waiting = await listOutbox(database.db, { status: ['pending', 'processing', 'failed'], limit: 500 });
  expect(waiting.filter((item) => item.availableAt <= now).map((item) => `${item.kind} ${item.status}`)).toEqual([]);
}

const onPostgres = dialects.includes('postgres');

describe.skipIf(!onPostgres)('two processes draining one outbox [postgres]', () => {
  let cluster: Cluster | null = null;
  let http: HttpReceiver | null = null;
  afterEach(async () => {
    await cluster?.close();
    cluster = null;
    await http?.close();
    http = null;
  }, SLOW);

  it('runs each job once: every SLA timer breaches once, every webhook is sent once', async () => {
    http = await startHttpReceiver();
    cluster = await twoProcesses('postgres', http.url);
    const ids: string[] = [];
    for (let n = 0; n < 16; n++) ids.push(await startConversation(n % 2 === 0 ? cluster.a : cluster.b, n));
    const first = await drainBoth(cluster);

    // Every first-response timer is due; both processes drain at once.
    cluster.clock.advance(MINUTE + 1_000);
    const second = await drainBoth(cluster);
    expect(first.a + first.b + second.a + second.b).toBeGreaterThan(0);

    for (const id of ids) {
      const breaches = await listEvents(cluster.test.database.db, id, { types: ['sla.breached'] });
      expect(breaches, id).toHaveLength(1);
    }
    const rows = await webhookRows(cluster.test.database);
    // handoff.completed + conversation.assigned at the start; sla.breached, and the re-route's two, after.
    expect(rows.length).toBeGreaterThanOrEqual(ids.length * 5);
    expect(rows.filter((row) => row.status !== 'done')).toEqual([]);
    const sent = deliveriesById(http);
    expect([...sent.keys()].sort()).toEqual(rows.map((row) => row.idempotencyKey).sort());
    expect([...sent.values()].filter((count) => count !== 1)).toEqual([]);
    await nothingLeftDue(cluster.test.database, cluster.clock.now());
  }, SLOW);

  it("takes over a dead worker's claimed sends once its lease has run out, and sends each once", async () => {
    http = await startHttpReceiver();
    cluster = await twoProcesses('postgres', http.url);
    for (let n = 0; n < 6; n++) await startConversation(cluster.a, n);
    // The transactional jobs (publishing) run first, so the webhook rows exist.
    const dying = await openDatabase(cluster.test.url, { checks: true, poolSize: 2 });
    cluster.extra.push(dying);
    const hangs: JobDefinition<z.ZodType> = {
      kind: 'deliver.webhook',
      mode: 'external',
      payload: z.unknown(),
      retry: { attempts: 5, backoffMs: 1_000 },
      // Claimed, and then the process is gone: never settled.
      send: () => new Promise<void>(() => undefined),
    };
    await cluster.a.outbox.drain();
    await cluster.b.outbox.drain();
    const rows = await webhookRows(cluster.test.database);
    expect(rows.length).toBeGreaterThanOrEqual(12);
    // Settle them as unsent again, for the dying worker to claim (the drains above sent them).
    await sql`update outbox set status = 'pending', attempts = 0, available_at = ${cluster.clock.now()} where kind = 'deliver.webhook'`.execute(cluster.test.database.db);
    http.requests.splice(0);

    const worker = createOutboxWorker({ database: dying, clock: cluster.clock, jobs: [hangs], leaseMs: LEASE_MS, onError: () => undefined });
    const draining = worker.drain().catch(() => undefined);
    // It claims them all: one send per conversation begins, the rest queue behind it.
    await expect.poll(async () => (await webhookRows(cluster!.test.database)).filter((row) => row.status === 'processing').length, { timeout: 10_000 }).toBe(rows.length);
    // The process dies: its pool is gone, so its leases are no longer renewed.
    await dying.close();
    void draining;

    // Within the lease, the living process leaves them alone …
    await drainBoth(cluster);
    expect(http.to('/hook')).toHaveLength(0);
    expect((await webhookRows(cluster.test.database)).every((row) => row.status === 'processing')).toBe(true);

    // … and after it, takes them over and sends each once.
    cluster.clock.advance(LEASE_MS + 1);
    await drainBoth(cluster);
    const after = await webhookRows(cluster.test.database);
    expect(after.filter((row) => row.status !== 'done')).toEqual([]);
    expect(after.every((row) => row.attempts === 2)).toBe(true);
    const sent = deliveriesById(http);
    expect([...sent.keys()].sort()).toEqual(after.map((row) => row.idempotencyKey).sort());
    expect([...sent.values()].filter((count) => count !== 1)).toEqual([]);
  }, SLOW);

  it('renews the leases of a worker that is alive but slow, so no other process sends the same row meanwhile', async () => {
    http = await startHttpReceiver();
    cluster = await twoProcesses('postgres', http.url);
    for (let n = 0; n < 3; n++) await startConversation(cluster.a, n);
    await cluster.a.outbox.drain();
    const rows = await webhookRows(cluster.test.database);
    await sql`update outbox set status = 'pending', attempts = 0, available_at = ${cluster.clock.now()} where kind = 'deliver.webhook'`.execute(cluster.test.database.db);
    http.requests.splice(0);

    // A slow receiver: every send waits for `release`, far longer than the lease.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sentBySlow: string[] = [];
    const slow: JobDefinition<z.ZodType> = {
      kind: 'deliver.webhook',
      mode: 'external',
      payload: z.unknown(),
      retry: { attempts: 5, backoffMs: 1_000 },
      send: async (_payload, item) => {
        await gate;
        sentBySlow.push(item.idempotencyKey);
      },
    };
    const slowDatabase = await openDatabase(cluster.test.url, { checks: true, poolSize: 2 });
    cluster.extra.push(slowDatabase);
    const worker = createOutboxWorker({ database: slowDatabase, clock: cluster.clock, jobs: [slow], leaseMs: LEASE_MS, onError: () => undefined });
    const draining = worker.drain();
    // Heard below; a test that fails first must not leave it unheard.
    draining.catch(() => undefined);
    await expect.poll(async () => (await webhookRows(cluster!.test.database)).filter((row) => row.status === 'processing').length, { timeout: 10_000 }).toBe(rows.length);

    // Three leases' time passes while it is still sending; it renews as it goes.
    for (let i = 0; i < 6; i++) {
      cluster.clock.advance(LEASE_MS / 2);
      expect(await worker.renewLeases()).toBe(rows.length);
      await cluster.b.outbox.drain();
    }
    expect(http.to('/hook')).toHaveLength(0);

    release();
    await draining;
    expect(sentBySlow.sort()).toEqual(rows.map((row) => row.idempotencyKey).sort());
    const after = await webhookRows(cluster.test.database);
    expect(after.every((row) => row.status === 'done' && row.attempts === 1)).toBe(true);
    await worker.stop();
  }, SLOW);

  it('runs the timers of a worker whose connection died mid-batch, once (its transaction rolled back)', async () => {
    http = await startHttpReceiver();
    cluster = await twoProcesses('postgres', http.url);
    const ids: string[] = [];
    for (let n = 0; n < 8; n++) ids.push(await startConversation(cluster.a, n));
    await drainBoth(cluster);
    cluster.clock.advance(MINUTE + 1_000);

    // A worker that takes the due SLA timers in its transaction and then stalls: the rows are
    // locked, not changed.
    const application = `baton_dying_${Math.random().toString(36).slice(2, 10)}`;
    const dying = await openDatabase(`${cluster.test.url}?application_name=${application}`, { checks: true, poolSize: 2 });
    cluster.extra.push(dying);
    let taken = 0;
    let resume = (): void => undefined;
    const stalled = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const stalls: JobDefinition<z.ZodType> = {
      kind: 'timer.sla.first_response',
      payload: z.unknown(),
      retry: { attempts: 5, backoffMs: 1_000 },
      run: async () => {
        taken += 1;
        await stalled;
      },
    };
    const worker = createOutboxWorker({ database: dying, clock: cluster.clock, jobs: [stalls], onError: () => undefined });
    const draining = worker.drain().catch((error: unknown) => error);
    await expect.poll(() => taken, { timeout: 10_000 }).toBe(1);

    // The living processes skip the locked rows (SKIP LOCKED): no breach yet.
    await drainBoth(cluster);
    for (const id of ids) expect(await listEvents(cluster.test.database.db, id, { types: ['sla.breached'] })).toHaveLength(0);

    // The stalled process dies: PostgreSQL rolls its transaction back and unlocks the rows.
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${application}`.execute(cluster.test.database.db);
    resume();
    expect(await draining).toBeInstanceOf(Error);

    await drainBoth(cluster);
    for (const id of ids) expect(await listEvents(cluster.test.database.db, id, { types: ['sla.breached'] }), id).toHaveLength(1);
    await nothingLeftDue(cluster.test.database, cluster.clock.now());
  }, SLOW);
});

eachDialect('periodic work across processes', (dialect) => {
  let cluster: Cluster | null = null;
  afterEach(async () => {
    await cluster?.close();
    cluster = null;
  });

  it('sweeps the waiting line once per period across two processes, whichever timer fires first', async () => {
    cluster = await twoProcesses(dialect, 'http://127.0.0.1:9');
    const { a, b, clock } = cluster;
    const runs = async () => (await Promise.all([a.assigner.sweep(), b.assigner.sweep()])).filter(Boolean).length;

    expect(await runs()).toBe(1);
    // Half a period on: both timers fire, neither runs.
    clock.advance(500);
    expect(await runs()).toBe(0);
    // A period after the last run: one of them.
    clock.advance(500);
    expect(await runs()).toBe(1);
    // One process's timer fires a little before the period ends (another's phase): it takes it.
    clock.advance(950);
    expect(await b.assigner.sweep()).toBe(true);
    expect(await a.assigner.sweep()).toBe(false);
    const lease = await getClusterLease(cluster.test.database.db, 'sweep.waiting');
    expect(lease?.dueAt).toBe(clock.now() + 1_000);

    // Kicked runs (a status change in this process) are not held back by the period.
    expect(await a.assigner.runOnce()).toBe(0);
  });

  it('prunes the realtime stream once per hour across two processes', async () => {
    cluster = await twoProcesses(dialect, 'http://127.0.0.1:9');
    const { a, b, clock } = cluster;
    const runs = async () => (await Promise.all([a.streamPruner.tick(), b.streamPruner.tick()])).filter(Boolean).length;
    expect(await runs()).toBe(1);
    clock.advance(30 * MINUTE);
    expect(await runs()).toBe(0);
    clock.advance(30 * MINUTE);
    expect(await runs()).toBe(1);
  });
});
