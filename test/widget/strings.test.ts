import { describe, expect, it } from 'vitest';
import { formatWait, normaliseLanguage, stringsFor } from '../../web/widget/src/strings.js';

describe('widget strings', () => {
  it('speaks Spanish for es and its regions, English for anything it does not know', () => {
    expect(stringsFor('es').human).toBe('Hablar con una persona');
    expect(stringsFor('es-MX').human).toBe('Hablar con una persona');
    expect(stringsFor('en').human).toBe('Talk to a person');
    expect(stringsFor('xx').human).toBe('Talk to a person');
  });

  it('takes the language from data-lang or <html lang> as written by people, and refuses what is not a tag', () => {
    expect(normaliseLanguage('es_ES')).toBe('es-ES');
    expect(normaliseLanguage(' EN ')).toBe('en');
    expect(normaliseLanguage('pt-BR')).toBe('pt-BR');
    expect(normaliseLanguage('')).toBeNull();
    expect(normaliseLanguage(undefined)).toBeNull();
    expect(normaliseLanguage('"><script>')).toBeNull();
  });

  it('tells the expected wait in words a customer reads at a glance', () => {
    const en = stringsFor('en');
    expect(formatWait(20, en)).toBe('less than a minute');
    expect(formatWait(4 * 60 + 10, en)).toBe('about 4 min');
    expect(formatWait(3 * 3600, en)).toBe('about 3 h');
    expect(formatWait(300, stringsFor('es'))).toBe('unos 5 min');
  });
});
