/**
 * The customer API (docs/api.md "Customers") and the realtime socket, seen from the browser. Types
 * come from the server's contract (`import type`: nothing of the server is bundled).
 */
import type { Message } from '../../../src/contract/api.js';
import type { RealtimeFrame } from '../../../src/contract/realtime.js';

export type { Message, RealtimeFrame };

/** What the widget reads of `CustomerConversation` (GET /api/widget/conversations/:id). */
export interface ConversationState {
  readonly id: string;
  readonly status: string;
  readonly owner: { readonly name: string } | null;
  readonly queuePosition: number | null;
  readonly expectedWaitSeconds: number | null;
  readonly nextOpenAt: string | null;
  readonly rating: number | null;
}

export interface Turn {
  readonly conversation: ConversationState;
  readonly messages: readonly Message[];
}

export interface ContactDraft {
  name?: string;
  email?: string;
  language?: string;
  timezone?: string;
  properties?: Record<string, string | number | boolean | null>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createApi(base: string, token: () => string | null) {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    const bearer = token();
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!response.ok) throw new HttpError(response.status, `${method} ${path}: ${response.status}`);
    return (await response.json()) as T;
  }
  const conv = (id: string): string => `/api/widget/conversations/${encodeURIComponent(id)}`;
  return {
    createSession: (channel: string, contact: ContactDraft) => call<{ token: string; contactId: string }>('POST', '/api/widget/sessions', { channel, contact }),
    start: (message?: string) => call<Turn>('POST', '/api/widget/conversations', message === undefined ? {} : { message }),
    send: (id: string, body: string) => call<Turn>('POST', `${conv(id)}/messages`, { body }),
    human: (id: string) => call<Turn>('POST', `${conv(id)}/human`),
    conversation: (id: string) => call<ConversationState>('GET', conv(id)),
    messages: (id: string, after: number) => call<Message[]>('GET', `${conv(id)}/messages?after=${after}`),
    rate: (id: string, score: number) => call<ConversationState>('POST', `${conv(id)}/rating`, { score }),
  };
}
export type Api = ReturnType<typeof createApi>;

export interface SocketHandlers {
  onFrame(frame: RealtimeFrame): void;
  onUp(): void;
  onDown(): void;
}

/**
 * The realtime socket with reconnects: exponential backoff with jitter (0.5 s doubling to 10 s),
 * at once when the browser comes back online; every connection resumes with `?after=<the last
 * seq applied>` so the server replays what was missed (docs/realtime.md).
 */
export function createSocket(base: string, token: () => string | null, after: () => number, handlers: SocketHandlers) {
  let socket: WebSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wanted = false;

  function connect(): void {
    clearTimeout(timer);
    const bearer = token();
    if (!wanted || bearer === null || socket !== null) return;
    const seq = after();
    const url = `${base.replace(/^http/, 'ws')}/api/realtime?token=${encodeURIComponent(bearer)}${seq > 0 ? `&after=${seq}` : ''}`;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onmessage = (event) => {
      let frame: RealtimeFrame;
      try {
        frame = JSON.parse(String(event.data)) as RealtimeFrame;
      } catch {
        return;
      }
      if (frame.type === 'stream.ready') {
        attempt = 0;
        handlers.onUp();
      }
      handlers.onFrame(frame);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      handlers.onDown();
      if (!wanted) return;
      const delay = Math.min(10_000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      attempt += 1;
      timer = setTimeout(connect, delay);
    };
  }

  addEventListener('online', () => {
    attempt = 0;
    connect();
  });

  return {
    start(): void {
      wanted = true;
      connect();
    },
    stop(): void {
      wanted = false;
      clearTimeout(timer);
      const ws = socket;
      socket = null;
      ws?.close();
    },
    /** Send a client frame (typing) if the socket is open; ephemeral, so dropping it is fine. */
    send(frame: object): void {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    },
  };
}
