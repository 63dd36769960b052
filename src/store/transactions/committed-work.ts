import type { Kysely, Transaction } from 'kysely';
import type { Executor } from '../database.js';
import type { DB } from '../schema.js';

/**
 * Work waiting for a commit, by executor object: each transaction opened here (`committing`: a
 * `withTransaction`, a group's shared SQLite transaction) and each savepoint's own executor
 * (savepoints.ts) has a list while it is open. A savepoint's list joins its parent's when it is
 * released and is dropped when it is rolled back; the outermost transaction's list runs once its
 * COMMIT has succeeded and is dropped when it rolls back or its COMMIT fails. Group commit keeps
 * each logical transaction in a savepoint with an executor of its own, so one rolled back alone
 * takes its work with it and the others' runs after the shared commit.
 */
const committedWork = new WeakMap<Executor, (() => void)[]>();

/**
 * Run `fn` once the writes made so far through `ex` are committed: after the outermost
 * transaction `ex` belongs to has committed, before the caller of that transaction hears so; never
 * if that transaction, or a savepoint between `ex` and it, is rolled back, nor if its COMMIT fails.
 * Outside a transaction (autocommit) the writes are committed already: `fn` runs at once.
 *
 * For what memory may remember about rows only once they are committed (group commit shares one
 * SQLite transaction among several callers, and a seq handed out by one rolled back to its
 * savepoint is handed out again). A transaction this module did not open (Kysely's
 * `startTransaction`, its own savepoints) has an outcome this hook cannot see: `fn` is dropped —
 * never run too early, at worst not at all (INTERNALS.md). Not the services' `ctx.afterCommit`,
 * which asks the background workers for a run.
 *
 * `fn` must be quick and synchronous; what it throws is ignored (the commit has happened).
 */
export function onCommitted(ex: Executor, fn: () => void): void {
  if (!ex.isTransaction) {
    runCommittedWork([fn]);
    return;
  }
  committedWork.get(ex)?.push(fn);
}

export function openCommittedWork(ex: Executor): (() => void)[] {
  const work: (() => void)[] = [];
  committedWork.set(ex, work);
  return work;
}

/** Late calls on a finished executor find no list and are dropped. */
export function closeCommittedWork(ex: Executor): void {
  committedWork.delete(ex);
}

/** A savepoint's work, now that it is released, joins its parent's. */
export function joinCommittedWork(parent: Executor, work: readonly (() => void)[]): void {
  committedWork.get(parent)?.push(...work);
}

/** One real transaction (`db` is not inside one) and, once it has committed, its work. */
export async function committing<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  let opened: Transaction<DB> | null = null;
  let work: (() => void)[] = [];
  let value: T;
  try {
    value = await db.transaction().execute((trx) => {
      opened = trx;
      work = openCommittedWork(trx);
      return fn(trx);
    });
  } finally {
    if (opened !== null) closeCommittedWork(opened);
  }
  runCommittedWork(work);
  return value;
}

function runCommittedWork(work: readonly (() => void)[]): void {
  for (const fn of work) {
    try {
      fn();
    } catch {
      // The transaction committed; its callers must hear so whatever a hook does.
    }
  }
}
