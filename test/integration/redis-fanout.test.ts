/**
 * Realtime fan-out between processes through Redis (`REDIS_URL`): two Batons on one PostgreSQL
 * database, each as its own process would be (its own connections, hub, caches), under a key
 * prefix of the test's own. Without Redis a frame written through B reaches a socket on A only at
 * that socket's next ping (30 s); with it, at once — and while Redis is down, from the stream
 * within about a second. Several processes need PostgreSQL, so this runs on PostgreSQL only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXAMPLE_CONFIG, dialects, startPeerApp, startTestApp, type TestApp } from '../support/test-app.js';

const REDIS_URL = process.env.BATON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Capacity that never binds. */
const CONFIG = EXAMPLE_CONFIG.replace('capacity: { chat: 3, email: 10 }', 'capacity: { chat: 500, email: 500 }');
/** Through Redis: well inside a second, where a socket on another process without it waits for its 30-second ping. */
const FAN_OUT_MS = 1_000;
/** Redis down: each process reads the stream every half second. */
const FALLBACK_MS = 2_000;

interface Frame {
  seq: number;
  type: string;
  conversationId: string | null;
  data: Record<string, unknown>;
}

interface Client {
  readonly frames: Frame[];
  waitFor(predicate: (frames: Frame[]) => boolean, what: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

async function listen(t: TestApp): Promise<string> {
  await t.baton.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.baton.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `ws://127.0.0.1:${address.port}/api/realtime`;
}

/** A socket that keeps every frame; resolves once the server said `stream.ready`. */
function connect(url: string, headers: Record<string, string>): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const frames: Frame[] = [];
    const waiters = new Set<() => void>();
    const client: Client = {
      frames,
      waitFor(predicate, what, timeoutMs) {
        return new Promise<void>((done, fail) => {
          const timer = setTimeout(() => {
            waiters.delete(check);
            fail(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(frames.map((f) => [f.seq, f.type, f.conversationId]))}`));
          }, timeoutMs);
          function check(): void {
            if (!predicate(frames)) return;
            clearTimeout(timer);
            waiters.delete(check);
            done();
          }
          waiters.add(check);
          check();
        });
      },
      close: () =>
        new Promise<void>((done) => {
          if (ws.readyState === WebSocket.CLOSED) return done();
          ws.once('close', () => done());
          ws.close();
        }),
    };
    ws.on('message', (raw) => {
      const frame = JSON.parse((raw as Buffer).toString('utf8')) as Frame;
      frames.push(frame);
      for (const check of [...waiters]) check();
      if (frame.type === 'stream.ready') resolve(client);
    });
    ws.on('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.on('error', reject);
  });
}

const of = (frames: Frame[], conversationId: string, type: string): Frame[] => frames.filter((f) => f.conversationId === conversationId && f.type === type);

/** A customer through `t` asks for a person; returns the conversation and what the handoff answered. */
async function handOffThrough(t: TestApp, name: string) {
  const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name, language: 'en' } } });
  expect(session.statusCode).toBe(201);
  const headers = { authorization: `Bearer ${session.data.token as string}` };
  const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
  expect(started.statusCode).toBe(201);
  const id = started.data.conversation.id as string;
  const handed = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers });
  expect(handed.statusCode).toBe(200);
  // The publishing job, as the worker would run it (tests drain by hand).
  await t.baton.outbox.drain();
  return { id, headers, conversation: handed.data.conversation as { status: string; owner: { name: string } | null } };
}

async function readiness(t: TestApp): Promise<{ ok: boolean; redis?: string }> {
  const response = await t.request({ method: 'GET', url: '/readyz' });
  return response.data as { ok: boolean; redis?: string };
}

const onPostgres = dialects.includes('postgres');

describe.skipIf(!onPostgres)('realtime fan-out through Redis [postgres]', () => {
  let a: TestApp;
  let b: TestApp;
  let urlA: string;
  let urlB: string;

  beforeEach(async () => {
    const env = { REDIS_URL, BATON_REDIS_PREFIX: `baton-test:${randomBytes(6).toString('hex')}:` };
    // The sockets' periodic credential re-check an hour away: only the signal can close one in time.
    a = await startTestApp('postgres', { config: CONFIG, env, realtimeRecheckMs: 3_600_000 });
    b = await startPeerApp(a, { env, realtimeRecheckMs: 3_600_000 });
    urlA = await listen(a);
    urlB = await listen(b);
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  it('a socket on A hears a handoff made through B, once', async () => {
    const onA = await connect(urlA, await a.tokenFor('ana'));
    const onB = await connect(urlB, await b.tokenFor('ana'));
    expect(await readiness(a)).toMatchObject({ ok: true, redis: 'ok' });
    const { id, conversation } = await handOffThrough(b, 'Max');
    expect(conversation).toMatchObject({ status: 'assigned', owner: { name: 'Ana' } });
    await onA.waitFor((f) => of(f, id, 'handoff.completed').length === 1, 'the handoff on A', FAN_OUT_MS);
    await onB.waitFor((f) => of(f, id, 'handoff.completed').length === 1, 'the handoff on B', FAN_OUT_MS);
    // A later handoff, through A this time: by the time B's socket has it, anything B's own notice
    // could have caused twice on B has happened (one channel, in order).
    const second = await handOffThrough(a, 'Lena');
    await onB.waitFor((f) => of(f, second.id, 'handoff.completed').length === 1, 'the second handoff on B', FAN_OUT_MS);
    await onA.waitFor((f) => of(f, second.id, 'handoff.completed').length === 1, 'the second handoff on A', FAN_OUT_MS);
    for (const client of [onA, onB]) {
      const seqs = client.frames.filter((f) => f.type !== 'stream.ready' && f.type !== 'typing').map((f) => f.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
    await onA.close();
    await onB.close();
  });

  it('typing crosses processes, and reaches the sockets of the process it was sent to once', async () => {
    const { id, headers } = await handOffThrough(b, 'Max');
    const onA = await connect(urlA, await a.tokenFor('ana'));
    const onB = await connect(urlB, await b.tokenFor('ana'));
    expect((await b.request({ method: 'POST', url: `/api/widget/conversations/${id}/typing`, headers })).statusCode).toBe(204);
    await onA.waitFor((f) => of(f, id, 'typing').length === 1, 'the customer typing, on A', FAN_OUT_MS);
    await onB.waitFor((f) => of(f, id, 'typing').length === 1, 'the customer typing, on B', FAN_OUT_MS);
    // B's own echo of that frame comes back before anything published after it: a handoff through A.
    const later = await handOffThrough(a, 'Lena');
    await onB.waitFor((f) => of(f, later.id, 'handoff.completed').length === 1, 'a later frame on B', FAN_OUT_MS);
    expect(of(onB.frames, id, 'typing')).toHaveLength(1);
    expect(of(onA.frames, id, 'typing')[0]?.data).toMatchObject({ author: 'contact' });
    await onA.close();
    await onB.close();
  });

  it('a socket on A of a user deactivated through B is closed with 4401 at once', async () => {
    const ws = new WebSocket(urlA, { headers: await a.tokenFor('ana') });
    await new Promise<void>((ready, fail) => {
      ws.on('message', (raw) => {
        if ((JSON.parse((raw as Buffer).toString('utf8')) as { type: string }).type === 'stream.ready') ready();
      });
      ws.on('error', fail);
    });
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    const deactivated = await b.request({ method: 'POST', url: '/api/users/ana/deactivate', headers: await b.tokenFor('olu') });
    expect(deactivated.statusCode).toBe(200);
    expect(await closed).toBe(4401);
  });

  it('a workspace applied through A routes the next handoff on B', async () => {
    // B has the workspace compiled (and cached) before the change.
    expect((await handOffThrough(b, 'Max')).conversation).toMatchObject({ owner: { name: 'Ana' } });
    const changed = CONFIG.replace('  fallback:\n    destination: { queue: general }', '  fallback:\n    destination: { team: oncall }');
    expect(changed).not.toBe(CONFIG);
    const applied = await a.request({ method: 'PUT', url: '/api/config', headers: { ...a.admin, 'content-type': 'application/yaml' }, payload: changed });
    expect(applied.statusCode).toBe(200);
    expect((await handOffThrough(b, 'Lena')).conversation).toMatchObject({ status: 'assigned', owner: { name: 'Olu' } });
  });
});

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A Redis of the test's own (no persistence), resolved once it accepts connections. */
function startRedis(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${String(code)}): ${output}`));
    });
  });
}

function stopRedis(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe.skipIf(!onPostgres)('realtime fan-out while Redis is down [postgres]', () => {
  let redis: ChildProcess | null = null;
  let port: number;
  let a: TestApp;
  let b: TestApp;
  let urlA: string;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, BATON_REDIS_PREFIX: `baton-test:${randomBytes(6).toString('hex')}:` };
    a = await startTestApp('postgres', { config: CONFIG, env });
    b = await startPeerApp(a, { env });
    urlA = await listen(a);
    await listen(b);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    if (redis !== null) await stopRedis(redis);
  });

