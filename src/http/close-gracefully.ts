/**
 * Stopping the HTTP server without waiting on others for ever. Fastify's `close()` waits for
 * every connection to end: realtime sockets end only when the peer answers the close frame (ws
 * waits up to 30 s for a peer that does not), and a request in flight holds its connection
 * until it is answered. A restart must not hang on a slow browser or a stuck request, so:
 *
 * 1. every realtime socket is told 1001 "going away" (clients reconnect with `?after=` and
 *    catch up) and, after `socketGraceMs`, the ones still open are terminated;
 * 2. Fastify closes as usual (idle keep-alive connections at once, requests in flight answered);
 *    after `requestGraceMs`, the connections still open are destroyed.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';

export interface CloseGracefullyOptions {
  readonly socketGraceMs?: number;
  readonly requestGraceMs?: number;
}

export async function closeGracefully(app: FastifyInstance, options: CloseGracefullyOptions = {}): Promise<void> {
  const sockets = (app as { websocketServer?: { clients: Set<WebSocket> } }).websocketServer?.clients;
  if (sockets !== undefined && sockets.size > 0) await closeSockets([...sockets], options.socketGraceMs ?? 1_000);
  const force = setTimeout(() => app.server.closeAllConnections(), options.requestGraceMs ?? 5_000);
  try {
    await app.close();
  } finally {
    clearTimeout(force);
  }
}

async function closeSockets(sockets: readonly WebSocket[], graceMs: number): Promise<void> {
  const closed = sockets.map(
    (socket) =>
      new Promise<void>((done) => {
        if (socket.readyState === socket.CLOSED) {
          done();
          return;
        }
        socket.once('close', () => done());
        socket.close(1001, 'server shutting down');
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((done) => {
    timer = setTimeout(done, graceMs);
  });
  await Promise.race([Promise.all(closed), grace]);
  clearTimeout(timer);
  for (const socket of sockets) if (socket.readyState !== socket.CLOSED) socket.terminate();
}
