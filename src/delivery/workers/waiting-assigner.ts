import { assignWaitingConversations } from '../../services/handoff/assign-waiting-conversations.js';
import { createBackgroundLoop } from '../../platform/background-loop.js';
import type { ServiceContext } from '../../services/context.js';
import { clusterPeriod } from './cluster-period.js';

/**
 * Assigns queued conversations the moment someone becomes eligible (event-driven: `kick()` after
 * a status change, a resolve/release/transfer, a config apply) and on a short periodic sweep as
 * the safety net (CW #10583, #10376: queued conversations were never picked up). The kicked runs
 * happen in the process that committed the change; the sweep runs once per `sweepMs` across
 * every process on the database (cluster-period.ts), not once per process.
 */
export interface WaitingAssigner {
  /** Assign what can be assigned now; resolves with how many conversations were assigned. */
  runOnce(): Promise<number>;
  kick(): void;
  /**
   * The periodic sweep as its timer runs it: assigns only when this process takes the period;
   * resolves with whether it did.
   */
  sweep(): Promise<boolean>;
  start(): void;
  stop(): Promise<void>;
}

export const SWEEP_PERIOD_NAME = 'sweep.waiting';

export function createWaitingAssigner(ctx: ServiceContext, options: { readonly sweepMs: number; readonly holder: string }): WaitingAssigner {
  const period = clusterPeriod(ctx, { name: SWEEP_PERIOD_NAME, periodMs: options.sweepMs, holder: options.holder });
  /** A kick (or runOnce) since the last run began: the next run assigns without taking the period. */
  let asked = false;

  /** The sweep: how many it assigned, or null when another process has this period. */
  async function sweepOnce(): Promise<number | null> {
    if (!(await period.take())) return null;
    return assignWaitingConversations(ctx);
  }

  const loop = createBackgroundLoop({
    work: async () => {
      if (!asked) return (await sweepOnce()) ?? 0;
      asked = false;
      return assignWaitingConversations(ctx);
    },
    startDelayMs: options.sweepMs,
    nextDelayMs: () => options.sweepMs,
    onError: (error) => ctx.logger.error({ err: error }, 'assigning waiting conversations failed'),
  });
  return {
    runOnce: () => {
      asked = true;
      return loop.run();
    },
    kick: () => {
      asked = true;
      loop.kick();
    },
    sweep: async () => (await sweepOnce()) !== null,
    start: loop.start,
    stop: loop.stop,
  };
}
