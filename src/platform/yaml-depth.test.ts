import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { nestingProblem } from './nesting.js';
import { yamlNestingExceeds } from './yaml-depth.js';

/** Depth of a parsed value: 0 for a scalar, 1 for a flat collection. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** Text a person might write: brackets, quotes, colons, hashes, dashes and line breaks. */
const awkwardText = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', "'", ':', '#', '-', '?', '|', '>', ' ', '\n', 'a', 'é', '\\', ',', '&', '!', '*'), maxLength: 30 });

const nestedValue = (maxDepth: number): fc.Arbitrary<unknown> =>
  fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      awkwardText,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), awkwardText), tie('node'), { maxKeys: 3 }),
    ),
  })).node;

/** A chain `depth` levels deep, alternating lists and maps, ending in awkward text. */
const chain = (depth: number, leaf: string): unknown => {
  let value: unknown = leaf;
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value, 'x'] : { k: value, 'a: b': '[' };
  return value;
};

describe('yamlNestingExceeds', () => {
  it('never refuses a document whose value nests at most the limit, in block or flow style', () => {
    fc.assert(
      fc.property(fc.oneof(nestedValue(8), fc.tuple(fc.integer({ min: 1, max: 64 }), awkwardText).map(([d, leaf]) => chain(d, leaf))), fc.boolean(), (value, flow) => {
        const text = stringify(value, { collectionStyle: flow ? 'flow' : 'any', lineWidth: 0 });
        const parsed = parseDocument(text).toJS() as unknown;
        fc.pre(depthOf(parsed) <= 64 && nestingProblem(parsed) === null);
        expect(yamlNestingExceeds(text, 128)).toBe(false);
      }),
      { seed: 20261207, numRuns: 400 },
    );
  });

  it('refuses the shapes that take the parser seconds or its stack', () => {
    const deep = 100_000;
    const shapes: Record<string, string> = {
      'flow sequences': '['.repeat(deep) + ']'.repeat(deep),
      'flow mappings': '{a: '.repeat(deep) + '1' + '}'.repeat(deep),
      'compact sequences': '- '.repeat(deep) + 'x\n',
      'explicit keys': '? '.repeat(deep) + 'x\n',
      'indented mappings': Array.from({ length: 1_000 }, (_, level) => ' '.repeat(level) + 'a:').join('\n'),
      'a value after a key': 'key: ' + '['.repeat(deep),
      'after a document marker': '--- ' + '['.repeat(deep),
      'after an anchor and a tag': 'a: &x !!seq ' + '['.repeat(deep),
      'a quote inside a plain scalar does not hide brackets': "[it's" + '['.repeat(deep),
      'in a sequence item': '- a\n- ' + '{'.repeat(deep),
    };
    for (const [name, text] of Object.entries(shapes)) expect(yamlNestingExceeds(text, 128), name).toBe(true);
  });

  it('skips what the parser reads as text: quoted and block scalars, comments', () => {
    const brackets = '['.repeat(10_000);
    expect(yamlNestingExceeds(`a: "${brackets}"\n`, 128)).toBe(false);
    expect(yamlNestingExceeds(`a: '${brackets}'\n`, 128)).toBe(false);
    expect(yamlNestingExceeds(`a: |\n  ${brackets}\n  ${brackets}\nb: 1\n`, 128)).toBe(false);
    expect(yamlNestingExceeds(`a: 1 # ${brackets}\n`, 128)).toBe(false);
    expect(yamlNestingExceeds(`title: see ${brackets}\n`, 128)).toBe(false);
    expect(yamlNestingExceeds(`a: [x, "${brackets}", '${brackets}'] # ${brackets}\n`, 128)).toBe(false);
  });
});
