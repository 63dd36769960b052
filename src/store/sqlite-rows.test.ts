import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rowReader } from './sqlite-rows.js';

/** The same statement text, prepared twice: one read as better-sqlite3 builds rows, one through rowReader. */
function both(db: Database.Database, sql: string, values: unknown[] = []): { theirs: unknown[]; ours: unknown[] } {
  return { theirs: db.prepare(sql).all(values), ours: rowReader(db.prepare(sql)).all(values) };
}

describe('rows built in JavaScript (rowReader)', () => {
  const db = new Database(':memory:');
  db.exec(`create table t (id text primary key, n integer, x real, s text, b blob, j text)`);
  const insert = db.prepare('insert into t values (?, ?, ?, ?, ?, ?)');
  insert.run('a', 1, 1.5, 'one', Buffer.from([1, 2]), '{"k":[1]}');
  insert.run('b', null, null, null, null, null);
  insert.run('c', -(2 ** 40), 0, '', Buffer.alloc(0), '[]');

  it('equals better-sqlite3\'s objects: keys, their order, values of every type', () => {
    for (const sql of ['select * from t order by id', 'select s, id from t where n is null', 'select count(*) as c, max(n) from t', 'select * from t where id = ?']) {
      const { theirs, ours } = both(db, sql, sql.includes('?') ? ['a'] : []);
      expect(ours).toStrictEqual(theirs);
      expect(ours.map((row) => Object.keys(row as object))).toEqual(theirs.map((row) => Object.keys(row as object)));
    }
  });

  it('lets a later column of the same name win, as better-sqlite3 does', () => {
    const { theirs, ours } = both(db, 'select id, n as id, s from t order by 1');
    expect(ours).toStrictEqual(theirs);
  });

  it('keeps better-sqlite3\'s objects for a column named __proto__', () => {
    const { theirs, ours } = both(db, 'select id as __proto__, n from t order by n');
    expect(ours).toStrictEqual(theirs);
    expect(Object.getPrototypeOf(ours[0])).toBe(Object.prototype);
  });

  it('follows a schema change under a prepared `select *`', () => {
    const local = new Database(':memory:');
    local.exec('create table u (a integer)');
    local.exec('insert into u values (1)');
    const reader = rowReader(local.prepare('select * from u'));
    expect(reader.all([])).toStrictEqual([{ a: 1 }]);
    local.exec('alter table u add column b text default \'x\'');
    expect(reader.all([])).toStrictEqual([{ a: 1, b: 'x' }]);
  });

  it('returns no rows as an empty array', () => {
    expect(rowReader(db.prepare('select * from t where id = ?')).all(['none'])).toStrictEqual([]);
  });
});
