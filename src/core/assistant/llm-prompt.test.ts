import { describe, expect, it } from 'vitest';
import { buildLlmRequest, HANDOFF_TOOL, triggerForHandoffReason } from './llm-prompt.js';

describe('buildLlmRequest', () => {
  const article = { articleId: 'reset-password', title: 'How do I reset my password?', text: 'Open Settings → Security.', confidence: 0.8 };

  it('grounds the model in the articles, names the workspace and offers the handoff tool', () => {
    const body = buildLlmRequest({
      workspaceName: 'Acme Support',
      model: 'small-model',
      language: 'es',
      articles: [article],
      transcript: [
        { author: 'contact', body: 'Hola' },
        { author: 'assistant', body: '¡Hola!' },
        { author: 'system', body: 'Te paso con un especialista.' },
        { author: 'user', body: 'Soy Ana.' },
        { author: 'contact', body: 'No puedo entrar' },
      ],
    });
    expect(body.model).toBe('small-model');
    const [system, ...rest] = body.messages;
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('Acme Support');
    expect(system?.content).toContain('[1] How do I reset my password? (id: reset-password)\nOpen Settings → Security.');
    expect(system?.content).toContain('(es)');
    expect(system?.content).toContain(HANDOFF_TOOL);
    expect(rest).toEqual([
      { role: 'user', content: 'Hola' },
      { role: 'assistant', content: '¡Hola!' },
      { role: 'assistant', content: '(a human support agent wrote) Soy Ana.' },
      { role: 'user', content: 'No puedo entrar' },
    ]);
    expect(body.tools).toHaveLength(1);
    expect(body.tools[0]).toMatchObject({ type: 'function', function: { name: HANDOFF_TOOL, parameters: { required: ['reason', 'summary'] } } });
  });

  it('tells the model to hand off when no article matched', () => {
    const body = buildLlmRequest({ workspaceName: 'Acme', model: 'm', language: null, articles: [], transcript: [{ author: 'contact', body: 'gift cards?' }] });
    expect(body.messages[0]?.content).toContain('No knowledge article matches');
  });
});

describe('triggerForHandoffReason', () => {
  it.each([
    ['customer_requested_human', 'customer_requested_human'],
    ['Negative Sentiment', 'negative_sentiment'],
    ['intent-or-keyword', 'intent_or_keyword'],
    ['The customer wants to speak to a person', 'customer_requested_human'],
    ['customer is very upset', 'negative_sentiment'],
    ['not covered by the articles', 'unsupported_topic'],
    ['', 'unsupported_topic'],
  ])('maps %j to %s', (reason, trigger) => {
    expect(triggerForHandoffReason(reason)).toBe(trigger);
  });
});
