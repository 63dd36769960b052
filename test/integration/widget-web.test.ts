/**
 * `GET /widget.js`, `GET /demo` and CORS on the customer API (docs/api.md "Running"): the script is
 * served with a short cache and an ETag, a missing bundle is a 503 that says how to build it,
 * and the widget may call `/api/widget/*` from the customer's own site.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app.js';
import type { RouteDeps } from '../../src/http/routes/deps.js';
import { webRoutes } from '../../src/http/routes/web.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

describe('GET /widget.js and /demo', () => {
  // Each test its own folder (no bundle in it yet) and server: a bundle one test writes is not there for the next.
  let dir: string;
  let bundle: string;
  let app: ReturnType<typeof buildHttpApp>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-web-'));
    bundle = join(dir, 'widget.js');
    app = buildHttpApp({ routes: webRoutes({} as RouteDeps, { widgetPath: () => bundle }), authenticate: async () => null, logLevel: 'silent' });
  });
  afterEach(async () => {
    await (await app).close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with how to build it when the bundle is missing', async () => {
    const response = await (await app).inject({ method: 'GET', url: '/widget.js' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toContain('npm run build:widget');
  });

  it('serves the bundle as JavaScript with a short cache and an ETag, and 304 when unchanged', async () => {
    writeFileSync(bundle, '(()=>{window.Baton={}})();');
    const first = await (await app).inject({ method: 'GET', url: '/widget.js' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    expect(first.body).toBe('(()=>{window.Baton={}})();');
    const again = await (await app).inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    // A rebuild while the server runs is served at once, under a new ETag.
    writeFileSync(bundle, '(()=>{window.Baton={v:2}})();');
    const rebuilt = await (await app).inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } });
    expect(rebuilt.statusCode).toBe(200);
    expect(rebuilt.headers.etag).not.toBe(etag);
  });

  it('serves the demo page with the one-tag embed on the web-chat channel, in the asked language', async () => {
    const page = await (await app).inject({ method: 'GET', url: '/demo' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('<script src="/widget.js" data-channel="web-chat" async></script>');
    const es = await (await app).inject({ method: 'GET', url: '/demo?lang=es' });
    expect(es.body).toContain('<html lang="es">');
    const bad = await (await app).inject({ method: 'GET', url: '/demo?lang=%22%3E%3Cscript%3E' });
    expect(bad.statusCode).toBe(422);
  });
});

// The customer API behind CORS reads and writes the store: on both dialects. (The first describe
// serves files only, no store.)
eachDialect('CORS on the customer API', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the preflight of a widget call from another site', async () => {
    const response = await t.request({
      method: 'OPTIONS',
      url: '/api/widget/conversations/c1/messages',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-headers']).toContain('authorization');
    expect(response.headers['access-control-allow-methods']).toContain('POST');
  });

  it('lets the widget read the answers, and not the agents API', async () => {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', headers: { origin: 'https://shop.example' }, payload: { channel: 'web-chat' } });
    expect(session.statusCode).toBe(201);
    expect(session.headers['access-control-allow-origin']).toBe('*');
    const agents = await t.request({ method: 'GET', url: '/api/conversations', headers: { origin: 'https://shop.example', ...t.admin } });
    expect(agents.headers['access-control-allow-origin']).toBeUndefined();
  });
});
