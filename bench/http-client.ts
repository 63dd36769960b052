/**
 * The load generator of the HTTP benchmarks, in a worker thread: its own event loop and V8
 * heap, so on a two-core machine the client's fetch and JSON work runs beside the server
 * instead of taking turns with it on one loop (as a real client on another machine would).
 * The main thread keeps the server; both still share the machine, so the numbers remain a
 * lower bound for a remote client. Requests go out through node:http with a keep-alive agent.
 *
 * The worker is driven by messages that describe requests as data: a list of requests, or a
 * stream of "start a conversation" requests generated in the worker until a count and a duration
 * are both reached. Each answer comes back as a `Sample` with the status, the latency, the
 * completion time and the few fields of the body the benchmark checks.
 */
import http from 'node:http';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  readonly token: string;
  readonly body?: unknown;
}

export interface Sample {
  /** The request's position in its phase (a list's index; the n-th generated request). */
  readonly index: number;
  readonly status: number;
  /** Request sent → body read, in nanoseconds. */
  readonly ns: number;
  /** Completion, ns since the phase started. */
  readonly atNs: number;
  /** `conversation.id` and `conversation.status` of the body, when it has them. */
  readonly conversationId: string | null;
  readonly conversationStatus: string | null;
  /** The body's first 500 characters when the status is not 2xx. */
  readonly error: string | null;
}

export interface Phase {
  readonly samples: Sample[];
  readonly seconds: number;
}

/** Conversations started with generated contacts and messages (the worker's own seeded PRNG). */
export interface StartStream {
  readonly kind: 'start';
  readonly url: string;
  readonly token: string;
  readonly channel: string;
  readonly seed: number;
  /** Numbers the contacts from here (distinct names across phases). */
  readonly firstIndex: number;
  readonly minCount: number;
  readonly minSeconds: number;
}

type Job = { readonly kind: 'list'; readonly requests: readonly RequestSpec[] } | StartStream;

interface Command {
  readonly id: number;
  readonly base: string;
  readonly concurrency: number;
  readonly job: Job;
}

type Reply = { readonly id: number; readonly ok: true; readonly phase: Phase } | { readonly id: number; readonly ok: false; readonly error: string };

export interface HttpClient {
  run(base: string, concurrency: number, job: Job): Promise<Phase>;
  close(): Promise<void>;
}

/** Starts the worker (this very module, with the parent's `--import tsx`). */
export function startHttpClient(): HttpClient {
  // The worker runs this TypeScript module, so it registers tsx's loader first (Node 20 loads a
  // worker's entry file before `--import` hooks apply to it).
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true });
  let next = 1;
  const waiting = new Map<number, { resolve: (phase: Phase) => void; reject: (error: Error) => void }>();
  worker.on('message', (reply: Reply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (pending === undefined) return;
    if (reply.ok) pending.resolve(reply.phase);
    else pending.reject(new Error(reply.error));
  });
  worker.on('error', (error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  });
  return {
    run(base, concurrency, job) {
      const id = next++;
      return new Promise<Phase>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, base, concurrency, job } satisfies Command);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

// ── the worker ──────────────────────────────────────────────────────────────────────────────────

const FIRST_NAMES = ['Lucía', 'Tom', 'Aiko', 'Bruno', 'Fatima', 'Olu', 'Marta', 'Jonas', 'Priya', 'Chen', 'Sofia', 'Diego'] as const;
const MESSAGES = [
  'My invoice shows the wrong amount',
  'I cannot log in since this morning',
  'How do I export all my data?',
  'The API returns 500 when I create an order',
  'Please cancel my subscription at the end of the month',
  'Our SSO login loops back to the sign-in page',
  'I was charged twice for order',
  'Where can I change the billing address?',
] as const;

/** mulberry32, as bench/lib.ts (not imported: the worker loads nothing of the server). */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * node:http with a keep-alive agent rather than fetch: undici's fetch cost this thread ~400 µs a
 * request, which capped even a do-nothing route at ~2,900 req/s while the server's thread was 25%
 * busy — the ceiling measured the client. One connection per request in flight.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(base: string, spec: RequestSpec): Promise<{ status: number; text: string }> {
  const url = new URL(spec.url, base);
  const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: spec.method,
        agent,
        headers: {
          authorization: `Bearer ${spec.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function send(base: string, spec: RequestSpec, index: number, phaseStart: bigint): Promise<Sample> {
  const before = process.hrtime.bigint();
  const response = await post(base, spec);
  const text = response.text;
  const after = process.hrtime.bigint();
  let conversationId: string | null = null;
  let conversationStatus: string | null = null;
  try {
    const conversation = (JSON.parse(text) as { conversation?: { id?: unknown; status?: unknown } } | null)?.conversation;
    if (typeof conversation?.id === 'string') conversationId = conversation.id;
    if (typeof conversation?.status === 'string') conversationStatus = conversation.status;
  } catch {
    // Not JSON: only the status counts.
  }
  return {
    index,
    status: response.status,
    ns: Number(after - before),
    atNs: Number(after - phaseStart),
    conversationId,
    conversationStatus,
    error: response.status >= 200 && response.status < 300 ? null : text.slice(0, 500),
  };
}

async function runCommand(command: Command): Promise<Phase> {
  const { job, base } = command;
  const samples: Sample[] = [];
  const start = process.hrtime.bigint();
  let index = 0;
  let nextSpec: () => RequestSpec | null;
  if (job.kind === 'list') {
    nextSpec = () => job.requests[index] ?? null;
  } else {
    const random = rng(job.seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const minNs = BigInt(Math.round(job.minSeconds * 1e9));
    nextSpec = () => {
      if (index >= job.minCount && process.hrtime.bigint() - start >= minNs) return null;
      const n = job.firstIndex + index;
      return {
        method: 'POST',
        url: job.url,
        token: job.token,
        body: { channel: job.channel, contact: { name: `${pick(FIRST_NAMES)} ${n}` }, message: `${pick(MESSAGES)} #${100_000 + Math.floor(random() * 900_000)}` },
      };
    };
  }
  const lane = async (): Promise<void> => {
    for (;;) {
      const spec = nextSpec();
      if (spec === null) return;
      const mine = index;
      index += 1;
      samples.push(await send(base, spec, mine, start));
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, lane));
  return { samples, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  port.on('message', (command: Command) => {
    runCommand(command).then(
      (phase) => port.postMessage({ id: command.id, ok: true, phase } satisfies Reply),
      (error: unknown) => port.postMessage({ id: command.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Reply),
    );
  });
}
