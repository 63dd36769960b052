/**
 * ARCHITECTURE.md's arrows are what lint enforces: its table and its diagram are compared with
 * the ARROWS that eslint.config.js builds its rules from, and every import in src/ is checked
 * against them once more here (a mis-written lint pattern would otherwise let one through).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
// A JavaScript module without types: read through a variable specifier so TypeScript does not resolve it.
const lintConfig: string = '../eslint.config.js';
const { ARROWS: allowed } = (await import(lintConfig)) as { ARROWS: Record<string, readonly string[]> };
const architecture = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');

function sorted(parts: Iterable<string>): string[] {
  return [...new Set(parts)].map((part) => part.replace(/\.ts$/, '')).filter((part) => part !== '').sort();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the arrows', () => {
  it("ARCHITECTURE.md's table lists exactly what lint allows each part", () => {
    for (const [part, may] of Object.entries(allowed)) {
      const row = new RegExp(`^\\| \`${part}\` \\| (.*) \\|$`, 'm').exec(architecture);
      expect(row, `a row for ${part}`).not.toBeNull();
      const cell = row![1]!;
      const listed = cell === 'nothing' ? [] : cell.split(',').map((p) => p.trim());
      expect(sorted(listed), part).toEqual(sorted(may.filter((p) => p !== part)));
    }
  });

  it("ARCHITECTURE.md's diagram draws exactly those arrows", () => {
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(architecture)![1]!;
    const edges = new Map<string, string[]>();
    for (const [, from, to] of diagram.matchAll(/^\s+(\w+) --> (\w+)$/gm)) edges.set(from!, [...(edges.get(from!) ?? []), to!]);
    for (const [part, may] of Object.entries(allowed)) {
      expect(sorted(edges.get(part) ?? []), part).toEqual(sorted(may.filter((p) => p !== part)));
    }
  });

  it('no file in src/ imports a part it may not', () => {
    const breaches: string[] = [];
    for (const file of filesUnder(join(ROOT, 'src'))) {
      const part = relative(join(ROOT, 'src'), file).split('/')[0]!.replace(/\.ts$/, '');
      const may = allowed[part];
      if (may === undefined) continue; // server.ts: the composition root
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = relative(join(ROOT, 'src'), normalize(join(dirname(file), spec!))).split('/')[0]!.replace(/\.js$/, '');
        if (target !== part && !may.includes(target)) breaches.push(`${relative(ROOT, file)} → ${spec}`);
      }
    }
    expect(breaches).toEqual([]);
  });
});
