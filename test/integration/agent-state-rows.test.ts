// SQLite only by nature: the agent states kept in memory exist only on SQLite (PostgreSQL reads the tables).
/**
 * Routing's view of the agents (src/store/repositories/agent-state-rows.ts): what it returns must
 * always equal the tables, through rolled-back transactions, group commits where one logical
 * transaction is rolled back to its savepoint, and writes by another process on the same file.
 * (It was kept in memory on SQLite until 2026-12-07; the tests of that memory went with it.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, withTransaction, type Database } from '../../src/store/database.js';
import { readAgentStateRows, readTables } from '../../src/store/repositories/agent-state-rows.js';
import { setUserStatus } from '../../src/store/repositories/users.js';
import { describeAgentStateRows } from '../support/describe-agent-state-rows.js';

let dir: string;
let file: string;
const open: Database[] = [];

async function openStore(): Promise<Database> {
  const database = await openDatabase(`sqlite:${file}`, { migrate: true, checks: true });
  open.push(database);
  return database;
}


async function expectKeptEqualsTables(database: Database): Promise<void> {
  expect(describeAgentStateRows(await readAgentStateRows(database.db))).toBe(describeAgentStateRows(await readTables(database.db)));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-agent-rows-'));
  file = join(dir, 'baton.db');
});

afterEach(async () => {
  for (const database of open.splice(0)) await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('agent states as routing reads them (SQLite)', () => {
  it('forgets what a rolled-back transaction wrote', async () => {
    const database = await openStore();
    await setUserStatus(database.db, { userId: 'u1', status: 'available', now: 1 });
    await readAgentStateRows(database.db);
    await expect(
      withTransaction(database.db, async (trx) => {
        await setUserStatus(trx, { userId: 'u1', status: 'offline', now: 2 });
        // Read inside: the transaction sees (and keeps under its own token) its own write.
        expect((await readAgentStateRows(trx)).get('u1')?.status).toBe('offline');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await readAgentStateRows(database.db)).get('u1')?.status).toBe('available');
    await expectKeptEqualsTables(database);
  });

  it('keeps only what committed when one transaction of a group commit is rolled back to its savepoint', async () => {
    const database = await openStore();
    await readAgentStateRows(database.db);
    // Queued in one turn: they share one SQLite transaction, each in a savepoint.
    const outcomes = await Promise.allSettled([
      withTransaction(database.db, (trx) => setUserStatus(trx, { userId: 'u1', status: 'away', now: 1 })),
      withTransaction(database.db, async (trx) => {
        await setUserStatus(trx, { userId: 'u2', status: 'away', now: 2 });
        throw new Error('this one only');
      }),
      withTransaction(database.db, (trx) => setUserStatus(trx, { userId: 'u3', status: 'away', now: 3 })),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((database.commitStats?.().commits ?? 0) > 0).toBe(true);
    const rows = await readAgentStateRows(database.db);
    expect([rows.get('u1')?.status, rows.get('u2')?.status ?? null, rows.get('u3')?.status]).toEqual(['away', null, 'away']);
    await expectKeptEqualsTables(database);
  });

  it('reads the tables again when another process changed them', async () => {
    const mine = await openStore();
    const theirs = await openStore();
    await setUserStatus(mine.db, { userId: 'u1', status: 'available', now: 1 });
    expect((await readAgentStateRows(mine.db)).get('u1')?.status).toBe('available');
    await setUserStatus(theirs.db, { userId: 'u1', status: 'offline', now: 2 });
    expect((await readAgentStateRows(mine.db)).get('u1')?.status).toBe('offline');
    await expectKeptEqualsTables(mine);
  });
});
