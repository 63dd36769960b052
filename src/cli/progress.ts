/**
 * A progress bar for long commands (`baton replay`), drawn by cli-progress on standard error —
 * only on a terminal: when either standard output or standard error is not a TTY (a pipe, a file,
 * CI), or the output is JSON for a program, nothing is drawn and stdout stays exactly the result.
 */
import cliProgress from 'cli-progress';
import type { CliIo } from './io.js';

/** What a bar draws on: a terminal's stream (cli-progress writes the cursor movements itself). */
export type ProgressStream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };

/** Where a bar may be drawn: standard error, when both it and standard output are terminals and the output is not JSON; else null. */
export function progressStream(io: CliIo, options: { readonly json: boolean }): ProgressStream | null {
  const terminal = io.terminal;
  if (options.json || terminal === undefined) return null;
  if (terminal.stdout.isTTY !== true || terminal.stderr.isTTY !== true) return null;
  return terminal.stderr;
}

export interface ProgressBar {
  start(total: number): void;
  advance(done: number): void;
  /** Draws the last state and leaves the line; safe to call more than once, or before start. */
  stop(): void;
}

/** A bar counting `what` (e.g. "handoffs") on `stream`, redrawn at most 10 times a second. */
export function progressBar(stream: ProgressStream, what: string): ProgressBar {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `replaying {bar} {percentage}% | {value}/{total} ${what} | {duration_formatted} (eta {eta_formatted})`,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      // The cursor stays visible: hiding it would leave it hidden after Ctrl-C, and restoring it
      // on SIGINT (gracefulExit) would install a handler that keeps the process from exiting.
      hideCursor: false,
      // Only ever on a terminal (progressStream); the library's own check would also skip a non-TTY.
      noTTYOutput: false,
      fps: 10,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    start(total) {
      bar.start(total, 0);
      started = true;
    },
    advance(done) {
      if (started) bar.update(done);
    },
    stop() {
      if (!started) return;
      started = false;
      bar.stop();
    },
  };
}
