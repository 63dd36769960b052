import { mkdirSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers';
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
  Transaction,
  UnknownRow,
} from 'kysely';
import {
  CompiledQuery,
  Kysely,
  sql,
  OperationNodeTransformer,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.js';
import { preparedQuery, registerSqliteConnection } from './prepared.js';
import { rowReader } from './sqlite-rows.js';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** What repositories take: the database or an open transaction (a `Transaction<DB>` is a `Kysely<DB>`). */
export type Executor = Kysely<DB>;

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** SQLite: commits so far and the logical transactions they carried (group commit; /metrics). */
  readonly commitStats?: () => CommitStats;
  close(): Promise<void>;
}

export interface CommitStats {
  /** SQLite transactions committed through `withTransaction`. */
  readonly commits: number;
  /** Logical transactions (`withTransaction` calls) those commits carried. */
  readonly transactions: number;
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
    // handoff touches once the desk has some history; 64 MiB took ~7% of CPU off a handoff
    // (3,000 handoffs in-process, alternating runs on this machine: 5.6 → 5.2 ms of CPU each).
    // Pages are allocated as they are used.
    sqlite.pragma(`cache_size = -${Math.max(2_048, Math.trunc(options.cacheSizeKiB ?? DEFAULT_CACHE_KIB))}`);
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5_000))}`);
    // Group commit runs each logical transaction in a savepoint, and SQLite keeps the pages a
    // savepoint may have to restore in a statement journal, which spills to a temporary file past
    // 64 KiB: ~80 pages per handoff (190 write calls and 404 KB written per handoff, /proc/self/io,
    // against 29 and 75 KB with this). In memory it is freed at each RELEASE. Main-thread system
    // time per handoff 0.35 -> 0.13 ms; handoffs/s +7% (five alternating in-process runs).
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
  const group = new GroupCommit(db, options.groupCommitUnits ?? GROUP_COMMIT_UNITS);
  groupCommits.set(db, group);
  return {
    db,
    dialect: 'sqlite',
    commitStats: () => group.stats(),
    close: async () => {
      await group.idle();
      await db.destroy();
    },
  };
}

// ── SQLite group commit ─────────────────────────────────────────────────────────────────────────

/** Logical transactions committed together at most (bounds how long one commit keeps the others waiting). */
const GROUP_COMMIT_UNITS = 64;

const groupCommits = new WeakMap<Kysely<DB>, GroupCommit>();

interface Unit {
  readonly fn: (trx: Transaction<DB>) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * Run `fn` inside a savepoint of the open transaction `trx`, with an executor object of its own
 * (per-transaction buffers and caches key on the executor, and must not outlive a rollback):
 * when `fn` throws, its writes are rolled back to the savepoint and the error is rethrown; the
 * transaction goes on. Both SQLite and PostgreSQL (where the rollback also clears the "current
 * transaction is aborted" state a failed statement leaves). If the savepoint itself cannot be
 * rolled back (the database ended the transaction, e.g. an I/O error), throws `SavepointLost`.
 */
export async function inSavepoint<T>(trx: Transaction<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  // One name for all: ROLLBACK TO and RELEASE act on the innermost savepoint of that name (SQLite
  // and PostgreSQL), so nesting works, and the statements stay the same text (prepared once).
  await SAVEPOINT.run(trx, {});
  return onOwnExecutor(trx, fn, {
    async failed(error) {
      try {
        await ROLLBACK_TO_SAVEPOINT.run(trx, {});
        await RELEASE_SAVEPOINT.run(trx, {});
      } catch (lost) {
        throw new SavepointLost(lost);
      }
      throw error;
    },
    async succeeded() {
      await RELEASE_SAVEPOINT.run(trx, {});
    },
  });
}

/**
 * `fn` on an executor of its own, with a list of after-commit work of its own (`onCommitted`):
 * when `fn` throws, `failed` decides what is thrown and the work is dropped (it describes writes
 * that are gone or were never made); when it resolves and `succeeded` does, the work joins
 * `trx`'s — it now stands or falls with the enclosing transaction.
 */
async function onOwnExecutor<T>(
  trx: Transaction<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  settle: { failed(error: unknown): Promise<never>; succeeded(): Promise<void> },
): Promise<T> {
  const own = trx.withPlugin(new OwnExecutor());
  const work = openCommittedWork(own);
  let value: T;
  try {
    value = await fn(own);
  } catch (error) {
    closeCommittedWork(own);
    return settle.failed(error);
  }
  try {
    await settle.succeeded();
  } finally {
    closeCommittedWork(own);
  }
  committedWork.get(trx)?.push(...work);
  return value;
}

const SAVEPOINT_NAME = sql.id('baton_savepoint');
const SAVEPOINT = preparedQuery((db) => ({ compile: () => sql`savepoint ${SAVEPOINT_NAME}`.compile(db) }));
const ROLLBACK_TO_SAVEPOINT = preparedQuery((db) => ({ compile: () => sql`rollback to savepoint ${SAVEPOINT_NAME}`.compile(db) }));
const RELEASE_SAVEPOINT = preparedQuery((db) => ({ compile: () => sql`release savepoint ${SAVEPOINT_NAME}`.compile(db) }));

/**
 * Like `inSavepoint`, without the savepoint when nothing has to be undone.
 *
 * On SQLite a savepoint is not free: while one is open, SQLite copies each page the transaction had
 * already changed into a statement journal before changing it again, and in a group commit every
 * logical transaction rewrites pages the ones before it changed (the tables' last leaves, index
 * roots). Per handoff that was ~80 pages copied, three SAVEPOINT/RELEASE pairs and ~13% of the
 * server's CPU (alternating in-process runs, 2026-11-26). Failures are rare, so `fn` runs on the
 * transaction as is (with an executor of its own, as in a savepoint), and:
 * - when it throws having changed no row (SQLite's `total_changes()` did not move: a refusal, a
 *   validation error), there is nothing to undo and its error is rethrown;
 * - when it throws having written, its writes cannot be undone alone: `WroteBeforeFailing` is
 *   thrown instead, and the caller must roll the whole transaction back and run it again with
 *   `inSavepoint` (GroupCommit and the outbox worker do).
 * `total_changes()` counts rows, not schema changes: no use case runs DDL in a transaction
 * (migrations run in Kysely's migrator, outside group commit).
 *
 * PostgreSQL (the outbox worker's batches; group commit is SQLite's): there the savepoint costs
 * two round trips per job, and a failed statement aborts the whole transaction anyway, so every
 * failure is `WroteBeforeFailing`: the batch rolls back and runs again with savepoints. Jobs
 * rarely fail; SAVEPOINT and RELEASE were 4 of the worker's ~14 round trips per handoff.
 */
export async function inOptimisticSavepoint<T>(trx: Transaction<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  // null: no way to tell (PostgreSQL), so every failure counts as one after writing.
  const before = isSqlite(trx) ? await totalChanges(trx) : null;
  return onOwnExecutor(trx, fn, {
    async failed(error) {
      if (before !== null && (await totalChanges(trx)) === before) throw error;
      throw new WroteBeforeFailing(error);
    },
    async succeeded() {},
  });
}

/** A logical transaction threw after writing, without a savepoint: roll back the whole transaction and run again with savepoints. */
export class WroteBeforeFailing extends Error {
  constructor(cause: unknown) {
    super('a transaction threw after writing, outside a savepoint', { cause });
    this.name = 'WroteBeforeFailing';
  }
}

const TOTAL_CHANGES = preparedQuery((db) => ({ compile: () => sql<{ n: number }>`select total_changes() as n`.compile(db) }));

/** Rows inserted, updated or deleted on this SQLite connection since it opened (rolled back ones included). */
async function totalChanges(trx: Transaction<DB>): Promise<number> {
  const row = await TOTAL_CHANGES.first(trx, {});
  return Number(row?.n ?? 0);
}

function isSqlite(ex: Executor): boolean {
  return ex.getExecutor().adapter instanceof SqliteAdapter;
}

/** The transaction a savepoint belonged to is gone: the whole transaction must fail. */
export class SavepointLost extends Error {
  constructor(cause: unknown) {
    super('the transaction ended under a savepoint', { cause });
    this.name = 'SavepointLost';
  }
}

/** Gives the executor it is added to an identity of its own; changes nothing else. */
class OwnExecutor implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * Group commit for SQLite: the logical transactions (`withTransaction` calls) that are waiting
 * when the connection is free run one after another inside ONE SQLite transaction, each in a
 * savepoint of its own, and share its commit — one WAL append and one fsync for the group
 * instead of one each. On this disk a durable commit of one handoff cost ~0.9 ms of a blocked
 * event loop (1.4 commits per handoff, ~1.3 ms of its ~7 ms); in groups of ~16 it is ~0.5 ms per
 * handoff (in-process statement timings, 2026-11-26).
 *
 * What each caller sees is unchanged:
 * - Its promise settles only after the shared commit: resolved with its own result when the
 *   group committed, rejected with the commit's error when it did not (nothing of it is stored).
 * - A logical transaction that throws is rolled back to its savepoint — none of its writes stay —
 *   and rejects with its own error; the others of the group still commit.
 * - They run one at a time on the one connection, in arrival order, as they did before (Kysely's
 *   single SQLite connection already serialised transactions), so each sees the writes of those
 *   before it exactly as if they had committed: the schedule is serial either way.
 *
 * A group forms from what is queued when the connection comes free: a transaction that arrives
 * while the connection is idle starts on the next turn of the event loop (`setImmediate`, after
 * the I/O callbacks of this turn have queued theirs), so under load the requests that arrived
 * together commit together, and alone it waits no timer. Durability is the same (synchronous =
 * FULL still syncs before any caller hears "committed").
 */
class GroupCommit {
  readonly #db: Kysely<DB>;
  readonly #maxUnits: number;
  #queue: Unit[] = [];
  #running: Promise<void> | null = null;
  #commits = 0;
  #transactions = 0;

  constructor(db: Kysely<DB>, maxUnits: number) {
    this.#db = db;
    this.#maxUnits = Math.max(1, maxUnits);
  }

  run<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.#running ??= new Promise<void>((started) => nextTurn(started)).then(() => this.#drain());
    });
  }

  stats(): CommitStats {
    return { commits: this.#commits, transactions: this.#transactions };
  }

  /** Resolves when nothing is queued or running (before the connection is closed). */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, this.#maxUnits));
    } finally {
      this.#running = null;
    }
  }

  async #commit(units: readonly Unit[]): Promise<void> {
    const only = units.length === 1 ? units[0] : undefined;
    if (only !== undefined) {
      // Alone: a plain transaction, no savepoint.
      try {
        const value = await committing(this.#db, only.fn);
        this.#commits += 1;
        this.#transactions += 1;
        only.resolve(value);
      } catch (error) {
        only.reject(error);
      }
      return;
    }
    // First without savepoints (inOptimisticSavepoint); when one of them throws after writing,
    // the whole transaction is rolled back, that one is rejected with its error, and the others
    // run again, each in a savepoint. Either way each sees exactly the writes of those before it.
    const failed = await this.#commitGroup(units, inOptimisticSavepoint, units.length);
    if (failed === null) return;
    failed.unit.reject(failed.error);
    const rest = units.filter((unit) => unit !== failed.unit);
    // The failed one is counted with the group it came in (commitStats), as a unit rolled back to
    // its savepoint is.
    if (rest.length > 0) await this.#commitGroup(rest, inSavepoint, units.length);
  }

  /**
   * One SQLite transaction running `units` one after another, each through `step`, then settled
   * (`counted` logical transactions in the stats). When a unit throws after writing outside a
   * savepoint (`WroteBeforeFailing`), the transaction is rolled back, nothing is settled, and that
   * unit and its error are returned for the caller to run the rest again.
   */
  async #commitGroup(units: readonly Unit[], step: typeof inSavepoint, counted: number): Promise<{ readonly unit: Unit; readonly error: unknown } | null> {
    const failure: { wrote: { readonly unit: Unit; readonly error: unknown } | null } = { wrote: null };
    const outcomes: Outcome[] = [];
    try {
      await committing(this.#db, async (trx) => {
        for (const unit of units) {
          try {
            outcomes.push({ ok: true, value: await step(trx, unit.fn) });
          } catch (error) {
            if (error instanceof SavepointLost) throw error.cause;
            if (error instanceof WroteBeforeFailing) {
              failure.wrote = { unit, error: error.cause };
              throw error;
            }
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      if (failure.wrote !== null) return failure.wrote;
      for (const unit of units) unit.reject(error);
      return null;
    }
    this.#settle(units, outcomes, counted);
    return null;
  }

  #settle(units: readonly Unit[], outcomes: readonly Outcome[], counted: number): void {
    this.#commits += 1;
    this.#transactions += counted;
    units.forEach((unit, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined) unit.reject(new Error('group commit lost a transaction\'s outcome'));
      else if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }
}

/** SQLite page cache per connection (KiB). */
const DEFAULT_CACHE_KIB = 64 * 1024;

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
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string) {
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

/** What Kysely's driver calls on a statement, with rows built by `rowReader` (sqlite-rows.ts). */
function forKysely(statement: SqliteDatabase.Statement): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters: ReadonlyArray<unknown>) => (statement.reader ? rowReader(statement).all(parameters) : statement.all(parameters)),
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
  const group = groupCommits.get(db);
  if (group !== undefined) return group.run(fn);
  const attempts = Math.max(1, options.attempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      return await committing(db, fn);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((done) => setTimeout(done, 5 * attempt));
    }
  }
}

// ── after commit ────────────────────────────────────────────────────────────────────────────────

/**
 * Work waiting for a commit, by executor object: each transaction opened here (`withTransaction`,
 * a group's shared SQLite transaction) and each savepoint's own executor (`inSavepoint`) has a
 * list while it is open. A savepoint's list joins its parent's when it is released and is dropped
 * when it is rolled back; the outermost transaction's list runs once its COMMIT has succeeded and
 * is dropped when it rolls back or its COMMIT fails. Group commit keeps each logical transaction
 * in a savepoint with an executor of its own, so one rolled back alone takes its work with it and
 * the others' runs after the shared commit.
 */
const committedWork = new WeakMap<Executor, (() => void)[]>();

/**
 * Run `fn` once the writes made so far through `ex` are committed: after the outermost
 * transaction `ex` belongs to has committed, before the caller of that transaction hears so; never
 * if that transaction, or a savepoint between `ex` and it, is rolled back, nor if its COMMIT fails.
 * Outside a transaction (autocommit) the writes are committed already: `fn` runs at once.
 *
 * For what memory may remember about rows only once they are committed (group commit shares one
 * SQLite transaction among several callers, and a seq handed out by one rolled back to its
 * savepoint is handed out again). A transaction this module did not open (Kysely's
 * `startTransaction`, its own savepoints) has an outcome this hook cannot see: `fn` is dropped —
 * never run too early, at worst not at all. Not the services' `ctx.afterCommit`, which asks the
 * background workers for a run.
 *
 * `fn` must be quick and synchronous; what it throws is ignored (the commit has happened).
 */
export function onCommitted(ex: Executor, fn: () => void): void {
  if (!ex.isTransaction) {
    runCommittedWork([fn]);
    return;
  }
  committedWork.get(ex)?.push(fn);
}

function openCommittedWork(ex: Executor): (() => void)[] {
  const work: (() => void)[] = [];
  committedWork.set(ex, work);
  return work;
}

/** Late calls on a finished executor find no list and are dropped. */
function closeCommittedWork(ex: Executor): void {
  committedWork.delete(ex);
}

/** One real transaction (`db` is not inside one) and, once it has committed, its work. */
async function committing<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  let opened: Transaction<DB> | null = null;
  let work: (() => void)[] = [];
  let value: T;
  try {
    value = await db.transaction().execute((trx) => {
      opened = trx;
      work = openCommittedWork(trx);
      return fn(trx);
    });
  } finally {
    if (opened !== null) closeCommittedWork(opened);
  }
  runCommittedWork(work);
  return value;
}

function runCommittedWork(work: readonly (() => void)[]): void {
  for (const fn of work) {
    try {
      fn();
    } catch {
      // The transaction committed; its callers must hear so whatever a hook does.
    }
  }
}
