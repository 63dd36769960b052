/**
 * The Redis realtime hub (`REDIS_URL`): fan-out between Baton processes. The port and what it
 * carries are services/realtime/hub.ts; the sockets of this process are a local hub's.
 *
 * - Every notice and typing frame is handed to this process's sockets at once (no round trip
 *   through Redis for them) and PUBLISHed on one channel, `<BATON_REDIS_PREFIX>realtime`; what
 *   arrives on the channel from another process goes to the local hub, and this process's own
 *   echo is ignored (each message names its origin), so nothing is delivered twice.
 * - "Someone was signed out" travels the same way, so every process's sockets re-check their
 *   credentials at once (server.ts; otherwise at their periodic re-check, every 5 s).
 * - The channel is read on a connection of its own (a subscribed connection can do nothing
 *   else), duplicated from the process's one; a publish that fails never fails its caller: the
 *   notices it carried are merged and published again once Redis is back.
 * - Health: every PROBE_MS this process publishes a probe and must hear its own echo within
 *   ECHO_DEADLINE_MS; a connection that closes, a publish that fails or a late echo makes it
 *   `degraded` (reported by `/readyz`). While degraded the hub reads the stream instead: every
 *   PROBE_MS the stream's highest seq, and when it moved, which audiences got rows, and wakes
 *   those listeners — so frames written through another process still arrive within about a
 *   second, not at the sockets' next ping (30 s). Typing does not cross processes then (it is
 *   never stored). When the echo is heard again the hub reads the stream once more, to catch up
 *   what fell between, and stops reading it.
 *
 * `stream_events` stays the truth: a lost wake-up costs latency, never a frame (every socket
 * reads after its own last seq).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { RedisClient } from '../../platform/redis.js';
import type { EphemeralFrame, RealtimeHub, StreamNotice } from '../../services/realtime/hub.js';
import { createLocalHub, type LocalHub } from './local-hub.js';

/** How often the hub probes Redis (and, while degraded, reads the stream's head). */
export const PROBE_MS = 500;
/** A probe whose echo has not come back after this long makes the hub degraded. */
export const ECHO_DEADLINE_MS = 1_500;
/** Audiences named in one message (a notice for more wakes every socket instead). */
const MAX_AUDIENCES = 10_000;
/** Audiences read per poll of the stream while degraded (more: every socket reads). */
const MAX_POLLED_AUDIENCES = 1_000;
/** A channel message longer than this is not ours: ignored. */
const MAX_MESSAGE_CHARS = 1_000_000;

export type CrossProcessHealth = 'ok' | 'degraded';

export interface RedisHub extends RealtimeHub {
  /** `ok` while this process both publishes and hears the channel; `degraded` otherwise. */
  health(): CrossProcessHealth;
  /**
   * Someone was signed out in this process (a session or token ended, a user deactivated): the
   * other processes' sockets re-check their credentials now (`onSignedOut` there), not at their
   * periodic re-check. Lost while Redis is down: the periodic re-check remains.
   */
  signedOut(): void;
}

/** How the hub reads the stream while Redis is down (services/realtime/read-stream.ts). */
export interface StreamHead {
  /** The stream's highest seq. */
  head(): Promise<number>;
  /** The audiences that got rows with `after` < seq ≤ `upTo`, at most `limit`. */
  audiencesBetween(after: number, upTo: number, limit: number): Promise<string[]>;
}

export interface RedisHubOptions {
  /** The process's Redis connection (platform/redis.ts): publishes; the hub duplicates it to subscribe. */
  readonly client: RedisClient;
  /** `BATON_REDIS_PREFIX`. */
  readonly prefix: string;
  readonly stream: StreamHead;
  readonly logger: { warn(object: object, message: string): void; info(object: object, message: string): void };
  /** Another process signed someone out: re-check this process's sockets. */
  readonly onSignedOut?: () => void;
  /** Tests only: a faster or slower probe. */
  readonly probeMs?: number;
  readonly echoDeadlineMs?: number;
}

