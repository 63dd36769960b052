/**
 * The Redis hub on its own (no database: the stream it reads while degraded is a stand-in), on
 * this machine's Redis under a prefix of the test's own: what crosses, what is ignored, and what
 * it does while Redis cannot be reached.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedisHub, type RedisHub, type StreamHead } from '../../src/delivery/realtime/redis-hub.js';
import { openRedis, type RedisConnection } from '../../src/platform/redis.js';
import type { EphemeralFrame, StreamNotice } from '../../src/services/realtime/hub.js';

const REDIS_URL = process.env.BATON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = pino({ level: 'silent' });

/** A listener that records what it hears and lets a test wait for the next thing. */
function aListener(audiences: readonly string[]) {
  const notices: StreamNotice[] = [];
  const frames: EphemeralFrame[] = [];
  const waiters = new Set<() => void>();
  const heard = () => {
    for (const waiter of [...waiters]) waiter();
  };
  return {
    audiences,
    notices,
    frames,
    onNotice(notice: StreamNotice) {
      notices.push(notice);
      heard();
    },
    onEphemeral(frame: EphemeralFrame) {
      frames.push(frame);
      heard();
    },
    until(predicate: () => boolean, what: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}: ${JSON.stringify({ notices, frames })}`));
        }, 5_000);
        function check(): void {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
        waiters.add(check);
        check();
      });
    },
  };
}

/** A stream that moves when the test says so. */
function aStream(): StreamHead & { head(): Promise<number>; move(to: number, audiences: string[]): void; reads: number } {
  let head = 10;
  let moved: string[] = [];
  return {
    reads: 0,
    async head() {
      this.reads += 1;
      return head;
    },
    async audiencesBetween(after, upTo) {
      return upTo > after ? moved : [];
    },
    move(to, audiences) {
      head = to;
      moved = audiences;
    },
  };
}

describe('the Redis hub', () => {
  const open: Array<RedisHub | RedisConnection | Redis> = [];
  afterEach(async () => {
    for (const thing of open.reverse()) {
      if (thing instanceof Redis) await thing.quit();
      else await thing.close();
    }
    open.length = 0;
  });

  async function aHub(url: string, prefix: string, stream: StreamHead = aStream()): Promise<RedisHub> {
    const connection = await openRedis(url, prefix, logger);
    const hub = await createRedisHub({ client: connection.client, prefix, stream, logger });
    // Closed in reverse: the hub before its connection.
    open.push(connection, hub);
    return hub;
  }

  it('hands notices and typing to the other process, once to its own, and ignores what is not its own kind of message', async () => {
    const prefix = `baton-test:${randomBytes(6).toString('hex')}:`;
    const a = await aHub(REDIS_URL, prefix);
    const b = await aHub(REDIS_URL, prefix);
    const onA = aListener(['agents']);
    const onB = aListener(['agents']);
    const otherAudience = aListener(['contact:c1']);
    a.subscribe(onA);
    b.subscribe(onB);
    b.subscribe(otherAudience);
    expect(a.health()).toBe('ok');

    const raw = new Redis(REDIS_URL);
    open.push(raw);
    // Not ours: ignored, and the hub goes on.
    await raw.publish(`${prefix}realtime`, 'not json');
    await raw.publish(`${prefix}realtime`, JSON.stringify({ o: 'x', k: 'notice', a: 'agents', s: 1 }));
    await raw.publish(`${prefix}realtime`, JSON.stringify({ o: 'x', k: 'shutdown' }));

    a.notify({ audiences: ['agents'], seq: 42 });
    a.broadcast({ audiences: ['agents'], type: 'typing', conversationId: 'c1', data: { author: 'contact' } });
    await onB.until(() => onB.notices.length === 1 && onB.frames.length === 1, 'the notice and the frame on B');
    expect(onB.notices).toEqual([{ audiences: ['agents'], seq: 42 }]);
    expect(onB.frames[0]).toMatchObject({ type: 'typing', conversationId: 'c1', data: { author: 'contact' } });
    // B's own notice comes after A's echo on the one channel: once A has it, A's echo of its own has come and gone.
    b.notify({ audiences: ['agents'], seq: 43 });
    await onA.until(() => onA.notices.some((n) => n.seq === 43), "B's notice on A");
    expect(onA.notices.map((n) => n.seq)).toEqual([42, 43]);
    expect(onA.frames).toHaveLength(1);
    expect(otherAudience.notices).toEqual([]);
  });

  it('is ok again once the publishing connection alone has dropped and come back', async () => {
    const prefix = `baton-test:${randomBytes(6).toString('hex')}:`;
    const connection = await openRedis(REDIS_URL, prefix, logger);
    const a = await createRedisHub({ client: connection.client, prefix, stream: aStream(), logger });
    open.push(connection, a);
    const b = await aHub(REDIS_URL, prefix);
    const onB = aListener(['agents']);
    b.subscribe(onB);
    expect(a.health()).toBe('ok');
    // Drop the connection A publishes on (its subscription stays): ioredis reconnects it.
    const reconnected = once(connection.client, 'ready');
    connection.client.disconnect(true);
    await reconnected;
    await vi.waitFor(() => expect(a.health()).toBe('ok'), { timeout: 10_000, interval: 50 });
    a.notify({ audiences: ['agents'], seq: 5 });
    await onB.until(() => onB.notices.length === 1, "A's notice after its reconnect");
  });

  it('hears only its own prefix (several desks on one Redis)', async () => {
    const mine = `baton-test:${randomBytes(6).toString('hex')}:`;
    const b = await aHub(REDIS_URL, mine);
    const onB = aListener(['agents']);
    b.subscribe(onB);
    const raw = new Redis(REDIS_URL);
    open.push(raw);
    // One connection: the other desk's message is published first.
    await raw.publish(`baton-test:other:realtime`, JSON.stringify({ o: 'x', k: 'notice', a: ['agents'], s: 7 }));
    await raw.publish(`${mine}realtime`, JSON.stringify({ o: 'x', k: 'notice', a: ['agents'], s: 8 }));
    await onB.until(() => onB.notices.length >= 1, 'the notice under its prefix');
    expect(onB.notices).toEqual([{ audiences: ['agents'], seq: 8 }]);
  });

  it('while Redis cannot be reached: says degraded, and reads the stream for who moved', async () => {
    const stream = aStream();
    // Nothing listens on port 1. (The outage's first read woke every socket there was: none yet.)
    const hub = await aHub('redis://127.0.0.1:1', 'baton-test:down:', stream);
    const agents = aListener(['agents']);
    const contact = aListener(['contact:c1']);
    hub.subscribe(agents);
    hub.subscribe(contact);
    expect(hub.health()).toBe('degraded');
    // Publishing fails quietly: this process's own sockets are still told at once.
    hub.notify({ audiences: ['agents'], seq: 11 });
    expect(agents.notices).toEqual([{ audiences: ['agents'], seq: 11 }]);
    stream.move(12, ['contact:c1']);
    await contact.until(() => contact.notices.length === 1, 'the contact woken by the read');
    expect(contact.notices).toEqual([{ audiences: ['contact:c1'], seq: 12 }]);
    stream.move(13, ['agents']);
    await agents.until(() => agents.notices.length === 2, 'the agents woken by the read');
    expect(agents.notices.at(-1)).toEqual({ audiences: ['agents'], seq: 13 });
    expect(contact.notices).toHaveLength(1);
  });
});
