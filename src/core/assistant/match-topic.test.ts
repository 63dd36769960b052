import { describe, expect, it } from 'vitest';
import { createTopicMatcher } from './match-topic.js';

const match = createTopicMatcher(['refund', 'legal', 'cancellation']);

const TOUCHING: Record<string, readonly (readonly [string, string])[]> = {
  en: [
    ['I want a refund', 'refund'],
    ['Can I get my money refunded?', 'refund'],
    ['are refunds possible for annual plans', 'refund'],
    ['how do I cancel my subscription', 'cancellation'],
    ['I cancelled but was still charged', 'cancellation'],
    ['please process the cancelation', 'cancellation'],
    ['my lawyer will contact you', 'legal'],
    ['this is a legal matter', 'legal'],
  ],
  es: [
    ['quiero un reembolso', 'refund'],
    ['¿me pueden reembolsar el cargo?', 'refund'],
    ['quiero cancelar mi suscripción', 'cancellation'],
    ['cómo hago la cancelación', 'cancellation'],
    ['quiero darme de baja', 'cancellation'],
    ['hablaré con mi abogado', 'legal'],
  ],
  fr: [
    ['je voudrais un remboursement', 'refund'],
    ['pouvez-vous me rembourser ?', 'refund'],
    ['comment annuler mon abonnement', 'cancellation'],
    ['je veux résilier', 'cancellation'],
    ['mon avocat va vous contacter', 'legal'],
  ],
  de: [
    ['Ich möchte eine Rückerstattung', 'refund'],
    ['Wie kann ich kündigen?', 'cancellation'],
    ['bitte die Bestellung stornieren', 'cancellation'],
    ['mein Anwalt meldet sich', 'legal'],
  ],
  pt: [
    ['quero um reembolso', 'refund'],
    ['quero cancelar minha assinatura', 'cancellation'],
    ['como faço o cancelamento?', 'cancellation'],
    ['vou falar com meu advogado', 'legal'],
  ],
};

describe('never-automate topics', () => {
  for (const [language, cases] of Object.entries(TOUCHING)) {
    it(`catches the admin's topics and their inflections in ${language}`, () => {
      const found = cases.map(([text]) => [text, match(text)?.topic ?? null]);
      expect(found).toEqual(cases.map(([text, topic]) => [text, topic]));
    });
  }

  it('leaves unrelated questions alone', () => {
    for (const text of [
      'How do I reset my password?',
      'where can I download my invoices',
      'Hi, this is Sue from accounting',
      'I have a question about the colour settings',
      '¿Cómo descargo mis facturas?',
      'Wie ändere ich mein Passwort?',
      'Como faço para redefinir minha senha?',
    ]) {
      expect(match(text), text).toBeNull();
    }
  });

  it('matches a phrase topic only when all its words are there, in any order', () => {
    const phrase = createTopicMatcher(['data deletion']);
    expect(phrase('please handle the deletion of my data')?.topic).toBe('data deletion');
    expect(phrase('how do I export my data')).toBeNull();
  });

  it('matches a topic the admin wrote in another language', () => {
    const spanish = createTopicMatcher(['reembolso']);
    expect(spanish('I want my money refunded')?.topic).toBe('reembolso');
    expect(spanish('quiero que me reembolsen')?.topic).toBe('reembolso');
  });

  it('does nothing without topics', () => {
    expect(createTopicMatcher([])('I want a refund')).toBeNull();
  });
});
