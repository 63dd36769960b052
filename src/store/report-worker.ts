/**
 * The worker thread of read-off-thread.ts: a read-only connection to the database's file, and for
 * each task the report query run and its rows shaped into the answer (report-rows.ts
 * `figuresOfSqliteRows`) — the values of a year are parsed and ranked here, never on the server's
 * thread. Plain data in and out (structured clone).
 */
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import type { OffThreadReply, OffThreadTask } from './read-off-thread.js';
import { figuresOfSqliteRows } from './repositories/report-rows.js';

const { filename } = workerData as { filename: string };
const sqlite = new SqliteDatabase(filename, { readonly: true, fileMustExist: true });
sqlite.pragma('busy_timeout = 5000');
sqlite.pragma('temp_store = MEMORY');
sqlite.pragma('cache_size = -65536');

parentPort?.on('message', (task: OffThreadTask) => {
  let reply: OffThreadReply;
  try {
    const rows = sqlite.prepare(task.sql).all(...task.parameters) as Record<string, unknown>[];
    reply = { id: task.id, ok: true, answer: figuresOfSqliteRows(rows) };
  } catch (error) {
    reply = { id: task.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
