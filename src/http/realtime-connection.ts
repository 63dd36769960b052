/**
 * One WebSocket on `GET /api/realtime`: replay after the client's seq, then live, with nothing
 * lost or doubled in between. The trick is that there is only one way frames are sent — "read
 * the stream after the last seq sent on this socket, send, advance" — and it runs once at open
 * (the replay, in pages) and again whenever the hub says the stream moved. The connection is
 * registered with the hub *before* the first read, so a row committed during the replay either
 * is in a page or wakes another read; and every read starts after the last seq sent, so a row is
 * never sent twice (CW PR #13713: out-of-order realtime events duplicated rows in the UI).
 */
import type { WebSocket } from 'ws';
import { ClientFrame, type RealtimeFrame } from '../contract/realtime.js';
import type { EphemeralFrame, RealtimeHub } from '../services/realtime/hub.js';

/** Rows per replay page. */
const PAGE = 500;
/**
 * A client that does not read its socket: close it rather than buffer without bound; it
 * reconnects with `after` and loses nothing (1013 "try again later").
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface StreamConnectionOptions {
  readonly socket: WebSocket;
  readonly hub: RealtimeHub;
  readonly audiences: readonly string[];
  /** Send stored rows with seq greater than this. */
  readonly after: number;
  /** Some frames after `after` were pruned: the client must reload its state over REST. */
  readonly truncated?: boolean;
  readonly read: (after: number, limit: number) => Promise<readonly RealtimeFrame[]>;
  /** Ping period; a socket that has not answered the previous ping by the next one is closed. */
  readonly heartbeatMs: number;
  /** A frame the client sent (typing). */
  readonly onClientFrame?: (frame: ClientFrame) => void;
  readonly onError: (error: unknown) => void;
}

export interface StreamConnection {
  /** The seq of the last stored frame sent. */
  lastSeq(): number;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;

export function openStreamConnection(options: StreamConnectionOptions): StreamConnection {
  const { socket } = options;
  let lastSeq = options.after;
  let pumping = false;
  let again = false;
  let closed = false;
  let alive = true;

  function send(frame: RealtimeFrame): boolean {
    if (closed || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function close(code = 1000, reason = ''): void {
    if (closed) return;
    closed = true;
    cleanup();
    if (socket.readyState === OPEN) socket.close(code, reason);
  }

  /** Read after lastSeq and send until caught up; serialised — a wake-up during a run makes it go round once more. */
  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        for (;;) {
          const rows = await options.read(lastSeq, PAGE);
          for (const row of rows) {
            if (row.seq <= lastSeq) continue;
            if (!send(row)) return;
            lastSeq = row.seq;
          }
          if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
            close(1013, 'too far behind: reconnect with after');
            return;
          }
          if (rows.length < PAGE) break;
        }
      } while (again && !closed);
    } catch (error) {
      options.onError(error);
      close(1011, 'stream read failed: reconnect with after');
    } finally {
      pumping = false;
    }
  }

  const unsubscribe = options.hub.subscribe({
    audiences: options.audiences,
    onNotice(notice) {
      if (notice.seq > lastSeq) void pump();
    },
    onEphemeral(frame: EphemeralFrame) {
      send({ seq: lastSeq, type: frame.type, conversationId: frame.conversationId, data: { ...frame.data } });
    },
  });

  const heartbeat = setInterval(() => {
    if (!alive) {
      // No pong since the last ping: a dead peer (a laptop lid, a NAT that forgot us).
      closed = true;
      cleanup();
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
    // A safety net for a wake-up that never came (a notice lost between processes).
    void pump();
  }, options.heartbeatMs);
  heartbeat.unref();

  function cleanup(): void {
    clearInterval(heartbeat);
    unsubscribe();
  }

  socket.on('pong', () => {
    alive = true;
  });
  socket.on('message', (raw, isBinary) => {
    alive = true;
    if (isBinary || options.onClientFrame === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse((Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw)).toString('utf8'));
    } catch {
      return;
    }
    const frame = ClientFrame.safeParse(parsed);
    if (frame.success) options.onClientFrame(frame.data);
  });
  socket.on('close', () => {
    closed = true;
    cleanup();
  });

  send({ seq: lastSeq, type: 'stream.ready', conversationId: null, data: { after: lastSeq, truncated: options.truncated === true } });
  void pump();

  return { lastSeq: () => lastSeq, close };
}
