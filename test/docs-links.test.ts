/**
 * The README and docs/ point only at files a clone has: every relative link resolves, and no page
 * names a file from outside the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PAGES = ['README.md', 'ARCHITECTURE.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

describe.each(PAGES)('%s', (page) => {
  const text = readFileSync(join(ROOT, page), 'utf8');

  it('links only to files that exist', () => {
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => (match[1] ?? '').split('#')[0] ?? '')
      .filter((target) => target !== '' && !/^[a-z]+:/i.test(target) && !target.startsWith('<'));
    expect(targets.filter((target) => !existsSync(resolve(dirname(join(ROOT, page)), target)))).toEqual([]);
  });

  it('names nothing outside the repository', () => {
    expect(text).not.toMatch(/\.\.\/shared|\b(CONFIG|PRODUCT|API)\.md\b/);
  });
});
