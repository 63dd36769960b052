import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isRetryableStatus } from './http-post.js';
import { signWebhook, webhookUrlHash } from './webhook.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const AT = Date.parse('2026-11-25T10:30:00Z');

describe('Standard Webhooks signatures', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('signs so that the reference verifier accepts the message', () => {
    const body = JSON.stringify({ type: 'conversation.assigned', timestamp: '2026-11-25T10:30:00.000Z', data: { owner: 'ana' } });
    const headers = signWebhook({ secret: SECRET, webhookId: 'a1b2:c1:event:3', at: AT, body });
    expect(headers).toMatchObject({ 'webhook-id': 'a1b2:c1:event:3', 'webhook-timestamp': String(AT / 1000) });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    vi.useFakeTimers({ toFake: ['Date'], now: AT + 10_000 });
    expect(new Webhook(SECRET).verify(body, headers)).toMatchObject({ data: { owner: 'ana' } });
    expect(() => new Webhook(SECRET).verify(body.replace('ana', 'eve'), headers)).toThrow();
  });

  it('signs the same message the same way on every attempt at the same instant, and differently at another', () => {
    const one = signWebhook({ secret: SECRET, webhookId: 'k', at: AT, body: '{}' });
    expect(signWebhook({ secret: SECRET, webhookId: 'k', at: AT, body: '{}' })).toEqual(one);
    expect(signWebhook({ secret: SECRET, webhookId: 'k', at: AT + 1000, body: '{}' })['webhook-signature']).not.toBe(one['webhook-signature']);
  });

  it('signs with a secret that is not whsec_ base64 as raw bytes, and sends no signature without a secret', () => {
    const headers = signWebhook({ secret: 'plain-secret', webhookId: 'k', at: AT, body: '{}' });
    vi.useFakeTimers({ toFake: ['Date'], now: AT });
    expect(() => new Webhook(new TextEncoder().encode('plain-secret'), { format: 'raw' }).verify('{}', headers)).not.toThrow();
    expect(signWebhook({ secret: undefined, webhookId: 'k', at: AT, body: '{}' })['webhook-signature']).toBeUndefined();
  });

  it('names a target by a short stable hash of its URL', () => {
    expect(webhookUrlHash('https://hooks.acme.test/baton?token=x')).toMatch(/^[0-9a-f]{16}$/);
    expect(webhookUrlHash('https://hooks.acme.test/baton?token=x')).toBe(webhookUrlHash('https://hooks.acme.test/baton?token=x'));
  });
});

describe('which answers are retried', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries %i', (status) => expect(isRetryableStatus(status)).toBe(true));
  it.each([301, 400, 401, 403, 404, 410, 422])('dead-letters %i', (status) => expect(isRetryableStatus(status)).toBe(false));
});
