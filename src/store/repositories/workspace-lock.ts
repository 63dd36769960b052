import { sql } from 'kysely';
import type { Dialect, Executor } from '../database.js';

/** Any fixed number: the key of the one advisory lock that serialises edits of the workspace document. */
const WORKSPACE_LOCK_KEY = 7_240_001;

/**
 * Serialise read-modify-write edits of the workspace (one directory object, a ruleset publish)
 * until the transaction ends, so two admins editing at once cannot lose each other's change: the
 * second waits, then reads the first one's revision. PostgreSQL: a transaction-scoped advisory
 * lock. SQLite has one writer and Baton one connection per process, so transactions already run
 * one at a time; nothing to take.
 */
export async function lockWorkspace(ex: Executor, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${WORKSPACE_LOCK_KEY})`.execute(ex);
}
