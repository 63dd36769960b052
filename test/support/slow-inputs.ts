/**
 * The slowest inputs known to Baton, sent over HTTP to a listening server, and the instruments
 * that watch the event loop meanwhile: test/integration/event-loop-guard.test.ts bounds the
 * longest stall, bench/event-loop.ts reports it against the 100 ms goal. Each input is the
 * largest the boundary accepts (20,000 characters a message, 50 messages a scenario, 2 MB a
 * body, 64 levels of nesting) in the shapes that once held the loop for seconds.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** test/fixtures/config-example.yaml (as test-app.ts's EXAMPLE_CONFIG; read here so that the bench, outside vitest, can load this module). */
export const EXAMPLE_WORKSPACE = readFileSync(new URL('../fixtures/config-example.yaml', import.meta.url), 'utf8');

export const LONGEST_MESSAGE = 20_000;

/** Three 20,000-character messages: one long token, many six-letter words, a question said over and over. */
export function longMessages(): readonly string[] {
  if (messages !== null) return messages;
  const words: string[] = [];
  for (let i = 0, length = 0; length < LONGEST_MESSAGE; i++) {
    words.push(sixLetters(i));
    length += 7;
  }
  const question = 'How do I reset my password when the email never arrives? ';
  messages = [
    'x'.repeat(LONGEST_MESSAGE),
    words.join(' ').slice(0, LONGEST_MESSAGE),
    question.repeat(Math.ceil(LONGEST_MESSAGE / question.length)).slice(0, LONGEST_MESSAGE),
  ];
  return messages;
}
let messages: readonly string[] | null = null;

function sixLetters(i: number): string {
  let word = '';
  let n = i * 2_654_435_761;
  for (let k = 0; k < 6; k++) {
    word += String.fromCharCode(97 + (Math.abs(n) % 26));
    n = Math.floor(n / 26) + 7 * k;
  }
  return word;
}

/**
 * Patterns that take a backtracking engine exponential time (the ReDoS corpus of
 * src/core/rules/compile-condition.test.ts), each with the text that triggers it.
 */
export const REDOS: ReadonlyArray<readonly [string, string]> = [
  ['^(a+)+$', 'a'.repeat(28) + '!'],
  ['^(a|a)*$', 'a'.repeat(28) + '!'],
  ['^(a|aa)+$', 'a'.repeat(28) + '!'],
  ['^(.*a){12}$', 'a'.repeat(5_000) + '!'],
  ['^([a-zA-Z]+)*$', 'a'.repeat(5_000) + '1'],
  ['(x+x+)+y', 'x'.repeat(5_000)],
  ['^(\\w+\\s?)*$', 'word '.repeat(2_000) + '!'],
  ['^([a-z0-9]+([._-][a-z0-9]+)*)+@example\\.test$', 'a.'.repeat(2_500) + '!'],
];

/** The example workspace with one rule per ReDoS pattern on every customer message of the widget. */
export function workspaceWithRegexRules(): string {
  const rules = REDOS.map(
    ([pattern], i) =>
      `    - id: redos-${i}\n      when: [unsupported_topic, customer_requested_human, intent_or_keyword, negative_sentiment]\n` +
      `      if: { message.text: { matches: ${JSON.stringify(pattern)} } }\n` +
      `      then:\n        destination: { queue: general }\n        assignment: unassign_to_queue\n`,
  ).join('');
  const marker = '  rules:\n';
  if (!EXAMPLE_WORKSPACE.includes(marker)) throw new Error('the example workspace has no handoff rules to extend');
  return EXAMPLE_WORKSPACE.replace(marker, marker + rules);
}

/**
 * A large and deep workspace document for `PUT /api/config?dryRun=true`: `articles` knowledge
 * articles of about 1,900 characters (1,000 come a little under the 2 MB body limit), and a rule
 * whose condition nests all/any as deep as the 64-level bound lets it. `quoted`: the bodies as
 * double-quoted scalars (what the YAML library writes for a string it cannot leave plain), which
 * the library parses a character at a time (bench/results/event-loop.md); otherwise as literal
 * blocks (`|`).
 */
