import type { Clock } from '../../platform/runtime.js';

/**
 * Brute-force brake for password sign-in: after `maxFailures` wrong passwords for one email within
 * `windowMs`, that email is refused — even with the right password — until the oldest counted
 * failure leaves the window. Counted per email (not per address) because a guessing attack
 * targets an account, and a shared office address must not lock out colleagues.
 *
 * In memory, per process: a restart forgets, and N processes behind a load balancer allow N times
 * the budget. That is the accepted trade-off of "simple": it still turns unlimited guessing into a
 * handful per quarter hour, with no table and no write per attempt.
 */
export interface LoginThrottle {
  /** Milliseconds until `email` may try again, or 0 when it may try now. */
  retryAfterMs(email: string): number;
  recordFailure(email: string): void;
  /** A successful sign-in forgets the failures. */
  reset(email: string): void;
}

export interface LoginThrottleOptions {
  readonly maxFailures?: number;
  readonly windowMs?: number;
  /** Emails tracked at most; beyond it the stalest are forgotten, so memory stays bounded under a spray of random emails. */
  readonly maxTracked?: number;
}

export const LOGIN_MAX_FAILURES = 10;
export const LOGIN_WINDOW_MS = 15 * 60_000;

export function createLoginThrottle(clock: Clock, options: LoginThrottleOptions = {}): LoginThrottle {
  const maxFailures = options.maxFailures ?? LOGIN_MAX_FAILURES;
  const windowMs = options.windowMs ?? LOGIN_WINDOW_MS;
  const maxTracked = options.maxTracked ?? 10_000;
  /** email (lower case) → failure instants, oldest first, only those inside the window. */
  const failures = new Map<string, number[]>();

  const keyOf = (email: string): string => email.trim().toLowerCase();

  function recent(key: string, now: number): number[] {
    const kept = (failures.get(key) ?? []).filter((at) => now - at < windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  }

  return {
    retryAfterMs(email) {
      const now = clock.now();
      const kept = recent(keyOf(email), now);
      if (kept.length < maxFailures) return 0;
      // Free again when enough failures have aged out to leave room for one more attempt.
      const freeingFailure = kept[kept.length - maxFailures] ?? now;
      return Math.max(1, freeingFailure + windowMs - now);
    },
    recordFailure(email) {
      const key = keyOf(email);
      const now = clock.now();
      const kept = recent(key, now);
      kept.push(now);
      // Re-insert so the Map's order is least recently failed first (the eviction order).
      failures.delete(key);
      failures.set(key, kept.slice(-maxFailures));
      while (failures.size > maxTracked) {
        const stalest = failures.keys().next();
        if (stalest.done === true) break;
        failures.delete(stalest.value);
      }
    },
    reset(email) {
      failures.delete(keyOf(email));
    },
  };
}
