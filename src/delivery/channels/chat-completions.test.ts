import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError } from '../outbox-worker.js';
import { callChatCompletions } from './chat-completions.js';

const body = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], tools: [], tool_choice: 'auto' as const };

describe('callChatCompletions', () => {
  it('refuses a private or loopback endpoint before any connection, unless allowed: no retry will change it', async () => {
    for (const baseUrl of ['http://127.0.0.1:9/v1', 'http://[::1]:9/v1', 'http://169.254.169.254/v1', 'http://localhost:9/v1']) {
      const error = await callChatCompletions({ baseUrl, apiKey: 'k', body, timeoutMs: 500, allowPrivateNetworks: false }).catch((e: unknown) => e);
      expect(error, baseUrl).toBeInstanceOf(PermanentDeliveryError);
      expect((error as Error).message, baseUrl).toMatch(/private address/);
    }
  });

  it('refuses a non-http scheme', async () => {
    await expect(callChatCompletions({ baseUrl: 'file:///etc', apiKey: undefined, body, timeoutMs: 500, allowPrivateNetworks: true })).rejects.toThrow(PermanentDeliveryError);
  });

  it('reports a refused connection as worth a retry', async () => {
    // A port that was free a moment ago (fetch itself refuses "bad ports" such as 9).
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    await new Promise((resolve) => server.close(resolve));
    const error = await callChatCompletions({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: undefined, body, timeoutMs: 2_000, allowPrivateNetworks: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect((error as Error).message).toBe(`POST http://127.0.0.1:${port}/v1/chat/completions: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});
