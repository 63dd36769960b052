/**
 * Fan-out of "the stream moved" to the connected sockets. The stream itself is durable
 * (`stream_events`); the hub carries only wake-ups and ephemeral frames (typing), so losing a
 * notice costs latency, never data: a connection reads the database after its own last seq, and
 * its heartbeat reads once more anyway.
 *
 * One interface, two implementations: `createLocalHub` (in-process, one Baton process — the
 * embedded default) and, for scale-out (`REDIS_URL`, docs/deployment.md "Several processes"),
 * `createRedisHub` (delivery/realtime/redis-hub.ts), which PUBLISHes each notice and ephemeral
 * frame and hands what it receives from other processes to a local hub's `notify`/`broadcast` —
 * connections and the publisher only ever see `RealtimeHub`.
 */

export interface StreamNotice {
  /** The audiences that got rows (`agents`, `user:<id>`, `contact:<id>`). */
  readonly audiences: readonly string[];
  /** The highest seq committed with this notice. */
  readonly seq: number;
}

export interface EphemeralFrame {
  readonly audiences: readonly string[];
  readonly type: 'typing';
  readonly conversationId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface HubListener {
  readonly audiences: readonly string[];
  onNotice(notice: StreamNotice): void;
  onEphemeral(frame: EphemeralFrame): void;
}

export interface RealtimeHub {
  /** After a commit that wrote stream rows: wake the listeners of those audiences (every process). */
  notify(notice: StreamNotice): void;
  /** A frame that is not stored (typing), to the listeners of its audiences (every process). */
  broadcast(frame: EphemeralFrame): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: HubListener): () => void;
  /** Listeners now (for /metrics and tests). */
  size(): number;
  close(): Promise<void>;
}
