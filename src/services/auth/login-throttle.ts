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
 * In memory, per process, bounded: a restart forgets, N processes allow N times the budget.
 */
export interface LoginThrottle {
  /** Milliseconds until `email` may try again from `address`, or 0 when it may try now. */
  retryAfterMs(email: string, address: string): number;
  recordFailure(email: string, address: string): void;
  /** A successful sign-in forgets that pair's failures. */
  reset(email: string, address: string): void;
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

interface Failures {
  count: number;
  last: number;
}

export function createLoginThrottle(clock: Clock, options: LoginThrottleOptions = {}): LoginThrottle {
  const freePair = options.freeFailures ?? LOGIN_FREE_FAILURES;
  const freeAddress = options.freeFailuresPerAddress ?? LOGIN_FREE_FAILURES_PER_ADDRESS;
  const firstDelayMs = options.firstDelayMs ?? LOGIN_FIRST_DELAY_MS;
  const maxDelayMs = options.maxDelayMs ?? LOGIN_MAX_DELAY_MS;
  const forgetAfterMs = options.forgetAfterMs ?? 2 * maxDelayMs;
  const maxTracked = options.maxTracked ?? 20_000;
  /** key → failures; Map order is least recently failed first (the eviction order). */
  const failures = new Map<string, Failures>();

  const pairKey = (email: string, address: string): string => `${email.trim().toLowerCase()}\n${address}`;
  const addressKey = (address: string): string => `\n${address}`;

  function current(key: string, now: number): Failures | null {
    const entry = failures.get(key);
    if (entry === undefined) return null;
    if (now - entry.last >= forgetAfterMs) {
      failures.delete(key);
      return null;
    }
    return entry;
  }

  function waitFor(entry: Failures | null, free: number, now: number): number {
    if (entry === null || entry.count < free) return 0;
    const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(30, entry.count - free));
    return Math.max(0, entry.last + delay - now);
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
    retryAfterMs(email, address) {
      const now = clock.now();
      return Math.max(
        waitFor(current(pairKey(email, address), now), freePair, now),
        waitFor(current(addressKey(address), now), freeAddress, now),
      );
    },
    recordFailure(email, address) {
      const now = clock.now();
      bump(pairKey(email, address), now);
      bump(addressKey(address), now);
    },
    reset(email, address) {
      failures.delete(pairKey(email, address));
    },
  };
}