export function largeDeepWorkspace(articles: number, style: 'block' | 'quoted' = 'block'): string {
  const key = `${articles}:${style}`;
  let document = largeDocuments.get(key);
  if (document === undefined) largeDocuments.set(key, (document = buildLargeDeepWorkspace(articles, style)));
  return document;
}
const largeDocuments = new Map<string, string>();

function buildLargeDeepWorkspace(count: number, style: 'block' | 'quoted'): string {
  const articles: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: 30 }, (_, k) => `${sixLetters(i * 31 + k)} step ${k} of article ${i}.`).join(' ').repeat(2);
    const written = style === 'quoted' ? JSON.stringify(body) : `|\n      ${body}`;
    articles.push(`  - id: article-${i}\n    title: How to ${sixLetters(i)} the ${sixLetters(i + 7)} setting\n    body: ${written}\n    language: en\n`);
  }
  let condition = '{ contact.plan: { eq: enterprise } }';
  for (let level = 0; level < 28; level++) condition = `{ ${level % 2 === 0 ? 'all' : 'any'}: [${condition}, { priority: { eq: urgent } }] }`;
  const deepRule =
    `    - id: deep\n      when: [workflow_flag]\n      if: ${condition}\n` + `      then:\n        destination: { queue: general }\n        assignment: unassign_to_queue\n`;
  return EXAMPLE_WORKSPACE.replace('knowledge:\n', `knowledge:\n${articles.join('')}`).replace('  rules:\n', `  rules:\n${deepRule}`);
}

export interface Target {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  /** The admin's Authorization header. */
  readonly admin: Record<string, string>;
}

async function send(target: Target, method: string, path: string, options: { headers?: Record<string, string>; json?: unknown; text?: string; contentType?: string } = {}): Promise<{ status: number; data: unknown }> {
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.text;
  const contentType = options.json !== undefined ? 'application/json' : options.contentType;
  const response = await fetch(`${target.base}${path}`, {
    method,
    headers: { ...(contentType === undefined ? {} : { 'content-type': contentType }), ...options.headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let data: unknown;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = text;
  }
  return { status: response.status, data };
}

function expectStatus(what: string, got: { status: number; data: unknown }, ...wanted: number[]): void {
  if (!wanted.includes(got.status)) throw new Error(`${what}: ${got.status} ${JSON.stringify(got.data).slice(0, 300)}`);
}

/** A widget session and a conversation on `web-chat`, optionally with its first message. */
async function widgetConversation(target: Target, name: string, first?: string): Promise<{ id: string; headers: Record<string, string> }> {
  const session = await send(target, 'POST', '/api/widget/sessions', { json: { channel: 'web-chat', contact: { name, language: 'en' } } });
  expectStatus('widget session', session, 201);
  const headers = { authorization: `Bearer ${(session.data as { token: string }).token}` };
  const started = await send(target, 'POST', '/api/widget/conversations', { headers, json: first === undefined ? {} : { message: first } });
  expectStatus('widget conversation', started, 201);
  return { id: (started.data as { conversation: { id: string } }).conversation.id, headers };
}

export interface SlowInput {
  readonly name: string;
  readonly send: (target: Target) => Promise<void>;
}

/**
 * The inputs, each one step of the guard. `regex` expects the workspace of
 * workspaceWithRegexRules(): each ReDoS text opens a conversation of its own (a rule is read
 * while the conversation is with the assistant, i.e. on its first message).
 */
export const SLOW_INPUTS: readonly SlowInput[] = [
  {
    name: 'widget: 8 conversations × 3 messages of 20,000 characters',
    async send(target) {
      const messages = longMessages();
      await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const conversation = await widgetConversation(target, `Long ${i}`);
          for (const body of messages) {
            const answer = await send(target, 'POST', `/api/widget/conversations/${conversation.id}/messages`, { headers: conversation.headers, json: { body } });
            expectStatus('long message', answer, 201);
          }
        }),
      );
    },
  },
  {
    name: 'rules: message.text matches each ReDoS pattern, against its evil text',
    async send(target) {
      await Promise.all(REDOS.map(async ([, text], i) => widgetConversation(target, `Regex ${i}`, text)));
    },
  },
  {
    name: 'POST /api/simulate: 50 messages × 20,000 characters',
    async send(target) {
      const messages = longMessages();
      const scenario = {
        channel: 'web-chat',
        contact: { name: 'Sim', language: 'en' },
        messages: Array.from({ length: 50 }, (_, i) => (i % 7 === 6 ? REDOS[0]![1].padEnd(LONGEST_MESSAGE, 'a') : messages[i % 3]!)),
      };
      const answer = await send(target, 'POST', '/api/simulate', { headers: target.admin, json: scenario });
      expectStatus('simulate', answer, 200);
    },
  },
  {
    name: 'PUT /api/config?dryRun=true: 250 articles, 57-level conditions (0.5 MB of YAML)',
    send: (target) => dryRun(target, largeDeepWorkspace(250)),
  },
];

