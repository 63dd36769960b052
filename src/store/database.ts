import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type {
  DatabaseConnection,
  Driver,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  SelectQueryNode,
  SqliteDialectConfig,
  SqliteStatement,
  UnknownRow,
} from 'kysely';
import {
  CompiledQuery,
  Kysely,
  OperationNodeTransformer,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.js';
import { registerSqliteConnection } from './prepared.js';
import { offThreadReads, type OffThreadReads } from './read-off-thread.js';
import type { DB } from './schema.js';
import { enableChecks } from './transactions/checks.js';
import { fastPaths } from './transactions/fast-paths.js';
import { GROUP_COMMIT_UNITS, startGroupCommit, type CommitStats } from './transactions/group-commit.js';

// The transaction machinery (INTERNALS.md) lives in ./transactions/; what use cases and
// repositories call is exported from here as before.
export { onCommitted } from './transactions/committed-work.js';
export { inOptimisticSavepoint, inSavepoint, SavepointLost, WroteBeforeFailing } from './transactions/savepoints.js';
export { withTransaction, type TransactionOptions } from './transactions/with-transaction.js';
export { InvariantBroken } from './transactions/checks.js';
export type { CommitStats } from './transactions/group-commit.js';

export type Dialect = 'sqlite' | 'postgres';

/** What repositories take: the database or an open transaction (a `Transaction<DB>` is a `Kysely<DB>`). */
export type Executor = Kysely<DB>;

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** SQLite: commits so far and the logical transactions they carried (group commit; /metrics). */
  readonly commitStats?: () => CommitStats;
  /** SQLite in a file: long reads on a worker thread with its own connection (read-off-thread.ts). */
  readonly offThread?: OffThreadReads;
  /** PostgreSQL opened with `countRoundTrips`: the statements sent to the server (tests and benchmarks). */
  readonly roundTrips?: RoundTrips;
  close(): Promise<void>;
}

/**
 * What a PostgreSQL database opened with `countRoundTrips` has sent: every query a client of its
 * pool sent (BEGIN, COMMIT and SAVEPOINT included) is one round trip. The texts are kept only
 * while `logging` is on (a test prints them to see what one use case sends).
 */
export interface RoundTrips {
  readonly count: number;
  readonly statements: readonly string[];
  /** Start counting (and, with `log`, keeping the texts) from zero. */
  reset(options?: { readonly log?: boolean }): void;
}


export interface OpenDatabaseOptions {
  /**
   * SQLite `synchronous`: FULL (default) syncs the WAL on every commit, so a committed handoff
   * survives power loss; NORMAL may lose the last commits on power loss (not on a crash of
   * the process) and is faster. bench/ compares the two.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** SQLite: how long a writer waits for another process's lock before failing (ms). */
  readonly busyTimeoutMs?: number;
  /** PostgreSQL pool size (default 10). */
  readonly poolSize?: number;
  /** SQLite page cache in KiB (default 64 MiB). */
  readonly cacheSizeKiB?: number;
  /** SQLite: logical transactions sharing one commit at most (default 64; 1 turns group commit off). */
  readonly groupCommitUnits?: number;
  /** Run pending migrations before returning. */
  readonly migrate?: boolean;
  /**
   * Checking mode (store/INTERNALS.md, transactions/checks.ts): every transaction rehearsed once
   * and rolled back before it runs for real, and memory compared with the tables after each
   * commit; a breach throws `InvariantBroken`. Tests turn it on; it costs far more than it saves.
   */
  readonly checks?: boolean;
  /** PostgreSQL: count the statements sent to the server (`Database.roundTrips`); tests and benchmarks only. */
  readonly countRoundTrips?: boolean;
}

export type DatabaseLocation =
  | { readonly dialect: 'sqlite'; readonly filename: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string };

