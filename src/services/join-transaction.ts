import type { Transaction } from 'kysely';
import type { DB } from '../store/schema.js';
import type { ServiceContext } from './context.js';

/**
 * The same context with its database handle replaced by an open transaction, so a use case
 * called with it (`applyValidatedConfig`) joins that transaction instead of opening its own
 * (`withTransaction` joins a transaction it is handed): a read-modify-write edit of the workspace
 * commits or rolls back as one.
 */
export function joinTransaction(ctx: ServiceContext, trx: Transaction<DB>): ServiceContext {
  const database = ctx.database;
  return { ...ctx, database: { db: trx, dialect: database.dialect, close: () => database.close() } };
}
