import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two files at a time: most of the suite waits on databases, sockets and the browser, and on a
    // two-core machine one worker (vitest's default there) left the cores half idle.
    maxWorkers: 2,
  },
});
