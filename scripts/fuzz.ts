/**
 * `npm run fuzz`: the fuzzer (test/integration/fuzz.test.ts) for longer than `npm test` runs it —
 * many more requests per operation, on a seed of its own unless BATON_FUZZ_SEED names one. The
 * seed is printed first, so a failure replays exactly.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

const seed = process.env.BATON_FUZZ_SEED ?? String(randomInt(2 ** 31 - 1));
const runs = process.env.BATON_FUZZ_RUNS ?? '400';
console.log(`fuzz seed ${seed}, ${runs} requests per operation; replay with BATON_FUZZ_SEED=${seed} BATON_FUZZ_RUNS=${runs} npm run fuzz`);
const result = spawnSync('npx', ['vitest', 'run', 'test/integration/fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, BATON_FUZZ_SEED: seed, BATON_FUZZ_RUNS: runs },
});
console.log(`fuzz seed ${seed}, ${runs} requests per operation: ${result.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(result.status ?? 1);
