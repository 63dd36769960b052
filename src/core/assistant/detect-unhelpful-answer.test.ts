import { describe, expect, it } from 'vitest';
import { detectUnhelpfulAnswer, isRepeatedMessage } from './detect-unhelpful-answer.js';

const FEEDBACK: Record<string, readonly string[]> = {
  en: ["that didn't help", 'It still doesn\'t work', 'still not working', 'this does not solve it', 'tried that already', 'no luck', 'not what I asked'],
  es: ['no me sirve', 'no me sirvió', 'sigue sin funcionar', 'eso no funcionó', 'ya lo intenté', 'todavía no funciona'],
  fr: ['ça ne marche toujours pas', "ça n'a pas aidé", 'cela ne fonctionne pas', 'déjà essayé', 'toujours pas'],
  de: ['funktioniert immer noch nicht', 'das hat nicht geholfen', 'das hilft mir nicht', 'schon versucht', 'geht immer noch nicht'],
  pt: ['não resolveu', 'não funcionou', 'continua sem funcionar', 'ainda não funciona', 'já tentei'],
};

describe('detectUnhelpfulAnswer', () => {
  for (const [language, messages] of Object.entries(FEEDBACK)) {
    it(`hears "that did not help" in ${language}`, () => {
      expect(messages.filter((message) => !detectUnhelpfulAnswer(message))).toEqual([]);
    });
  }

  it('does not take a problem description for feedback on the answer', () => {
    for (const text of ['my login does not work', 'The export button is not working', 'How do I reset my password?', 'No puedo iniciar sesión', 'Ich kann mich nicht anmelden']) {
      expect(detectUnhelpfulAnswer(text), text).toBe(false);
    }
  });
});

describe('isRepeatedMessage', () => {
  it('sees the same question asked again', () => {
    expect(isRepeatedMessage('How do I reset my password??', 'how do I reset my password')).toBe(true);
    expect(isRepeatedMessage('how to reset password', 'How do I reset my password?')).toBe(true);
    expect(isRepeatedMessage('¿Cómo descargo mis facturas?', 'como descargo mis facturas')).toBe(true);
  });

  it('does not see a new question as a repeat', () => {
    expect(isRepeatedMessage('How do I download invoices?', 'How do I reset my password?')).toBe(false);
    expect(isRepeatedMessage('', '')).toBe(false);
  });
});
