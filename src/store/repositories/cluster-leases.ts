import type { Executor } from '../database.js';

/**
 * Periodic work once per period across the processes of one database (several Baton processes
 * on PostgreSQL; on SQLite usually one). Each process's timer fires every period; the first to
 * take the period runs the work, the others find it taken. Not a lock held while the work runs
 * (a process that dies mid-run holds nothing): a period, recorded as the instant before which no
 * other run starts. One statement each, so it works the same on both databases: PostgreSQL's
 * UPDATE re-checks `due_at` on the row as the concurrent winner left it, SQLite has one writer.
 */
export interface TakePeriodInput {
  /** The work, e.g. `sweep.waiting`. */
  readonly name: string;
  /** Who takes it (a process id), kept for diagnostics. */
  readonly holder: string;
  readonly now: number;
  readonly periodMs: number;
  /**
   * How early a period may be taken (ms): timers of several processes fire at unrelated
   * instants; a process whose timer fires just before the period ends takes the next one, instead
   * of everyone missing it by a hair and the work waiting almost two periods.
   */
  readonly earlyMs: number;
}

/** Whether `holder` took the period starting now (and must run the work). */
export async function takePeriod(ex: Executor, input: TakePeriodInput): Promise<boolean> {
  const dueAt = input.now + input.periodMs;
  const inserted = await ex
    .insertInto('cluster_leases')
    .values({ name: input.name, holder: input.holder, due_at: dueAt, updated_at: input.now })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('name')
    .executeTakeFirst();
  if (inserted !== undefined) return true;
  const result = await ex
    .updateTable('cluster_leases')
    .set({ holder: input.holder, due_at: dueAt, updated_at: input.now })
    .where('name', '=', input.name)
    .where('due_at', '<=', input.now + input.earlyMs)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface ClusterLease {
  readonly name: string;
  readonly holder: string;
  readonly dueAt: number;
  readonly updatedAt: number;
}

export async function getClusterLease(ex: Executor, name: string): Promise<ClusterLease | null> {
  const row = await ex.selectFrom('cluster_leases').selectAll().where('name', '=', name).executeTakeFirst();
  return row === undefined ? null : { name: row.name, holder: row.holder, dueAt: Number(row.due_at), updatedAt: Number(row.updated_at) };
}
