import type { Compilable, CompiledQuery, DialectAdapter } from 'kysely';
import { CompiledQuery as RawCompiledQuery } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { Executor } from './database.js';
import { fastPaths } from './transactions/fast-paths.js';

/**
 * Queries built and compiled once, run many times with new values — the statements a handoff
 * runs dozens of times a second. A Kysely query costs more in building, compiling, walking the
 * plugins and queueing for the connection than SQLite takes to run it (bench/results/
 * handoff-profile.md), and most of our hot statements differ only in their values.
 *
 * `preparedQuery(build)` takes the query as a function of named placeholders: `build` is called
 * once per database adapter (SQLite, PostgreSQL) with stand-ins in place of the values, the query
 * is compiled through that executor (so its plugins apply: SQLite drops `FOR UPDATE`), and the
 * stand-ins are found again among the compiled parameters. Each run then only binds values:
 *
 * - inside a SQLite transaction, straight on the connection the transaction holds, through the
 *   statement prepared for this query (better-sqlite3 is synchronous; the transaction owns the
 *   single connection, so nothing else can interleave);
 * - otherwise (PostgreSQL, or SQLite outside a transaction, which must queue for the connection)
 *   as a compiled query through Kysely's executor: no building or compiling, the rest unchanged.
 *
 * A placeholder must stand for a value (it cannot choose between `= ?` and `is null`, nor the
 * length of an `in` list): queries whose shape depends on the values stay ordinary Kysely.
 */
export interface PreparedQuery<P, R> {
  /** Every row (`returning` rows for writes; none for a write without `returning`). */
  all(ex: Executor, params: P): Promise<R[]>;
  first(ex: Executor, params: P): Promise<R | undefined>;
  /** A write without `returning`: how many rows it changed. */
  run(ex: Executor, params: P): Promise<number>;
}

interface Compiled {
  readonly sql: string;
  /** For each parameter: the placeholder's name, or the constant compiled into the query. */
  readonly slots: readonly ({ readonly name: string } | { readonly value: unknown })[];
  statement: SqliteDatabase.Statement | null;
}

const MARK = '\u0000baton-placeholder:';

/** Which better-sqlite3 connection each SQLite Kysely adapter speaks to (registered by database.ts). */
const sqliteConnections = new WeakMap<DialectAdapter, SqliteDatabase.Database>();

export function registerSqliteConnection(adapter: DialectAdapter, connection: SqliteDatabase.Database): void {
  sqliteConnections.set(adapter, connection);
}

export function preparedQuery<P extends Record<string, unknown>, R>(build: (db: Executor, p: P) => Compilable<R>): PreparedQuery<P, R> {
  const byAdapter = new WeakMap<DialectAdapter, Compiled>();

  function compiledFor(ex: Executor, adapter: DialectAdapter): Compiled {
    let compiled = byAdapter.get(adapter);
    if (compiled !== undefined) return compiled;
    const placeholders = new Proxy({} as P, {
      get: (_target, key) => {
        if (typeof key !== 'string') throw new Error('preparedQuery: placeholders are named by strings');
        return `${MARK}${key}\u0000`;
      },
    });
    const query: CompiledQuery<R> = build(ex, placeholders).compile();
    if (query.sql.includes(MARK)) throw new Error(`preparedQuery: a placeholder was compiled into the SQL text, not bound as a value: ${query.sql}`);
    compiled = {
      sql: query.sql,
      slots: query.parameters.map((value) =>
        typeof value === 'string' && value.startsWith(MARK) && value.endsWith('\u0000') ? { name: value.slice(MARK.length, -1) } : { value },
      ),
      statement: null,
    };
    byAdapter.set(adapter, compiled);
    return compiled;
  }

  function bind(compiled: Compiled, params: P): unknown[] {
    return compiled.slots.map((slot) => {
      if (!('name' in slot)) return slot.value;
      const value = params[slot.name];
      if (value === undefined) throw new Error(`preparedQuery: no value for placeholder "${slot.name}"`);
      return value;
    });
  }

  /** The statement to run on directly, when `ex` is a SQLite transaction (it holds the connection). */
  function direct(ex: Executor, adapter: DialectAdapter, compiled: Compiled): SqliteDatabase.Statement | null {
    if (!ex.isTransaction || !fastPaths.directStatements) return null;
    const connection = sqliteConnections.get(adapter);
    // Not in a transaction on the connection: `ex` is a transaction that has ended (Kysely's own
    // path says so with an error); never run it on the bare connection.
    if (connection === undefined || !connection.inTransaction) return null;
    compiled.statement ??= connection.prepare(compiled.sql);
    return compiled.statement;
  }

  async function all(ex: Executor, params: P): Promise<R[]> {
    const adapter = ex.getExecutor().adapter;
    const compiled = compiledFor(ex, adapter);
    const values = bind(compiled, params);
    const statement = direct(ex, adapter, compiled);
    if (statement !== null) {
      if (statement.reader) return statement.all(values) as R[];
      statement.run(values);
      return [];
    }
    const result = await ex.executeQuery<R>(RawCompiledQuery.raw(compiled.sql, values));
    return [...result.rows];
  }

  async function run(ex: Executor, params: P): Promise<number> {
    const adapter = ex.getExecutor().adapter;
    const compiled = compiledFor(ex, adapter);
    const values = bind(compiled, params);
    const statement = direct(ex, adapter, compiled);
    if (statement !== null) return statement.run(values).changes;
    const result = await ex.executeQuery<R>(RawCompiledQuery.raw(compiled.sql, values));
    return Number(result.numAffectedRows ?? 0n);
  }

  return {
    all,
    run,
    async first(ex, params) {
      return (await all(ex, params))[0];
    },
  };
}
