import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../database.js';
import { fromJson, toJson } from '../json.js';
import { preparedQuery } from '../prepared.js';
import type { OutboxRow } from '../schema.js';
import { createId } from '../../platform/runtime.js';

/**
 * Work that happens later is a row first: notifications, timers and webhooks are
 * outbox rows written in the state change's transaction, so a crash between "committed" and
 * "enqueued" cannot lose them (Outline enqueues after commit, Documenso outside the
 * transaction; CW #15920 sent webhooks once without retry; RC retried in memory).
 *
 * Lifecycle: `pending` → claimed (`processing`, with a lease until `available_at`) → `done`;
 * or, on failure, `failed` (retried at `available_at`, exponential backoff) until the attempts
 * run out → `dead` (the dead-letter list; a person may retry it). A `processing` row whose
 * lease ended (its worker died) is claimable again: delivery is at least once.
 */
export type OutboxStatus = 'pending' | 'processing' | 'done' | 'failed' | 'dead' | 'cancelled';

export interface OutboxItem {
  readonly id: string;
  readonly kind: string;
  readonly idempotencyKey: string;
  /** As stored; the job definition parses it with its own schema. */
  readonly payload: unknown;
  readonly status: OutboxStatus;
  /** Attempts started so far (incremented by each claim). */
  readonly attempts: number;
  readonly availableAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastError: string | null;
}

export function rowToOutboxItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    kind: row.kind,
    idempotencyKey: row.idempotency_key,
    payload: fromJson<unknown>(row.payload),
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    availableAt: row.available_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastError: row.last_error,
  };
}

export interface NewOutboxItem {
  readonly id?: string;
  /** Dotted: `deliver.webhook`, `notify.email`, `timer.sla`. */
  readonly kind: string;
  /** Deterministic, e.g. `${conversationId}:${kind}:${eventSeq}`: the same fact enqueues once. */
  readonly idempotencyKey: string;
  readonly payload: unknown;
  /** Not before this instant (timers); default `now`. */
  readonly availableAt?: number;
  readonly now: number;
}

