/**
 * With `REDIS_URL`, the request limits and the sign-in brake are counted in Redis, so several
 * processes share them (here two Batons, each as its own process would be, on this machine's
 * Redis at 127.0.0.1:6379, under a key prefix of this run that is removed afterwards). A Redis
 * that cannot be reached changes nothing a customer or an agent sees: requests are served, the
 * limits fail open and the brake counts in the process.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_PASSWORD, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const REDIS_URL = process.env.BATON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function removeKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

const session = (t: TestApp) => t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Max', language: 'en' } } });
const login = (t: TestApp, password: string) => t.request({ method: 'POST', url: '/api/auth/login', payload: { email: 'ana@acme.test', password } });

eachDialect('limits shared through Redis', (dialect) => {
  const prefix = `baton-test:${randomBytes(6).toString('hex')}:`;
  let redis: Redis;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    const env = { REDIS_URL, BATON_REDIS_PREFIX: prefix, BATON_RATE_LIMITS: '1' };
    a = await startTestApp(dialect, { env });
    b = await startTestApp(dialect, { env });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await removeKeys(redis, prefix);
    await redis.quit();
  });

  it('counts widget sessions across processes: the 21st of the minute, on either, is refused', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await session(a)).statusCode).toBe(201);
      expect((await session(b)).statusCode).toBe(201);
    }
    const refused = await session(b);
    expect(refused.statusCode).toBe(429);
    expect(refused.data.error.code).toBe('rate_limited');
    expect((await session(a)).statusCode).toBe(429);
    expect((await redis.keys(`${prefix}rate:*`)).length).toBeGreaterThan(0);
  });

  it('brakes sign-in across processes: failures on one slow the next attempt on the other, doubling', async () => {
    for (let i = 0; i < 5; i++) expect((await login(a, 'wrong password')).statusCode).toBe(401);
    const slowed = await login(b, TEST_PASSWORD);
    expect(slowed.statusCode).toBe(429);
    expect(slowed.headers['retry-after']).toBe('1');
    // A sixth failure, on B once the second has passed: the next wait, on A, is twice as long.
    a.clock.advance(1_000);
    b.clock.advance(1_000);
    expect((await login(b, 'wrong password')).statusCode).toBe(401);
    expect((await login(a, TEST_PASSWORD)).headers['retry-after']).toBe('2');
    a.clock.advance(2_000);
    b.clock.advance(2_000);
    // The right password, on A: signed in, and that pair's failures are forgotten everywhere.
    expect((await login(a, TEST_PASSWORD)).statusCode).toBe(200);
    expect((await login(b, 'wrong password')).statusCode).toBe(401);
    // Keys name a hash of the email, never the email.
    const keys = await redis.keys(`${prefix}login:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toContain('ana');
  });
});

eachDialect('limits when Redis cannot be reached', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1: every connection is refused.
    t = await startTestApp(dialect, { env: { REDIS_URL: 'redis://127.0.0.1:1', BATON_RATE_LIMITS: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves every request: the limits fail open, and the sign-in brake counts in the process', async () => {
    for (let i = 0; i < 25; i++) expect((await session(t)).statusCode).toBe(201);
    for (let i = 0; i < 5; i++) expect((await login(t, 'wrong password')).statusCode).toBe(401);
    const slowed = await login(t, TEST_PASSWORD);
    expect(slowed.statusCode).toBe(429);
    expect(slowed.headers['retry-after']).toBe('1');
    t.clock.advance(1_000);
    expect((await login(t, TEST_PASSWORD)).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