/**
 * `sqlite:./data/baton.db`, `sqlite:/abs/file.db`, `sqlite:///abs/file.db`, `sqlite::memory:`,
 * `postgres://…` or `postgresql://…`.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', connectionString: url };
  }
  if (url.startsWith('sqlite:')) {
    let filename = url.slice('sqlite:'.length);
    if (filename.startsWith('//')) filename = filename.slice(2);
    if (filename === '') throw new Error(`DATABASE_URL "${url}" names no SQLite file`);
    return { dialect: 'sqlite', filename };
  }
  throw new Error(`DATABASE_URL "${url}" must start with sqlite: or postgres://`);
}

export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const location = parseDatabaseUrl(url);
  const database = location.dialect === 'sqlite' ? openSqlite(location.filename, options) : openPostgres(location.connectionString, options);
  if (options.migrate === true) {
    try {
      await migrateToLatest(database.db);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

// ── SQLite ──────────────────────────────────────────────────────────────────────────────────────

function openSqlite(filename: string, options: OpenDatabaseOptions): Database {
  const memory = filename === ':memory:';
  if (!memory) mkdirSync(dirname(resolve(filename)), { recursive: true });
  const sqlite = new SqliteDatabase(memory ? ':memory:' : resolve(filename));
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    sqlite.pragma('foreign_keys = ON');
    // Negative: KiB rather than pages. SQLite's default (2 MiB) is smaller than the indexes a
    // handoff touches once the desk has some history (measured: bench/results/handoff-profile.md).
    // Pages are allocated as they are used.
    sqlite.pragma(`cache_size = -${Math.max(2_048, Math.trunc(options.cacheSizeKiB ?? DEFAULT_CACHE_KIB))}`);
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5_000))}`);
    // A savepoint (group commit after a failure, the outbox worker's re-run) keeps the pages it
    // may have to restore in a statement journal, which spills to a temporary file past 64 KiB.
    // In memory it is freed at each RELEASE (measured: bench/results/handoff-profile.md).
    // Temporary sort trees of big ad-hoc queries live in memory too.
    sqlite.pragma('temp_store = MEMORY');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<DB>({
    dialect: new ImmediateSqliteDialect({ database: cachingStatements(sqlite) }),
    plugins: [new SqliteRowLocks()],
  });
  registerSqliteConnection(db.getExecutor().adapter, sqlite);
  if (options.checks === true) enableChecks(db);
  const group = startGroupCommit(db, fastPaths.groupCommit ? (options.groupCommitUnits ?? GROUP_COMMIT_UNITS) : 1, options.checks === true);
  const offThread = memory ? undefined : offThreadReads(resolve(filename));
  return {
    db,
    dialect: 'sqlite',
    commitStats: () => group.stats(),
    ...(offThread === undefined ? {} : { offThread }),
    close: async () => {
      await offThread?.close();
      await group.idle();
      await db.destroy();
    },
  };
}

/** SQLite page cache per connection (KiB). */
const DEFAULT_CACHE_KIB = 64 * 1024;

/** Distinct SQL texts kept prepared; `in (?, ?, …)` lists of many lengths make the set grow. */
const STATEMENT_CACHE_SIZE = 1_000;

/**
 * Kysely's SQLite driver calls `prepare` for every query it runs. Preparing costs more than
 * running most of our statements (bench/results/handoff-profile.md), so the driver gets a facade that keeps prepared statements by SQL text.
 * better-sqlite3 statements are reusable and every call on them is synchronous, so the single
 * connection never runs one statement twice at once; SQLite re-prepares a cached statement by
 * itself after a schema change (migrations). Oldest-first eviction bounds the cache.
 */
function cachingStatements(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string) {
      if (!fastPaths.statementCache) return forKysely(sqlite.prepare(sql));
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = forKysely(sqlite.prepare(sql));
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}

/** What Kysely's driver calls on a statement. */
function forKysely(statement: SqliteDatabase.Statement): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters: ReadonlyArray<unknown>) => statement.all(parameters),
    run: (parameters: ReadonlyArray<unknown>) => statement.run(parameters),
    // Streaming (Kysely's `stream()`, unused here) reads row by row: better-sqlite3's own objects.
    iterate: (parameters: ReadonlyArray<unknown>) => statement.iterate(parameters),
  };
}

