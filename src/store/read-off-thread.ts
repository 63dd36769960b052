/**
 * Long reads of a SQLite database on a worker thread. better-sqlite3 runs a query on the thread
 * that calls it, and the server has one: a report over a year of a large desk would hold every
 * other request and socket for as long as it reads (bench/results/reports.md). The worker opens
 * its own read-only connection to the same file — WAL lets it read while the server writes, and
 * each query sees the commits made before it started — runs the query and shapes its answer
 * there, and posts back only the small result.
 *
 * One worker per database, started at the first read, its queries one after another; stopped with
 * the database (and never what keeps the process alive). A database in memory has no file to
 * open twice: its reads stay on the calling thread.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';
import type { ReportAnswer } from './repositories/report-rows.js';

/** What the worker is asked: a report query, as compiled on this thread. */
export interface OffThreadTask {
  readonly id: number;
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

export type OffThreadReply = { readonly id: number; readonly ok: true; readonly answer: ReportAnswer } | { readonly id: number; readonly ok: false; readonly message: string };

export interface OffThreadReads {
  /** The handoff report's query (report-rows.ts `readReport`), run and shaped on the worker. */
  report(query: CompiledQuery): Promise<ReportAnswer>;
  close(): Promise<void>;
}

/**
 * The worker's script. Built, the compiled report-worker.js. From the source (tests, `node
 * --import tsx`) the worker is the .ts file, and a worker does not inherit the parent's loader: a
 * few lines of script register tsx in it first, then import the file (as config/parse-off-thread.ts).
 */
function workerEntry(): [URL | string, { eval?: boolean }] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./report-worker.js', import.meta.url), {}];
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsx = new URL('dist/esm/api/index.mjs', pathToFileURL(tsxPackage)).href;
  const entry = new URL('./report-worker.ts', import.meta.url).href;
  return [`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`, { eval: true }];
}

export function offThreadReads(filename: string): OffThreadReads {
  let worker: Worker | null = null;
  let serial = 0;
  const waiting = new Map<number, { resolve: (answer: ReportAnswer) => void; reject: (error: Error) => void }>();

  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
    worker = null;
  };

  const started = (): Worker => {
    if (worker !== null) return worker;
    const [script, how] = workerEntry();
    const w = new Worker(script, { ...how, workerData: { filename } });
    w.unref();
    w.on('message', (reply: OffThreadReply) => {
      const pending = waiting.get(reply.id);
      if (pending === undefined) return;
      waiting.delete(reply.id);
      if (reply.ok) pending.resolve(reply.answer);
      else pending.reject(new Error(`the report query failed: ${reply.message}`));
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', (code) => {
      if (worker === w) failAll(new Error(`the report reader stopped (exit code ${code})`));
    });
    worker = w;
    return w;
  };

  return {
    report(query) {
      return new Promise<ReportAnswer>((resolve, reject) => {
        const id = (serial += 1);
        waiting.set(id, { resolve, reject });
        const task: OffThreadTask = { id, sql: query.sql, parameters: query.parameters };
        started().postMessage(task);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w !== null) await w.terminate();
      failAll(new Error('the database was closed'));
    },
  };
}
