/**
 * The floor under every durable write Baton makes on the embedded store: how many single-row
 * INSERT transactions per second SQLite commits on this disk, with better-sqlite3 directly
 * (no Kysely, no Baton code), in WAL mode, each transaction its own `BEGIN IMMEDIATE … COMMIT`.
 *
 * - `synchronous = FULL` (the store's default, src/store/database.ts): WAL is fsynced at every
 *   commit, so a committed handoff survives power loss. This is the ceiling for durable handoffs.
 * - `synchronous = NORMAL`: WAL is fsynced at checkpoints only; survives a crash of the process,
 *   not of the machine.
 *
 * `measureSqliteFloor({ file, seconds })` is exported so that another benchmark (the HTTP
 * handoff benchmark) can measure the floor on the very database file it uses, in the same run:
 * it creates its own table (`bench_sqlite_floor`), drops it afterwards, and opens its own
 * connection, leaving the file in WAL mode (which the store uses anyway).
 */
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { isMain, round, summarise, writeResult, type LatencySummary } from './lib.js';

export type Synchronous = 'FULL' | 'NORMAL';

export interface FloorOptions {
  /** SQLite database file; created when missing. */
  readonly file: string;
  /** Seconds of inserting per `synchronous` setting. */
  readonly seconds: number;
  /** Settings to measure, in this order (default FULL then NORMAL). */
  readonly modes?: readonly Synchronous[];
  /** Payload bytes per row (default 200, about one handoff event row). */
  readonly payloadBytes?: number;
}

export interface FloorMode {
  readonly synchronous: Synchronous;
  readonly transactions: number;
  readonly seconds: number;
  readonly transactionsPerSecond: number;
  /** Per transaction, BEGIN IMMEDIATE to COMMIT returned. */
  readonly latency: LatencySummary;
}

export interface FloorResult {
  readonly file: string;
  readonly journalMode: string;
  readonly payloadBytes: number;
  readonly modes: readonly FloorMode[];
}

const TABLE = 'bench_sqlite_floor';

export function measureSqliteFloor(options: FloorOptions): FloorResult {
  const modes = options.modes ?? ['FULL', 'NORMAL'];
  const payloadBytes = options.payloadBytes ?? 200;
  const payload = 'x'.repeat(payloadBytes);
  const db = new Database(options.file);
  try {
    const journalMode = String(db.pragma('journal_mode = WAL', { simple: true }));
    db.pragma('busy_timeout = 5000');
    db.exec(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL)`);
    const begin = db.prepare('BEGIN IMMEDIATE');
    const insert = db.prepare(`INSERT INTO ${TABLE} (at, body) VALUES (?, ?)`);
    const commit = db.prepare('COMMIT');

    const results: FloorMode[] = [];
    for (const synchronous of modes) {
      db.pragma(`synchronous = ${synchronous}`);
      // A short warm-up so the first fsyncs (file growth, WAL creation) do not skew the rate.
      for (let i = 0; i < 20; i += 1) {
        begin.run();
        insert.run(i, payload);
        commit.run();
      }
      db.pragma('wal_checkpoint(TRUNCATE)');

      const budget = BigInt(Math.round(options.seconds * 1e9));
      const latencies: number[] = [];
      const start = process.hrtime.bigint();
      let now = start;
      while (now - start < budget) {
        const before = now;
        begin.run();
        insert.run(latencies.length, payload);
        commit.run();
        now = process.hrtime.bigint();
        latencies.push(Number(now - before));
      }
      const elapsed = Number(now - start) / 1e9;
      results.push({
        synchronous,
        transactions: latencies.length,
        seconds: round(elapsed, 3),
        transactionsPerSecond: Math.round(latencies.length / elapsed),
        latency: summarise(Float64Array.from(latencies)),
      });
    }
    db.exec(`DROP TABLE ${TABLE}`);
    return { file: options.file, journalMode, payloadBytes, modes: results };
  } finally {
    db.close();
  }
}

const SECONDS_PER_MODE = 5;
const TMPFS_MAGIC = 0x01021994;

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-bench-sqlite-'));
  try {
    const file = path.join(dir, 'floor.db');
    const filesystemType = statfsSync(dir).type;
    const result = measureSqliteFloor({ file, seconds: SECONDS_PER_MODE });
    const written = writeResult('sqlite-floor', {
      parameters: {
        directory: 'os.tmpdir() (a fresh mkdtemp directory)',
        tmpfs: filesystemType === TMPFS_MAGIC,
        secondsPerMode: SECONDS_PER_MODE,
        payloadBytes: result.payloadBytes,
        journalMode: result.journalMode,
        transaction: 'BEGIN IMMEDIATE; INSERT one row; COMMIT (prepared statements, one connection)',
        driver: `better-sqlite3 (SQLite ${sqliteVersion()})`,
      },
      results: Object.fromEntries(
        result.modes.map((mode) => [
          `synchronous${mode.synchronous === 'FULL' ? 'Full' : 'Normal'}`,
          { transactions: mode.transactions, seconds: mode.seconds, transactionsPerSecond: mode.transactionsPerSecond, latency: mode.latency },
        ]),
      ),
    });
    console.log('sqlite-floor: single-row INSERT transactions, WAL, one connection');
    for (const mode of result.modes) {
      console.log(
        `  synchronous=${mode.synchronous.padEnd(6)} ${String(mode.transactionsPerSecond).padStart(7)} tx/s` +
          `  (p50 ${mode.latency.p50Us} µs, p99 ${mode.latency.p99Us} µs, ${mode.transactions} tx in ${mode.seconds} s)`,
      );
    }
    console.log(`  → ${path.relative(process.cwd(), written)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return String(db.prepare('SELECT sqlite_version()').pluck().get());
  } finally {
    db.close();
  }
}

if (isMain(import.meta.url)) await run();
