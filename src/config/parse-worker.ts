/**
 * The worker thread of parse-off-thread.ts: reads one document and posts what it found. Plain
 * data in and out (structured clone): the task, then the result or the error's message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readYaml } from '../platform/read-yaml.js';
import { parseConfigText } from './parse-config-text.js';
import type { ParseTask, ParseTaskResult } from './parse-off-thread.js';

function run(task: ParseTask): ParseTaskResult {
  if (task.kind === 'config') return { kind: 'config', result: parseConfigText(task.text, task.format, task.env) };
  const read = readYaml(task.text);
  return { kind: 'yaml', result: read.ok ? { ok: true, value: read.value } : { ok: false, problems: read.problems } };
}

try {
  parentPort?.postMessage({ ok: true, answer: run(workerData as ParseTask) });
} catch (error) {
  parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
