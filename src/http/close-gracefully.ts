/**
 * Stopping the HTTP server without waiting on others for ever. Fastify's `close()` waits for
 * every connection to end: realtime sockets end only when the peer answers the close frame (ws
 * waits up to 30 s for a peer that does not), and a request in flight holds its connection
 * until it is answered. A restart must not hang on a slow browser or a stuck request, so:
 *
 * 1. the listening socket closes first: no new connection is accepted, so a client sent away
 *    (and a load balancer's next connection) reaches another process, not this one again; idle
 *    keep-alive connections close (Node's `server.close()`);
 * 2. every realtime socket is told 1001 "going away" (clients reconnect with `?after=` and
 *    catch up) and, after `socketGraceMs`, the ones still open are terminated;
 * 3. Fastify closes as usual (requests in flight answered, new ones on open connections told
 *    503 with `Connection: close`); after `requestGraceMs`, the connections still open are
 *    destroyed.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';

export interface CloseGracefullyOptions {
  readonly socketGraceMs?: number;
  readonly requestGraceMs?: number;
}

export async function closeGracefully(app: FastifyInstance, options: CloseGracefullyOptions = {}): Promise<void> {
  // Fastify's own close calls server.close() again later and accepts ERR_SERVER_NOT_RUNNING.
  if (app.server.listening) app.server.close();
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
