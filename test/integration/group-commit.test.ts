// SQLite only by nature: group commit and these connection settings exist only on SQLite.
/**
 * SQLite group commit (src/store/database.ts): logical transactions queued together share one
 * SQLite transaction, each in its own savepoint. What every caller must still see: its own
 * result only after the shared commit, its writes rolled back alone when it throws, nothing
 * stored and an error for everyone when the shared commit fails, and the serial order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inSavepoint, openDatabase, withTransaction, type Database } from '../../src/store/database.js';

let dir: string;
let file: string;
let database: Database;
/** A second connection to the same file: sees only what is committed. */
let reader: Sqlite.Database;

/** `checks`: the store's checking mode (INTERNALS.md), on unless a test counts the production path's runs. */
async function open(groupCommitUnits?: number, checks = true): Promise<void> {
  database = await openDatabase(`sqlite:${file}`, { migrate: false, checks, ...(groupCommitUnits === undefined ? {} : { groupCommitUnits }) });
  await sql`create table if not exists t (k text primary key, v integer not null)`.execute(database.db);
  reader = new Sqlite(file, { readonly: true });
}

function committed(): Record<string, number> {
  const rows = reader.prepare('select k, v from t order by k').all() as { k: string; v: number }[];
  return Object.fromEntries(rows.map((row) => [row.k, row.v]));
}

function put(k: string, v: number) {
  return async (trx: Parameters<Parameters<typeof withTransaction>[1]>[0]): Promise<string> => {
    await sql`insert into t (k, v) values (${k}, ${v})`.execute(trx);
    return k;
  };
}

function commits(): number {
  const stats = database.commitStats?.();
  if (stats === undefined) throw new Error('no commit stats on SQLite');
  return stats.commits;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-group-commit-'));
  file = join(dir, 'baton.db');
});

