import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import { readYaml, type YamlProblem } from '../platform/read-yaml.js';
import { parseConfigText, type ConfigFormat, type ParseConfigResult } from './parse-config-text.js';
import type { Env } from './interpolate-env.js';

/**
 * Documents at least this long are read on a worker thread. The YAML parser takes about 2 µs a
 * character on this project's machines (a 600 KB workspace of 2,000 articles: over a second), and
 * the server's one thread serves every agent's requests and sockets meanwhile. Shorter documents
 * are read in place: a thread costs more than they do.
 */
export const OFF_THREAD_CHARACTERS = 32 * 1024;

/** At most this many documents are read at once off the thread; the rest wait their turn. */
const readers = pLimit(2);

export type ParseTask =
  | { readonly kind: 'config'; readonly text: string; readonly format: ConfigFormat; readonly env: Env }
  | { readonly kind: 'yaml'; readonly text: string };

/** A YAML text's value, or its problems: what crosses between threads (no parser objects). */
export type YamlValue = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problems: readonly YamlProblem[] };

export type ParseTaskResult = { readonly kind: 'config'; readonly result: ParseConfigResult } | { readonly kind: 'yaml'; readonly result: YamlValue };

/** `parseConfigText`, on a worker thread when the text is long. */
export async function parseConfigTextOffThread(text: string, format: ConfigFormat, env: Env): Promise<ParseConfigResult> {
  if (text.length < OFF_THREAD_CHARACTERS) return parseConfigText(text, format, env);
  const answer = await runOffThread({ kind: 'config', text, format, env: { ...env } });
  if (answer.kind !== 'config') throw new Error('the document reader answered another task');
  return answer.result;
}

/** `readYaml`'s value or problems, on a worker thread when the text is long. */
export async function readYamlOffThread(text: string): Promise<YamlValue> {
  if (text.length < OFF_THREAD_CHARACTERS) {
    const read = readYaml(text);
    return read.ok ? { ok: true, value: read.value } : { ok: false, problems: read.problems };
  }
  const answer = await runOffThread({ kind: 'yaml', text });
  if (answer.kind !== 'yaml') throw new Error('the document reader answered another task');
  return answer.result;
}

/**
 * The worker's script. Built, the compiled parse-worker.js. From the source (tests, `node --import
 * tsx`) the worker is the .ts file, and a worker does not inherit the parent's loader: a few lines
 * of script register tsx in it first, then import the file.
 */
function workerEntry(): [URL | string, { eval?: boolean }] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./parse-worker.js', import.meta.url), {}];
  // tsx's ES module API (the `import` condition of `tsx/esm/api`), found from its package.json.
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsx = new URL('dist/esm/api/index.mjs', pathToFileURL(tsxPackage)).href;
  const entry = new URL('./parse-worker.ts', import.meta.url).href;
  return [`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`, { eval: true }];
}

/**
 * One worker per document: started, given the task, gone when it has answered. From the source
 * (tests, `node --import tsx`) the worker is the .ts file and loads through tsx; built, the .js.
 */
function runOffThread(task: ParseTask): Promise<ParseTaskResult> {
  return readers(
    () =>
      new Promise<ParseTaskResult>((resolve, reject) => {
        const [script, how] = workerEntry();
        const worker = new Worker(script, {
          ...how,
          workerData: task,
          // A document is at most a few megabytes; its reader needs no more than this.
          resourceLimits: { maxOldGenerationSizeMb: 512 },
        });
        let answered = false;
        worker.once('message', (message: { ok: true; answer: ParseTaskResult } | { ok: false; message: string }) => {
          answered = true;
          if (message.ok) resolve(message.answer);
          else reject(new Error(`reading the document failed: ${message.message}`));
        });
        worker.once('error', (error) => {
          answered = true;
          reject(error);
        });
        worker.once('exit', (code) => {
          if (!answered) reject(new Error(`the document reader stopped (exit code ${code}) without an answer`));
        });
      }),
  );
}
