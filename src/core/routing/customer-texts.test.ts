import { describe, expect, it } from 'vitest';
import { handoffText, joinedText, waitText, withoutWaitSentences } from './customer-texts.js';

describe('customer texts', () => {
  it('says the expected wait in the customer language', () => {
    expect(waitText(300, 'en')).toBe('5 minutes');
    expect(waitText(300, 'es')).toBe('5 minutos');
    expect(waitText(60, 'fr')).toBe('1 minute');
    expect(waitText(600, 'de')).toBe('10 Minuten');
    expect(waitText(300, 'pt-BR')).toBe('5 minutos');
  });

  it('says "less than a minute" rather than "0 minutes", and hours for long waits', () => {
    expect(waitText(0, 'en')).toBe('less than a minute');
    expect(waitText(20, 'es')).toBe('menos de un minuto');
    expect(waitText(3 * 3600, 'en')).toBe('3 hours');
  });

  it('falls back to English for an unknown or malformed language tag', () => {
    expect(waitText(120, 'xx')).toMatch(/2/);
    expect(waitText(120, 'en_US')).toBe('2 minutes');
    expect(handoffText('zz')).toBe("I'm connecting you to a support specialist.");
  });

  it('says every wait exactly as a new Intl formatter would, the preformatted ones included', () => {
    const expected = (seconds: number, lang: string): string => {
      const minutes = Math.round(seconds / 60);
      const [unit, value] = minutes < 90 ? (['minute', minutes] as const) : (['hour', Math.round(minutes / 60)] as const);
      return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 0 }).format(value);
    };
    for (const lang of ['en', 'es', 'de', 'ja', 'ar']) {
      // Minutes 1–89, the hour boundary, hours 2–120 and beyond the preformatted range.
      for (const seconds of [60, 89, 150, 2_999, 5_339, 5_340, 5_400, 7_200, 9_000, 86_400, 431_999, 432_000, 450_000, 2_000_000]) {
        expect(waitText(seconds, lang)).toBe(expected(seconds, lang));
      }
    }
  });

  it('says who joined by first name, in the customer language', () => {
    expect(joinedText('en', 'Sam Rivera')).toBe('Sam joined the conversation.');
    expect(joinedText('es-MX', 'Ana García')).toBe('Ana se ha unido a la conversación.');
    expect(joinedText('ja', 'Olu')).toBe('Olu joined the conversation.');
  });

  it('leaves out the sentences that speak of waiting, and nothing else', () => {
    expect(withoutWaitSentences('Te paso con un especialista. Tiempo estimado de espera: {{expected_wait}}.')).toBe('Te paso con un especialista.');
    expect(withoutWaitSentences('Thanks — we will reply soon. Expected wait: {{ expected_wait }}! Hi {{contact.name}}.')).toBe('Thanks — we will reply soon. Hi {{contact.name}}.');
    expect(withoutWaitSentences('You are number {{queue.position}} in line')).toBe('');
    expect(withoutWaitSentences('Hello {{contact.name}}.')).toBe('Hello {{contact.name}}.');
  });
});
