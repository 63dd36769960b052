import { describe, expect, it } from 'vitest';
import { hashPassword, hashToken, newToken, safeEqual, verifyPassword } from './secrets.js';

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
});
