import { setImmediate as nextTurn } from 'node:timers';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { InvariantBroken, Rehearsal, runCommitChecks } from './checks.js';
import { committing } from './committed-work.js';
import { inOptimisticSavepoint, inSavepoint, SavepointLost, totalChanges, WroteBeforeFailing } from './savepoints.js';

export interface CommitStats {
  /** SQLite transactions committed through `withTransaction`. */
  readonly commits: number;
  /** Logical transactions (`withTransaction` calls) those commits carried. */
  readonly transactions: number;
}

/** Logical transactions committed together at most (bounds how long one commit keeps the others waiting). */
export const GROUP_COMMIT_UNITS = 64;

const groupCommits = new WeakMap<Kysely<DB>, GroupCommit>();

/** The group commit of a SQLite database opened by openDatabase; undefined for PostgreSQL. */
export function groupCommitOf(db: Kysely<DB>): GroupCommit | undefined {
  return groupCommits.get(db);
}

export function startGroupCommit(db: Kysely<DB>, maxUnits: number, checks: boolean): GroupCommit {
  const group = new GroupCommit(db, maxUnits, checks);
  groupCommits.set(db, group);
  return group;
}

interface Unit {
  readonly fn: (trx: Transaction<DB>) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

type Ran =
  /** Settled: every unit resolved or rejected. */
  | { readonly kind: 'settled' }
  /** Rolled back, nothing settled: `unit` threw after writing outside a savepoint. */
  | { readonly kind: 'wrote'; readonly unit: Unit; readonly error: unknown }
  /** Checking mode: rolled back on purpose, nothing settled; rows each unit changed. */
  | { readonly kind: 'rehearsed'; readonly changes: readonly number[] };

/**
 * Group commit for SQLite: the logical transactions (`withTransaction` calls) that are waiting
 * when the connection is free run one after another inside ONE SQLite transaction, each as if in
 * a savepoint of its own, and share its commit — one WAL append and one fsync for the group
 * instead of one each (its gain: bench/results/handoff-profile.md).
 *
 * What each caller sees is unchanged:
 * - Its promise settles only after the shared commit: resolved with its own result when the
 *   group committed, rejected with the commit's error when it did not (nothing of it is stored).
 * - A logical transaction that throws is rolled back alone — none of its writes stay — and
 *   rejects with its own error; the others of the group still commit.
 * - They run one at a time on the one connection, in arrival order, as they did before (Kysely's
 *   single SQLite connection already serialised transactions), so each sees the writes of those
 *   before it exactly as if they had committed: the schedule is serial either way.
 *
 * The savepoint is only taken when needed (inOptimisticSavepoint): when one body throws after
 * writing, the whole transaction is rolled back and the others run AGAIN, each in a real
 * savepoint — a body may run twice (INTERNALS.md). In checking mode every group takes that path
 * on purpose (checks.ts).
 *
 * A group forms from what is queued when the connection comes free: a transaction that arrives
 * while the connection is idle starts on the next turn of the event loop (`setImmediate`, after
 * the I/O callbacks of this turn have queued theirs), so under load the requests that arrived
 * together commit together, and alone it waits no timer. Durability is the same (synchronous =
 * FULL still syncs before any caller hears "committed").
 */
export class GroupCommit {
  readonly #db: Kysely<DB>;
  readonly #maxUnits: number;
  readonly #checks: boolean;
  #queue: Unit[] = [];
  #running: Promise<void> | null = null;
  #commits = 0;
  #transactions = 0;

  constructor(db: Kysely<DB>, maxUnits: number, checks: boolean) {
    this.#db = db;
    this.#maxUnits = Math.max(1, maxUnits);
    this.#checks = checks;
  }

