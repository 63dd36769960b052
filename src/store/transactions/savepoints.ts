import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, Transaction, UnknownRow } from 'kysely';
import { SqliteAdapter, sql } from 'kysely';
import type { Executor } from '../database.js';
import { preparedQuery } from '../prepared.js';
import type { DB } from '../schema.js';
import { closeCommittedWork, joinCommittedWork, openCommittedWork } from './committed-work.js';
import { fastPaths } from './fast-paths.js';

/**
 * Run `fn` inside a savepoint of the open transaction `trx`, with an executor of its own
 * (per-transaction state — after-commit work, publication rows — is keyed on the executor object,
 * and must not outlive a rollback): when `fn` throws, its writes are rolled back to the savepoint
 * and the error is rethrown; the transaction goes on. Both SQLite and PostgreSQL (where the
 * rollback also clears the "current transaction is aborted" state a failed statement leaves). If
 * the savepoint itself cannot be rolled back (the database ended the transaction, e.g. an I/O
 * error), throws `SavepointLost`.
 */
export async function inSavepoint<T>(trx: Transaction<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  // One name for all: ROLLBACK TO and RELEASE act on the innermost savepoint of that name (SQLite
  // and PostgreSQL), so nesting works, and the statements stay the same text (prepared once).
  await SAVEPOINT.run(trx, {});
  return onOwnExecutor(trx, fn, {
    async failed(error) {
      try {
        await ROLLBACK_TO_SAVEPOINT.run(trx, {});
        await RELEASE_SAVEPOINT.run(trx, {});
      } catch (lost) {
        throw new SavepointLost(lost);
      }
      throw error;
    },
    async succeeded() {
      await RELEASE_SAVEPOINT.run(trx, {});
    },
  });
}

/**
 * `fn` on an executor of its own, with a list of after-commit work of its own (`onCommitted`):
 * when `fn` throws, `failed` decides what is thrown and the work is dropped (it describes writes
 * that are gone or were never made); when it resolves and `succeeded` does, the work joins
 * `trx`'s — it now stands or falls with the enclosing transaction.
 */
async function onOwnExecutor<T>(
  trx: Transaction<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  settle: { failed(error: unknown): Promise<never>; succeeded(): Promise<void> },
): Promise<T> {
  const own = trx.withPlugin(new OwnExecutor());
  const work = openCommittedWork(own);
  let value: T;
  try {
    value = await fn(own);
  } catch (error) {
    closeCommittedWork(own);
    return settle.failed(error);
  }
  try {
    await settle.succeeded();
  } finally {
    closeCommittedWork(own);
  }
  joinCommittedWork(trx, work);
  return value;
}

const SAVEPOINT_NAME = sql.id('baton_savepoint');
const SAVEPOINT = preparedQuery((db) => ({ compile: () => sql`savepoint ${SAVEPOINT_NAME}`.compile(db) }));
const ROLLBACK_TO_SAVEPOINT = preparedQuery((db) => ({ compile: () => sql`rollback to savepoint ${SAVEPOINT_NAME}`.compile(db) }));
const RELEASE_SAVEPOINT = preparedQuery((db) => ({ compile: () => sql`release savepoint ${SAVEPOINT_NAME}`.compile(db) }));

/**
 * Like `inSavepoint`, without the savepoint when nothing has to be undone.
 *
 * On SQLite a savepoint is not free: while one is open, SQLite copies each page the transaction had
 * already changed into a statement journal before changing it again, and in a group commit every
 * logical transaction rewrites pages the ones before it changed (the tables' last leaves, index
 * roots); its cost is in bench/results/handoff-profile.md. Failures are rare, so `fn` runs on the
 * transaction as is (with an executor of its own, as in a savepoint), and:
 * - when it throws having changed no row (SQLite's `total_changes()` did not move: a refusal, a
 *   validation error), there is nothing to undo and its error is rethrown;
 * - when it throws having written, its writes cannot be undone alone: `WroteBeforeFailing` is
 *   thrown instead, and the caller must roll the whole transaction back and run it again with
 *   `inSavepoint` (GroupCommit and the outbox worker do) — so a body may run twice (INTERNALS.md).
 * `total_changes()` counts rows, not schema changes: no use case runs DDL in a transaction
 * (migrations run in Kysely's migrator, outside group commit).
 *
 * PostgreSQL (the outbox worker's batches; group commit is SQLite's): there the savepoint costs
 * two round trips per job, and a failed statement aborts the whole transaction anyway, so every
 * failure is `WroteBeforeFailing`: the batch rolls back and runs again with savepoints.
 */
export async function inOptimisticSavepoint<T>(trx: Transaction<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (!fastPaths.optimisticSavepoints) return inSavepoint(trx, fn);
  // null: no way to tell (PostgreSQL), so every failure counts as one after writing.
  const before = isSqlite(trx) ? await totalChanges(trx) : null;
  return onOwnExecutor(trx, fn, {
    async failed(error) {
      if (before !== null && (await totalChanges(trx)) === before) throw error;
      throw new WroteBeforeFailing(error);
    },
    async succeeded() {},
  });
}

/** A logical transaction threw after writing, without a savepoint: roll back the whole transaction and run again with savepoints. */
export class WroteBeforeFailing extends Error {
  constructor(cause: unknown) {
    super('a transaction threw after writing, outside a savepoint', { cause });
    this.name = 'WroteBeforeFailing';
  }
}

/** The transaction a savepoint belonged to is gone: the whole transaction must fail. */
export class SavepointLost extends Error {
  constructor(cause: unknown) {
    super('the transaction ended under a savepoint', { cause });
    this.name = 'SavepointLost';
  }
}

const TOTAL_CHANGES = preparedQuery((db) => ({ compile: () => sql<{ n: number }>`select total_changes() as n`.compile(db) }));

/** Rows inserted, updated or deleted on this SQLite connection since it opened (rolled back ones included). */
export async function totalChanges(trx: Executor): Promise<number> {
  const row = await TOTAL_CHANGES.first(trx, {});
  return Number(row?.n ?? 0);
}

export function isSqlite(ex: Executor): boolean {
  return ex.getExecutor().adapter instanceof SqliteAdapter;
}

/** Gives the executor it is added to an identity of its own; changes nothing else. */
class OwnExecutor implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
