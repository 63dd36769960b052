import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitTextSegments, type TextSegment } from './text-segments.js';

const joined = (segments: readonly TextSegment[]): string => segments.map((s) => s.text).join('');
const links = (input: string): string[] => splitTextSegments(input).flatMap((s) => (s.type === 'link' ? [s.href] : []));

describe('splitTextSegments', () => {
  it('links http, https and mailto, keeping the text around them', () => {
    expect(splitTextSegments('See https://acme.test/orders?id=7 or mail me at mailto:ana@acme.test now')).toEqual([
      { type: 'text', text: 'See ' },
      { type: 'link', text: 'https://acme.test/orders?id=7', href: 'https://acme.test/orders?id=7' },
      { type: 'text', text: ' or mail me at ' },
      { type: 'link', text: 'mailto:ana@acme.test', href: 'mailto:ana@acme.test' },
      { type: 'text', text: ' now' },
    ]);
  });

  it('keeps line breaks of every kind as their own segments', () => {
    expect(splitTextSegments('one\ntwo\r\nthree\rfour')).toEqual([
      { type: 'text', text: 'one' },
      { type: 'newline', text: '\n' },
      { type: 'text', text: 'two' },
      { type: 'newline', text: '\r\n' },
      { type: 'text', text: 'three' },
      { type: 'newline', text: '\r' },
      { type: 'text', text: 'four' },
    ]);
  });

  it('leaves sentence punctuation out of a link, but keeps balanced parentheses', () => {
    expect(links('Go to http://acme.test/a.')).toEqual(['http://acme.test/a']);
    expect(links('(see https://acme.test/b), then')).toEqual(['https://acme.test/b']);
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar).')).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
  });

  it('never links another scheme, markup or a scheme without a place', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      '<a href="javascript:alert(1)">x</a>',
      '[click](javascript:alert(1))',
      'http://',
      'https:// spaced',
      'mailto:',
      'ftp://acme.test/file',
      '<b>bold</b> **strong**',
    ]) {
      expect(links(text), text).toEqual([]);
      expect(joined(splitTextSegments(text))).toBe(text);
    }
  });

  it('links the safe URL inside a hostile one, never the hostile scheme', () => {
    expect(links('javascript:https://acme.test')).toEqual(['https://acme.test']);
  });

  it('answers nothing for empty text', () => {
    expect(splitTextSegments('')).toEqual([]);
  });
});

describe('splitTextSegments, for any text', () => {
  const pieces = fc.oneof(
    fc.string(),
    fc.constantFrom('http://', 'https://', 'mailto:', 'javascript:', 'data:', 'HTTP://', '\n', '\r\n', '\r', ' ', '.', ')', '(', '<', '"', 'a@b.test', 'acme.test/x'),
    fc.webUrl(),
  );
  const texts = fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join(''));

  it('gives the input back when the segments are joined', () => {
    fc.assert(fc.property(texts, (text) => joined(splitTextSegments(text)) === text), { numRuns: 2_000 });
  });

  it('never produces an href other than http, https or mailto, and the link text is its href', () => {
    fc.assert(
      fc.property(texts, (text) =>
        splitTextSegments(text).every(
          (s) =>
            s.type !== 'link' ||
            (/^(https?:\/\/|mailto:)/i.test(s.href) && ['http:', 'https:', 'mailto:'].includes(new URL(s.href).protocol) && s.text === s.href),
        ),
      ),
      { numRuns: 2_000 },
    );
  });

  it('never links a javascript: URL (it may only appear inside an http one), and newline segments are only line breaks', () => {
    fc.assert(
      fc.property(texts, (text) =>
        splitTextSegments(text).every(
          (s) => (s.type !== 'link' || (!/^\s*javascript:/i.test(s.href) && new URL(s.href).protocol !== 'javascript:')) && (s.type !== 'newline' || ['\n', '\r\n', '\r'].includes(s.text)) && s.text !== '',
        ),
      ),
      { numRuns: 2_000 },
    );
  });
});
