/**
 * The agent's live stream: `GET /api/realtime` over a WebSocket (the session cookie
 * authenticates it), resumed with `?after=<last seq applied>` after any drop, with capped
 * exponential backoff and jitter so a restarting server is not stormed by every open tab.
 */
import type { Frame } from './state/inbox.js';

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s, 1 s, 2 s … capped at 30 s, ±25 % jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.5));
}

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface StreamOptions {
  /** The seq to resume after, read at each (re)connect. */
  readonly lastSeq: () => number;
  readonly onFrames: (frames: Frame[]) => void;
  readonly onState: (state: StreamState) => void;
  /** The socket was refused (401): the session ended. */
  readonly onUnauthorized: () => void;
}

function isFrame(value: unknown): value is Frame {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.seq === 'number' && typeof v.type === 'string' && typeof v.data === 'object' && v.data !== null;
}

/** Opens the stream; returns a function that closes it for good. */
export function openStream(options: StreamOptions): () => void {
  let socket: WebSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let opened = false;
  // Frames that arrive in one burst (a replay) are applied together, in one render.
  let batch: Frame[] = [];
  let flushScheduled = false;

  const flush = (): void => {
    flushScheduled = false;
    const frames = batch;
    batch = [];
    if (frames.length > 0) options.onFrames(frames);
  };

  const connect = (): void => {
    if (stopped) return;
    options.onState(attempt === 0 ? 'connecting' : 'reconnecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const after = options.lastSeq();
    const url = `${scheme}://${location.host}/api/realtime${after > 0 ? `?after=${after}` : ''}`;
    opened = false;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      opened = true;
      attempt = 0;
      options.onState('live');
    };
    ws.onmessage = (event: MessageEvent) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (!isFrame(parsed)) return;
      batch.push(parsed);
      if (!flushScheduled) {
        flushScheduled = true;
        queueMicrotask(flush);
      }
    };
    ws.onclose = (event: CloseEvent) => {
      socket = null;
      if (stopped) return;
      flush();
      // 4401: the server signed this session out (a deactivated user, an ended session).
      if (event.code === 4401) options.onUnauthorized();
      // A socket refused before opening may mean the session is gone; the caller checks /api/me.
      if (!opened && attempt >= 2) options.onUnauthorized();
      options.onState('reconnecting');
      timer = setTimeout(connect, backoffMs(attempt));
      attempt += 1;
    };
  };

  connect();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    socket?.close(1000, 'bye');
  };
}
