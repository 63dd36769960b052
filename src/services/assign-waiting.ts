import { assignWaitingConversations } from './assign-waiting-conversations.js';
import type { ServiceContext } from './context.js';

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
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = true;

  const assignOnce = (): Promise<number> => assignWaitingConversations(ctx);

  function runOnce(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await assignOnce();
      } while (again);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      runOnce()
        .catch((error: unknown) => ctx.logger.error({ err: error }, 'assigning waiting conversations failed'))
        .finally(() => schedule(options.sweepMs));
    }, delayMs);
    timer.unref();
  }

  return {
    runOnce,
    kick() {
      if (stopped) return;
      schedule(0);
    },
    start() {
      stopped = false;
      schedule(options.sweepMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running.catch(() => undefined);
    },
  };
}
