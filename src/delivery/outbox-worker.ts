import type { z } from 'zod';
import type { Database, Executor } from '../store/database.js';
import { inOptimisticSavepoint, inSavepoint, SavepointLost, withTransaction, WroteBeforeFailing } from '../store/database.js';
import {
  claimDue,
  extendLeases,
  failTaken,
  markCancelled,
  markDone,
  markFailed,
  nextDueAt,
  releaseClaims,
  settleTaken,
  takeDue,
  type OutboxItem,
  type RetryPolicy,
} from '../store/repositories/outbox.js';
import { createNotification } from '../store/repositories/notifications.js';
import { createBackgroundLoop } from '../platform/background-loop.js';
import { NotificationPayload } from '../services/notifications/enqueue-notification.js';
import type { Clock } from '../platform/runtime.js';

/**
 * After-commit work. A job definition is data (Documenso's job definitions): its kind, the
 * schema of its payload (outbox payloads are a boundary: parsed, not trusted), its retry
 * policy and what it does. Two kinds of job:
 *
 * - transactional (`run`): writes to the database; `run` gets a transaction and the row is marked
 *   done in the same one, so a crash in between re-runs a job whose effect is idempotent (keys on
 *   the rows it writes), never loses it;
 * - external (`send`): talks to the outside world (SMTP, Slack, a webhook). Never inside a
 *   transaction — a slow receiver must not hold SQLite's single writer — so it is delivered at
 *   least once: a crash after the send and before "done" sends again, which the receiver's
 *   idempotency key (the row's key) lets it ignore. Throw `PermanentDeliveryError` for an answer
 *   that no retry will change (HTTP 4xx, a refused address): the row is dead-lettered at once.
 */
export interface JobBase<S extends z.ZodType> {
  readonly kind: string;
  readonly payload: S;
  readonly retry: RetryPolicy;
  /** Called after the row is settled as done (e.g. wake realtime subscribers). */
  readonly onDone?: (item: OutboxItem) => void;
}

export interface TransactionalJob<S extends z.ZodType> extends JobBase<S> {
  readonly mode?: 'transactional';
  run(trx: Executor, payload: z.output<S>, item: OutboxItem, now: number): Promise<void>;
}

export interface ExternalJob<S extends z.ZodType> extends JobBase<S> {
  readonly mode: 'external';
  send(payload: z.output<S>, item: OutboxItem, now: number): Promise<void>;
  /** What is kept of the payload once delivered, when not all of it (an invitation's link); undefined keeps it whole. */
  redactWhenDone?(payload: z.output<S>): unknown;
}

export type JobDefinition<S extends z.ZodType> = TransactionalJob<S> | ExternalJob<S>;

/** A delivery with nothing left to deliver to (its target left the workspace): cancelled, with the reason. */
export class CancelledDelivery extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CancelledDelivery';
  }
}

/** A delivery that no retry will fix: dead-letter now. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * Transactional jobs taken by one transaction at most: enough that the worker keeps up with
 * requests committed in groups, few enough that the transaction holds the writer briefly.
 */
const TRANSACTIONAL_BATCH = 100;

/** Conversations whose external sends run side by side, at most (one send at a time within each). */
const EXTERNAL_CONCURRENCY = 16;

/** The conversation an outbox row is about, when its payload names one. */
function conversationOf(item: OutboxItem): string | null {
  const payload = item.payload as { conversationId?: unknown } | null;
  return typeof payload?.conversationId === 'string' ? payload.conversationId : null;
}

export function defineJob<S extends z.ZodType>(job: JobDefinition<S>): JobDefinition<z.ZodType> {
  return job;
}

export const notifyInApp: TransactionalJob<typeof NotificationPayload> = {
  kind: 'notify.in_app',
  payload: NotificationPayload,
  retry: { attempts: 8, backoffMs: 1_000 },
  async run(trx, payload, item, now) {
    for (const userId of payload.recipients) {
      await createNotification(trx, {
        userId,
        conversationId: payload.conversationId,
        type: payload.type,
        title: payload.title,
        body: payload.body,
        data: payload.data,
        idempotencyKey: `${item.idempotencyKey}:${userId}`,
        now,
      });
    }
  },
};

