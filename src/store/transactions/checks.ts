import type { DialectAdapter, Kysely, Transaction } from 'kysely';
import type { Executor } from '../database.js';
import type { DB } from '../schema.js';

/**
 * The checking mode (`openDatabase(url, { checks: true })`; every test turns it on, production
 * never does): the invariants of INTERNALS.md, checked as the store runs.
 *
 * - SQLite: every group commit is rehearsed: its bodies run, the transaction is rolled back on
 *   purpose, and the bodies run again, each in a real savepoint, exactly as after a failure in a
 *   group (group-commit.ts). A body that is not safe to run twice shows: its second run must
 *   change as many rows as its first
 *   (a body that remembers in memory what its rolled-back first run did, and skips or redoes it,
 *   changes a different number), and everything the first run left in memory is then compared
 *   with the tables by the commit checks.
 * - After each commit the commit checks run (registered by the modules that keep committed
 *   state in memory: committed-records.ts) and compare that memory with the tables.
 *
 * A breach throws `InvariantBroken` to the callers of the transaction (which has committed), so
 * the test that drove it fails.
 */
const checked = new WeakSet<DialectAdapter>();

export function enableChecks(db: Kysely<DB>): void {
  checked.add(db.getExecutor().adapter);
}

/** Whether the database `ex` works on runs in checking mode. */
export function checksOn(ex: Executor): boolean {
  return checked.has(ex.getExecutor().adapter);
}

export class InvariantBroken extends Error {
  constructor(message: string) {
    super(`store invariant broken (INTERNALS.md): ${message}`);
    this.name = 'InvariantBroken';
  }
}

/** Reads the tables in `trx` (a transaction of its own, after a commit) and throws `InvariantBroken` when memory disagrees. */
export type CommitCheck = (trx: Transaction<DB>) => Promise<void>;

const commitChecks = new Map<string, CommitCheck>();

/** Called once by a module that keeps committed state in memory, when it loads. */
export function registerCommitCheck(name: string, check: CommitCheck): void {
  commitChecks.set(name, check);
}

/** Every commit check, in a transaction of their own on `db` (outside any other). */
export async function runCommitChecks(db: Kysely<DB>): Promise<void> {
  if (commitChecks.size === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const check of commitChecks.values()) await check(trx);
  });
}

/** Thrown to roll a rehearsal back on purpose. */
export class Rehearsal extends Error {
  constructor() {
    super('checking mode: a rehearsal, rolled back on purpose');
    this.name = 'Rehearsal';
  }
}
