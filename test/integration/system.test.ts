import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect('operations endpoints', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /healthz and /readyz with the database migrated', async () => {
    expect((await t.request({ method: 'GET', url: '/healthz' })).data).toEqual({ ok: true });
    const ready = await t.request({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.data).toEqual({ ok: true, database: dialect });
  });

  it('serves Prometheus metrics in text format', async () => {
    await t.request({ method: 'GET', url: '/healthz' });
    // An admin's credentials: the metrics are not public unless BATON_METRICS_PUBLIC=1.
    expect((await t.request({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/metrics', headers: await t.tokenFor('ana') })).statusCode).toBe(403);
    const metrics = await t.request({ method: 'GET', url: '/metrics', headers: t.admin });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('baton_http_request_duration_seconds_bucket');
  });

  it('serves the metrics to anyone when BATON_METRICS_PUBLIC=1', async () => {
    const open = await startTestApp(dialect, { env: { BATON_METRICS_PUBLIC: '1' } });
    try {
      const metrics = await open.request({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toContain('process_cpu_user_seconds_total');
    } finally {
      await open.close();
    }
  });

  it('describes itself as OpenAPI 3.1 and a docs page', async () => {
    const doc = await t.request({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.data.openapi).toBe('3.1.0');
    const page = await t.request({ method: 'GET', url: '/api/docs' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/api/openapi.json');
  });

  it('serves the JSON Schema of baton.yaml', async () => {
    const schema = await t.request({ method: 'GET', url: '/api/config/schema.json' });
    expect(schema.statusCode).toBe(200);
    expect(schema.data.properties).toHaveProperty('handoff');
  });

  it('answers unknown routes with the one error shape', async () => {
    const missing = await t.request({ method: 'GET', url: '/api/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.data).toEqual({ error: { code: 'not_found', message: 'no route GET /api/nothing-here' } });
  });
});