afterEach(async () => {
  reader?.close();
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite group commit', () => {
  it('commits transactions queued together once, and each caller hears only after that commit', async () => {
    await open();
    const before = commits();
    const seenCommittedAtResolve: boolean[] = [];
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const results = await Promise.all(
      keys.map((k, i) =>
        withTransaction(database, put(k, i)).then((value) => {
          seenCommittedAtResolve.push(committed()[k] === keys.indexOf(k));
          return value;
        }),
      ),
    );
    expect(results).toEqual(keys);
    expect(committed()).toEqual({ a: 0, b: 1, c: 2, d: 3, e: 4 });
    expect(seenCommittedAtResolve).toEqual([true, true, true, true, true]);
    expect(commits() - before).toBe(1);
    expect(database.commitStats?.().transactions).toBeGreaterThanOrEqual(5);
  });

  it('rolls back only the transaction that throws; the others of the group commit', async () => {
    await open();
    const failing = withTransaction(database, async (trx) => {
      await sql`insert into t (k, v) values ('bad', 1)`.execute(trx);
      throw new Error('refused by the use case');
    });
    const [first, , last] = await Promise.allSettled([withTransaction(database, put('x', 1)), failing, withTransaction(database, put('y', 2))]);
    expect(first).toEqual({ status: 'fulfilled', value: 'x' });
    expect(last).toEqual({ status: 'fulfilled', value: 'y' });
    await expect(failing).rejects.toThrow('refused by the use case');
    expect(committed()).toEqual({ x: 1, y: 2 });
  });

  it('a constraint violation rolls back that transaction alone', async () => {
    await open();
    const outcomes = await Promise.allSettled([withTransaction(database, put('k', 1)), withTransaction(database, put('k', 2)), withTransaction(database, put('m', 3))]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed()).toEqual({ k: 1, m: 3 });
  });

  it('runs the group in arrival order, each seeing the writes of those before it', async () => {
    await open();
    const reads = await Promise.all(
      [1, 2, 3].map((n) =>
        withTransaction(database, async (trx) => {
          const before = await sql<{ total: number | null }>`select sum(v) as total from t`.execute(trx);
          await sql`insert into t (k, v) values (${`n${n}`}, ${n})`.execute(trx);
          return before.rows[0]?.total ?? 0;
        }),
      ),
    );
    expect(reads).toEqual([0, 1, 3]);
  });

  it('gives each transaction of a group an executor of its own', async () => {
    await open();
    const executors = await Promise.all([1, 2, 3].map(() => withTransaction(database, async (trx) => trx)));
    expect(new Set(executors).size).toBe(3);
    for (const trx of executors) expect(trx.isTransaction).toBe(true);
  });

  it('a transaction joined by a nested withTransaction stays one unit', async () => {
    await open();
    const outcome = await Promise.allSettled([
      withTransaction(database, async (trx) => {
        await put('outer', 1)(trx);
        await withTransaction(trx, put('inner', 2));
        throw new Error('undo both');
      }),
      withTransaction(database, put('other', 3)),
    ]);
    expect(outcome.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    expect(committed()).toEqual({ other: 3 });
  });

  it('when the shared commit fails, every caller of the group gets the error and nothing is stored', async () => {
    await open();
    // A deferred foreign key fails at COMMIT, not at the statement: the whole group's commit fails.
    await sql`create table parent (id text primary key)`.execute(database.db);
    await sql`create table child (id text primary key, parent text references parent(id) deferrable initially deferred)`.execute(database.db);
    const outcomes = await Promise.allSettled([
      withTransaction(database, put('p', 1)),
      withTransaction(database, async (trx) => {
        await sql`insert into child (id, parent) values ('c', 'missing')`.execute(trx);
      }),
      withTransaction(database, put('q', 2)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(committed()).toEqual({});
    // The connection is usable afterwards.
    await withTransaction(database, put('after', 3));
    expect(committed()).toEqual({ after: 3 });
  });

  it('savepoints nest: a failing inner one is rolled back alone, inside a transaction of a group', async () => {
    await open();
    const [outcome] = await Promise.all([
      withTransaction(database, async (trx) => {
        await inSavepoint(trx, async (outer) => {
          await put('kept', 1)(outer);
          await expect(
            inSavepoint(outer, async (inner) => {
              await put('undone', 2)(inner);
              throw new Error('inner refused');
            }),
          ).rejects.toThrow('inner refused');
          await put('after', 3)(outer);
        });
        return 'ok';
      }),
      withTransaction(database, put('neighbour', 4)),
    ]);
    expect(outcome).toBe('ok');
    expect(committed()).toEqual({ after: 3, kept: 1, neighbour: 4 });
  });

  it('with groupCommitUnits 1 every transaction commits on its own', async () => {
    await open(1);
    const before = commits();
    await Promise.all(['a', 'b', 'c'].map((k, i) => withTransaction(database, put(k, i))));
    expect(commits() - before).toBe(3);
    expect(committed()).toEqual({ a: 0, b: 1, c: 2 });
  });

  it('close waits for queued transactions to commit', async () => {
    await open();
    const pending = [withTransaction(database, put('late1', 1)), withTransaction(database, put('late2', 2))];
    await database.close();
    await expect(Promise.all(pending)).resolves.toEqual(['late1', 'late2']);
    expect(committed()).toEqual({ late1: 1, late2: 2 });
    database = await openDatabase(`sqlite:${file}`, { checks: true });
  });
});

describe('SQLite connection settings', () => {
  it('keeps statement journals (one per group-commit savepoint) in memory, the WAL durable', async () => {
    await open();
    const pragma = async (name: string): Promise<unknown> => (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(database.db)).rows[0]?.[name];
    // 2 = MEMORY: savepoints' statement journals would otherwise spill to temporary files.
    expect(await pragma('temp_store')).toBe(2);
    expect(await pragma('journal_mode')).toBe('wal');
    // 2 = FULL: a commit is on disk before anyone hears of it.
    expect(await pragma('synchronous')).toBe(2);
  });
});

describe('SQLite group commit without savepoints until needed', () => {
  it('runs a group once when a transaction throws before writing, and again in savepoints when one throws after writing', async () => {
    // Counts the bodies' runs of the production path: the checking mode rehearses every group.
    await open(undefined, false);
    const runs = new Map<string, number>();
    const counted = (k: string, v: number, fail: 'no' | 'before' | 'after') => async (trx: Parameters<Parameters<typeof withTransaction>[1]>[0]): Promise<string> => {
      runs.set(k, (runs.get(k) ?? 0) + 1);
      if (fail === 'before') throw new Error(`${k} refused`);
      await sql`insert into t (k, v) values (${k}, ${v})`.execute(trx);
      if (fail === 'after') throw new Error(`${k} failed`);
      return k;
    };
    const group = (items: readonly [string, number, 'no' | 'before' | 'after'][]) =>
      Promise.allSettled(items.map(([k, v, fail]) => withTransaction(database, counted(k, v, fail))));

    const before = commits();
    const refused = await group([['a', 1, 'no'], ['b', 2, 'before'], ['c', 3, 'no']]);
    expect(refused.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed()).toEqual({ a: 1, c: 3 });
    expect(Object.fromEntries(runs)).toEqual({ a: 1, b: 1, c: 1 });
    expect(commits() - before).toBe(1);

    runs.clear();
    const failed = await group([['d', 4, 'no'], ['e', 5, 'after'], ['f', 6, 'no']]);
    expect(failed.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((failed[1] as PromiseRejectedResult).reason).toEqual(new Error('e failed'));
    // e's insert is gone; d ran again after the rollback (its first run was undone with e's).
    expect(committed()).toEqual({ a: 1, c: 3, d: 4, f: 6 });
    expect(Object.fromEntries(runs)).toEqual({ d: 2, e: 1, f: 1 });
  });
});
