import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackgroundLoop } from './background-loop.js';

// Fake timers: the loop's delays are advanced by the test, never waited for in real time.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('background loop', () => {
  it('never overlaps runs, and a request during a run makes it go round once more', async () => {
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    let release: (() => void) | null = null;
    const loop = createBackgroundLoop({
      work: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        passes++;
        if (passes === 1) await new Promise<void>((done) => (release = done));
        active--;
        return 1;
      },
      nextDelayMs: () => 60_000,
      startDelayMs: 60_000,
      onError: () => undefined,
    });
    const first = loop.run();
    const second = loop.run();
    // The first pass is parked on `release`; wait for it to get there (no fixed delay).
    await vi.waitUntil(() => release !== null);
    release!();
    expect(await first).toBe(2);
    expect(await second).toBe(2);
    expect(maxActive).toBe(1);
    expect(passes).toBe(2);
  });

  it('runs soon after a kick once started, not before, and stops cleanly', async () => {
    let passes = 0;
    const loop = createBackgroundLoop({ work: async () => ++passes, nextDelayMs: () => 60_000, startDelayMs: 60_000, onError: () => undefined });
    loop.kick();
    await vi.advanceTimersByTimeAsync(20);
    expect(passes).toBe(0);
    loop.start();
    loop.kick();
    await vi.advanceTimersByTimeAsync(20);
    expect(passes).toBe(1);
    await loop.stop();
    loop.kick();
    await vi.advanceTimersByTimeAsync(20);
    expect(passes).toBe(1);
  });

  it('reports a failing pass and keeps going', async () => {
    const errors: unknown[] = [];
    let passes = 0;
    const loop = createBackgroundLoop({
      work: async () => {
        passes++;
        if (passes === 1) throw new Error('boom');
        return 1;
      },
      nextDelayMs: () => 5,
      startDelayMs: 0,
      onError: (error) => errors.push(error),
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(60);
    await loop.stop();
    expect(errors).toHaveLength(1);
    expect(passes).toBeGreaterThan(1);
  });
});
