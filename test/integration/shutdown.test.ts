/**
 * Stopping the server does not wait on its peers: a realtime client that never answers the close
 * frame (ws would wait 30 s for it) and a request whose body never finishes must not hold
 * `Baton.close()` up — a restart (or a deploy) then takes seconds, not minutes. The socket gets
 * 1001 "going away" first, so a live client knows to reconnect and catch up.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import WebSocket from 'ws';
import { afterEach, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { closeGracefully } from '../../src/http/close-gracefully.js';
import { parseEnv } from '../../src/platform/env.js';
import { manualClock } from '../../src/platform/runtime.js';
import { createBaton } from '../../src/server.js';
import { applyValidatedConfig } from '../../src/services/workspace/apply-validated-config.js';
import type { Dialect } from '../../src/store/database.js';
import { listOutbox } from '../../src/store/repositories/outbox.js';
import { ADMIN_TOKEN, WEDNESDAY_MORNING, eachDialect, openTestDatabase, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp | null = null;
const raw: Socket[] = [];

afterEach(async () => {
  for (const socket of raw.splice(0)) socket.destroy();
  await app?.close();
  app = null;
});

async function listening(dialect: Dialect): Promise<{ app: TestApp; port: number }> {
  app = await startTestApp(dialect, { config: null });
  await app.baton.app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.baton.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { app, port: address.port };
}

/** Opens a raw TCP connection, writes `text`, resolves with the first bytes the server sends. */
function rawConnection(port: number, text: string, waitForAnswer: boolean): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(text);
      if (!waitForAnswer) resolve(socket);
    });
    raw.push(socket);
    socket.once('error', reject);
    if (waitForAnswer) socket.once('data', () => resolve(socket));
  });
}

/** A WebSocket client that completes the upgrade and then reads nothing more (a frozen tab). */
async function frozenRealtimeClient(port: number): Promise<void> {
  const socket = await rawConnection(
    port,
    [
      `GET /api/realtime?token=${ADMIN_TOKEN} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
    true,
  );
  socket.pause();
}

/** A webhook receiver that takes requests and never answers (sends stay in flight). */
async function silentReceiver(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function webhookDesk(hookUrl: string): string {
  return `
workspace: { name: Shutdown desk, timezone: UTC }
schedules:
  - { id: always, timezone: UTC, hours: { mon-sun: ["00:00-24:00"] } }
users:
  - { id: ana, name: Ana García, email: ana@acme.test, role: agent, schedule: always }
teams:
  - { id: desk, name: Front desk, members: [ana], strategy: round_robin }
queues:
  - { id: general, name: General, team: desk }
channels:
  - { id: api, type: api, assistant: none, defaultRoute: { queue: general } }
handoff:
  fallback:
    destination: { queue: general }
notifications:
  allowPrivateNetworks: true
  webhooks:
    - { url: "${hookUrl}/hook", events: [handoff.completed, conversation.assigned] }
`;
}

/** The status code of the first answer on a raw connection. */
function statusOf(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match !== null) resolve(Number(match[1]));
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`closed without an answer: ${JSON.stringify(text)}`)));
  });
}

eachDialect('shutting the server down', (dialect) => {
  it('hears 1001 on its sockets, answers the request in flight, and gives back the delivery it was sending', async () => {
    const receiver = await silentReceiver();
    const test = await openTestDatabase(dialect);
    try {
      const clock = manualClock(WEDNESDAY_MORNING);
      const env = parseEnv({ BATON_ADMIN_TOKEN: ADMIN_TOKEN, BATON_DEMO: '0', LOG_LEVEL: 'silent', DATABASE_URL: test.url, BATON_RATE_LIMITS: '0' });
      const baton = await createBaton({ env, processEnv: {}, database: test.database, clock, workers: false });
      const parsed = parseConfigText(webhookDesk(receiver.url), 'yaml', {});
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      await applyValidatedConfig(baton.ctx, { raw: parsed.raw, actor: 'test' });
      await baton.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (baton.app.server.address() as AddressInfo).port;
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const body = JSON.stringify({ channel: 'api', contact: { name: 'Zoë' }, message: 'Hello' });
      const created = await baton.app.inject({ method: 'POST', url: '/api/conversations', headers: admin, payload: JSON.parse(body) as object });
      expect(created.statusCode).toBe(201);

      // A delivery in flight: the receiver never answers.
      const draining = baton.outbox.drain();
      const webhooks = () => listOutbox(test.database.db, { kind: 'deliver.webhook' });
      await expect.poll(async () => (await webhooks()).filter((row) => row.status === 'processing').length, { timeout: 10_000 }).toBeGreaterThan(0);

      const live = new WebSocket(`ws://127.0.0.1:${port}/api/realtime?token=${ADMIN_TOKEN}`);
      await new Promise<void>((resolve, reject) => {
        live.once('open', () => resolve());
        live.once('error', reject);
      });
      const liveClosed = new Promise<number>((resolve) => live.once('close', (code) => resolve(code)));

      // A request in flight: half its body sent.
      const half = Math.floor(body.length / 2);
      const request = await rawConnection(
        port,
        ['POST /api/conversations HTTP/1.1', `Host: 127.0.0.1:${port}`, `Authorization: Bearer ${ADMIN_TOKEN}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, '', body.slice(0, half)].join('\r\n'),
        false,
      );
      const answered = statusOf(request);

      const closing = baton.close({ jobGraceMs: 200 });
      request.write(body.slice(half));
      expect(await answered).toBe(201);
      await closing;
      await draining;

      expect(await liveClosed).toBe(1001);
      // Nothing left leased to the stopped process: due again at once, for another process.
      const rows = await webhooks();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((row) => row.status === 'processing')).toEqual([]);
      expect(rows.every((row) => row.status === 'pending' && row.availableAt <= clock.now())).toBe(true);
    } finally {
      receiver.server.closeAllConnections();
      receiver.server.close();
      await test.drop();
    }
  });

  it('does not wait for a realtime client that never answers the close frame, nor for a request that never ends', async () => {
    const { app: started, port } = await listening(dialect);
    await frozenRealtimeClient(port);
    // A request whose body never arrives in full.
    await rawConnection(
      port,
      ['POST /api/conversations HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', 'Content-Length: 1000', '', '{"chan'].join('\r\n'),
      false,
    );
    // And a client that behaves: it hears "going away".
    const live = new WebSocket(`ws://127.0.0.1:${port}/api/realtime?token=${ADMIN_TOKEN}`);
    await new Promise<void>((resolve, reject) => {
      live.once('open', () => resolve());
      live.once('error', reject);
    });
    const liveClosed = new Promise<number>((resolve) => live.once('close', (code) => resolve(code)));

    const started_ = Date.now();
    await closeGracefully(started.baton.app, { socketGraceMs: 500, requestGraceMs: 1_000 });
    const tookMs = Date.now() - started_;

    expect(await liveClosed).toBe(1001);
    // Bounded by the two graces (1.5 s) plus scheduling, far below ws's 30 s close timeout and
    // Node's 300 s request timeout that would otherwise hold it.
    expect(tookMs).toBeLessThan(10_000);
    expect(started.baton.app.server.listening).toBe(false);
  });

  it('Baton.close() stops a server with a frozen realtime client in seconds', async () => {
    const { app: started, port } = await listening(dialect);
    await frozenRealtimeClient(port);
    const before = Date.now();
    await started.baton.close();
    app = null;
    expect(Date.now() - before).toBeLessThan(10_000);
  });
});
