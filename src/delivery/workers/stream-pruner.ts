/**
 * Realtime frames are kept for replay (`GET /api/realtime?after=`) for
 * `BATON_STREAM_RETENTION_HOURS`, then deleted in short batches. A client that comes back with an
 * `after` older than what is kept is told so (`stream.ready` with `truncated: true`) and reloads
 * its state over REST; messages themselves stay in the conversation for ever.
 */
import { createBackgroundLoop, type BackgroundLoop } from '../../platform/background-loop.js';
import { pruneStream } from '../../store/repositories/stream.js';
import type { ServiceContext } from '../../services/context.js';

const BATCH = 5_000;
const HOUR_MS = 3_600_000;

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

/** Prunes at start and then hourly. */
export function createStreamPruner(ctx: ServiceContext): BackgroundLoop {
  return createBackgroundLoop({
    work: async () => {
      const deleted = await pruneRealtimeStream(ctx);
      if (deleted > 0) ctx.logger.info({ deleted }, 'realtime stream pruned');
      return deleted;
    },
    startDelayMs: 10_000,
    nextDelayMs: () => HOUR_MS,
    onError: (error) => ctx.logger.error({ err: error }, 'realtime stream pruning failed'),
  });
}
