/**
 * The gauges /metrics reads at scrape time (docs/monitoring.md), each one indexed query whose cost
 * grows with what it counts, never with the size of the table:
 *
 * - waiting conversations per queue: a range of `conversations_line_idx` (status, queue_id, …);
 * - outbox rows due and not yet run per kind: a range of the partial index `outbox_waiting_idx`
 *   (pending, processing, failed; by available_at), one table row read per due row;
 * - dead-lettered outbox rows: the partial index `outbox_dead_idx` (2026-12-09-metrics-indexes),
 *   so the rows done and kept for good are never scanned.
 */
import { sql } from 'kysely';
import type { Executor } from '../database.js';

/** Conversations waiting in a line now, per queue (`null`: a team's line without a queue). */
export async function countWaitingByQueue(ex: Executor): Promise<Map<string | null, number>> {
  const rows = await ex
    .selectFrom('conversations')
    .select((eb) => ['queue_id', eb.fn.countAll<number | string>().as('count')])
    .where('status', '=', 'queued')
    .groupBy('queue_id')
    .execute();
  return new Map(rows.map((row) => [row.queue_id, Number(row.count)]));
}

/**
 * Outbox rows due and not yet run, per kind: pending, failed and due again, or claimed by a worker
 * whose lease has lapsed — `available_at` at or before `now`. Timers set for later are not due.
 * A range of `outbox_waiting_idx` (available_at, id), one table row read per due row.
 */
export async function countOutboxDueByKind(ex: Executor, now: number): Promise<Map<string, number>> {
  const rows = await ex
    .selectFrom('outbox')
    .select((eb) => ['kind', eb.fn.countAll<number | string>().as('count')])
    // The partial index's own predicate, written the same way, so both databases use it.
    .where(sql<boolean>`status in ('pending', 'processing', 'failed')`)
    .where('available_at', '<=', now)
    .groupBy('kind')
    .execute();
  return new Map(rows.map((row) => [row.kind, Number(row.count)]));
}

/** Dead-lettered outbox rows (attempts ran out; a person may retry them). */
export async function countOutboxDead(ex: Executor): Promise<number> {
  const row = await ex
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