export const DEFAULT_JOBS: readonly JobDefinition<z.ZodType>[] = [defineJob(notifyInApp)];

export interface OutboxWorker {
  /** Process everything due now; returns how many rows were settled. */
  drain(): Promise<number>;
  /** Ask for a drain soon (after a commit). */
  kick(): void;
  start(): void;
  /** Renew the leases of the external rows this worker holds (claimed, not yet settled); returns how many. */
  renewLeases(): Promise<number>;
  /**
   * Stop claiming and shut down (a process being stopped): the transactional batch in progress
   * commits; external rows claimed but not yet started are released at once (due now, for
   * another process); the sends in flight get `graceMs` (default 10 s) to finish and settle, and
   * those still running then are released too. Nothing is left leased to a process that is gone.
   */
  stop(options?: { readonly graceMs?: number }): Promise<void>;
}

/** How long a claimed external row is this worker's before another may take it (ms), unless renewed. */
export const DEFAULT_LEASE_MS = 30_000;

export function createOutboxWorker(options: {
  database: Database;
  clock: Clock;
  jobs?: readonly JobDefinition<z.ZodType>[];
  pollMs?: number;
  /**
   * Lease of a claimed external row (ms). Renewed every third of it while the row is held, so it
   * runs out only when this process is gone; then another process takes the row over.
   */
  leaseMs?: number;
  onError?: (error: unknown) => void;
}): OutboxWorker {
  const jobs = new Map((options.jobs ?? DEFAULT_JOBS).map((job) => [job.kind, job]));
  const kinds = [...jobs.keys()];
  const transactionalKinds = [...jobs.values()].filter((job) => job.mode !== 'external').map((job) => job.kind);
  const externalKinds = [...jobs.values()].filter((job) => job.mode === 'external').map((job) => job.kind);
  const pollMs = options.pollMs ?? 1_000;
  const leaseMs = Math.max(1, options.leaseMs ?? DEFAULT_LEASE_MS);

  /** External rows claimed and not yet settled (queued in a lane or being sent), by id. */
  const held = new Map<string, OutboxItem>();
  /** The ones whose send has begun. */
  const started = new Set<string>();
  let stopping = false;
  const stopSignal = signal();
  let renewal: NodeJS.Timeout | null = null;

  async function renewLeases(): Promise<number> {
    if (held.size === 0) return 0;
    const now = options.clock.now();
    return extendLeases(options.database.db, [...held.values()], now + leaseMs, now);
  }

  function hold(item: OutboxItem): void {
    held.set(item.id, item);
    if (renewal !== null) return;
    renewal = setInterval(() => {
      if (held.size === 0) {
        if (renewal !== null) clearInterval(renewal);
        renewal = null;
        return;
      }
      renewLeases().catch((error: unknown) => options.onError?.(error));
    }, Math.max(1, Math.floor(leaseMs / 3)));
    renewal.unref();
  }

  /** One claimed external send, outside any transaction; then "done", or a retry or dead letter. */
  async function sendOne(item: OutboxItem): Promise<void> {
    started.add(item.id);
    try {
      await settleOne(item);
    } finally {
      started.delete(item.id);
      held.delete(item.id);
    }
  }

  async function settleOne(item: OutboxItem): Promise<void> {
    const job = jobs.get(item.kind);
    const now = options.clock.now();
    if (job === undefined || job.mode !== 'external') return;
    const parsed = job.payload.safeParse(item.payload);
    if (!parsed.success) {
      await markFailed(options.database.db, { id: item.id, error: `invalid payload: ${parsed.error.message}`, now, retry: job.retry, permanent: true, attempt: item.attempts });
      return;
    }
    let done = false;
    try {
      await job.send(parsed.data, item, now);
      done = await markDone(options.database.db, item.id, options.clock.now(), item.attempts, job.redactWhenDone?.(parsed.data));
    } catch (error) {
      if (error instanceof CancelledDelivery) {
        await markCancelled(options.database.db, { id: item.id, reason: error.message, now: options.clock.now(), attempt: item.attempts });
        return;
      }
      await markFailed(options.database.db, {
        id: item.id,
        error: error instanceof Error ? error.message : String(error),
        now: options.clock.now(),
        retry: job.retry,
        permanent: error instanceof PermanentDeliveryError,
        attempt: item.attempts,
      });
    }
    if (done) job.onDone?.(item);
  }

  /**
   * External sends in flight, by conversation: one send at a time per conversation, the others
   * of that conversation queued behind it in claim order (oldest first) — a Bot Framework
   * "accepted" reaches the bot before the "completed" that follows it, a webhook receiver sees a
   * conversation's events in order. Different conversations go side by side, at most
   * EXTERNAL_CONCURRENCY at once. Sends never hold up the transactional jobs (realtime
   * publishing): a receiver that takes its full timeout delays only its own conversation.
   */
  const lanes = new Map<string, OutboxItem[]>();
  const sending = new Set<Promise<void>>();

  function dispatch(item: OutboxItem): void {
    const key = conversationOf(item) ?? `row:${item.id}`;
    const waiting = lanes.get(key);
    if (waiting !== undefined) {
      waiting.push(item);
      return;
    }
    const queue: OutboxItem[] = [];
    lanes.set(key, queue);
    const lane = (async () => {
      for (let next: OutboxItem | undefined = item; next !== undefined; next = queue.shift()) await sendOne(next);
    })()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        lanes.delete(key);
        sending.delete(lane);
      });
    sending.add(lane);
  }

  /**
   * Transactional jobs due now, taken, run and settled in ONE transaction: no claim, lease and
   * "done" round trips per batch, one commit (shared with the requests' on SQLite, group commit).
   * Each job runs with an executor of its own, as if in a savepoint: one that throws is rolled
   * back alone and marked for retry (or dead-lettered) in the same transaction, and the others
   * still commit. The savepoint is only taken when needed (inOptimisticSavepoint): a job that
   * throws after writing (on PostgreSQL: that throws at all) makes the whole batch run again,
   * each job in a savepoint. A crash before the commit leaves every row as it was: at least once.
   */
  async function runDueTransactional(): Promise<number> {
    const now = options.clock.now();
    let batch: Batch;
    try {
      batch = await runBatch(now, null);
    } catch (error) {
      if (!(error instanceof FailedAfterWriting)) throw error;
      // Again, each job in a savepoint; the one that threw is not run again, only marked.
      batch = await runBatch(now, error);
    }
    for (const { item, job } of batch.ran) job.onDone?.(item);
    return batch.taken;
  }

  /** `again`: null on the first run (no savepoints unless needed); the failure that made it run again. */
  async function runBatch(now: number, again: FailedAfterWriting | null): Promise<Batch> {
    return withTransaction(options.database, async (trx) => {
      const items = await takeDue(trx, { now, limit: TRANSACTIONAL_BATCH, kinds: transactionalKinds });
      const succeeded: { item: OutboxItem; job: JobDefinition<z.ZodType> }[] = [];
      for (const item of items) {
        const job = jobs.get(item.kind);
        if (job === undefined || job.mode === 'external') continue;
        const parsed = job.payload.safeParse(item.payload);
        if (!parsed.success) {
          await failTaken(trx, { item, error: `invalid payload: ${parsed.error.message}`, now, retry: job.retry, permanent: true });
          continue;
        }
        try {
          if (again?.itemId === item.id) throw again.cause;
          await (again === null ? inOptimisticSavepoint : inSavepoint)(trx, (own) => job.run(own, parsed.data, item, now));
          succeeded.push({ item, job });
        } catch (error) {
          if (error instanceof WroteBeforeFailing) throw new FailedAfterWriting(item.id, error.cause);
          if (error instanceof SavepointLost) throw error;
          await failTaken(trx, { item, error: error instanceof Error ? error.message : String(error), now, retry: job.retry, permanent: error instanceof PermanentDeliveryError });
        }
      }
      await settleTaken(trx, succeeded.map(({ item }) => item), now);
      return { taken: items.length, ran: succeeded };
    });
  }

  async function drainOnce(): Promise<number> {
    let settled = 0;
    while (!stopping) {
      // External rows are claimed before the transactional jobs run, so a row such a job
      // enqueues now (a "completed" for the bot) is claimed after the rows that were already
      // waiting (its "accepted") and queued behind them in its conversation's lane.
      const room = EXTERNAL_CONCURRENCY - sending.size;
      const items =
        externalKinds.length === 0 || room <= 0
          ? []
          : await withTransaction(options.database, (trx) => claimDue(trx, { now: options.clock.now(), limit: Math.min(50, room), leaseMs, kinds: externalKinds }));
      for (const item of items) {
        hold(item);
        dispatch(item);
      }
      const transactional = transactionalKinds.length === 0 ? 0 : await runDueTransactional();
      settled += transactional + items.length;
      if (transactional === 0 && items.length === 0) {
        // Nothing new to take: wait for a send to finish (it may have settled a row that makes
        // another due, or freed room), and return once none is in flight.
        if (sending.size === 0) return settled;
        await Promise.race([...sending, stopSignal.stopped]);
      }
    }
    return settled;
  }

  async function stop(stopOptions: { readonly graceMs?: number } = {}): Promise<void> {
    stopping = true;
    stopSignal.stop();
    // The drain in progress ends after its current claim or transactional batch (committed).
    await loop.stop();
    // Rows queued behind a send of their conversation will not be sent here: given back now.
    for (const queue of lanes.values()) queue.splice(0);
    await giveBack(false);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((done) => {
      timer = setTimeout(done, stopOptions.graceMs ?? 10_000);
    });
    await Promise.race([Promise.all(sending), grace]);
    clearTimeout(timer);
    // Still sending after the grace: the process ends without settling them, so they go back too.
    await giveBack(true);
    if (renewal !== null) clearInterval(renewal);
    renewal = null;
  }

  /** Releases the held rows whose send has (`true`) or has not begun. */
  async function giveBack(begun: boolean): Promise<void> {
    const items = [...held.values()].filter((item) => started.has(item.id) === begun);
    if (items.length === 0) return;
    for (const item of items) held.delete(item.id);
    await releaseClaims(options.database.db, items, options.clock.now(), begun).catch((error: unknown) => options.onError?.(error));
  }

  const loop = createBackgroundLoop({
    work: drainOnce,
    startDelayMs: 0,
    onError: (error) => options.onError?.(error),
    // Sleep until the next due row (a timer) or the poll period, whichever comes first.
    nextDelayMs: async () => {
      const next = await nextDueAt(options.database.db, kinds).catch(() => null);
      return next === null ? pollMs : Math.max(10, Math.min(pollMs, next - options.clock.now()));
    },
  });

  return { drain: loop.run, kick: loop.kick, start: loop.start, stop, renewLeases };
}

/** A promise that resolves once `stop()` is called. */
function signal(): { readonly stopped: Promise<void>; stop(): void } {
  let stop = (): void => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  return { stopped, stop };
}

interface Batch {
  readonly taken: number;
  readonly ran: readonly { readonly item: OutboxItem; readonly job: JobDefinition<z.ZodType> }[];
}

/** A job of a batch run without savepoints threw after writing: the batch runs again, with them. */
class FailedAfterWriting extends Error {
  readonly itemId: string;
  constructor(itemId: string, cause: unknown) {
    super(`outbox row ${itemId}: its job threw after writing`, { cause });
    this.name = 'FailedAfterWriting';
    this.itemId = itemId;
  }
}