  it('goes on without Redis, reads the stream instead, says degraded, and recovers by itself', async () => {
    const onA = await connect(urlA, await a.tokenFor('ana'));
    expect(await readiness(a)).toEqual({ ok: true, database: 'postgres', redis: 'ok' });
    const before = await handOffThrough(b, 'Max');
    await onA.waitFor((f) => of(f, before.id, 'handoff.completed').length === 1, 'a handoff through B, Redis up', FAN_OUT_MS);

    await stopRedis(redis!);
    redis = null;
    await vi.waitFor(async () => expect(await readiness(a)).toEqual({ ok: true, database: 'postgres', redis: 'degraded' }), { timeout: 5_000, interval: 50 });
    await vi.waitFor(async () => expect((await readiness(b)).redis).toBe('degraded'), { timeout: 5_000, interval: 50 });

    // Handoffs go on (publishing fails quietly), and A's socket hears B's from the stream.
    const during = await handOffThrough(b, 'Lena');
    expect(during.conversation).toMatchObject({ status: 'assigned', owner: { name: 'Ana' } });
    await onA.waitFor((f) => of(f, during.id, 'handoff.completed').length === 1, 'a handoff through B, Redis down', FALLBACK_MS);

    redis = await startRedis(port);
    // ioredis reconnects on its own (its wait grows to 5 s) and the hub subscribes again.
    await vi.waitFor(async () => expect((await readiness(a)).redis).toBe('ok'), { timeout: 20_000, interval: 100 });
    await vi.waitFor(async () => expect((await readiness(b)).redis).toBe('ok'), { timeout: 20_000, interval: 100 });
    const after = await handOffThrough(b, 'Noor');
    await onA.waitFor((f) => of(f, after.id, 'handoff.completed').length === 1, 'a handoff through B, Redis back', FAN_OUT_MS);
    // Typing is never stored: it crossing again shows the channel itself is back.
    expect((await b.request({ method: 'POST', url: `/api/widget/conversations/${after.id}/typing`, headers: after.headers })).statusCode).toBe(204);
    await onA.waitFor((f) => of(f, after.id, 'typing').length === 1, 'typing through B, Redis back', FAN_OUT_MS);
    const seqs = onA.frames.filter((f) => f.type !== 'stream.ready' && f.type !== 'typing').map((f) => f.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    await onA.close();
  });
});
