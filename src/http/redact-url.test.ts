import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('hides the value of token-like query parameters and keeps the rest', () => {
    expect(redactUrl('/api/realtime?token=ck_live_abc123&after=42')).toBe('/api/realtime?token=[redacted]&after=42');
    expect(redactUrl('/api/realtime?after=1&TOKEN=x')).toBe('/api/realtime?after=1&TOKEN=[redacted]');
    expect(redactUrl('/x?access_token=a&api_key=b&password=c')).toBe('/x?access_token=[redacted]&api_key=[redacted]&password=[redacted]');
    expect(redactUrl('/x?%74oken=abc')).toBe('/x?%74oken=[redacted]');
  });

  it('leaves URLs without secrets exactly as they were', () => {
    expect(redactUrl('/api/conversations?status=queued&cursor=abc')).toBe('/api/conversations?status=queued&cursor=abc');
    expect(redactUrl('/healthz')).toBe('/healthz');
    expect(redactUrl('/x?token')).toBe('/x?token');
    expect(redactUrl('/x?%E0%A4%A=1')).toBe('/x?%E0%A4%A=1');
  });
});
