import type { Clock } from '../../platform/runtime.js';

/**
 * Brute-force brake for password sign-in, without letting anyone lock a person out.
 *
 * Failures are counted per (email, source address) and per source address. A few are free; after
 * that each further attempt from the same place must wait twice as long as the one before (1 s,
 * 2 s, 4 s … at most `maxDelayMs`), counted from the last failure. So a guesser at one address
 * gets a handful of tries an hour, a sprayer trying many emails from one address is slowed the
 * same way, and the real person — signing in from anywhere else — is never refused because of
 * them (a hard lock per email handed the lock to whoever typed ten wrong passwords).
 *
 * Two implementations: createLoginThrottle counts in memory, per process, bounded (a restart
 * forgets, N processes allow N times the budget); createRedisLoginThrottle (redis-login-throttle.ts)
 * counts in Redis when `REDIS_URL` is set, shared by every process, and falls back to counting in
 * memory while Redis cannot be reached. Both decide with the same rule (waitFor).
 */
export interface LoginThrottle {
  /** Milliseconds until `email` may try again from `address`, or 0 when it may try now. */
  retryAfterMs(email: string, address: string): Promise<number>;
  recordFailure(email: string, address: string): Promise<void>;
  /** A successful sign-in forgets that pair's failures. */
  reset(email: string, address: string): Promise<void>;
}

export interface LoginThrottleOptions {
  /** Failures per (email, address) before delays start. */
  readonly freeFailures?: number;
  /** Failures per address, across emails, before delays start. */
  readonly freeFailuresPerAddress?: number;
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A key whose last failure is older than this is forgotten. */
  readonly forgetAfterMs?: number;
  /** Keys tracked at most; beyond it the stalest are forgotten, so memory stays bounded. */
  readonly maxTracked?: number;
}

export const LOGIN_FREE_FAILURES = 5;
export const LOGIN_FREE_FAILURES_PER_ADDRESS = 50;
export const LOGIN_FIRST_DELAY_MS = 1_000;
export const LOGIN_MAX_DELAY_MS = 15 * 60_000;

export interface Failures {
  count: number;
  last: number;
}

/** The limits, with their defaults filled in. */
export interface ThrottleLimits {
  readonly freePair: number;
  readonly freeAddress: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  readonly forgetAfterMs: number;
}

export function throttleLimits(options: LoginThrottleOptions = {}): ThrottleLimits {
  const maxDelayMs = options.maxDelayMs ?? LOGIN_MAX_DELAY_MS;
  return {
    freePair: options.freeFailures ?? LOGIN_FREE_FAILURES,
    freeAddress: options.freeFailuresPerAddress ?? LOGIN_FREE_FAILURES_PER_ADDRESS,
    firstDelayMs: options.firstDelayMs ?? LOGIN_FIRST_DELAY_MS,
    maxDelayMs,
    forgetAfterMs: options.forgetAfterMs ?? 2 * maxDelayMs,
  };
}

/**
 * How long a key's failures make the next attempt wait at `now`: nothing for the first `free`,
 * then twice as long for each further one (at most maxDelayMs), counted from the last failure.
 */
export function waitFor(entry: Failures | null, free: number, now: number, limits: ThrottleLimits): number {
  if (entry === null || entry.count < free || now - entry.last >= limits.forgetAfterMs) return 0;
  const delay = Math.min(limits.maxDelayMs, limits.firstDelayMs * 2 ** Math.min(30, entry.count - free));
  return Math.max(0, entry.last + delay - now);
}

/** The wait for a pair, the longer of its own and its address's. */
export function retryAfterFor(pair: Failures | null, address: Failures | null, now: number, limits: ThrottleLimits): number {
  return Math.max(waitFor(pair, limits.freePair, now, limits), waitFor(address, limits.freeAddress, now, limits));
}

export function createLoginThrottle(clock: Clock, options: LoginThrottleOptions = {}): LoginThrottle {
  const limits = throttleLimits(options);
  const maxTracked = options.maxTracked ?? 20_000;
  /** key → failures; Map order is least recently failed first (the eviction order). */
  const failures = new Map<string, Failures>();

  const pairKey = (email: string, address: string): string => `${normalizeEmail(email)}\n${address}`;
  const addressKey = (address: string): string => `\n${address}`;

  function current(key: string, now: number): Failures | null {
    const entry = failures.get(key);
    if (entry === undefined) return null;
    if (now - entry.last >= limits.forgetAfterMs) {
      failures.delete(key);
      return null;
    }
    return entry;
  }

  function bump(key: string, now: number): void {
    const entry = current(key, now) ?? { count: 0, last: now };
    entry.count += 1;
    entry.last = now;
    failures.delete(key);
    failures.set(key, entry);
    while (failures.size > maxTracked) {
      const stalest = failures.keys().next();
      if (stalest.done === true) break;
      failures.delete(stalest.value);
    }
  }

  return {
    async retryAfterMs(email, address) {
      const now = clock.now();
      return retryAfterFor(current(pairKey(email, address), now), current(addressKey(address), now), now, limits);
    },
    async recordFailure(email, address) {
      const now = clock.now();
      bump(pairKey(email, address), now);
      bump(addressKey(address), now);
    },
    async reset(email, address) {
      failures.delete(pairKey(email, address));
    },
  };
}

/** The email as counted: `Ana@Acme.test ` and `ana@acme.test` are one person. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
