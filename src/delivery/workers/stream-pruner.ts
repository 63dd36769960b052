/**
 * Realtime frames are kept for replay (`GET /api/realtime?after=`) for
 * `BATON_STREAM_RETENTION_HOURS`, then deleted in short batches. A client that comes back with an
 * `after` older than what is kept is told so (`stream.ready` with `truncated: true`) and reloads
 * its state over REST; messages themselves stay in the conversation for ever.
 */
import { createBackgroundLoop } from '../../platform/background-loop.js';
import { pruneStream } from '../../store/repositories/stream.js';
import type { ServiceContext } from '../../services/context.js';
import { clusterPeriod } from './cluster-period.js';

const BATCH = 5_000;
const HOUR_MS = 3_600_000;
export const PRUNE_PERIOD_NAME = 'prune.stream';

/** Delete everything past retention; returns how many rows went. */
export async function pruneRealtimeStream(ctx: ServiceContext): Promise<number> {
  const before = ctx.clock.now() - ctx.env.BATON_STREAM_RETENTION_HOURS * HOUR_MS;
  let total = 0;
  for (;;) {
    const deleted = await pruneStream(ctx.database.db, { before, limit: BATCH });
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

export interface StreamPruner {
  /** The hourly run as its timer makes it: prunes only when this process takes the hour; whether it did. */
  tick(): Promise<boolean>;
  start(): void;
  stop(): Promise<void>;
}

/** Prunes soon after start and then hourly — once per hour across the processes of the database. */
export function createStreamPruner(ctx: ServiceContext, options: { readonly holder: string }): StreamPruner {
  const period = clusterPeriod(ctx, { name: PRUNE_PERIOD_NAME, periodMs: HOUR_MS, holder: options.holder });
  async function pruneOnce(): Promise<number | null> {
    if (!(await period.take())) return null;
    const deleted = await pruneRealtimeStream(ctx);
    if (deleted > 0) ctx.logger.info({ deleted }, 'realtime stream pruned');
    return deleted;
  }
  const loop = createBackgroundLoop({
    work: async () => (await pruneOnce()) ?? 0,
    startDelayMs: 10_000,
    nextDelayMs: () => HOUR_MS,
    onError: (error) => ctx.logger.error({ err: error }, 'realtime stream pruning failed'),
  });
  return { tick: async () => (await pruneOnce()) !== null, start: loop.start, stop: loop.stop };
}
