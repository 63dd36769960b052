import { describe, expect, it } from 'vitest';
import { findUnknownVariables, renderSavedReply } from './render-saved-reply.js';

const values = { 'contact.name': 'Lucía', 'contact.email': 'lucia@example.test', 'agent.name': 'Ana', 'team.name': 'Billing', 'queue.name': null };

describe('renderSavedReply', () => {
  const reply = { defaultLanguage: 'en', bodies: { en: 'Hi {{contact.name}}, {{agent.name}} here.', es: 'Hola {{ contact.name }}, soy {{agent.name}}.' } };

  it("picks the conversation's language and fills the variables", () => {
    expect(renderSavedReply(reply, { language: 'es', values })).toEqual({ language: 'es', body: 'Hola Lucía, soy Ana.' });
  });

  it('matches by primary subtag, then falls back to the default language', () => {
    expect(renderSavedReply(reply, { language: 'es-MX', values })?.language).toBe('es');
    expect(renderSavedReply(reply, { language: 'de', values })).toEqual({ language: 'en', body: 'Hi Lucía, Ana here.' });
    expect(renderSavedReply(reply, { language: null, values })?.language).toBe('en');
  });

  it('renders a variable without a value as nothing, never raw braces', () => {
    expect(renderSavedReply({ defaultLanguage: 'en', bodies: { en: 'Queue: {{queue.name}}.' } }, { language: null, values })?.body).toBe('Queue: .');
  });
});

describe('findUnknownVariables', () => {
  it('names each unknown variable once per language', () => {
    expect(findUnknownVariables({ en: 'Hi {{contact.name}} {{order.id}} {{order.id}}', es: 'Espera {{expected_wait}}' })).toEqual([
      { language: 'en', variable: 'order.id' },
      { language: 'es', variable: 'expected_wait' },
    ]);
    expect(findUnknownVariables({ en: 'Hi {{contact.name}}, {{team.name}}' })).toEqual([]);
  });
});
