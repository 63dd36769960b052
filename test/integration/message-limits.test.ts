/**
 * A customer's message is at most its channel's `maxMessageLength` characters: beyond it 413
 * `too_large`, and nothing is stored — not the message, not a new conversation.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect("a channel's message limit", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    const config = EXAMPLE_CONFIG.replace('    assistant: builtin          # builtin | llm | webhook | none', '    assistant: builtin          # builtin | llm | webhook | none\n    maxMessageLength: 500');
    expect(config).toContain('maxMessageLength: 500');
    t = await startTestApp(dialect, { config });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a longer message with 413, storing nothing, and takes one at the limit', async () => {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Lu' } } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const tooLongStart = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: { message: 'x'.repeat(501) } });
    expect(tooLongStart.statusCode).toBe(413);
    expect(tooLongStart.data.error).toMatchObject({ code: 'too_large', message: 'the message is longer than this channel takes (500 characters)' });
    expect((await t.request({ method: 'GET', url: '/api/widget/conversations', headers })).data.items ?? []).toHaveLength(0);

    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
    const id = started.data.conversation.id as string;
    const tooLong = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers, payload: { body: 'y'.repeat(501) } });
    expect(tooLong.statusCode).toBe(413);
    const atLimit = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers, payload: { body: 'z'.repeat(500) } });
    expect(atLimit.statusCode).toBe(201);
    const messages = await t.request({ method: 'GET', url: `/api/widget/conversations/${id}/messages`, headers });
    const bodies = (messages.data as { body: string }[]).map((m) => m.body);
    expect(bodies).toContain('z'.repeat(500));
    expect(bodies.some((b) => b.startsWith('y'))).toBe(false);
  });

  it('bounds a simulation: at most 50 messages of 20,000 characters', async () => {
    const many = await t.request({ method: 'POST', url: '/api/simulate', headers: t.admin, payload: { channel: 'web-chat', messages: Array.from({ length: 51 }, () => 'hello') } });
    expect(many.statusCode).toBe(422);
    const long = await t.request({ method: 'POST', url: '/api/simulate', headers: t.admin, payload: { channel: 'web-chat', messages: ['x'.repeat(20_001)] } });
    expect(long.statusCode).toBe(422);
  });
});
