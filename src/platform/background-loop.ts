/**
 * A piece of background work run on demand and periodically: `kick()` after a commit asks for a
 * run soon; runs never overlap — a request during a run makes the run go round once more, so a
 * kick is never lost; after each run the loop sleeps for `nextDelayMs()`. Used by the outbox
 * worker and the waiting-conversation assigner.
 */
export interface BackgroundLoop {
  /** Run now (or join the run in progress, which then goes round once more); resolves with the work's total. */
  readonly run: () => Promise<number>;
  /** Ask for a run soon; ignored when stopped. */
  readonly kick: () => void;
  readonly start: () => void;
  /** Stop scheduling and wait for a run in progress. */
  readonly stop: () => Promise<void>;
}

export function createBackgroundLoop(options: {
  /** One pass of the work; returns how much it did. */
  readonly work: () => Promise<number>;
  /** How long to sleep after a run. */
  readonly nextDelayMs: () => Promise<number> | number;
  /** Delay of the first run after `start()`. */
  readonly startDelayMs: number;
  readonly onError: (error: unknown) => void;
}): BackgroundLoop {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = true;

  function run(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await options.work();
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
      run()
        .catch(options.onError)
        .then(async () => schedule(await options.nextDelayMs()))
        .catch(options.onError);
    }, delayMs);
    timer.unref();
  }

  return {
    run,
    kick: () => schedule(0),
    start: () => {
      stopped = false;
      schedule(options.startDelayMs);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running.catch(() => undefined);
    },
  };
}