const Audiences = z.array(z.string().max(200)).max(MAX_AUDIENCES);
/** What travels on the channel: `o` is the sending hub's id. */
const Wire = z.discriminatedUnion('k', [
  z.object({ o: z.string(), k: z.literal('probe') }),
  /** `a` null: every socket (more audiences than a message names). */
  z.object({ o: z.string(), k: z.literal('notice'), a: Audiences.nullable(), s: z.number().int().nonnegative() }),
  z.object({ o: z.string(), k: z.literal('typing'), a: Audiences, c: z.string(), d: z.record(z.string(), z.unknown()) }),
  z.object({ o: z.string(), k: z.literal('signed_out') }),
]);
type Wire = z.infer<typeof Wire>;

export async function createRedisHub(options: RedisHubOptions): Promise<RedisHub> {
  const { client, stream, logger } = options;
  const probeMs = options.probeMs ?? PROBE_MS;
  const echoDeadlineMs = options.echoDeadlineMs ?? ECHO_DEADLINE_MS;
  const channel = `${options.prefix}realtime`;
  const origin = randomUUID();
  const local: LocalHub = createLocalHub();
  // A connection of its own for the channel; the hub subscribes on every 'ready' itself, so it
  // knows when it hears the channel again.
  const subscriber = client.duplicate({ autoResubscribe: false, lazyConnect: true, connectionName: 'baton-realtime' });

  let closed = false;
  let subscribed = false;
  /** When the oldest probe sent since the last echo went out (null: none outstanding). */
  let probeSentAt: number | null = null;
  /** A publish failed and no probe has come back since. */
  let publishFailed = false;
  let degraded = false;
  /** Degraded, or just recovered and not yet caught up. */
  let reading = false;
  /** The stream's head as of the last read (null: not read in this outage yet). */
  let readThrough: number | null = null;
  let polling = false;
  let pollFailed = false;
  /** Notices whose publish failed, merged: published again once Redis is back. */
  let unsent: { audiences: Set<string> | null; seq: number } | null = null;

  function healthy(now: number): boolean {
    if (!subscribed || publishFailed || client.status !== 'ready' || subscriber.status !== 'ready') return false;
    return probeSentAt === null || now - probeSentAt < echoDeadlineMs;
  }

  function send(message: Wire): Promise<boolean> {
    if (closed) return Promise.resolve(true);
    return client.publish(channel, JSON.stringify(message)).then(
      () => true,
      () => {
        publishFailed = true;
        return false;
      },
    );
  }

  function keepUnsent(audiences: readonly string[] | null, seq: number): void {
    unsent ??= { audiences: new Set(), seq: 0 };
    unsent.seq = Math.max(unsent.seq, seq);
    if (audiences === null || unsent.audiences === null) {
      unsent.audiences = null;
      return;
    }
    for (const audience of audiences) unsent.audiences.add(audience);
    if (unsent.audiences.size > MAX_AUDIENCES) unsent.audiences = null;
  }

  function publishNotice(audiences: readonly string[] | null, seq: number): void {
    const named = audiences !== null && audiences.length <= MAX_AUDIENCES ? [...audiences] : null;
    void send({ o: origin, k: 'notice', a: named, s: seq }).then((ok) => {
      if (!ok) keepUnsent(named, seq);
    });
  }

  /** While degraded: whom the stream woke since the last read. */
  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const head = await stream.head();
      if (readThrough === null) {
        // The start of an outage: notices may have been lost already, for any audience. Every
        // socket reads once after its own last seq; from here on, only those that got rows.
        readThrough = head;
        local.wakeAll();
      } else if (head > readThrough) {
        const audiences = await stream.audiencesBetween(readThrough, head, MAX_POLLED_AUDIENCES);
        if (audiences.length >= MAX_POLLED_AUDIENCES) local.wakeAll();
        else local.notify({ audiences, seq: head });
        readThrough = head;
      }
      if (pollFailed) logger.info({}, 'realtime: the stream can be read again');
      pollFailed = false;
      if (!degraded) {
        // Caught up after the outage; the channel carries the rest.
        reading = false;
        readThrough = null;
      }
    } catch (error) {
      if (!pollFailed) logger.warn({ err: error }, 'realtime: Redis is down and the stream could not be read: sockets catch up at their next ping');
      pollFailed = true;
    } finally {
      polling = false;
    }
  }

  function tick(): void {
    if (closed) return;
    const now = performance.now();
    const ok = healthy(now);
    if (!ok && !degraded) {
      degraded = true;
      reading = true;
      logger.warn({ channel }, 'realtime: Redis fan-out is degraded: reading the stream every half second until it is back');
    } else if (ok && degraded) {
      degraded = false;
      logger.info({ channel }, 'realtime: Redis fan-out is back');
    }
    if (reading) void poll();
    if (ok && unsent !== null) {
      const { audiences, seq } = unsent;
      unsent = null;
      publishNotice(audiences === null ? null : [...audiences], seq);
    }
    // A probe every tick (two a second): the health is the age of the oldest one not echoed.
    if (client.status === 'ready') {
      probeSentAt ??= now;
      void send({ o: origin, k: 'probe' });
    }
  }

  function receive(raw: string): void {
    if (raw.length > MAX_MESSAGE_CHARS) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return;
    }
    const parsed = Wire.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.o === origin) {
      // Our own echo: delivered here already; a probe's proves the round trip.
      if (message.k === 'probe') {
        probeSentAt = null;
        publishFailed = false;
      }
      return;
    }
    if (message.k === 'notice') {
      if (message.a === null) local.wakeAll();
      else local.notify({ audiences: message.a, seq: message.s });
    } else if (message.k === 'typing') {
      local.broadcast({ audiences: message.a, type: 'typing', conversationId: message.c, data: message.d });
    } else if (message.k === 'signed_out') {
      options.onSignedOut?.();
    }
  }

  async function subscribe(): Promise<void> {
    try {
      await subscriber.subscribe(channel);
      subscribed = true;
    } catch {
      subscribed = false;
    }
    tick();
  }

  subscriber.on('message', (from: string, raw: string) => {
    if (from === channel) receive(raw);
  });
  subscriber.on('ready', () => {
    void subscribe();
  });
  // The subscription ends with its connection (and is made again on its next 'ready'); the
  // process's connection closing only stops publishing, which `healthy` reads from its status.
  const lost = (): void => {
    subscribed = false;
    tick();
  };
  subscriber.on('close', lost);
  client.on('close', tick);
  // The process's connection logs the outage (platform/redis.ts); this one's errors are the same.
  subscriber.on('error', () => undefined);

  // Wait for the first attempt only when Redis answered the process's connection (it already
  // waited for its own): a Redis that is down does not make the start slower twice.
  const connecting = subscriber.connect().catch(() => undefined);
  if (client.status === 'ready') {
    await connecting;
    if (subscriber.status === 'ready' && !subscribed) await subscribe();
  }
  const timer = setInterval(tick, probeMs);
  timer.unref();
  tick();

  return {
    notify(notice: StreamNotice) {
      local.notify(notice);
      publishNotice(notice.audiences, notice.seq);
    },
    broadcast(frame: EphemeralFrame) {
      local.broadcast(frame);
      // Typing that cannot be sent now is not worth sending late.
      if (frame.audiences.length <= MAX_AUDIENCES) void send({ o: origin, k: 'typing', a: [...frame.audiences], c: frame.conversationId, d: { ...frame.data } });
    },
    signedOut() {
      void send({ o: origin, k: 'signed_out' });
    },
    subscribe: (listener) => local.subscribe(listener),
    size: () => local.size(),
    health: () => (degraded || !healthy(performance.now()) ? 'degraded' : 'ok'),
    async close() {
      closed = true;
      clearInterval(timer);
      client.off('close', tick);
      subscriber.off('close', lost);
      if (subscriber.status === 'ready') await subscriber.quit().catch(() => subscriber.disconnect());
      else subscriber.disconnect();
      await local.close();
    },
  };
}
