import { createHash } from 'node:crypto';
import type { Clock } from '../../platform/runtime.js';
import type { RedisClient } from '../../platform/redis.js';
import {
  createLoginThrottle,
  normalizeEmail,
  retryAfterFor,
  throttleLimits,
  type Failures,
  type LoginThrottle,
  type LoginThrottleOptions,
} from './login-throttle.js';

/**
 * The sign-in brake shared by every process on one Redis (`REDIS_URL`): the same rule as
 * createLoginThrottle, with each key's failures (count, last) in a Redis hash that expires
 * `forgetAfterMs` after its last failure. Keys: `<prefix>login:pair:<sha256 of the email>:<address>`
 * and `<prefix>login:address:<address>` — no email in clear in Redis.
 *
 * Failures are also counted in this process, and the wait is the longer of the two: while Redis
 * cannot be reached (a command fails or takes over COMMAND_TIMEOUT_MS) the brake still holds
 * here, with a warning in the log, and sign-in never answers 500 because of Redis.
 */
export function createRedisLoginThrottle(
  redis: RedisClient,
  prefix: string,
  clock: Clock,
  logger: { warn(object: object, message: string): void },
  options: LoginThrottleOptions = {},
): LoginThrottle {
  const limits = throttleLimits(options);
  const local = createLoginThrottle(clock, options);
  const pairKey = (email: string, address: string): string =>
    `${prefix}login:pair:${createHash('sha256').update(normalizeEmail(email)).digest('base64url')}:${address}`;
  const addressKey = (address: string): string => `${prefix}login:address:${address}`;

  let warnedAt = -Infinity;
  const fallBack = (error: unknown, what: string): void => {
    // One warning a minute at most: during an outage every sign-in would say it again.
    const now = clock.now();
    if (now - warnedAt < 60_000) return;
    warnedAt = now;
    logger.warn({ err: error }, `sign-in brake: Redis failed to ${what}; counting failures in this process meanwhile`);
  };

  return {
    async retryAfterMs(email, address) {
      const now = clock.now();
      const here = await local.retryAfterMs(email, address);
      try {
        const [pair, byAddress] = await Promise.all([read(redis, pairKey(email, address)), read(redis, addressKey(address))]);
        return Math.max(here, retryAfterFor(pair, byAddress, now, limits));
      } catch (error) {
        fallBack(error, 'read the failures');
        return here;
      }
    },
    async recordFailure(email, address) {
      await local.recordFailure(email, address);
      try {
        await redis.eval(RECORD_FAILURE, 2, pairKey(email, address), addressKey(address), clock.now(), limits.forgetAfterMs);
      } catch (error) {
        fallBack(error, 'count a failure');
      }
    },
    async reset(email, address) {
      await local.reset(email, address);
      try {
        await redis.del(pairKey(email, address));
      } catch (error) {
        fallBack(error, 'forget the failures');
      }
    },
  };
}

/**
 * For each key, atomically: forget failures older than forgetAfterMs, count one more at `now`,
 * and let Redis drop the key forgetAfterMs after it.
 */
const RECORD_FAILURE = `
local now = tonumber(ARGV[1])
local forget = tonumber(ARGV[2])
for i = 1, #KEYS do
  local last = tonumber(redis.call('HGET', KEYS[i], 'last'))
  if last ~= nil and now - last >= forget then redis.call('DEL', KEYS[i]) end
  redis.call('HINCRBY', KEYS[i], 'count', 1)
  redis.call('HSET', KEYS[i], 'last', now)
  redis.call('PEXPIRE', KEYS[i], forget)
end
return 1
`;

async function read(redis: RedisClient, key: string): Promise<Failures | null> {
  const [count, last] = await redis.hmget(key, 'count', 'last');
  if (count === null || last === null || count === undefined || last === undefined) return null;
  return { count: Number(count), last: Number(last) };
}
