/**
 * A WebSocket on `GET /api/realtime` in a worker thread of its own (so it reads its socket when
 * the server sends, not when the server's event loop is free): it notes when the first
 * `handoff.completed` frame of each conversation arrives (process.hrtime, the same clock in every
 * thread of the process). bench/handoff-http-postgres.ts counts a handoff as delivered only then.
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import WebSocket from 'ws';

type Command = { readonly kind: 'open'; readonly url: string; readonly token: string } | { readonly kind: 'collect'; readonly ids: readonly string[]; readonly timeoutMs: number };
type Reply = { readonly ok: true; readonly arrivals?: Record<string, number>; readonly frames?: number } | { readonly ok: false; readonly error: string };

export interface FrameListener {
  open(url: string, token: string): Promise<void>;
  /** Waits until every id's frame has come (or the timeout); the arrival (hrtime ns) of each that came. */
  collect(ids: readonly string[], timeoutMs: number): Promise<{ arrivals: Map<string, number>; frames: number }>;
  close(): Promise<void>;
}

export function startFrameListener(): FrameListener {
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true });
  let waiting: { resolve: (reply: Reply) => void } | null = null;
  worker.on('message', (reply: Reply) => {
    const pending = waiting;
    waiting = null;
    pending?.resolve(reply);
  });
  const ask = (command: Command): Promise<Reply> =>
    new Promise((resolve) => {
      waiting = { resolve };
      worker.postMessage(command);
    });
  return {
    async open(url, token) {
      const reply = await ask({ kind: 'open', url, token });
      if (!reply.ok) throw new Error(reply.error);
    },
    async collect(ids, timeoutMs) {
      const reply = await ask({ kind: 'collect', ids, timeoutMs });
      if (!reply.ok) throw new Error(reply.error);
      return { arrivals: new Map(Object.entries(reply.arrivals ?? {})), frames: reply.frames ?? 0 };
    },
    async close() {
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const arrivals = new Map<string, number>();
  let frames = 0;
  let wake: (() => void) | null = null;
  port.on('message', (command: Command) => {
    if (command.kind === 'open') {
      const ws = new WebSocket(command.url, { headers: { authorization: `Bearer ${command.token}` } });
      ws.on('message', (raw) => {
        const at = Number(process.hrtime.bigint());
        const frame = JSON.parse((raw as Buffer).toString('utf8')) as { type: string; conversationId: string | null };
        frames += 1;
        if (frame.type === 'stream.ready') port.postMessage({ ok: true } satisfies Reply);
        if (frame.type === 'handoff.completed' && frame.conversationId !== null && !arrivals.has(frame.conversationId)) {
          arrivals.set(frame.conversationId, at);
          wake?.();
        }
      });
      ws.on('error', (error) => port.postMessage({ ok: false, error: String(error) } satisfies Reply));
      ws.on('unexpected-response', (_req, res) => port.postMessage({ ok: false, error: `realtime refused: HTTP ${res.statusCode}` } satisfies Reply));
      return;
    }
    const deadline = Date.now() + command.timeoutMs;
    let finished = false;
    const done = (): void => {
      finished = true;
      wake = null;
      const out: Record<string, number> = {};
      for (const id of command.ids) {
        const at = arrivals.get(id);
        if (at !== undefined) out[id] = at;
      }
      port.postMessage({ ok: true, arrivals: out, frames } satisfies Reply);
    };
    const check = (): void => {
      if (finished) return;
      if (command.ids.every((id) => arrivals.has(id)) || Date.now() >= deadline) done();
    };
    wake = check;
    const timer = setInterval(() => {
      check();
      if (finished) clearInterval(timer);
    }, 100);
    check();
  });
}