/**
 * Kysely's SQLite driver opens transactions with a deferred `BEGIN`. A deferred transaction
 * that reads and then writes cannot wait for another process's write lock (SQLite returns
 * SQLITE_BUSY at once, without the busy timeout, to avoid deadlock), so a CLI applying
 * baton.yaml next to the running server could fail spuriously. `BEGIN IMMEDIATE` takes the
 * write lock up front and waits for it under busy_timeout. Within one process Kysely's single
 * connection already serialises transactions.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

const ROW_LOCKS = new Set(['ForUpdate', 'ForNoKeyUpdate', 'ForShare', 'ForKeyShare', 'NoWait', 'SkipLocked']);

class DropRowLocks extends OperationNodeTransformer {
  protected override transformSelectQuery(node: SelectQueryNode, queryId?: PluginTransformQueryArgs['queryId']): SelectQueryNode {
    const out = super.transformSelectQuery(node, queryId);
    if (out.endModifiers === undefined) return out;
    const kept = out.endModifiers.filter((m) => m.modifier === undefined || !ROW_LOCKS.has(m.modifier));
    if (kept.length === out.endModifiers.length) return out;
    return Object.freeze({ ...out, endModifiers: kept.length > 0 ? kept : undefined });
  }
}

/** Whether a lock modifier appears anywhere in the query tree (subqueries included). A read-only walk. */
function hasRowLock(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(hasRowLock);
  const record = node as Record<string, unknown>;
  // Parameter values hold no query nodes: not walked (inserts carry most of their size there).
  if (record.kind === 'ValueNode' || record.kind === 'PrimitiveValueListNode') return false;
  if (record.kind === 'SelectModifierNode' && typeof record.modifier === 'string' && ROW_LOCKS.has(record.modifier)) return true;
  for (const key in record) {
    const value = record[key];
    if (value !== null && typeof value === 'object' && hasRowLock(value)) return true;
  }
  return false;
}

/**
 * Repositories write one query for both dialects and mark the reads a decision depends on
 * with `.forUpdate()` (and the outbox claim with `.skipLocked()`). PostgreSQL needs those row
 * locks; SQLite has no such syntax and needs none: one writer at a time holds the database
 * (Kysely's single connection in-process, `BEGIN IMMEDIATE` across processes). This plugin
 * removes the lock clauses from SQLite queries.
 */
class SqliteRowLocks implements KyselyPlugin {
  readonly #transformer = new DropRowLocks();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    // Rebuilding the tree costs on every query; most queries carry no lock clause at all.
    if (!hasRowLock(args.node)) return args.node;
    return this.#transformer.transformNode(args.node, args.queryId);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

// ── PostgreSQL ──────────────────────────────────────────────────────────────────────────────────

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * Instants are epoch milliseconds in int8 columns and counts come back as int8; node-postgres
 * returns int8 as strings by default. Epoch ms and counts are far below 2^53, so numbers are
 * exact. Set per pool (not via the global `pg.types`) so that other pg users are unaffected.
 */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
    const builtin: unknown = format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
    return builtin as (value: string) => unknown;
  }) as typeof pg.types.getTypeParser,
};

function openPostgres(connectionString: string, options: OpenDatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, types: pgTypes });
  // An idle client's connection can die (server restart, admin kill): without a listener that
  // error is unhandled and ends the process. The pool drops the client; the next query reconnects.
  pool.on('error', () => undefined);
  // The same for a client checked out (in a transaction) when its connection dies: the pool
  // listens only to idle clients, so the error would end the process — seen when a worker's
  // backend was terminated while its job awaited something other than a query. The transaction's
  // next query fails instead (its caller hears of it), and the pool drops the client on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const roundTrips = options.countRoundTrips === true ? countingRoundTrips(pool) : undefined;
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  if (options.checks === true) enableChecks(db);
  return { db, dialect: 'postgres', ...(roundTrips === undefined ? {} : { roundTrips }), close: () => db.destroy() };
}

/** Wraps `query` of every client the pool connects: each call is one statement sent, one round trip. */
function countingRoundTrips(pool: pg.Pool): RoundTrips {
  let count = 0;
  let log: string[] | null = null;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]): unknown => {
      count += 1;
      if (log !== null) {
        const first = args[0];
        log.push(typeof first === 'string' ? first : typeof first === 'object' && first !== null && 'text' in first ? String(first.text) : '?');
      }
      return query(...args);
    };
  });
  return {
    get count() {
      return count;
    },
    get statements() {
      return log ?? [];
    },
    reset(options = {}) {
      count = 0;
      log = options.log === true ? [] : null;
    },
  };
}