  run<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.#running ??= new Promise<void>((started) => nextTurn(started)).then(() => this.#drain());
    });
  }

  stats(): CommitStats {
    return { commits: this.#commits, transactions: this.#transactions };
  }

  /** Resolves when nothing is queued or running (before the connection is closed). */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, this.#maxUnits));
    } finally {
      this.#running = null;
    }
  }

  async #commit(units: readonly Unit[]): Promise<void> {
    const only = units.length === 1 ? units[0] : undefined;
    if (only !== undefined && !this.#checks) {
      // Alone: a plain transaction, no savepoint.
      try {
        const value = await committing(this.#db, only.fn);
        this.#commits += 1;
        this.#transactions += 1;
        only.resolve(value);
      } catch (error) {
        only.reject(error);
      }
      return;
    }
    // First without savepoints (inOptimisticSavepoint); when one of them throws after writing,
    // the whole transaction is rolled back, that one is rejected with its error, and the others
    // run again, each in a savepoint. Either way each sees exactly the writes of those before it.
    // Checking mode: the first run is always rolled back, and all run again in savepoints.
    const first = await this.#commitGroup(units, inOptimisticSavepoint, units.length, this.#checks, null);
    if (first.kind === 'settled') return;
    if (first.kind === 'rehearsed') {
      await this.#commitGroup(units, inSavepoint, units.length, false, first.changes);
      return;
    }
    first.unit.reject(first.error);
    const rest = units.filter((unit) => unit !== first.unit);
    // The failed one is counted with the group it came in (commitStats), as a unit rolled back to
    // its savepoint is.
    if (rest.length > 0) await this.#commitGroup(rest, inSavepoint, units.length, false, null);
  }

  /**
   * One SQLite transaction running `units` one after another, each through `step`, then settled
   * (`counted` logical transactions in the stats). When a unit throws after writing outside a
   * savepoint (`WroteBeforeFailing`), the transaction is rolled back, nothing is settled, and that
   * unit and its error are returned for the caller to run the rest again. Checking mode:
   * `rehearse` rolls the transaction back once every unit has run; `expected` is what each unit
   * changed in the rehearsal, which the run must change again.
   */
  async #commitGroup(units: readonly Unit[], step: typeof inSavepoint, counted: number, rehearse: boolean, expected: readonly number[] | null): Promise<Ran> {
    const failure: { wrote: { readonly unit: Unit; readonly error: unknown } | null } = { wrote: null };
    const outcomes: Outcome[] = [];
    const changes: number[] = [];
    try {
      await committing(this.#db, async (trx) => {
        for (const unit of units) {
          const before = this.#checks ? await totalChanges(trx) : 0;
          try {
            outcomes.push({ ok: true, value: await step(trx, unit.fn) });
          } catch (error) {
            if (error instanceof SavepointLost) throw error.cause;
            if (error instanceof WroteBeforeFailing) {
              failure.wrote = { unit, error: error.cause };
              throw error;
            }
            outcomes.push({ ok: false, error });
          }
          if (this.#checks) {
            await flushFullTextIndexes(trx);
            changes.push((await totalChanges(trx)) - before);
          }
        }
        if (rehearse) throw new Rehearsal();
      });
    } catch (error) {
      if (failure.wrote !== null) return { kind: 'wrote', ...failure.wrote };
      if (error instanceof Rehearsal) return { kind: 'rehearsed', changes };
      for (const unit of units) unit.reject(error);
      return { kind: 'settled' };
    }
    if (this.#checks) {
      try {
        if (expected !== null) {
          const differs = changes.findIndex((n, i) => n !== expected[i]);
          if (differs >= 0) {
            throw new InvariantBroken(
              `a transaction body changed ${expected[differs]} rows on its first run and ${changes[differs]} on its second: ` +
                'it depends on something its rolled-back first run left outside the database (a body may run twice)',
            );
          }
        }
        await runCommitChecks(this.#db);
      } catch (broken) {
        this.#commits += 1;
        this.#transactions += counted;
        for (const unit of units) unit.reject(broken);
        return { kind: 'settled' };
      }
    }
    this.#settle(units, outcomes, counted);
    return { kind: 'settled' };
  }

  #settle(units: readonly Unit[], outcomes: readonly Outcome[], counted: number): void {
    this.#commits += 1;
    this.#transactions += counted;
    units.forEach((unit, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined) unit.reject(new Error('group commit lost a transaction\'s outcome'));
      else if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }
}

/**
 * Checking mode only. FTS5 (migration 2026-12-07-search) keeps the index entries a transaction
 * writes in memory and writes them to its shadow tables when a savepoint opens or is released, or
 * at commit — rows `total_changes()` counts. A rehearsal runs bodies without savepoints and the
 * checked run inside them, so the same body would count its index writes in one run and not in
 * the other; a savepoint opened and released after each body writes them out in both alike.
 */
async function flushFullTextIndexes(trx: Transaction<DB>): Promise<void> {
  await sql`savepoint baton_fts_flush`.execute(trx);
  await sql`release savepoint baton_fts_flush`.execute(trx);
}
