import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, nestingProblem } from './nesting.js';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('nestingProblem', () => {
  it('accepts scalars, shared (acyclic) subtrees and values up to the limit', () => {
    expect(nestingProblem('text')).toBeNull();
    const shared = { x: 1 };
    expect(nestingProblem({ a: shared, b: [shared, shared] })).toBeNull();
    expect(nestingProblem(nested(MAX_NESTING))).toBeNull();
  });

  it('refuses one level more, and a million, without overflowing the stack itself', () => {
    expect(nestingProblem(nested(MAX_NESTING + 1))).toMatchObject({ message: `nested deeper than ${MAX_NESTING} levels` });
    expect(nestingProblem(nested(1_000_000))).toMatchObject({ message: `nested deeper than ${MAX_NESTING} levels` });
  });

  it('names the path of a cycle', () => {
    const loop: Record<string, unknown> = { name: 'x' };
    loop.next = { again: loop };
    expect(nestingProblem({ rules: [loop] })).toEqual({ path: 'rules[0].next.again', message: 'refers to itself (a YAML alias inside its own anchor)' });
    const list: unknown[] = [];
    list.push(list);
    expect(nestingProblem(list)).toEqual({ path: '[0]', message: 'refers to itself (a YAML alias inside its own anchor)' });
  });

  it('agrees with a recursive depth count on any JSON value', () => {
    const depth = (value: unknown): number =>
      typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depth)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 9 }), (value, limit) => {
        expect(nestingProblem(value, limit) === null).toBe(depth(value) <= limit);
      }),
    );
  });
});
