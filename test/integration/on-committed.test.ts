/**
 * `onCommitted` (src/store/database.ts): work that may only happen once writes are committed —
 * memory remembering rows — runs after the outermost transaction's COMMIT and before its caller
 * hears "committed"; never when that transaction, or a savepoint between the writer and it, rolls
 * back, nor when the COMMIT fails. Group commit (SQLite) shares one transaction among callers that
 * each have a savepoint and an executor of their own: each caller's work follows its own fate.
 */
import { sql } from 'kysely';
import pg from 'pg';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inSavepoint, onCommitted, withTransaction, type Database, type Executor } from '../../src/store/database.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

eachDialect('onCommitted', (dialect) => {
  let test: TestDatabase;
  let database: Database;
  /** What another connection sees, asked at the moment of the call: only what is committed. */
  let committedKeys: () => Promise<string[]>;
  let closeReader: () => Promise<void>;

  beforeEach(async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    database = test.database;
    await sql`create table t (k text primary key)`.execute(database.db);
    if (dialect === 'sqlite') {
      const reader = new Sqlite(test.url.slice('sqlite:'.length), { readonly: true });
      // Synchronous: the read happens at the call, not later.
      committedKeys = () => Promise.resolve((reader.prepare('select k from t order by k').all() as { k: string }[]).map((row) => row.k));
      closeReader = async () => {
        reader.close();
      };
    } else {
      const reader = new pg.Client({ connectionString: test.url });
      await reader.connect();
      // Sent at the call; read committed: the statement sees what was committed before it started.
      committedKeys = async () => (await reader.query<{ k: string }>('select k from t order by k')).rows.map((row) => row.k);
      closeReader = () => reader.end();
    }
  });
  afterEach(async () => {
    await closeReader();
    await test.drop();
  });

  /** Writes `k` through `ex` and asks for `ran` to hear of it (with what was committed then) after commit. */
  async function put(ex: Executor, k: string, ran: Map<string, Promise<string[]>>): Promise<void> {
    await sql`insert into t (k) values (${k})`.execute(ex);
    onCommitted(ex, () => ran.set(k, committedKeys()));
  }

  async function settled(ran: Map<string, Promise<string[]>>): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const [k, seen] of ran) out[k] = await seen;
    return out;
  }

  it('runs after the commit, before the caller hears of it', async () => {
    const ran = new Map<string, Promise<string[]>>();
    await withTransaction(database, async (trx) => {
      await put(trx, 'a', ran);
      await put(trx, 'b', ran);
      expect(ran.size).toBe(0);
    });
    expect([...ran.keys()]).toEqual(['a', 'b']);
    // What another connection saw when the work ran: both rows, committed.
    expect(await settled(ran)).toEqual({ a: ['a', 'b'], b: ['a', 'b'] });
  });

  it('never runs when the transaction rolls back', async () => {
    const ran = new Map<string, Promise<string[]>>();
    await expect(
      withTransaction(database, async (trx) => {
        await put(trx, 'a', ran);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(ran.size).toBe(0);
    expect(await committedKeys()).toEqual([]);
  });

  it('drops the work of a savepoint rolled back while the transaction commits; keeps a released one\'s until the commit', async () => {
    const ran = new Map<string, Promise<string[]>>();
    await withTransaction(database, async (trx) => {
      await put(trx, 'outer', ran);
      await expect(
        inSavepoint(trx, async (own) => {
          await put(own, 'undone', ran);
          throw new Error('undo this one');
        }),
      ).rejects.toThrow('undo this one');
      await inSavepoint(trx, (own) => put(own, 'kept', ran));
      // Released, not committed: nothing runs yet.
      expect(ran.size).toBe(0);
    });
    expect(await settled(ran)).toEqual({ outer: ['kept', 'outer'], kept: ['kept', 'outer'] });
  });

  it('drops the work of a released savepoint when an enclosing savepoint rolls back', async () => {
    const ran = new Map<string, Promise<string[]>>();
    await withTransaction(database, async (trx) => {
      await expect(
        inSavepoint(trx, async (outer) => {
          await inSavepoint(outer, async (inner) => {
            await inSavepoint(inner, (innermost) => put(innermost, 'deep', ran));
            await put(inner, 'inner', ran);
          });
          throw new Error('undo the enclosing one');
        }),
      ).rejects.toThrow('undo the enclosing one');
      await inSavepoint(trx, async (outer) => {
        await inSavepoint(outer, (inner) => put(inner, 'nested', ran));
      });
    });
    expect(await settled(ran)).toEqual({ nested: ['nested'] });
  });

  it('drops everything of nested savepoints when the transaction itself rolls back', async () => {
    const ran = new Map<string, Promise<string[]>>();
    await expect(
      withTransaction(database, async (trx) => {
        await inSavepoint(trx, (outer) => inSavepoint(outer, (inner) => put(inner, 'nested', ran)));
        throw new Error('undo all');
      }),
    ).rejects.toThrow('undo all');
    expect(ran.size).toBe(0);
  });

  it('a nested withTransaction joins the caller\'s transaction and its fate', async () => {
    const ran = new Map<string, Promise<string[]>>();
    await expect(
      withTransaction(database, async (trx) => {
        await withTransaction(trx, (joined) => put(joined, 'dropped', ran));
        throw new Error('undo both');
      }),
    ).rejects.toThrow('undo both');
    await withTransaction(database, async (trx) => {
      await withTransaction(trx, (joined) => put(joined, 'joined', ran));
      expect(ran.size).toBe(0);
    });
    expect(await settled(ran)).toEqual({ joined: ['joined'] });
  });

  it('never runs when the COMMIT itself fails', async () => {
    // A deferred foreign key is checked at COMMIT, not at the statement (both dialects).
    await sql`create table parent (id text primary key)`.execute(database.db);
    await sql`create table child (id text primary key, parent text references parent(id) deferrable initially deferred)`.execute(database.db);
    const ran = new Map<string, Promise<string[]>>();
    await expect(
      withTransaction(database, async (trx) => {
        await put(trx, 'a', ran);
        await sql`insert into child (id, parent) values ('c', 'missing')`.execute(trx);
      }),
    ).rejects.toThrow();
    expect(ran.size).toBe(0);
    expect(await committedKeys()).toEqual([]);
  });

  it('runs at once outside a transaction (autocommit: the write is committed already)', async () => {
    const ran = new Map<string, Promise<string[]>>();
    await put(database.db, 'a', ran);
    expect(await settled(ran)).toEqual({ a: ['a'] });
  });

  it('a throwing hook changes nothing for the caller nor for the other hooks', async () => {
    const ran = new Map<string, Promise<string[]>>();
    const value = await withTransaction(database, async (trx) => {
      onCommitted(trx, () => {
        throw new Error('a broken hook');
      });
      await put(trx, 'a', ran);
      return 'committed';
    });
    expect(value).toBe('committed');
    expect(await settled(ran)).toEqual({ a: ['a'] });
  });

  it('drops the work of a transaction it did not open (its outcome is out of sight)', async () => {
    const ran = new Map<string, Promise<string[]>>();
    const trx = await database.db.startTransaction().execute();
    await put(trx, 'a', ran);
    await trx.commit().execute();
    expect(ran.size).toBe(0);
    expect(await committedKeys()).toEqual(['a']);
  });

  describe.runIf(dialect === 'sqlite')('group commit', () => {
    it('runs each caller\'s work after the shared commit, and none of the one rolled back alone', async () => {
      const ran = new Map<string, Promise<string[]>>();
      const heardAt = new Map<string, string[]>();
      const unit = (k: string, fail: boolean) =>
        withTransaction(database, async (trx) => {
          await put(trx, k, ran);
          if (fail) throw new Error(`refused ${k}`);
        }).then(() => heardAt.set(k, [...ran.keys()]));
      const before = database.commitStats?.().commits ?? 0;
      const outcomes = await Promise.allSettled([unit('a', false), unit('b', true), unit('c', false)]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((database.commitStats?.().commits ?? 0) - before).toBe(1);
      expect(await settled(ran)).toEqual({ a: ['a', 'c'], c: ['a', 'c'] });
      // Every caller heard "committed" after all the group's work had run.
      expect(Object.fromEntries(heardAt)).toEqual({ a: ['a', 'c'], c: ['a', 'c'] });
    });

    it('runs each piece of work once when the group runs without savepoints, or runs again after a failure', async () => {
      const runs = new Map<string, number>();
      const unit = (k: string, fail: 'no' | 'before writing' | 'after writing') =>
        withTransaction(database, async (trx) => {
          onCommitted(trx, () => runs.set(k, (runs.get(k) ?? 0) + 1));
          if (fail === 'before writing') throw new Error(`refused ${k}`);
          await sql`insert into t (k) values (${k})`.execute(trx);
          if (fail === 'after writing') throw new Error(`failed ${k}`);
        });
      // b refuses without writing: nothing to undo, one run of the group.
      expect((await Promise.allSettled([unit('a', 'no'), unit('b', 'before writing'), unit('c', 'no')])).map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(Object.fromEntries(runs)).toEqual({ a: 1, c: 1 });
      runs.clear();
      // e fails after writing: the group is rolled back and d, f run again in savepoints; the
      // work of the rolled-back first run is dropped with it.
      expect((await Promise.allSettled([unit('d', 'no'), unit('e', 'after writing'), unit('f', 'no')])).map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(Object.fromEntries(runs)).toEqual({ d: 1, f: 1 });
    });

    it('runs no caller\'s work when the shared COMMIT fails', async () => {
      await sql`create table parent (id text primary key)`.execute(database.db);
      await sql`create table child (id text primary key, parent text references parent(id) deferrable initially deferred)`.execute(database.db);
      const ran = new Map<string, Promise<string[]>>();
      const before = database.commitStats?.().transactions ?? 0;
      const outcomes = await Promise.allSettled([
        withTransaction(database, (trx) => put(trx, 'a', ran)),
        withTransaction(database, async (trx) => {
          await put(trx, 'b', ran);
          await sql`insert into child (id, parent) values ('c', 'missing')`.execute(trx);
        }),
        withTransaction(database, (trx) => put(trx, 'c', ran)),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      // They were one group (none counted as committed), and none of their work ran.
      expect(database.commitStats?.().transactions ?? 0).toBe(before);
      expect(ran.size).toBe(0);
      expect(await committedKeys()).toEqual([]);
    });

    it('keeps the work of a savepoint inside a group member until the shared commit (the outbox worker\'s shape)', async () => {
      const ran = new Map<string, Promise<string[]>>();
      await Promise.all([
        withTransaction(database, async (trx) => {
          await inSavepoint(trx, (job) => put(job, 'job-1', ran));
          await expect(
            inSavepoint(trx, async (job) => {
              await put(job, 'job-2', ran);
              throw new Error('job failed');
            }),
          ).rejects.toThrow('job failed');
          await put(trx, 'settled', ran);
        }),
        withTransaction(database, (trx) => put(trx, 'request', ran)),
      ]);
      expect(await settled(ran)).toEqual({ 'job-1': ['job-1', 'request', 'settled'], settled: ['job-1', 'request', 'settled'], request: ['job-1', 'request', 'settled'] });
    });
  });
});
