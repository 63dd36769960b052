import { z } from 'zod';
import { checkReadiness } from '../../services/system/check-readiness.js';
import { describeConfigSchema } from '../../services/workspace/config-schema.js';
import { buildOpenApi } from '../app.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

const VERSION = '0.1.0';

/** Operations and the API's own description (docs/api.md). */
export function systemRoutes(deps: RouteDeps, apiRoutes: readonly AnyRoute[]): AnyRoute[] {
  const { ctx, metrics } = deps;
  let openApi: Record<string, unknown> | null = null;
  const document = (): Record<string, unknown> => (openApi ??= buildOpenApi([...apiRoutes], { title: 'Baton API', version: VERSION }));

  return [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      summary: 'The process is up',
      tags: ['operations'],
      access: 'public',
      response: z.object({ ok: z.literal(true) }),
      handler: () => ({ ok: true as const }),
    }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      summary: 'The database is reachable and migrated (and, with REDIS_URL, whether Redis fan-out is ok or degraded)',
      tags: ['operations'],
      access: 'public',
      handler: async ({ reply }) => {
        const readiness = await checkReadiness(ctx, deps.redisHealth);
        return reply.status(readiness.ok ? 200 : 503).send(readiness);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/metrics',
      summary: 'Prometheus metrics (an admin token, or anyone with BATON_METRICS_PUBLIC=1)',
      tags: ['operations'],
      access: ctx.env.BATON_METRICS_PUBLIC === '1' ? 'public' : 'admin',
      handler: async ({ reply }) => {
        const text = await metrics.metrics();
        return reply.header('content-type', metrics.contentType).send(text);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/openapi.json',
      summary: 'This API as OpenAPI 3.1',
      tags: ['operations'],
      access: 'public',
      handler: ({ reply }) => reply.send(document()),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/docs',
      summary: 'A readable page of this API',
      tags: ['operations'],
      access: 'public',
      handler: ({ reply }) => reply.header('content-type', 'text/html; charset=utf-8').send(renderDocs(document())),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/config/schema.json',
      summary: 'JSON Schema of baton.yaml',
      tags: ['config'],
      access: 'public',
      handler: ({ reply, request }) =>
        reply.header('content-type', 'application/schema+json').send(describeConfigSchema(`${request.protocol}://${request.host}/api/config/schema.json`)),
    }),
  ];
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  parameters?: { name: string; in: string; required?: boolean }[];
}

/** Server-rendered (the machine is offline: no docs viewer from a CDN), every text escaped. */
function renderDocs(openApi: Record<string, unknown>): string {
  const paths = (openApi.paths ?? {}) as Record<string, Record<string, Operation>>;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'other';
      const params = (op.parameters ?? []).map((p) => `${p.name} (${p.in}${p.required === true ? ', required' : ''})`).join(', ');
      const body = op.requestBody?.content?.['application/json']?.schema;
      const auth = op.security === undefined ? 'public' : 'authenticated';
      const rows = byTag.get(tag) ?? [];
      rows.push(
        `<details><summary><code class="m ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</code> <code>${escapeHtml(path)}</code> — ${escapeHtml(op.summary ?? '')} <small>${auth}</small></summary>` +
          (params ? `<p>Parameters: ${escapeHtml(params)}</p>` : '') +
          (body === undefined ? '' : `<pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre>`) +
          '</details>',
      );
      byTag.set(tag, rows);
    }
  }
  const sections = [...byTag].map(([tag, rows]) => `<h2>${escapeHtml(tag)}</h2>${rows.join('\n')}`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baton API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2433}
code{font:13px ui-monospace,monospace}.m{display:inline-block;min-width:4.5em;font-weight:600}
.get{color:#0b6e4f}.post{color:#1f4fbf}.put,.patch{color:#8a5a00}.delete{color:#b3261e}
details{border-bottom:1px solid #e3e6ec;padding:.4rem 0}pre{background:#f5f7fa;padding:.75rem;overflow:auto;font-size:12px}
small{color:#667}</style></head><body><h1>Baton API</h1>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors have one shape:
<code>{"error": {"code", "message", "details"}}</code>.</p>${sections}</body></html>`;
}
