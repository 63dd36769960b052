/**
 * Benchmark-only switches, one per fast-path mechanism of the SQLite store, so that
 * bench/mechanisms.ts can run the handoff benchmark with each one on and off in the same process
 * and weigh it. Production never touches them: every one is on by default. Each one's measured
 * gain: bench/results/handoff-profile.md.
 */
export const fastPaths = {
  /** Events and messages kept in memory once committed, for the publish job (committed-records.ts). */
  committedRecords: true,
  /** One `conversation.published` outbox row per conversation and transaction, naming seq ranges (publications.ts). */
  publicationRanges: true,
  /** No savepoint unless a body throws after writing (inOptimisticSavepoint). */
  optimisticSavepoints: true,
  /** Transactions queued while the connection is busy share one SQLite commit. */
  groupCommit: true,
  /** Prepared queries run straight on the SQLite connection inside a transaction (prepared.ts). */
  directStatements: true,
  /** Prepared better-sqlite3 statements kept by SQL text for Kysely's driver. */
  statementCache: true,
};

export type FastPath = keyof typeof fastPaths;
