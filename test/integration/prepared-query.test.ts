/**
 * preparedQuery (src/store/prepared.ts): a query built once with placeholders must run exactly as
 * the same Kysely query with the values written in — inside and outside transactions, on both
 * databases — keep the constants it was built with, refuse a placeholder without a value, and
 * never run on the bare SQLite connection for a transaction that has ended.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTransaction, type Executor } from '../../src/store/database.js';
import { preparedQuery } from '../../src/store/prepared.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

const insertRow = preparedQuery((db, p: { id: string; key: string; payload: string; now: number }) =>
  db
    .insertInto('outbox')
    .values({
      id: p.id,
      kind: 'test.prepared',
      idempotency_key: p.key,
      payload: p.payload,
      status: 'pending',
      attempts: 0,
      available_at: p.now,
      created_at: p.now,
      updated_at: p.now,
      last_error: null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(['id', 'kind', 'status']),
);
const byKey = preparedQuery((db, p: { key: string }) => db.selectFrom('outbox').select(['id', 'payload', 'attempts']).where('idempotency_key', '=', p.key));
const bump = preparedQuery((db, p: { key: string }) =>
  db
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('idempotency_key', '=', p.key)
    .where('status', '=', 'pending'),
);

eachDialect('preparedQuery', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await test.drop();
  });

  const row = (key: string) => ({ id: `id-${key}-${dialect}`, key: `${key}-${dialect}`, payload: JSON.stringify({ key }), now: 1_000 });

  it('inserts, reads and updates with new values each time, outside and inside a transaction', async () => {
    expect(await insertRow.all(test.database.db, row('a'))).toEqual([{ id: `id-a-${dialect}`, kind: 'test.prepared', status: 'pending' }]);
    await withTransaction(test.database, async (trx) => {
      expect(await insertRow.first(trx, row('b'))).toEqual({ id: `id-b-${dialect}`, kind: 'test.prepared', status: 'pending' });
      // The conflict clause was built in: a second insert of the key changes nothing.
      expect(await insertRow.all(trx, { ...row('b'), id: 'other' })).toEqual([]);
      expect(await bump.run(trx, { key: `b-${dialect}` })).toBe(1);
      expect(await bump.run(trx, { key: 'nobody' })).toBe(0);
      expect(await byKey.first(trx, { key: `b-${dialect}` })).toEqual({ id: `id-b-${dialect}`, payload: '{"key":"b"}', attempts: 1 });
    });
    expect(await byKey.first(test.database.db, { key: `a-${dialect}` })).toEqual({ id: `id-a-${dialect}`, payload: '{"key":"a"}', attempts: 0 });
    expect(await bump.run(test.database.db, { key: `a-${dialect}` })).toBe(1);
    const stored = await test.database.db.selectFrom('outbox').select(['idempotency_key', 'attempts']).where('kind', '=', 'test.prepared').orderBy('idempotency_key').execute();
    expect(stored).toEqual([
      { idempotency_key: `a-${dialect}`, attempts: 1 },
      { idempotency_key: `b-${dialect}`, attempts: 1 },
    ]);
  });

  it('rolls back with the transaction it ran in', async () => {
    await expect(
      withTransaction(test.database, async (trx) => {
        await insertRow.run(trx, row('rolled'));
        expect(await byKey.first(trx, { key: `rolled-${dialect}` })).toBeDefined();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await byKey.first(test.database.db, { key: `rolled-${dialect}` })).toBeUndefined();
  });

  it('refuses a run without a value for a placeholder, and a placeholder compiled into the text', async () => {
    await expect(byKey.first(test.database.db, {} as { key: string })).rejects.toThrow('no value for placeholder "key"');
    const inlined = preparedQuery((db, p: { table: string }) => ({ compile: () => sql`select 1 from ${sql.raw(p.table)}`.compile(db) }));
    await expect(inlined.all(test.database.db, { table: 'outbox' })).rejects.toThrow('compiled into the SQL text');
  });

  it('does not run on the connection for a transaction that has ended', async () => {
    let stale: Executor | null = null;
    await withTransaction(test.database, async (trx) => {
      stale = trx;
      await byKey.first(trx, { key: 'x' });
    });
    await expect(byKey.first(stale!, { key: 'x' })).rejects.toThrow(/committed|rolled back/);
  });
});
