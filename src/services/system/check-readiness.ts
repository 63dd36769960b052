import type { Dialect } from '../../store/database.js';
import { checkMigrations } from '../../store/migrate.js';
import type { ServiceContext } from '../context.js';

/**
 * With `REDIS_URL`: `ok` while fan-out between processes goes through Redis, `degraded` while it
 * cannot (each process then reads the stream instead). Never a reason to be unready: a process
 * without Redis still serves everything.
 */
export type RedisHealth = 'ok' | 'degraded';

type WithRedis = { readonly redis?: RedisHealth };

export type Readiness =
  | ({ readonly ok: true; readonly database: Dialect } & WithRedis)
  | ({ readonly ok: false; readonly database: 'reachable'; readonly pendingMigrations: readonly string[] } & WithRedis)
  | ({ readonly ok: false; readonly database: 'unreachable' } & WithRedis);

/**
 * `/readyz`: the database answers (reading the migrations is the query) and every migration is
 * applied; with `REDIS_URL`, `redis` says how fan-out between processes is doing.
 */
export async function checkReadiness(ctx: ServiceContext, redisHealth?: () => RedisHealth): Promise<Readiness> {
  const redis: WithRedis = redisHealth === undefined ? {} : { redis: redisHealth() };
  try {
    const migrations = await checkMigrations(ctx.database.db);
    if (!migrations.current) return { ok: false, database: 'reachable', pendingMigrations: migrations.pending, ...redis };
    return { ok: true, database: ctx.database.dialect, ...redis };
  } catch (error) {
    ctx.logger.warn({ err: error }, 'readiness check failed');
    return { ok: false, database: 'unreachable', ...redis };
  }
}
