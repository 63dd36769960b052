/**
 * Text Baton keeps is well-formed Unicode without NUL. PostgreSQL's `text` and `jsonb` cannot hold
 * U+0000 (the query fails), and a lone surrogate (half of a UTF-16 pair, `"\ud800"` in JSON) is
 * turned into U+FFFD on its way to either database, so the row would not be what was sent. Both
 * are refused at the boundary, the same on both databases.
 */
export interface TextProblem {
  readonly path: string;
  readonly message: string;
}

const NUL = 'must not contain a NUL character (U+0000)';
const LONE_SURROGATE = 'must be well-formed Unicode (a lone surrogate, half of a UTF-16 pair)';

/** In a `u` regex a pair is one code point: only a surrogate standing alone matches. */
const LONE = /\p{Surrogate}/u;

function stringProblem(text: string): string | null {
  if (text.includes('\u0000')) return NUL;
  if (LONE.test(text)) return LONE_SURROGATE;
  return null;
}

/**
 * The first string (or object key) in `value` that Baton cannot keep, with its path (`a.b[0]`,
 * after `prefix`), or null. Walks with an explicit stack: the value's depth is not yet checked.
 */
export function textProblem(value: unknown, prefix = ''): TextProblem | null {
  const stack: Array<[unknown, string]> = [[value, prefix]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      const problem = stringProblem(node);
      if (problem) return { path: path || '(root)', message: problem };
    } else if (Array.isArray(node)) {
      for (let index = node.length - 1; index >= 0; index -= 1) stack.push([node[index], `${path}[${index}]`]);
    } else if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node);
      for (const [key] of entries) {
        const problem = stringProblem(key);
        if (problem) return { path: path || '(root)', message: problem === NUL ? 'has a key with a NUL character (U+0000)' : 'has a key that is not well-formed Unicode (a lone surrogate)' };
      }
      for (const [key, item] of entries.reverse()) stack.push([item, path === '' ? key : `${path}.${key}`]);
    }
  }
  return null;
}

const LONE_SURROGATES = /\p{Surrogate}/gu;

/**
 * Text from elsewhere that nobody can be asked to correct (an email another server relayed),
 * made keepable: NUL characters dropped, each lone surrogate replaced by U+FFFD.
 */
export function keepableText(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\uFFFD');
}
