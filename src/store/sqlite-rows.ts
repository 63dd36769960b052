import type SqliteDatabase from 'better-sqlite3';
import { fastPaths } from './transactions/fast-paths.js';

/**
 * Rows of a better-sqlite3 statement as plain objects, built in JavaScript.
 *
 * better-sqlite3 builds each row object in C++, setting one property at a time through V8's API,
 * which costs per column: a `select *` of a conversation (31 columns) took about twice as long as
 * the same row as an array (`raw` mode), and a handoff reads and returns whole conversations
 * several times (bench/results/handoff-profile.md). So readers run
 * in raw mode and each array becomes an object through a constructor compiled once per column
 * list — an object literal with the column names as keys, the shape V8 builds fastest. Same
 * keys, same values, same order as better-sqlite3's objects (a later column of the same name
 * wins, as there). A column named `__proto__` (never ours) keeps better-sqlite3's own objects.
 */
export interface RowReader {
  all(values: readonly unknown[]): Record<string, unknown>[];
}

type Build = (values: readonly unknown[]) => Record<string, unknown>;

const readers = new WeakMap<SqliteDatabase.Statement, RowReader>();

/** The reader of `statement` (a statement that returns rows: `statement.reader`). */
export function rowReader(statement: SqliteDatabase.Statement): RowReader {
  if (!fastPaths.rowReader && !readers.has(statement)) return { all: (values) => statement.all(values) as Record<string, unknown>[] };
  let reader = readers.get(statement);
  if (reader === undefined) {
    reader = makeReader(statement);
    readers.set(statement, reader);
  }
  return reader;
}

function makeReader(statement: SqliteDatabase.Statement): RowReader {
  let names = columnNames(statement);
  if (names.includes('__proto__')) return { all: (values) => statement.all(values) as Record<string, unknown>[] };
  statement.raw(true);
  let build = constructorFor(names);
  return {
    all(values) {
      const arrays = statement.all(values) as unknown[][];
      const first = arrays[0];
      // SQLite re-prepares a statement by itself after a schema change; `select *` may then
      // return other columns: build anew when the width differs (one cheap check per call).
      if (first !== undefined && first.length !== names.length) {
        names = columnNames(statement);
        build = constructorFor(names);
      }
      const rows = new Array<Record<string, unknown>>(arrays.length);
      for (let i = 0; i < arrays.length; i++) rows[i] = build(arrays[i]!);
      return rows;
    },
  };
}

function columnNames(statement: SqliteDatabase.Statement): string[] {
  return statement.columns().map((column) => column.name);
}

const constructors = new Map<string, Build>();

/** `(a) => ({ "c0": a[0], "c1": a[1], … })`, one per distinct column list. */
function constructorFor(names: readonly string[]): Build {
  const key = JSON.stringify(names);
  let build = constructors.get(key);
  if (build === undefined) {
    const fields = names.map((name, i) => `${JSON.stringify(name)}: a[${i}]`).join(', ');
    // The names are SQLite's column names, quoted by JSON.stringify: no text of theirs is code.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a compiled object literal is the point (see above)
    build = new Function('a', `return { ${fields} };`) as Build;
    // Bounded like the statement cache: column lists come from the queries we write.
    if (constructors.size >= 2_000) constructors.clear();
    constructors.set(key, build);
  }
  return build;
}
