import { createServer as createHttpServer } from 'node:http';
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

  /** A loopback chat-completions endpoint answering `content` as the model's text. */
  async function modelAnswering(content: string): Promise<{ baseUrl: string; close: () => Promise<void> }> {
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { content } }] }));
      });
    });
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    return { baseUrl: `http://127.0.0.1:${port}/v1`, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  it('reads a long answer whole (through the guarded socket, not fetch)', async () => {
    const long = 'word '.repeat(4_000).trim();
    const model = await modelAnswering(long);
    try {
      const answer = await callChatCompletions({ baseUrl: model.baseUrl, apiKey: 'k', body, timeoutMs: 2_000, allowPrivateNetworks: true });
      expect(answer).toEqual({ kind: 'text', text: long });
    } finally {
      await model.close();
    }
  });

  it('refuses an answer over 1 MiB as worth a retry (then a handoff), without keeping it', async () => {
    const model = await modelAnswering('x'.repeat(1_100_000));
    try {
      const error = await callChatCompletions({ baseUrl: model.baseUrl, apiKey: 'k', body, timeoutMs: 2_000, allowPrivateNetworks: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      expect((error as Error).message).toContain('longer than 1048576 bytes');
    } finally {
      await model.close();
    }
  });
});
