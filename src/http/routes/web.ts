/**
 * The customer-facing web assets (docs/api.md "Running"): the chat widget's script at `/widget.js`
 * and a sample page with the widget at `/demo`. The script is the esbuild bundle of `web/widget/`
 * written by `npm run build:widget` (`npm start` builds it first); without it the answer is a 503
 * that says how to build it, not a crash.
 *
 * The widget runs on the customer's site and calls the API on this origin, so the customer API
 * (`/api/widget/*`) answers cross-origin requests: `Access-Control-Allow-Origin: *` is safe there
 * because it authenticates with a bearer token the page holds, never with cookies (Fetch standard
 * §3.2.5: a wildcard never carries credentials).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LanguageTag } from '../../contract/common.js';
import { packageRoot } from '../../platform/package-root.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/** Where `npm run build:widget` writes the bundle. */
export const widgetBundlePath = (): string => join(packageRoot(), 'dist', 'web', 'widget.js');

/**
 * Short: a deploy reaches every site within minutes, and the ETag makes the revalidation a 304.
 * The script itself is small and loads `async`.
 */
const WIDGET_CACHE_CONTROL = 'public, max-age=300';

interface Asset {
  readonly mtimeMs: number;
  readonly size: number;
  readonly body: Buffer;
  readonly etag: string;
}

/** The bundle, re-read only when the file changes (a rebuild while the server runs is served at once). */
function assetReader(path: () => string): () => Promise<Asset | null> {
  let cached: Asset | null = null;
  return async () => {
    let info;
    try {
      info = await stat(path());
    } catch {
      cached = null;
      return null;
    }
    if (cached !== null && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const body = await readFile(path());
    cached = { mtimeMs: info.mtimeMs, size: info.size, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    return cached;
  };
}

const DemoQuery = z.object({ lang: LanguageTag.optional() });

export interface WebRouteOptions {
  /** The bundle's path (tests point it elsewhere); default `dist/web/widget.js`. */
  readonly widgetPath?: () => string;
}

export function webRoutes(_deps: RouteDeps, options: WebRouteOptions = {}): AnyRoute[] {
  const widget = assetReader(options.widgetPath ?? widgetBundlePath);
  return [
    defineRoute({
      method: 'GET',
      url: '/widget.js',
      summary: 'The chat widget script (one tag on any site)',
      tags: ['web'],
      access: 'public',
      handler: async ({ request, reply }) => {
        const asset = await widget();
        if (asset === null) {
          return reply
            .status(503)
            .header('content-type', 'text/plain; charset=utf-8')
            .header('cache-control', 'no-store')
            .send('The chat widget is not built. Run `npm run build:widget` (or `npm run build`; `npm start` builds it) and reload.\n');
        }
        reply.header('etag', asset.etag).header('cache-control', WIDGET_CACHE_CONTROL);
        const ifNoneMatch = request.headers['if-none-match'];
        if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === asset.etag)) return reply.status(304).send();
        return reply.header('content-type', 'application/javascript; charset=utf-8').send(asset.body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/demo',
      summary: 'A sample page with the widget on the demo workspace',
      tags: ['web'],
      access: 'public',
      query: DemoQuery,
      handler: ({ query, reply }) =>
        reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .send(renderDemoPage(query.lang ?? 'en')),
    }),
  ];
}

/** CORS for the customer API: the widget calls it from the customer's site. */
export function registerWidgetCors(app: FastifyInstance): void {
  const isWidgetApi = (url: string): boolean => url.startsWith('/api/widget/');
  app.addHook('onRequest', async (request, reply) => {
    if (!isWidgetApi(request.url)) return;
    reply.header('access-control-allow-origin', '*');
    reply.header('vary', 'origin');
  });
  app.options('/api/widget/*', async (_request, reply) =>
    reply
      .status(204)
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '600')
      .send(),
  );
}

/** `lang` is a validated language tag (no markup can get in). */
function renderDemoPage(lang: string): string {
  const es = lang.startsWith('es');
  const t = es
    ? { title: 'Acme: página de demostración', lead: 'Esta página muestra el widget de chat de Baton en el espacio de trabajo de demostración (canal web-chat).', try: 'Abre el chat abajo a la derecha, pregunta «¿Cómo restablezco mi contraseña?» o pide hablar con una persona.' }
    : { title: 'Acme: demo page', lead: 'This page shows the Baton chat widget on the demo workspace (channel web-chat).', try: 'Open the chat at the bottom right, ask "How do I reset my password?" or ask to talk to a person.' };
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1f2933; background: #f5f7fa; }
  main { max-width: 42rem; margin: 0 auto; padding: 2rem 1.25rem 8rem; }
  h1 { font-size: 1.75rem; margin: 0 0 1rem; }
  code, pre { font: 0.875rem/1.4 ui-monospace, monospace; background: #e4e7eb; border-radius: 4px; }
  pre { padding: 0.75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
</style>
</head>
<body>
<main>
  <h1>${t.title}</h1>
  <p>${t.lead}</p>
  <p>${t.try}</p>
  <p>${es ? 'Para ponerlo en tu sitio, una sola etiqueta:' : 'To put it on your site, one tag:'}</p>
  <pre><code>&lt;script src="https://YOUR-BATON-HOST/widget.js" data-channel="web-chat" async&gt;&lt;/script&gt;</code></pre>
  <p>${es ? 'Opcional: <code>data-lang="es"</code>, y <code>Baton.setContact({ name, email, properties })</code> antes del primer mensaje.' : 'Optional: <code>data-lang="es"</code>, and <code>Baton.setContact({ name, email, properties })</code> before the first message.'}</p>
  <p><a href="/demo?lang=${es ? 'en' : 'es'}">${es ? 'English version' : 'Versión en español'}</a></p>
</main>
<script src="/widget.js" data-channel="web-chat" async></script>
</body>
</html>
`;
}
