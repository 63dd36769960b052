import { describe, expect, it } from 'vitest';
import type { TranscriptLine } from './assistant/assistant.js';
import { MAX_SUMMARY_LENGTH, summarizeConversation } from './summarize-conversation.js';

const contact = (body: string): TranscriptLine => ({ author: 'contact', body });
const assistant = (body: string): TranscriptLine => ({ author: 'assistant', body });

describe('summarizeConversation', () => {
  it("quotes the customer's first substantive message and the latest, skipping greetings and the AI's replies", () => {
    const summary = summarizeConversation([
      contact('Hola'),
      assistant('¡Hola! ¿En qué puedo ayudarte?'),
      contact('No puedo entrar en mi cuenta'),
      assistant('Prueba a restablecer la contraseña…'),
      contact('eso no ayudó'),
      contact('quiero hablar con una persona'),
    ]);
    expect(summary).toBe('Customer (4 messages): “No puedo entrar en mi cuenta” … latest: “quiero hablar con una persona”');
  });

  it('quotes one message once', () => {
    expect(summarizeConversation([contact('My invoice is wrong'), contact('thanks')])).toBe('Customer (2 messages): “My invoice is wrong”');
  });

  it('falls back to what was written when it is all small talk', () => {
    expect(summarizeConversation([contact('hi')])).toBe('Customer (1 message): “hi”');
  });

  it('is null when the customer wrote nothing', () => {
    expect(summarizeConversation([])).toBeNull();
    expect(summarizeConversation([assistant('Hello!'), { author: 'user', body: 'Hi, this is Ana' }])).toBeNull();
  });

  it('stays bounded and on one line however long the customer wrote', () => {
    const long = `${'my order never arrived and '.repeat(40)}\n\nplease help`;
    const summary = summarizeConversation([contact(long), contact(`and ${long}`)]) ?? '';
    expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(summary).not.toContain('\n');
    expect(summary).toMatch(/^Customer \(2 messages\): “my order never arrived.*…” … latest: “and my order.*…”$/);
  });
});
