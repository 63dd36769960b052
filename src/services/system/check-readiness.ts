import type { Dialect } from '../../store/database.js';
import { checkMigrations } from '../../store/migrate.js';
import type { ServiceContext } from '../context.js';

export type Readiness =
  | { readonly ok: true; readonly database: Dialect }
  | { readonly ok: false; readonly database: 'reachable'; readonly pendingMigrations: readonly string[] }
  | { readonly ok: false; readonly database: 'unreachable' };

/** `/readyz`: the database answers (reading the migrations is the query) and every migration is applied. */
export async function checkReadiness(ctx: ServiceContext): Promise<Readiness> {
  try {
    const migrations = await checkMigrations(ctx.database.db);
    if (!migrations.current) return { ok: false, database: 'reachable', pendingMigrations: migrations.pending };
    return { ok: true, database: ctx.database.dialect };
  } catch (error) {
    ctx.logger.warn({ err: error }, 'readiness check failed');
    return { ok: false, database: 'unreachable' };
  }
}
