import { describe, expect, it } from 'vitest';
import { parseSearchQuery, type SearchQuery } from './search-query.js';
import { findSnippet } from './snippet.js';

function query(text: string): SearchQuery {
  const parsed = parseSearchQuery(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

describe('parseSearchQuery', () => {
  it('keeps hostile input as plain terms and refuses what holds no word', () => {
    expect(parseSearchQuery('"refund" AND -card* NEAR(x')).toEqual({ terms: ['"refund"', 'AND', '-card*', 'NEAR(x'], prefixLast: false });
    expect(parseSearchQuery('  " * - ')).toBe('empty');
    expect(parseSearchQuery('')).toBe('empty');
    expect(parseSearchQuery('a'.repeat(201))).toBe('too_long');
    expect(parseSearchQuery(Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '))).toBe('too_many_terms');
  });

  it('searches the last word as a prefix only when it is a word of three letters or more', () => {
    expect(parseSearchQuery('factura ref')).toMatchObject({ prefixLast: true });
    expect(parseSearchQuery('factura re')).toMatchObject({ prefixLast: false });
    expect(parseSearchQuery('ana@example.com')).toMatchObject({ prefixLast: false });
    expect(parseSearchQuery('cañón')).toMatchObject({ terms: ['cañón'], prefixLast: true });
  });
});

describe('findSnippet', () => {
  it('flags the matched words, folding case and accents, and never adds markup', () => {
    expect(findSnippet('Mi <b>FACTURA</b> de café', query('factura cafe'))).toEqual([
      { text: 'Mi <b>', match: false },
      { text: 'FACTURA', match: true },
      { text: '</b> de ', match: false },
      { text: 'café', match: true },
    ]);
  });

  it('matches the last word as a prefix', () => {
    expect(findSnippet('refunds are slow', query('refu'))).toEqual([
      { text: 'refunds', match: true },
      { text: ' are slow', match: false },
    ]);
  });

  it('starts shortly before the first match in a long text and marks what was cut', () => {
    const text = `${'filler words here '.repeat(20)}the invoice is wrong ${'more text after '.repeat(20)}`;
    const segments = findSnippet(text, query('invoice'));
    expect(segments[0]?.text.startsWith('…filler')).toBe(true);
    expect(segments.some((s) => s.match && s.text === 'invoice')).toBe(true);
    expect(segments[segments.length - 1]?.text.endsWith('…')).toBe(true);
    expect(segments.map((s) => s.text).join('').length).toBeLessThanOrEqual(170);
  });

  it('shows the start of the text when no word matches', () => {
    expect(findSnippet('hello\n\nthere', query('zzz'))).toEqual([{ text: 'hello there', match: false }]);
  });
});
