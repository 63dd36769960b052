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
  Transaction,
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
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** What repositories take: the database or an open transaction (a `Transaction<DB>` is a `Kysely<DB>`). */
export type Executor = Kysely<DB>;

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  close(): Promise<void>;
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
  /** Run pending migrations before returning. */
  readonly migrate?: boolean;
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
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5_000))}`);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<DB>({
    dialect: new ImmediateSqliteDialect({ database: cachingStatements(sqlite) }),
    plugins: [new SqliteRowLocks()],
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** Distinct SQL texts kept prepared; `in (?, ?, …)` lists of many lengths make the set grow. */
const STATEMENT_CACHE_SIZE = 1_000;

/**
 * Kysely's SQLite driver calls `prepare` for every query it runs. Preparing costs more than
 * running most of our statements (bench/results: ~105 prepares per handoff were 12% of the
 * server's CPU), so the driver gets a facade that keeps prepared statements by SQL text.
 * better-sqlite3 statements are reusable and every call on them is synchronous, so the single
 * connection never runs one statement twice at once; SQLite re-prepares a cached statement by
 * itself after a schema change (migrations). Oldest-first eviction bounds the cache.
 */
function cachingStatements(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
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
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

// ── transactions ────────────────────────────────────────────────────────────────────────────────

/** PostgreSQL: deadlock_detected, serialization_failure. */
const RETRYABLE_PG_CODES = new Set(['40P01', '40001']);

function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && RETRYABLE_PG_CODES.has(code);
}

export interface TransactionOptions {
  /** Attempts when PostgreSQL aborts the transaction for a deadlock (default 3). */
  readonly attempts?: number;
}

/**
 * Run `fn` in one transaction: commit when it resolves, roll back when it throws.
 *
 * - Joins the caller's transaction when given one, so use cases compose.
 * - PostgreSQL may abort one of two transactions that lock the same rows in opposite orders
 *   (40P01); the whole `fn` is then re-run, so `fn` must have no effects outside the database
 *   (put them in the outbox — STYLE.md "Work that happens later is a row first").
 * - SQLite: every query inside `fn` must go through `trx`. The database has one connection;
 *   awaiting a query on the outer handle inside `fn` waits forever for that connection.
 */
export async function withTransaction<T>(
  database: Database | Executor,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const db = database instanceof Kysely ? database : database.db;
  if (db.isTransaction) return fn(db as Transaction<DB>);
  const attempts = Math.max(1, options.attempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((done) => setTimeout(done, 5 * attempt));
    }
  }
}
