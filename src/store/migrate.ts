import type { Kysely, MigrationProvider, MigrationResultSet } from 'kysely';
import { Migrator } from 'kysely';
import { migrations } from './migrations/index.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

// Migrations speak Kysely<any>; any database handle will do.
function migratorFor<T>(db: Kysely<T>): Migrator {
  return new Migrator({ db, provider });
}

/**
 * Apply every pending migration. Runs at start-up; Kysely's Migrator takes its lock
 * (a PostgreSQL advisory lock; SQLite's single connection), so several processes starting
 * together apply each migration once. Throws, with the failing migration's error as cause.
 */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<MigrationResultSet> {
  const result = await migratorFor(db).migrateToLatest();
  if (result.error !== undefined) {
    // No migration failed when the database could not be reached or locked at all.
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const what = failed === undefined ? 'database migrations could not run' : `database migration "${failed}" failed`;
    throw new Error(`${what}: ${describeCause(result.error)}`, { cause: result.error });
  }
  return result;
}

/** The driver's own words (`connect ECONNREFUSED 127.0.0.1:5432`), for the operator reading the error. */
function describeCause(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(describeCause).join('; ');
  if (error instanceof Error) return error.message === '' && 'code' in error ? String(error.code) : error.message;
  return String(error);
}

export interface MigrationCheck {
  /** True when every known migration has been applied. */
  readonly current: boolean;
  readonly pending: readonly string[];
}

/** For /readyz: reachable (this query throws otherwise) and migrated. */
export async function checkMigrations<T>(db: Kysely<T>): Promise<MigrationCheck> {
  const infos = await migratorFor(db).getMigrations();
  const pending = infos.filter((m) => m.executedAt === undefined).map((m) => m.name);
  return { current: pending.length === 0, pending };
}
