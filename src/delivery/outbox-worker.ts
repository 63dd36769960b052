import { z } from 'zod';
import type { Database, Executor } from '../store/database.js';
import { withTransaction } from '../store/database.js';
import { claimDue, markAllDone, markDone, markFailed, nextDueAt, type OutboxItem, type RetryPolicy } from '../store/repositories/outbox.js';
import { createNotification } from '../store/repositories/notifications.js';
import { createBackgroundLoop } from '../platform/background-loop.js';
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
}

export type JobDefinition<S extends z.ZodType> = TransactionalJob<S> | ExternalJob<S>;

/** A delivery that no retry will fix: dead-letter now. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}

/** External sends of one batch run side by side, at most this many at once. */
const EXTERNAL_CONCURRENCY = 8;

export function defineJob<S extends z.ZodType>(job: JobDefinition<S>): JobDefinition<z.ZodType> {
  return job;
}

export const InAppNotificationPayload = z.object({
  conversationId: z.string().nullable(),
  recipients: z.array(z.string()),
  type: z.string(),
  title: z.string(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type InAppNotificationPayload = z.infer<typeof InAppNotificationPayload>;

export const notifyInApp: TransactionalJob<typeof InAppNotificationPayload> = {
  kind: 'notify.in_app',
  payload: InAppNotificationPayload,
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
  stop(): Promise<void>;
}

export function createOutboxWorker(options: {
  database: Database;
  clock: Clock;
  jobs?: readonly JobDefinition<z.ZodType>[];
  pollMs?: number;
  onError?: (error: unknown) => void;
}): OutboxWorker {
  const jobs = new Map((options.jobs ?? DEFAULT_JOBS).map((job) => [job.kind, job]));
  const kinds = [...jobs.keys()];
  const pollMs = options.pollMs ?? 1_000;

  async function processOne(item: OutboxItem): Promise<void> {
    const job = jobs.get(item.kind);
    const now = options.clock.now();
    if (!job) return;
    const parsed = job.payload.safeParse(item.payload);
    if (!parsed.success) {
      await markFailed(options.database.db, { id: item.id, error: `invalid payload: ${parsed.error.message}`, now, retry: job.retry, permanent: true, attempt: item.attempts });
      return;
    }
    let done = false;
    try {
      if (job.mode === 'external') {
        await job.send(parsed.data, item, now);
        done = await markDone(options.database.db, item.id, options.clock.now(), item.attempts);
      } else {
        done = await withTransaction(options.database, async (trx) => {
          await job.run(trx, parsed.data, item, now);
          return markDone(trx, item.id, now, item.attempts);
        });
      }
    } catch (error) {
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
   * Transactional jobs of a batch run in ONE transaction, in claim order, each marked done in it:
   * one commit (one fsync on SQLite) settles the batch instead of one per row. If any of them
   * throws, that transaction rolls back as a whole and the batch runs again row by row, so the
   * failure is retried or dead-lettered alone and the others still commit. External sends run
   * side by side and their "done" marks commit together.
   */
  async function processBatch(items: readonly OutboxItem[]): Promise<void> {
    const external: OutboxItem[] = [];
    const transactional: OutboxItem[] = [];
    for (const item of items) {
      const job = jobs.get(item.kind);
      if (job === undefined) continue;
      if (job.mode === 'external') external.push(item);
      else transactional.push(item);
    }
    if (transactional.length === 1) await processOne(transactional[0]!);
    else if (transactional.length > 1) await runTogether(transactional);
    for (let i = 0; i < external.length; i += EXTERNAL_CONCURRENCY) {
      await Promise.all(external.slice(i, i + EXTERNAL_CONCURRENCY).map(processOne));
    }
  }

  async function runTogether(items: readonly OutboxItem[]): Promise<void> {
    const now = options.clock.now();
    let settled: { item: OutboxItem; job: JobDefinition<z.ZodType> }[];
    try {
      settled = await withTransaction(options.database, async (trx) => {
        const ran: { item: OutboxItem; job: JobDefinition<z.ZodType> }[] = [];
        for (const item of items) {
          const job = jobs.get(item.kind);
          if (job === undefined || job.mode === 'external') continue;
          const parsed = job.payload.safeParse(item.payload);
          if (!parsed.success) throw new Error('invalid payload: settled alone');
          await job.run(trx, parsed.data, item, now);
          ran.push({ item, job });
        }
        // "Done" for the whole batch in one statement (per attempt count), in the same
        // transaction as the jobs' effects: all of them commit or none, as with one markDone each.
        const done = await markAllDone(trx, ran.map(({ item }) => item), now);
        return ran.filter(({ item }) => done.has(item.id));
      });
    } catch {
      for (const item of items) await processOne(item);
      return;
    }
    for (const { item, job } of settled) job.onDone?.(item);
  }

  async function drainOnce(): Promise<number> {
    let settled = 0;
    for (;;) {
      const items = await withTransaction(options.database, (trx) =>
        claimDue(trx, { now: options.clock.now(), limit: 50, leaseMs: 30_000, kinds }),
      );
      if (items.length === 0) return settled;
      await processBatch(items);
      settled += items.length;
    }
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

  return { drain: loop.run, kick: loop.kick, start: loop.start, stop: loop.stop };
}
