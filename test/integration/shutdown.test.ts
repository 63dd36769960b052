/**
 * Stopping the server does not wait on its peers: a realtime client that never answers the close
 * frame (ws would wait 30 s for it) and a request whose body never finishes must not hold
 * `Baton.close()` up — a restart (or a deploy) then takes seconds, not minutes. The socket gets
 * 1001 "going away" first, so a live client knows to reconnect and catch up.
 */
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { afterEach, expect, it } from 'vitest';
import { closeGracefully } from '../../src/http/close-gracefully.js';
import type { Dialect } from '../../src/store/database.js';
import { ADMIN_TOKEN, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

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

eachDialect('shutting the server down', (dialect) => {
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
