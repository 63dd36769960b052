/**
 * A workspace document cannot hold a value that breaks the server later: it is refused when it is
 * applied (422, every problem, nothing changed), not discovered by the first handoff that trips
 * over it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect('workspace limits', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  const apply = (yaml: string) =>
    t.request({ method: 'PUT', url: '/api/config', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: yaml });

  // Regression: this applied with 200, then every handoff to the queue answered 500
  // (RangeError: Invalid time value, planning the SLA timer) and the sweep logged it forever.
  it('refuses a duration longer than a year, naming the key, and changes nothing', async () => {
    const before = await t.request({ method: 'GET', url: '/api/config', headers: t.admin });
    for (const [duration, message] of [
      ['99999999999999999999d', 'must be a duration such as 30s, 5m, 2h or 3d (at most 366d)'],
      ['367d', 'must be at most 366d (a year)'],
      ['9000h', 'must be at most 366d (a year)'],
    ] as const) {
      const yaml = EXAMPLE_CONFIG.replace('sla: { firstResponse: 5m }', `sla: { firstResponse: "${duration}" }`);
      expect(yaml).toContain(duration);
      const response = await apply(yaml);
      expect(response.statusCode, duration).toBe(422);
      expect(response.data.error.details).toEqual([expect.objectContaining({ path: 'queues[0].sla.firstResponse', message: expect.stringContaining(message) })]);
    }
    expect((await t.request({ method: 'GET', url: '/api/config', headers: t.admin })).data).toEqual(before.data);
    const fine = await apply(EXAMPLE_CONFIG.replace('sla: { firstResponse: 5m }', 'sla: { firstResponse: 366d }'));
    expect(fine.statusCode).toBe(200);
  });

  // Regression: each of these answered 500 (a stack overflow validating a cyclic or very deep value).
  it('refuses a document that refers to itself or nests too deep, with a clear message', async () => {
    const yaml = (payload: string) => t.request({ method: 'PUT', url: '/api/config?dryRun=true', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload });
    const json = (url: string, payload: string) => t.request({ method: 'PUT', url, headers: { ...t.admin, 'content-type': 'application/json' }, payload });
    const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const answers = [
      ['a cyclic list', await yaml('a: &a [*a]\n')],
      ['a cyclic mapping', await yaml('&a {x: *a}\n')],
      ['a cyclic rule', await yaml(EXAMPLE_CONFIG.replace('  fallback:', '  extra: &loop { next: *loop }\n  fallback:'))],
      ['10k-deep JSON', await json('/api/config?dryRun=true', deepObject(10_000))],
      ['200k-deep arrays', await json('/api/ruleset/draft', `{"rules": ${deepArray(200_000)}}`)],
      ['10k-deep YAML', await yaml('a: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n')],
      ['10k-deep YAML rules', await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: 'rules: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n' })],
      ['a cyclic YAML rule', await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: 'rules: &r [*r]\n' })],
      ['a deep scenario', await t.request({ method: 'POST', url: '/api/simulate', headers: { ...t.admin, 'content-type': 'application/json' }, payload: deepObject(10_000) })],
      // Shapes the YAML parser takes seconds over (or its stack): measured before it reads them.
      ['500k compact YAML sequences', await yaml('- '.repeat(500_000) + 'x\n')],
      ['100k explicit YAML keys in rules', await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: 'rules:\n  ' + '? '.repeat(100_000) + 'x\n' })],
      ['a 100k-deep YAML scenario', await t.request({ method: 'POST', url: '/api/simulate', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: 'channel: web-chat\nmessages: ' + '{a: '.repeat(100_000) + '\n' })],
      ['a cyclic scenario', await t.request({ method: 'POST', url: '/api/simulate', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: 'channel: web-chat\nmessages: &m [*m]\n' })],
    ] as const;
    for (const [what, response] of answers) {
      expect(response.statusCode, what).toBe(422);
      expect(response.data.error.code, what).toBe('invalid');
      expect(JSON.stringify(response.data.error), what).toMatch(/nest|itself|alias|deep/i);
    }
    expect((await t.request({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  // Regression: `${VAR}` was expanded in every string, and this article was answered, expanded,
  // to an anonymous widget customer: the server's environment, secrets included.
  it('answers a customer with an article as written, never with the environment', async () => {
    const yaml = EXAMPLE_CONFIG.replace(
      `Open Settings → Security and choose "Reset password". ...`,
      'Open Settings → Security and choose "Reset password". ${SMTP_URL} ${BATON_ADMIN_TOKEN}',
    );
    expect(yaml).toContain('${BATON_ADMIN_TOKEN}');
    expect((await apply(yaml)).statusCode).toBe(200);
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Max', language: 'en' } } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
    const id = started.data.conversation.id as string;
    await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers, payload: { body: 'How do I reset my password?' } });
    const messages = await t.request({ method: 'GET', url: `/api/widget/conversations/${id}/messages`, headers });
    const answer = (messages.data as { author: string; body: string }[]).find((message) => message.author === 'assistant');
    expect(answer?.body).toContain('${SMTP_URL} ${BATON_ADMIN_TOKEN}');
    expect(JSON.stringify(messages.data)).not.toMatch(/smtp:\/\/127|test-admin-token/);
  });
});

