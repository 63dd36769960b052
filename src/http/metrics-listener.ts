/**
 * `BATON_METRICS_PORT`: /metrics alone on a port of its own, without credentials, for a scraper
 * that reaches only that port (docs/monitoring.md). Bound to `HOST` like the API; nothing else is
 * served there (any other path or method: 404).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsListener {
  readonly host: string;
  /** The bound port (the chosen one when asked for port 0). */
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsListener(options: {
  readonly registry: Registry;
  readonly host: string;
  readonly port: number;
  readonly onError: (error: unknown) => void;
}): Promise<MetricsListener> {
  const { registry } = options;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('not found: only GET /metrics is served on this port\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        options.onError(error);
        response
          .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
          .end('metrics could not be collected\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
