/**
 * What the HTTP boundary refuses before any use case runs: changes made with the session cookie
 * from another site (CSRF), bodies of a type the route does not take (415), bodies over the limit
 * (413). Each refusal changes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/app.js';
import { TEST_PASSWORD, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect('the HTTP boundary', (dialect) => {
  let t: TestApp;
  let cookie: Record<string, string>;
  let conversationId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const login = await t.request({ method: 'POST', url: '/api/auth/login', headers: { host: 'baton.test', origin: 'https://baton.test' }, payload: { email: 'ana@acme.test', password: TEST_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const sessionCookie = login.cookies.find((c) => c.name === SESSION_COOKIE);
    cookie = { cookie: `${SESSION_COOKIE}=${sessionCookie?.value ?? ''}`, host: 'baton.test' };
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Max', language: 'en' } } });
    const customer = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers: customer, payload: {} });
    conversationId = started.data.conversation.id as string;
    const turn = await t.request({ method: 'POST', url: `/api/widget/conversations/${conversationId}/messages`, headers: customer, payload: { body: 'talk to a human' } });
    expect(turn.statusCode).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const owner = async () => (await t.request({ method: 'GET', url: `/api/conversations/${conversationId}`, headers: t.admin })).data.owner as string | null;

  // Regression: a claim with the session cookie, Origin https://evil.example and text/plain succeeded.
  it('refuses a change made with the session cookie from another site, and changes nothing', async () => {
    const before = await owner();
    for (const headers of [
      { origin: 'https://evil.example', 'content-type': 'text/plain' },
      { origin: 'https://evil.example', 'content-type': 'application/json' },
      { origin: 'null', 'content-type': 'application/json' },
      { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
    ]) {
      const response = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/claim`, headers: { ...cookie, ...headers }, payload: headers['content-type'] === 'text/plain' ? 'x' : '{}' });
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.data.error.message).toContain('another site');
    }
    expect(await owner()).toBe(before);
    // A cross-site page cannot sign someone in either (login CSRF).
    const login = await t.request({ method: 'POST', url: '/api/auth/login', headers: { host: 'baton.test', origin: 'https://evil.example' }, payload: { email: 'ana@acme.test', password: TEST_PASSWORD } });
    expect(login.statusCode).toBe(403);
  });

  it("takes the same change from Baton's own page, from outside a browser, and with a token from anywhere", async () => {
    const ownPage = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/release`, headers: { ...cookie, origin: 'https://baton.test' } });
    expect([200, 409]).toContain(ownPage.statusCode);
    const claimed = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/claim`, headers: { ...cookie, 'sec-fetch-site': 'same-origin' } });
    expect(claimed.statusCode).toBe(200);
    expect(await owner()).toBe('ana');
    const script = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: cookie, payload: { body: 'from curl' } });
    expect(script.statusCode).toBe(201);
    const token = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: { ...(await t.tokenFor('ana')), origin: 'https://evil.example' }, payload: { body: 'from an integration' } });
    expect(token.statusCode).toBe(201);
    // The widget is embedded on customers' sites: its session endpoint stays open to them.
    const widget = await t.request({ method: 'POST', url: '/api/widget/sessions', headers: { origin: 'https://shop.example' }, payload: { channel: 'web-chat', contact: { name: 'Lu' } } });
    expect(widget.statusCode).toBe(201);
  });

  it('answers a body of a type the route does not take with 415, and one over the limit with 413', async () => {
    const token = await t.tokenFor('ana');
    const plain = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: { ...token, 'content-type': 'text/plain' }, payload: 'hello' });
    expect(plain.statusCode).toBe(415);
    expect(plain.data.error).toMatchObject({ code: 'unsupported_media_type', message: 'this endpoint takes application/json, not text/plain' });
    const xml = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: { ...token, 'content-type': 'application/xml' }, payload: '<body/>' });
    expect(xml.statusCode).toBe(415);
    expect(xml.data.error.code).toBe('unsupported_media_type');
    // YAML where the route takes it.
    const yaml = await t.request({ method: 'PUT', url: '/api/config?dryRun=true', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: 'workspace: {name: X}\n' });
    expect(yaml.statusCode).toBe(422);
    const huge = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: { ...token, 'content-type': 'application/json' }, payload: JSON.stringify({ body: 'x'.repeat(3 * 1024 * 1024) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.data.error.code).toBe('too_large');
    const messages = await t.request({ method: 'GET', url: `/api/conversations/${conversationId}/messages`, headers: token });
    expect((messages.data as { body: string }[]).some((m) => m.body === 'hello' || m.body.length > 100_000)).toBe(false);
  });

  // Regression (the fuzzer): a path that is not valid percent-encoding, or a segment over the
  // router's 100 characters, was answered in Fastify's own shape ({error: "Bad Request", code: "FST_ERR_…"}).
  it('answers a malformed or over-long path segment in the usual error shape', async () => {
    for (const [method, url] of [
      ['GET', '/api/users/%'],
      ['GET', '/api/conversations/%E0%A4%A/messages'],
      ['POST', `/api/users/${'a'.repeat(1_000)}/tokens`],
      ['POST', `/api/conversations/${'x'.repeat(500)}/claim`],
    ] as const) {
      const response = await t.request({ method, url, headers: t.admin });
      expect(response.statusCode, url).toBe(422);
      expect(response.data, url).toEqual({ error: { code: 'invalid', message: expect.stringMatching(/^the path /) as string } });
    }
  });

  // Regression (the fuzzer): a NUL in an id, a filter or a message failed on PostgreSQL, whose text
  // cannot hold U+0000 (500); a lone surrogate was stored as U+FFFD, so the row was not what was sent.
  it('refuses text with a NUL or a lone surrogate in the path, the query or the body, naming where, and stores nothing', async () => {
    const token = await t.tokenFor('ana');
    const before = (await t.request({ method: 'GET', url: `/api/conversations/${conversationId}/messages`, headers: token })).data as unknown[];
    const cases = [
      { method: 'GET', url: '/api/conversations/nul%00byte', path: 'params.id', message: 'must not contain a NUL character (U+0000)' },
      { method: 'GET', url: '/api/tasks?conversation=%00', path: 'query.conversation', message: 'must not contain a NUL character (U+0000)' },
      { method: 'POST', url: `/api/conversations/${conversationId}/messages`, payload: '{"body":"nul\\u0000byte"}', path: 'body', message: 'must not contain a NUL character (U+0000)' },
      { method: 'POST', url: `/api/conversations/${conversationId}/messages`, payload: '{"body":"half \\ud800 a pair"}', path: 'body', message: 'must be well-formed Unicode (a lone surrogate, half of a UTF-16 pair)' },
      { method: 'PATCH', url: `/api/conversations/${conversationId}`, payload: '{"properties":{"k\\u0000":"v"}}', path: 'properties', message: 'has a key with a NUL character (U+0000)' },
    ] as const;
    for (const c of cases) {
      const response = await t.request({
        method: c.method,
        url: c.url,
        headers: { ...token, ...('payload' in c ? { 'content-type': 'application/json' } : {}) },
        ...('payload' in c ? { payload: c.payload } : {}),
      });
      expect([response.statusCode, response.data.error.code, response.data.error.details], c.url).toEqual([422, 'invalid', [{ path: c.path, message: c.message }]]);
    }
    const after = (await t.request({ method: 'GET', url: `/api/conversations/${conversationId}/messages`, headers: token })).data as unknown[];
    expect(after).toHaveLength(before.length);
  });

  // Regression: the session cookie was never Secure behind a TLS proxy (X-Forwarded-Proto was not believed).
  it('marks the session cookie Secure and sends HSTS over https, believing a proxy only when told to', async () => {
    const signIn = (app: TestApp, headers: Record<string, string>) =>
      app.request({ method: 'POST', url: '/api/auth/login', headers, payload: { email: 'ana@acme.test', password: TEST_PASSWORD } });
    const secure = (response: { cookies: { name: string; secure?: boolean }[] }) => response.cookies.find((c) => c.name === SESSION_COOKIE)?.secure === true;

    // Untrusted: a client claiming https changes nothing.
    const plain = await signIn(t, { 'x-forwarded-proto': 'https' });
    expect(plain.statusCode).toBe(200);
    expect(secure(plain)).toBe(false);
    expect(plain.headers['strict-transport-security']).toBeUndefined();

    const behindProxy = await startTestApp(dialect, { env: { BATON_TRUST_PROXY: '1' } });
    const publicHttps = await startTestApp(dialect, { env: { BATON_PUBLIC_URL: 'https://desk.acme.test' } });
    try {
      const proxied = await signIn(behindProxy, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.5' });
      expect(proxied.statusCode).toBe(200);
      expect(secure(proxied)).toBe(true);
      expect(proxied.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(secure(await signIn(behindProxy, {}))).toBe(false);
      // Configured as https: the cookie is Secure whatever the request looked like.
      expect(secure(await signIn(publicHttps, {}))).toBe(true);
    } finally {
      await behindProxy.close();
      await publicHttps.close();
    }
  });

  it('limits widget sessions per address and customer messages per customer, with 429 and Retry-After', async () => {
    const limited = await startTestApp(dialect, { env: { BATON_RATE_LIMITS: '1' } });
    try {
      const session = (remoteAddress: string) =>
        limited.request({ method: 'POST', url: '/api/widget/sessions', remoteAddress, payload: { channel: 'web-chat', contact: { name: 'Lu' } } });
      for (let i = 0; i < 20; i++) expect((await session('203.0.113.20')).statusCode).toBe(201);
      const refused = await session('203.0.113.20');
      expect(refused.statusCode).toBe(429);
      expect(refused.data.error.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Another address is not affected.
      const other = await session('198.51.100.20');
      expect(other.statusCode).toBe(201);

      const headers = { authorization: `Bearer ${other.data.token as string}` };
      const started = await limited.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
      const id = started.data.conversation.id as string;
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) {
        statuses.push((await limited.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers, payload: { body: `hello ${i}` } })).statusCode);
      }
      expect(statuses.slice(0, 30).every((status) => status === 201)).toBe(true);
      expect(statuses[30]).toBe(429);
      // The refused message was not stored.
      const messages = await limited.request({ method: 'GET', url: `/api/widget/conversations/${id}/messages`, headers });
      expect((messages.data as { body: string }[]).some((m) => m.body === 'hello 30')).toBe(false);
    } finally {
      await limited.close();
    }
  });
});

