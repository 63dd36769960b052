import { describe, expect, it } from 'vitest';
import { parseConfigText } from './parse-config-text.js';

/** A minimal workspace with one channel and, optionally, the `assistant:` section. */
function document(channel: string, assistant = ''): string {
  return `
workspace: { name: Acme }
queues: [{ id: general, name: General }]
channels:
  - ${channel}
${assistant}
handoff:
  fallback: { destination: { queue: general } }
`;
}

const paths = (text: string, env: Record<string, string> = {}): string[] => {
  const result = parseConfigText(text, 'yaml', env);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('bot and LLM settings in baton.yaml', () => {
  it('accepts a webhook bot with a whsec_ secret from the environment', () => {
    const text = document('{ id: bot, type: chat, assistant: webhook, botUrl: "https://bot.acme.test/in", botSecret: "${BOT_SECRET}", defaultRoute: { queue: general } }');
    const result = parseConfigText(text, 'yaml', { BOT_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    expect(result.ok).toBe(true);
    // The stored document keeps the reference, not the secret.
    if (result.ok) expect(result.raw.channels[0]?.botSecret).toBe('${BOT_SECRET}');
  });

  it('refuses a bot secret that is not a Standard Webhooks secret, and a webhook bot without a URL', () => {
    const text = document('{ id: bot, type: chat, assistant: webhook, botSecret: "hunter2", defaultRoute: { queue: general } }');
    const problems = paths(text);
    expect(problems.some((p) => p.startsWith('channels[0].botSecret: must be a Standard Webhooks secret'))).toBe(true);
    const noUrl = paths(document('{ id: bot, type: chat, assistant: webhook, defaultRoute: { queue: general } }'));
    expect(noUrl).toEqual(['channels[0].botUrl: required when assistant is webhook: the URL your bot receives messages at']);
  });

  it('warns when a webhook bot has no secret', () => {
    const result = parseConfigText(document('{ id: bot, type: chat, assistant: webhook, botUrl: "https://bot.acme.test/in", defaultRoute: { queue: general } }'), 'yaml', {});
    expect(result.warnings.map((w) => w.path)).toContain('channels[0].botSecret');
  });

  it('needs assistant.llm for an llm channel, and defaults its timeout to 20s', () => {
    const channel = '{ id: chat, type: chat, assistant: llm, defaultRoute: { queue: general } }';
    expect(paths(document(channel))).toEqual(['channels[0].assistant: llm needs assistant.llm (baseUrl, model) to be configured']);
    const result = parseConfigText(document(channel, 'assistant:\n  llm: { baseUrl: "http://localhost:11434/v1", model: llama3, apiKey: "${LLM_API_KEY}" }'), 'yaml', { LLM_API_KEY: 'sk-1' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config.assistant.llm).toEqual({ baseUrl: 'http://localhost:11434/v1', model: 'llama3', apiKey: 'sk-1', timeout: '20s' });
  });

  it('refuses an LLM timeout longer than the outbox lease allows', () => {
    const text = document('{ id: chat, type: chat, assistant: llm, defaultRoute: { queue: general } }', 'assistant:\n  llm: { baseUrl: "https://llm.acme.test/v1", model: m, timeout: 1m }');
    expect(paths(text)).toEqual(['assistant.llm.timeout: at most 25s (a model call must finish within the outbox lease of 30s)']);
  });
});