const insertOutboxRow = preparedQuery(
  (db, p: { id: string; kind: string; key: string; payload: string; availableAt: number; now: number }) =>
    db
      .insertInto('outbox')
      .values({
        id: p.id,
        kind: p.kind,
        idempotency_key: p.key,
        payload: p.payload,
        status: 'pending',
        attempts: 0,
        available_at: p.availableAt,
        created_at: p.now,
        updated_at: p.now,
        last_error: null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id'),
);

/**
 * Enqueue unless a row with the same idempotency key exists (then nothing changes and
 * `inserted` is false). Call it inside the transaction of the state change it follows from.
 */
export async function enqueue(ex: Executor, input: NewOutboxItem): Promise<{ readonly inserted: boolean; readonly id: string | null }> {
  const row = await insertOutboxRow.first(ex, {
    id: input.id ?? createId(),
    kind: input.kind,
    key: input.idempotencyKey,
    payload: toJson(input.payload),
    availableAt: input.availableAt ?? input.now,
    now: input.now,
  });
  return row === undefined ? { inserted: false, id: null } : { inserted: true, id: row.id };
}

/**
 * Rows still to deliver, written exactly as the partial index outbox_waiting_idx states it
 * (migration 2026-11-29-outbox-waiting): with bound parameters, or the statuses in another
 * order, SQLite cannot tell that the index covers the query and sorts the whole backlog.
 */
const WAITING = sql<boolean>`status in ('pending', 'processing', 'failed')`;

export interface ClaimOptions {
  readonly now: number;
  /** Rows to claim at most. */
  readonly limit: number;
  /** How long the claiming worker owns the rows before another may take them over (ms). */
  readonly leaseMs: number;
  readonly kinds?: readonly string[];
}

/**
 * The ids of the oldest rows due at `now` (of `kinds`), locked for the claiming transaction on
 * PostgreSQL; SQLite walks outbox_waiting_idx in order and stops after `limit` rows.
 */
export function dueRows(ex: Executor, options: Omit<ClaimOptions, 'leaseMs'>) {
  return due(ex, options).select('id');
}

/** Rows due at `now` (of `kinds`), oldest first, at most `limit`, locked (PostgreSQL); no columns chosen. */
function due(ex: Executor, options: Omit<ClaimOptions, 'leaseMs'>) {
  const kinds = options.kinds;
  return ex
    .selectFrom('outbox')
    .where(WAITING)
    .where('available_at', '<=', options.now)
    .$if(kinds !== undefined, (q) => q.where('kind', 'in', kinds ?? []))
    .orderBy('available_at')
    .orderBy('id')
    .limit(options.limit)
    .forUpdate()
    .skipLocked();
}

/**
 * Claim due rows for one worker: marks them `processing`, counts the attempt and sets the
 * lease. One statement; on PostgreSQL the inner select takes the rows `FOR UPDATE SKIP LOCKED`,
 * so concurrent workers (several processes) claim disjoint rows without waiting for each other.
 * On SQLite the single writer gives the same exclusion. Oldest due first.
 */
export async function claimDue(ex: Executor, options: ClaimOptions): Promise<OutboxItem[]> {
  if (options.limit <= 0) return [];
  if (options.kinds !== undefined && options.kinds.length === 0) return [];
  const due = dueRows(ex, options);
  const rows = await ex
    .updateTable('outbox')
    .set((eb) => ({
      status: 'processing',
      attempts: eb('attempts', '+', 1),
      available_at: options.now + options.leaseMs,
      updated_at: options.now,
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map(rowToOutboxItem).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** A claimed row as its claimer holds it: the row and the attempt its claim counted. */
export interface HeldClaim {
  readonly id: string;
  readonly attempts: number;
}

/** Held claims grouped by attempt, in chunks: one UPDATE per (attempt, chunk) instead of one per row. */
function* byAttempt(items: readonly HeldClaim[]): Generator<{ readonly attempts: number; readonly ids: string[] }> {
  const idsByAttempt = new Map<number, string[]>();
  for (const item of items) {
    const ids = idsByAttempt.get(item.attempts);
    if (ids === undefined) idsByAttempt.set(item.attempts, [item.id]);
    else ids.push(item.id);
  }
  for (const [attempts, ids] of idsByAttempt) {
    for (let i = 0; i < ids.length; i += 500) yield { attempts, ids: ids.slice(i, i + 500) };
  }
}

/**
 * The claimer is still at work on these rows: their leases now run until `until`. Only rows
 * still `processing` in the claimer's attempt change (a row whose lease ran out and that another
 * worker took has a later attempt). Renewed while a send is in flight or queued behind another
 * of its conversation, so a lease runs out only when its process is gone — never because a
 * receiver was slow — and a second process does not send the same row at the same time.
 * Returns how many rows were renewed.
 */
export async function extendLeases(ex: Executor, items: readonly HeldClaim[], until: number, now: number): Promise<number> {
  let renewed = 0;
  for (const { attempts, ids } of byAttempt(items)) {
    const result = await ex
      .updateTable('outbox')
      .set({ available_at: until, updated_at: now })
      .where('id', 'in', ids)
      .where('status', '=', 'processing')
      .where('attempts', '=', attempts)
      .executeTakeFirst();
    renewed += Number(result.numUpdatedRows);
  }
  return renewed;
}

/**
 * Claimed rows given back (a process shutting down): due again at once, so another process takes
 * them now instead of after the lease. `started: false` for rows whose send never began — their
 * claim's attempt is not counted; a send that began (and may have reached its receiver) keeps its
 * attempt, so that its late "done" (attempt check) cannot settle the next claimer's attempt.
 * Only rows still `processing` in the claimer's attempt change. Returns how many were released.
 */
export async function releaseClaims(ex: Executor, items: readonly HeldClaim[], now: number, started: boolean): Promise<number> {
  let released = 0;
  for (const { attempts, ids } of byAttempt(items)) {
    const result = await ex
      .updateTable('outbox')
      .set({ status: 'pending', attempts: started ? attempts : Math.max(0, attempts - 1), available_at: now, updated_at: now })
      .where('id', 'in', ids)
      .where('status', '=', 'processing')
      .where('attempts', '=', attempts)
      .executeTakeFirst();
    released += Number(result.numUpdatedRows);
  }
  return released;
}

/**
 * Not delivered, on purpose: what it was for is gone (its target left the workspace). Kept with
 * the reason, so the deliveries list says why instead of showing it as sent. Only a row still
 * `processing` (and, given `attempt`, this worker's attempt) changes.
 */
export async function markCancelled(ex: Executor, input: { readonly id: string; readonly reason: string; readonly now: number; readonly attempt?: number }): Promise<boolean> {
  const result = await ex
    .updateTable('outbox')
    .set({ status: 'cancelled', updated_at: input.now, last_error: input.reason })
    .where('id', '=', input.id)
    .where('status', '=', 'processing')
    .$if(input.attempt !== undefined, (q) => q.where('attempts', '=', input.attempt ?? 0))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Delivered. Only a row still `processing` changes; pass the claimed item's `attempts` as
 * `attempt` so that a worker whose lease ran out (and whose row another worker took over)
 * does not settle the other worker's attempt. `payload`, when given, replaces the stored one (a
 * secret the delivery carried need not outlive it).
 */
export async function markDone(ex: Executor, id: string, now: number, attempt?: number, payload?: unknown): Promise<boolean> {
  const result = await ex
    .updateTable('outbox')
    .set({ status: 'done', updated_at: now, last_error: null, ...(payload === undefined ? {} : { payload: toJson(payload) }) })
    .where('id', '=', id)
    .where('status', '=', 'processing')
    .$if(attempt !== undefined, (q) => q.where('attempts', '=', attempt ?? 0))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Due rows taken by a transaction that will settle them itself before it commits (transactional
 * jobs: their effects and "done" commit together, so no lease is needed). Locked on PostgreSQL
 * (`FOR UPDATE SKIP LOCKED`: another worker takes other rows); SQLite's single writer excludes
 * the rest. Each item's `attempts` is the attempt it is about to make (stored + 1), as a claim
 * would have counted it.
 */
export async function takeDue(ex: Executor, options: Omit<ClaimOptions, 'leaseMs'>): Promise<OutboxItem[]> {
  if (options.limit <= 0) return [];
  if (options.kinds !== undefined && options.kinds.length === 0) return [];
  const rows = await due(ex, options).selectAll().execute();
  return rows.map((row) => ({ ...rowToOutboxItem(row), attempts: row.attempts + 1 }));
}

/** Rows taken with `takeDue` whose job succeeded, in the taking transaction: done, their attempt counted. */
export async function settleTaken(ex: Executor, items: readonly { readonly id: string; readonly attempts: number }[], now: number): Promise<void> {
  for (const { attempts, ids } of byAttempt(items)) {
    await ex.updateTable('outbox').set({ status: 'done', attempts, updated_at: now, last_error: null }).where('id', 'in', ids).execute();
  }
}

/**
 * A row taken with `takeDue` whose job failed (its effects already rolled back to a savepoint):
 * retried later (`failed`, with backoff) or dead-lettered when its attempts are used up or the
 * error is permanent — as `markFailed` does for a claimed row. Returns the new status.
 */
export async function failTaken(
  ex: Executor,
  input: { readonly item: OutboxItem; readonly error: string; readonly now: number; readonly retry: RetryPolicy; readonly permanent?: boolean },
): Promise<Extract<OutboxStatus, 'failed' | 'dead'>> {
  const { item } = input;
  const failure = afterFailure({ ...input, id: item.id, attempts: item.attempts });
  await ex
    .updateTable('outbox')
    .set({ ...failure.columns, attempts: item.attempts })
    .where('id', '=', item.id)
    .execute();
  return failure.status;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the 2nd attempt; doubled for each further one. */
  readonly backoffMs: number;
  /** Ceiling for one delay (default 1 hour). */
  readonly maxBackoffMs?: number;
  /**
   * Fraction (0–1) of each delay that is randomised away: the delay is `d · (1 − jitter · u)`,
   * u in [0, 1). Spreads the retries of many rows that failed together (one receiver down) so
   * they do not all come back in the same instant (AWS "Exponential Backoff and Jitter").
   * Default 0: exactly the exponential delay.
   */
  readonly jitter?: number;
}

/**
 * Delay after the `attempt`-th failed attempt (1-based): backoffMs · 2^(attempt-1), capped, less
 * the jitter. `seed` (the row id) makes u deterministic — a hash of seed and attempt, not
 * Math.random — so a test can predict the window and two rows still spread apart.
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, seed?: string): number {
  const delay = Math.min(policy.backoffMs * 2 ** Math.max(0, attempt - 1), policy.maxBackoffMs ?? 3_600_000);
  const jitter = Math.min(1, Math.max(0, policy.jitter ?? 0));
  if (jitter === 0) return delay;
  const u = createHash('sha256').update(`${seed ?? ''}:${attempt}`).digest().readUInt32BE(0) / 2 ** 32;
  return Math.round(delay * (1 - jitter * u));
}

/**
 * What a failed attempt (the `attempts`-th) leaves on its row: dead-lettered when the error is
 * permanent or the policy's attempts are used up, else `failed` and due again after the backoff.
 */
function afterFailure(input: {
  readonly id: string;
  readonly attempts: number;
  readonly error: string;
  readonly now: number;
  readonly retry: RetryPolicy;
  readonly permanent?: boolean;
}): { readonly status: Extract<OutboxStatus, 'failed' | 'dead'>; readonly columns: { status: 'failed' | 'dead'; last_error: string; updated_at: number; available_at: number } } {
  const dead = input.permanent === true || input.attempts >= input.retry.attempts;
  const status = dead ? 'dead' : 'failed';
  return {
    status,
    columns: {
      status,
      last_error: input.error.slice(0, 2_000),
      updated_at: input.now,
      available_at: dead ? input.now : input.now + backoffDelayMs(input.retry, input.attempts, input.id),
    },
  };
}

/**
 * A delivery attempt failed: retry later (`failed`) or, when the policy's attempts are used up
 * or the error is permanent, dead-letter the row (`dead`). Returns the new status, or null when
 * the row was not `processing` any more.
 */
export async function markFailed(
  ex: Executor,
  input: {
    readonly id: string;
    readonly error: string;
    readonly now: number;
    readonly retry: RetryPolicy;
    /** Dead-letter at once (a 4xx answer, an invalid payload). */
    readonly permanent?: boolean;
    /** The claimed item's `attempts` (see markDone). */
    readonly attempt?: number;
  },
): Promise<Extract<OutboxStatus, 'failed' | 'dead'> | null> {
  const current = await ex
    .selectFrom('outbox')
    .select(['attempts', 'status'])
    .where('id', '=', input.id)
    .forUpdate()
    .executeTakeFirst();
  if (current === undefined || current.status !== 'processing') return null;
  if (input.attempt !== undefined && current.attempts !== input.attempt) return null;
  const failure = afterFailure({ ...input, attempts: current.attempts });
  const result = await ex
    .updateTable('outbox')
    .set(failure.columns)
    .where('id', '=', input.id)
    .where('status', '=', 'processing')
    .where('attempts', '=', current.attempts)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n ? failure.status : null;
}

/** A person retries a dead letter: a fresh set of attempts, due now. */
export async function retryDead(ex: Executor, id: string, now: number): Promise<boolean> {
  const result = await ex
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, available_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['dead', 'failed'])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function getOutboxItem(ex: Executor, id: string): Promise<OutboxItem | null> {
  const row = await ex.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : rowToOutboxItem(row);
}

export async function getOutboxItemByKey(ex: Executor, idempotencyKey: string): Promise<OutboxItem | null> {
  const row = await ex.selectFrom('outbox').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row === undefined ? null : rowToOutboxItem(row);
}

/** Newest first; page with `before` (the last item's createdAt and id). */
export async function listOutbox(
  ex: Executor,
  options: {
    readonly status?: OutboxStatus | readonly OutboxStatus[];
    readonly kind?: string;
    readonly limit?: number;
    readonly before?: { readonly createdAt: number; readonly id: string };
  } = {},
): Promise<OutboxItem[]> {
  let q = ex
    .selectFrom('outbox')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.max(1, Math.min(options.limit ?? 50, 500)));
  if (options.status !== undefined) {
    const statuses: readonly OutboxStatus[] = typeof options.status === 'string' ? [options.status] : options.status;
    if (statuses.length === 0) return [];
    q = q.where('status', 'in', statuses);
  }
  if (options.kind !== undefined) q = q.where('kind', '=', options.kind);
  const before = options.before;
  if (before !== undefined) {
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]),
    );
  }
  return (await q.execute()).map(rowToOutboxItem);
}

/** Rows per status (for /metrics). */
export async function countOutboxByStatus(ex: Executor): Promise<Record<OutboxStatus, number>> {
  const rows = await ex
    .selectFrom('outbox')
    .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  const counts: Record<OutboxStatus, number> = { pending: 0, processing: 0, done: 0, failed: 0, dead: 0, cancelled: 0 };
  for (const row of rows) counts[row.status as OutboxStatus] = Number(row.count);
  return counts;
}

/** The earliest instant at which a row becomes claimable (for a worker to sleep until), or null. */
export async function nextDueAt(ex: Executor, kinds?: readonly string[]): Promise<number | null> {
  if (kinds !== undefined && kinds.length === 0) return null;
  // Only kinds this worker runs: a row nobody handles would otherwise look due forever and wake
  // the worker every few milliseconds.
  const row = await ex
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('available_at').as('at'))
    .where(WAITING)
    .$if(kinds !== undefined, (q) => q.where('kind', 'in', kinds ?? []))
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
