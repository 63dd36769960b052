// The plan is SQLite's (explain query plan on the file); the claim's order runs on both dialects.
/**
 * The outbox claim must not slow down as the backlog grows (the moment the worker most needs to
 * catch up): SQLite walks the partial index outbox_waiting_idx in due order and stops after the
 * batch, instead of sorting every due row. The index applies only when the query states its
 * condition word for word, so a harmless-looking edit of the query would silently lose it; the
 * plan is checked here.
 */
import { randomUUID } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDue, dueRows, enqueue } from '../../src/store/repositories/outbox.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

let test: TestDatabase | null = null;

afterEach(async () => {
  await test?.drop();
  test = null;
});

describe('outbox claim plan [sqlite]', () => {
  it('walks outbox_waiting_idx in order, without a temporary sort', async () => {
    test = await openTestDatabase('sqlite');
    const compiled = dueRows(test.database.db, { now: 1_000, limit: 50, kinds: ['event.published', 'notify.in_app'] }).compile();
    const file = test.url.slice('sqlite:'.length);
    const sqlite = new Sqlite(file, { readonly: true });
    try {
      const plan = (sqlite.prepare(`explain query plan ${compiled.sql}`).all(...(compiled.parameters as unknown[])) as { detail: string }[]).map((row) => row.detail).join(' | ');
      expect(plan).toContain('outbox_waiting_idx');
      expect(plan).not.toContain('TEMP B-TREE');
    } finally {
      sqlite.close();
    }
  });
});

// The claim's order is the same on both dialects (the plan above is SQLite's).
eachDialect('outbox claim order', (dialect) => {
  it('claims the oldest due rows first, and none that are done or not yet due', async () => {
    test = await openTestDatabase(dialect);
    const db = test.database.db;
    for (let i = 0; i < 5; i++) await enqueue(db, { kind: 'k', idempotencyKey: randomUUID(), payload: { i }, availableAt: 100 + i, now: 0 });
    await enqueue(db, { kind: 'k', idempotencyKey: randomUUID(), payload: { later: true }, availableAt: 10_000, now: 0 });
    const first = await claimDue(db, { now: 1_000, limit: 3, leaseMs: 30_000, kinds: ['k'] });
    // Returned in creation order (ties by id); which rows were taken is what matters here.
    expect(first.map((item) => (item.payload as { i: number }).i).sort()).toEqual([0, 1, 2]);
    const rest = await claimDue(db, { now: 1_000, limit: 10, leaseMs: 30_000, kinds: ['k'] });
    expect(rest.map((item) => (item.payload as { i: number }).i).sort()).toEqual([3, 4]);
  });
});
