import { describe, expect, it } from 'vitest';
import { MAX_YAML_ALIASES, readYaml } from './read-yaml.js';

describe('readYaml', () => {
  it('reads YAML and JSON into a value', () => {
    const yaml = readYaml('a: 1\nb: [x, y]\n');
    expect(yaml.ok && yaml.value).toEqual({ a: 1, b: ['x', 'y'] });
    const json = readYaml('{"a": {"b": null}}');
    expect(json.ok && json.value).toEqual({ a: { b: null } });
  });

  it('reports a syntax error with its line and column', () => {
    const read = readYaml('a: 1\nb: [x, y\nc: 3\n');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.length).toBeGreaterThan(0);
    expect(read.problems[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
    expect(read.problems[0]!.path).toBeUndefined();
  });

  it('refuses duplicate keys', () => {
    const read = readYaml('a: 1\na: 2\n');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems[0]!.line).toBe(2);
  });

  it('refuses a document that expands more aliases than the cap (a "billion laughs")', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 8; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const read = readYaml(lines.join('\n'));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems[0]).toMatchObject({ path: '(root)', message: expect.stringMatching(/alias/i) });
    expect(MAX_YAML_ALIASES).toBe(100);
  });

  it('refuses an alias inside its own anchor, and never throws on very deep brackets', () => {
    const cyclic = readYaml('a: &a [*a]\n');
    // The yaml package either refuses the self-reference or builds a cycle; a cycle is the
    // caller's to find with nestingProblem. Either way nothing is thrown.
    expect(typeof cyclic.ok).toBe('boolean');
    const deep = readYaml('['.repeat(200_000) + ']'.repeat(200_000));
    expect(deep.ok).toBe(false);
    if (!deep.ok) expect(deep.problems[0]!.message).toMatch(/nested deeper than 64 levels/);
  });
});

describe('readYaml before the parser', () => {
  it('refuses a text nested far too deep without parsing it (no line: the parser never saw it)', () => {
    const read = readYaml('x: ' + '['.repeat(65_536));
    expect(read).toMatchObject({ ok: false, problems: [{ path: '(root)', message: 'nested deeper than 64 levels' }] });
    if (!read.ok) expect(read.doc).toBeUndefined();
  });
});