async function dryRun(target: Target, document: string): Promise<void> {
  const answer = await send(target, 'PUT', '/api/config?dryRun=true', { headers: target.admin, text: document, contentType: 'application/yaml' });
  expectStatus('config dry run', answer, 200);
}

/**
 * Known to hold the loop beyond the goal, and so not in SLOW_INPUTS (measured by
 * bench/event-loop.ts): workspace documents near the 2 MB body limit. Parsing YAML costs about a
 * microsecond a byte in the YAML library, and its double-quoted scalars, built one character at a
 * time, several times that (mostly garbage collection).
 */
export const LARGEST_WORKSPACE_INPUTS: readonly SlowInput[] = [
  {
    name: 'PUT /api/config?dryRun=true: 1,000 articles in literal blocks (1.9 MB of YAML; known slow)',
    send: (target) => dryRun(target, largeDeepWorkspace(1_000)),
  },
  {
    name: 'PUT /api/config?dryRun=true: 1,000 articles double-quoted (1.9 MB of YAML; known slow)',
    send: (target) => dryRun(target, largeDeepWorkspace(1_000, 'quoted')),
  },
];

export interface Watch {
  /** The longest event-loop block seen, milliseconds (perf_hooks histogram, 10 ms resolution). */
  readonly maxBlockMs: number;
  /** `GET /healthz` round trips polled meanwhile, milliseconds, in order. */
  readonly healthzMs: readonly number[];
  /**
   * CPU time this process spent meanwhile (user + system, all threads), milliseconds: the work,
   * which other processes on a busy machine do not inflate the way they stretch a block.
   */
  readonly cpuMs: number;
}

/**
 * Runs `work` while a histogram of event-loop delay samples this process every 10 ms and
 * `GET /healthz` is polled back to back (a pause of 5 ms between answers). The histogram's max
 * is how long the loop was held at once: the time a ping (or anyone) waited for this process.
 */
export async function watchEventLoop(target: Target, work: () => Promise<void>): Promise<Watch> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const healthzMs: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      const response = await fetch(`${target.base}/healthz`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`/healthz answered ${response.status}`);
      healthzMs.push(performance.now() - started);
      await sleep(5);
    }
  })();
  histogram.enable();
  // The histogram's first tick only starts its clock: a block before it would go unseen.
  await sleep(25);
  const cpu = process.cpuUsage();
  try {
    await work();
  } finally {
    done = true;
    histogram.disable();
    await poller;
  }
  const used = process.cpuUsage(cpu);
  // The histogram records nanoseconds; the resolution (10 ms) is included in each sample.
  return { maxBlockMs: Math.max(0, histogram.max / 1e6 - 10), healthzMs, cpuMs: (used.user + used.system) / 1000 };
}

export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
