import { describe, expect, it } from 'vitest';
import { handoffText, waitText } from './customer-texts.js';

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
});
