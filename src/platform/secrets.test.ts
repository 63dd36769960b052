import { describe, expect, it } from 'vitest';
import { MAX_HASHING, MAX_WAITING, hashPassword, hashToken, hashingLoad, newToken, safeEqual, verifyPassword } from './secrets.js';

describe('secrets', () => {
  it('verifies a password against its slow hash and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('wrong horse', stored)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
  it('makes distinct prefixed tokens and stores only a hash', () => {
    const a = newToken('bt');
    expect(a).toMatch(/^bt_[A-Za-z0-9_-]{43}$/);
    expect(newToken('bt')).not.toBe(a);
    expect(hashToken(a)).toHaveLength(64);
    expect(hashToken(a)).not.toContain(a);
  });
  it('compares secrets in constant time, including different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  // Regression: 64 concurrent sign-ins ran 64 scrypts on the shared thread pool (12.8 s).
  it('hashes at most MAX_HASHING passwords at a time and refuses beyond MAX_WAITING in line', async () => {
    const stored = await hashPassword('correct horse');
    let busiest = 0;
    const watch = setInterval(() => (busiest = Math.max(busiest, hashingLoad().active)), 1);
    const attempts = Array.from({ length: MAX_HASHING + MAX_WAITING + 10 }, () => verifyPassword('wrong horse', stored).then(() => 'checked', (error: Error) => error.message));
    const outcomes = await Promise.all(attempts);
    clearInterval(watch);
    expect(outcomes.filter((outcome) => outcome === 'too many sign-ins at once; try again in a moment')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome === 'checked')).toHaveLength(MAX_HASHING + MAX_WAITING);
    expect(busiest).toBeLessThanOrEqual(MAX_HASHING);
    expect(hashingLoad()).toEqual({ active: 0, waiting: 0 });
  });
});
