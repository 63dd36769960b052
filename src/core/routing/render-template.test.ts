import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseMessageLanguage, renderTemplate, usesVariable } from './render-template.js';

describe('renderTemplate', () => {
  it('fills known variables, with or without spaces inside the braces', () => {
    expect(renderTemplate('Hola {{contact.name}}, espera {{ expected_wait }}.', { 'contact.name': 'Lucía', expected_wait: '5 minutos' })).toBe(
      'Hola Lucía, espera 5 minutos.',
    );
  });

  it('renders unknown variables and missing values as empty, never as raw braces', () => {
    expect(renderTemplate('A{{nope}}B{{queue.position}}C', { 'queue.position': null })).toBe('ABC');
    expect(renderTemplate('{{constructor}}{{toString}}', {})).toBe('');
  });

  it('renders and finds variables exactly as a replace over the whole template does (property)', () => {
    const VARIABLE = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;
    const piece = fc.constantFrom('{{', '}}', '{{ a }}', '{{a}}', '{{b.c}}', '{{ nope}}', '{{constructor}}', '{', '}', ' ', 'x', '$&', '$1', 'é', '{{a', 'a}}', '{{ }}', '{{{a}}}');
    const values = fc.dictionary(fc.constantFrom('a', 'b.c', 'nope', 'constructor'), fc.option(fc.constantFrom('', 'A', '$&', '{{a}}'), { nil: undefined }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), values, fc.constantFrom('a', 'b.c', 'nope', 'x'), (pieces, known, name) => {
        const template = pieces.join('');
        // Rendered twice: the second time from the cut kept for it.
        for (let round = 0; round < 2; round += 1) {
          expect(renderTemplate(template, known)).toBe(
            template.replace(VARIABLE, (_match, variable: string) => (Object.hasOwn(known, variable) ? known[variable] : undefined) ?? ''),
          );
          expect(usesVariable(template, name)).toBe([...template.matchAll(VARIABLE)].some((match) => match[1] === name));
        }
      }),
      { seed: 20_261_126, numRuns: 2_000 },
    );
  });

  it('finds whether a template uses a variable', () => {
    expect(usesVariable('Back {{ business_hours.next_open }}', 'business_hours.next_open')).toBe(true);
    expect(usesVariable('Back soon', 'business_hours.next_open')).toBe(false);
  });
});

describe('chooseMessageLanguage', () => {
  it("prefers the conversation's language, then its primary subtag", () => {
    expect(chooseMessageLanguage(['en', 'es'], 'es', 'en')).toBe('es');
    expect(chooseMessageLanguage(['en', 'pt'], 'pt-BR', 'en')).toBe('pt');
    expect(chooseMessageLanguage(['en', 'pt-BR'], 'pt', 'en')).toBe('pt-BR');
  });

  it('falls back to the workspace language, then English, then the first given', () => {
    expect(chooseMessageLanguage(['fr', 'de'], 'ja', 'de')).toBe('de');
    expect(chooseMessageLanguage(['fr', 'en'], 'ja', 'de')).toBe('en');
    expect(chooseMessageLanguage(['fr', 'it'], null, 'de')).toBe('fr');
    expect(chooseMessageLanguage([], 'es', 'en')).toBeNull();
  });
});
