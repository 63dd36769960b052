/**
 * The outbox worker settles a batch of transactional jobs in one transaction; a job that throws
 * must not take the rest of the batch down with it, nor commit half of its own writes.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createOutboxWorker, defineJob } from '../../src/delivery/outbox-worker.js';
import { withTransaction } from '../../src/store/database.js';
import { enqueue, getOutboxItemByKey } from '../../src/store/repositories/outbox.js';
import { manualClock } from '../../src/platform/runtime.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

eachDialect('outbox worker batches', (dialect) => {
  let test: TestDatabase;
  beforeEach(async () => {
    // These tests count the job bodies' runs on the production path; the checking mode
    // (src/store/INTERNALS.md) would rehearse each batch once more.
    test = await openTestDatabase(dialect, { checks: false });
    await sql`create table probe (key text primary key)`.execute(test.database.db);
  });
  afterEach(async () => {
    await test.drop();
  });

  /**
   * Rows a, b, c of a probe job that inserts its key into `probe`, counting its runs in `runs`;
   * b throws, before or after its insert, or its second insert of its key fails in the database
   * (which, on PostgreSQL, aborts the whole transaction). Returns a worker for them.
   */
  async function probeBatch(runs: Map<string, number>, bFails: 'before writing' | 'after writing' | 'in a statement', onDone?: (key: string) => void) {
    const job = defineJob({
      kind: 'test.probe',
      payload: z.object({ key: z.string(), fail: z.boolean() }),
      retry: { attempts: 3, backoffMs: 1_000 },
      async run(trx, payload) {
        runs.set(payload.key, (runs.get(payload.key) ?? 0) + 1);
        if (payload.fail && bFails === 'before writing') throw new Error(`${payload.key} refused`);
        await sql`insert into probe (key) values (${payload.key})`.execute(trx);
        if (payload.fail && bFails === 'in a statement') await sql`insert into probe (key) values (${payload.key})`.execute(trx);
        if (payload.fail) throw new Error(`${payload.key} refused`);
      },
      ...(onDone === undefined ? {} : { onDone: (item: { idempotencyKey: string }) => onDone(item.idempotencyKey) }),
    });
    await withTransaction(test.database, async (trx) => {
      for (const [key, fail] of [['a', false], ['b', true], ['c', false]] as const) {
        await enqueue(trx, { kind: 'test.probe', idempotencyKey: key, payload: { key, fail }, now: T0 });
      }
    });
    return createOutboxWorker({ database: test.database, clock: manualClock(T0), jobs: [job] });
  }

  /**
   * After a probe batch drained: a and c committed (their inserts, "done"), b's insert gone and
   * b marked failed after one attempt; b ran once, a and c once or twice (a batch that runs
   * again re-runs those taken before b). Returns b's row.
   */
  async function expectOnlyBFailed(worker: { drain(): Promise<number> }, runs: Map<string, number>) {
    expect(await worker.drain()).toBe(3);
    const keys = (await sql<{ key: string }>`select key from probe order by key`.execute(test.database.db)).rows.map((r) => r.key);
    expect(keys).toEqual(['a', 'c']);
    expect((await getOutboxItemByKey(test.database.db, 'a'))?.status).toBe('done');
    expect((await getOutboxItemByKey(test.database.db, 'c'))?.status).toBe('done');
    const failed = await getOutboxItemByKey(test.database.db, 'b');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(runs.get('b')).toBe(1);
    for (const key of ['a', 'c']) expect([1, 2]).toContain(runs.get(key));
    return failed;
  }

  it('commits the good jobs of a batch once and retries only the one that threw', async () => {
    const runs = new Map<string, number>();
    const done: string[] = [];
    // The write happens before the throw: a rolled-back batch must not keep it.
    const worker = await probeBatch(runs, 'after writing', (key) => done.push(key));

    // The failing one was rolled back alone (its insert is gone) and marked for retry in the
    // same transaction as the others' "done". A batch runs without savepoints until a job throws
    // after writing (PostgreSQL: throws at all); then it runs again, each job in a savepoint, and
    // the one that threw is only marked. (Rows enqueued in one millisecond are taken in any
    // order: those before b ran twice.)
    const failed = await expectOnlyBFailed(worker, runs);
    expect(failed?.lastError).toContain('b refused');
    expect(done.sort()).toEqual(['a', 'c']);
  });

  it('commits the others when a statement of one job fails (on PostgreSQL that aborts the transaction)', async () => {
    const runs = new Map<string, number>();
    const worker = await probeBatch(runs, 'in a statement');
    const failed = await expectOnlyBFailed(worker, runs);
    expect(failed?.lastError).toMatch(/unique|duplicate/i);
  });

  it('does not run a batch again for a job that threw before writing anything (SQLite; PostgreSQL cannot tell)', async () => {
    const runs = new Map<string, number>();
    const worker = await probeBatch(runs, 'before writing');

    expect(await worker.drain()).toBe(3);

    const keys = (await sql<{ key: string }>`select key from probe order by key`.execute(test.database.db)).rows.map((r) => r.key);
    expect(keys).toEqual(['a', 'c']);
    expect((await getOutboxItemByKey(test.database.db, 'b'))?.status).toBe('failed');
    if (dialect === 'sqlite') {
      expect(Object.fromEntries(runs)).toEqual({ a: 1, b: 1, c: 1 });
    } else {
      // No total_changes() there: any throw runs the batch again, the thrower only marked.
      expect(runs.get('b')).toBe(1);
      for (const key of ['a', 'c']) expect([1, 2]).toContain(runs.get(key));
    }
  });

  it('settles a clean batch in one go, calling onDone after the commit for every row', async () => {
    const clock = manualClock(T0);
    const done: string[] = [];
    let seenInside = 0;
    const job = defineJob({
      kind: 'test.ok',
      payload: z.object({ n: z.number() }),
      retry: { attempts: 3, backoffMs: 1_000 },
      async run(trx, payload) {
        await sql`insert into probe (key) values (${String(payload.n)})`.execute(trx);
        seenInside += 1;
      },
      onDone: (item) => done.push(item.idempotencyKey),
    });
    await withTransaction(test.database, async (trx) => {
      for (let n = 0; n < 20; n += 1) await enqueue(trx, { kind: 'test.ok', idempotencyKey: `k${n}`, payload: { n }, now: T0 });
    });
    const worker = createOutboxWorker({ database: test.database, clock, jobs: [job] });
    expect(await worker.drain()).toBe(20);
    expect(seenInside).toBe(20);
    expect(done).toHaveLength(20);
    const count = (await sql<{ n: number }>`select count(*) as n from probe`.execute(test.database.db)).rows[0];
    expect(Number(count?.n)).toBe(20);
  });

  it('counts the attempt of every row a batch settles, dead-letters an invalid payload, and takes no row not yet due', async () => {
    const clock = manualClock(T0);
    const job = defineJob({
      kind: 'test.ok',
      payload: z.object({ n: z.number() }),
      retry: { attempts: 3, backoffMs: 1_000 },
      async run() {},
    });
    await withTransaction(test.database, async (trx) => {
      await enqueue(trx, { kind: 'test.ok', idempotencyKey: 'fresh', payload: { n: 1 }, now: T0 });
      await enqueue(trx, { kind: 'test.ok', idempotencyKey: 'retried', payload: { n: 2 }, now: T0 });
      await enqueue(trx, { kind: 'test.ok', idempotencyKey: 'broken', payload: { n: 'three' }, now: T0 });
      await enqueue(trx, { kind: 'test.ok', idempotencyKey: 'later', payload: { n: 4 }, availableAt: T0 + 60_000, now: T0 });
    });
    // 'retried' failed twice before.
    await test.database.db.updateTable('outbox').set({ attempts: 2, status: 'failed' }).where('idempotency_key', '=', 'retried').execute();
    const worker = createOutboxWorker({ database: test.database, clock, jobs: [job] });

    expect(await worker.drain()).toBe(3);

    const fresh = await getOutboxItemByKey(test.database.db, 'fresh');
    const retried = await getOutboxItemByKey(test.database.db, 'retried');
    const broken = await getOutboxItemByKey(test.database.db, 'broken');
    const later = await getOutboxItemByKey(test.database.db, 'later');
    expect([fresh?.status, fresh?.attempts]).toEqual(['done', 1]);
    expect([retried?.status, retried?.attempts]).toEqual(['done', 3]);
    expect([broken?.status, broken?.attempts]).toEqual(['dead', 1]);
    expect(broken?.lastError).toContain('invalid payload');
    expect([later?.status, later?.attempts]).toEqual(['pending', 0]);
  });

});
