/**
 * The one Redis connection of a process (`REDIS_URL`), for what several Baton processes must
 * count together: the per-route request limits (@fastify/rate-limit's Redis store) and the
 * sign-in brake (services/auth/redis-login-throttle.ts).
 *
 * It lives in platform because both http (the limiter plugin) and services (the brake) use it and
 * platform is the part both may import; server.ts opens and closes it.
 *
 * A Redis that is down or slow never holds up a request: commands are not queued while the
 * connection is down (they fail at once), a command that gets no answer fails after
 * COMMAND_TIMEOUT_MS, and the callers fall back (the limits fail open, the brake counts in this
 * process). The connection keeps retrying in the background.
 */
import { Redis } from 'ioredis';

export type RedisClient = Redis;

/** How long a command may wait for its answer before its caller falls back. */
export const COMMAND_TIMEOUT_MS = 500;
/** How long one attempt to connect may take. */
export const CONNECT_TIMEOUT_MS = 1_000;

export interface RedisConnection {
  readonly client: RedisClient;
  /** The key prefix, as given (`BATON_REDIS_PREFIX`): every key Baton writes starts with it. */
  readonly prefix: string;
  close(): Promise<void>;
}

interface Logger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

/**
 * Connects to `url` and waits for the first attempt (at most CONNECT_TIMEOUT_MS): a Redis that is
 * down is logged, not fatal, and the client reconnects on its own (every 0.1–5 s).
 */
export async function openRedis(url: string, prefix: string, logger: Logger): Promise<RedisConnection> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(5_000, 100 * 2 ** Math.min(times, 6)),
  });
  // Logged once per outage: the client retries every few seconds and each failure is an 'error'.
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error, redis: redactRedisUrl(url) }, 'Redis is unreachable: request limits are not applied and the sign-in brake counts in this process until it is back');
  });
  client.on('ready', () => {
    if (down) logger.info({ redis: redactRedisUrl(url) }, 'Redis is reachable again');
    down = false;
  });
  await client.connect().catch(() => undefined);
  return {
    client,
    prefix,
    async close() {
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      if (client.status === 'ready') {
        await client.quit().catch(() => client.disconnect());
      } else {
        client.disconnect();
      }
    },
  };
}

/** The URL without its password, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable)';
  }
}
