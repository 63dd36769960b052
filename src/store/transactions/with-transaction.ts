import { Kysely, type Transaction } from 'kysely';
import type { Database, Executor } from '../database.js';
import type { DB } from '../schema.js';
import { checksOn, runCommitChecks } from './checks.js';
import { committing } from './committed-work.js';
import { groupCommitOf } from './group-commit.js';

/** PostgreSQL: deadlock_detected, serialization_failure. */
const RETRYABLE_PG_CODES = new Set(['40P01', '40001']);

function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && RETRYABLE_PG_CODES.has(code);
}

export interface TransactionOptions {
  /** Attempts when PostgreSQL aborts the transaction for a deadlock (default 3). */
  readonly attempts?: number;
}

/**
 * Run `fn` in one transaction: commit when it resolves, roll back when it throws.
 *
 * - Joins the caller's transaction when given one, so use cases compose.
 * - `fn` may run more than once (INTERNALS.md): PostgreSQL may abort one of two transactions
 *   that lock the same rows in opposite orders (40P01), and the whole `fn` is then re-run; a
 *   SQLite group commit re-runs the others of a group when one throws after writing. So `fn`
 *   must have no effects outside the database (put them in the outbox: work that
 *   happens later is a row first; memory about committed rows: `onCommitted`).
 * - SQLite: every query inside `fn` must go through `trx`. The database has one connection;
 *   awaiting a query on the outer handle inside `fn` waits forever for that connection.
 * - Checking mode (checks.ts): on SQLite group commit rehearses `fn`; on PostgreSQL the commit
 *   checks run after the commit (no rehearsal there: see INTERNALS.md 1).
 */
export async function withTransaction<T>(
  database: Database | Executor,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const db = database instanceof Kysely ? database : database.db;
  if (db.isTransaction) return fn(db as Transaction<DB>);
  const group = groupCommitOf(db);
  if (group !== undefined) return group.run(fn);
  const checks = checksOn(db);
  const attempts = Math.max(1, options.attempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      const value = await committing(db, fn);
      if (checks) await runCommitChecks(db);
      return value;
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((done) => setTimeout(done, 5 * attempt));
    }
  }
}

