import { assignWaitingConversations } from '../../services/handoff/assign-waiting-conversations.js';
import { createBackgroundLoop } from '../../platform/background-loop.js';
import type { ServiceContext } from '../../services/context.js';

/**
 * Assigns queued conversations the moment someone becomes eligible (event-driven: `kick()` after
 * a status change, a resolve/release/transfer, a config apply) and on a short periodic sweep as
 * the safety net (CW #10583, #10376: queued conversations were never picked up).
 */
export interface WaitingAssigner {
  /** Assign what can be assigned now; resolves with how many conversations were assigned. */
  runOnce(): Promise<number>;
  kick(): void;
  start(): void;
  stop(): Promise<void>;
}

export function createWaitingAssigner(ctx: ServiceContext, options: { readonly sweepMs: number }): WaitingAssigner {
  const loop = createBackgroundLoop({
    work: () => assignWaitingConversations(ctx),
    startDelayMs: options.sweepMs,
    nextDelayMs: () => options.sweepMs,
    onError: (error) => ctx.logger.error({ err: error }, 'assigning waiting conversations failed'),
  });
  return { runOnce: loop.run, kick: loop.kick, start: loop.start, stop: loop.stop };
}
