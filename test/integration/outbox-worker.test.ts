/**
 * The outbox worker settles a batch of transactional jobs in one transaction; a job that throws
 * must not take the rest of the batch down with it, nor commit half of its own writes.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createOutboxWorker, defineJob } from '../../src/delivery/outbox-worker.js';
import { withTransaction } from '../../src/store/database.js';
import { claimDue, enqueue, getOutboxItemByKey, markAllDone } from '../../src/store/repositories/outbox.js';
import { manualClock } from '../../src/platform/runtime.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

eachDialect('outbox worker batches', (dialect) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    await sql`create table probe (key text primary key)`.execute(test.database.db);
  });
  afterEach(async () => {
    await test.drop();
  });

  it('commits the good jobs of a batch once and retries only the one that threw', async () => {
    const clock = manualClock(T0);
    const runs = new Map<string, number>();
    const done: string[] = [];
    const job = defineJob({
      kind: 'test.probe',
      payload: z.object({ key: z.string(), fail: z.boolean() }),
      retry: { attempts: 3, backoffMs: 1_000 },
      async run(trx, payload) {
        runs.set(payload.key, (runs.get(payload.key) ?? 0) + 1);
        // The write happens before the throw: a rolled-back batch must not keep it.
        await sql`insert into probe (key) values (${payload.key})`.execute(trx);
        if (payload.fail) throw new Error(`${payload.key} refused`);
      },
      onDone: (item) => done.push(item.idempotencyKey),
    });
    await withTransaction(test.database, async (trx) => {
      for (const [key, fail] of [['a', false], ['b', true], ['c', false]] as const) {
        await enqueue(trx, { kind: 'test.probe', idempotencyKey: key, payload: { key, fail }, now: T0 });
      }
    });
    const worker = createOutboxWorker({ database: test.database, clock, jobs: [job] });

    expect(await worker.drain()).toBe(3);

    const keys = (await sql<{ key: string }>`select key from probe order by key`.execute(test.database.db)).rows.map((r) => r.key);
    expect(keys).toEqual(['a', 'c']);
    expect((await getOutboxItemByKey(test.database.db, 'a'))?.status).toBe('done');
    expect((await getOutboxItemByKey(test.database.db, 'c'))?.status).toBe('done');
    const failed = await getOutboxItemByKey(test.database.db, 'b');
    expect(failed?.status).toBe('failed');
    expect(failed?.lastError).toContain('b refused');
    expect(done.sort()).toEqual(['a', 'c']);
    // The batch ran together up to the failure (rolled back), then each row alone: whatever the
    // claim order, the failing job ran twice and the good ones took effect exactly once (above).
    expect(runs.get('b')).toBe(2);
    for (const key of ['a', 'c']) expect(runs.get(key)).toBeGreaterThanOrEqual(1);
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

  it("marks a batch done whatever each row's attempt count, but never a row another worker has claimed since", async () => {
    await withTransaction(test.database, async (trx) => {
      for (const key of ['fresh', 'retried', 'taken']) await enqueue(trx, { kind: 'test.ok', idempotencyKey: key, payload: {}, now: T0 });
    });
    const claimed = await claimDue(test.database.db, { now: T0, limit: 3, leaseMs: 1_000 });
    expect(claimed).toHaveLength(3);
    // 'retried' is on its third attempt; 'taken' outlived its lease and another worker claimed it again.
    await test.database.db.updateTable('outbox').set({ attempts: 3 }).where('idempotency_key', '=', 'retried').execute();
    await test.database.db.updateTable('outbox').set({ attempts: 2 }).where('idempotency_key', '=', 'taken').execute();
    const items = claimed.map((item) => (item.idempotencyKey === 'retried' ? { ...item, attempts: 3 } : item));

    const settled = await markAllDone(test.database.db, items, T0 + 500);

    const idOf = (key: string): string => claimed.find((item) => item.idempotencyKey === key)!.id;
    expect([...settled].sort()).toEqual([idOf('fresh'), idOf('retried')].sort());
    expect((await getOutboxItemByKey(test.database.db, 'fresh'))?.status).toBe('done');
    expect((await getOutboxItemByKey(test.database.db, 'retried'))?.status).toBe('done');
    expect((await getOutboxItemByKey(test.database.db, 'taken'))?.status).toBe('processing');
  });
});
