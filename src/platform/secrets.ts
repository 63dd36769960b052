import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import pLimit from 'p-limit';
import { BatonError } from './errors.js';

// Passwords: scrypt (memory-hard, in node:crypto — no dependency needed). N=2^15, r=8, p=1 is
// OWASP's minimum recommendation for scrypt; 32 MiB per hash.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;

/**
 * scrypt runs on libuv's thread pool (4 threads), which file and DNS work share: 64 sign-ins at
 * once held it for 12.8 s. At most MAX_HASHING run at a time; beyond MAX_WAITING more in line,
 * a sign-in is refused at once (503, try again) rather than queued behind a flood.
 */
export const MAX_HASHING = 2;
export const MAX_WAITING = 32;
const hashing = pLimit(MAX_HASHING);

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  if (hashing.pendingCount >= MAX_WAITING) {
    return Promise.reject(new BatonError('unavailable', 'too many sign-ins at once; try again in a moment'));
  }
  return hashing(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
      }),
  );
}

/** Password hashes running now and waiting (for tests and metrics). */
export function hashingLoad(): { readonly active: number; readonly waiting: number } {
  return { active: hashing.activeCount, waiting: hashing.pendingCount };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * API, session, customer, invitation and rating-link tokens carry 256 random bits, so a fast hash is enough to store
 * them (a slow hash protects low-entropy passwords, not random keys).
 */
export function newToken(prefix: 'bt' | 'bs' | 'bc' | 'bi' | 'br'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
