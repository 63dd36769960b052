/**
 * `npm run bench` runs every benchmark program; `npm run bench -- routing` only those whose
 * name contains one of the arguments. Each program writes `bench/results/<name>.json` and prints
 * a short summary. Nothing here asserts on time: the numbers are read and diffed by people.
 */
interface Benchmark {
  readonly name: string;
  readonly load: () => Promise<{ run: () => Promise<void> }>;
}

const BENCHMARKS: readonly Benchmark[] = [
  { name: 'routing', load: () => import('./routing.js') },
  { name: 'sqlite-floor', load: () => import('./sqlite-floor.js') },
  { name: 'handoff-http', load: () => import('./handoff-http.js') },
  { name: 'realtime-latency', load: () => import('./realtime-latency.js') },
  { name: 'realtime-fanout', load: () => import('./realtime-fanout.js') },
  { name: 'mechanisms', load: () => import('./mechanisms.js') },
  { name: 'search', load: () => import('./search.js') },
  { name: 'metrics-scrape', load: () => import('./metrics-scrape.js') },
  { name: 'reports', load: () => import('./reports.js') },
  { name: 'replay', load: () => import('./replay.js') },
  { name: 'event-loop', load: () => import('./event-loop.js') },
  { name: 'growth', load: () => import('./growth.js') },
  { name: 'jobs', load: () => import('./jobs.js') },
];

// `--db postgres` and the like are options of the programs (they read process.argv), not filters.
const args = process.argv.slice(2).filter((arg) => arg !== '--');
const filters = args.filter((arg, i) => !arg.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'));
const selected = BENCHMARKS.filter((bench) => filters.length === 0 || filters.some((filter) => bench.name.includes(filter)));
if (selected.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}; known: ${BENCHMARKS.map((bench) => bench.name).join(', ')}`);
  process.exit(2);
}

for (const bench of selected) {
  const started = Date.now();
  console.log(`\n== ${bench.name}`);
  const program = await bench.load();
  await program.run();
  console.log(`   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
