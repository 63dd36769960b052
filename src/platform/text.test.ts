import { describe, expect, it } from 'vitest';
import { textProblem } from './text.js';

describe('textProblem', () => {
  it('accepts any well-formed text: astral characters (pairs), right-to-left, combining marks', () => {
    expect(textProblem({ a: ['𝒳😀👩‍👩‍👧', '\u202Eשלום', 'e\u0301'], 'ключ': 1, n: null })).toBeNull();
  });

  it('names the first NUL or lone surrogate, in a value or a key, by its path', () => {
    expect(textProblem({ a: [{ b: 'x' }, { b: 'nul\u0000' }] }, 'query')).toEqual({ path: 'query.a[1].b', message: 'must not contain a NUL character (U+0000)' });
    expect(textProblem(['ok', 'half \uD800'])).toEqual({ path: '[1]', message: 'must be well-formed Unicode (a lone surrogate, half of a UTF-16 pair)' });
    expect(textProblem('\uDFFFx')).toMatchObject({ path: '(root)' });
    expect(textProblem({ p: { 'k\u0000': 'v' } })).toEqual({ path: 'p', message: 'has a key with a NUL character (U+0000)' });
  });
});
