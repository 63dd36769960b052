import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../platform/package-root.js';
import { parseConfigText } from './parse-config-text.js';
import { OFF_THREAD_CHARACTERS, parseConfigTextOffThread, readYamlOffThread } from './parse-off-thread.js';

const demo = readFileSync(join(packageRoot(), 'demo', 'baton.yaml'), 'utf8');

/** The demo workspace with enough articles to be read off the thread. */
function longWorkspace(): string {
  const articles: string[] = [];
  for (let i = 0; articles.join('').length < OFF_THREAD_CHARACTERS * 2; i++) {
    articles.push(`  - id: article-${i}\n    title: "Question ${i} [about: plans]"\n    body: |\n      Answer ${i}, with # and [brackets] that are text.\n`);
  }
  return demo.replace(/^knowledge:\n/m, `knowledge:\n${articles.join('')}`);
}

describe('reading documents off the thread', () => {
  it('gives what reading in place gives, for a valid long workspace', async () => {
    const text = longWorkspace();
    expect(text.length).toBeGreaterThan(OFF_THREAD_CHARACTERS);
    const offThread = await parseConfigTextOffThread(text, 'yaml', { ACME_SMTP: 'smtp://x' });
    expect(offThread.ok).toBe(true);
    expect(offThread).toEqual(parseConfigText(text, 'yaml', { ACME_SMTP: 'smtp://x' }));
  });

  it('gives the same problems, with their lines, for an invalid long workspace', async () => {
    const text = longWorkspace().replace('    title: "Question 7 [about: plans]"', '    title: [unclosed');
    const offThread = await parseConfigTextOffThread(text, 'yaml', {});
    expect(offThread.ok).toBe(false);
    expect(offThread).toEqual(parseConfigText(text, 'yaml', {}));
    if (!offThread.ok) expect(offThread.problems[0]).toMatchObject({ line: expect.any(Number) });
  });

  it('reads a long YAML value, and reports a long text nested too deep without parsing it', async () => {
    const items = Array.from({ length: 5_000 }, (_, i) => `- {n: ${i}, text: "item ${i}"}`).join('\n');
    const read = await readYamlOffThread(items);
    expect(read.ok && Array.isArray(read.value) && read.value.length).toBe(5_000);
    const deep = await readYamlOffThread('x: ' + '['.repeat(OFF_THREAD_CHARACTERS * 2));
    expect(deep).toEqual({ ok: false, problems: [{ path: '(root)', message: 'nested deeper than 64 levels' }] });
  });

  it('reads several at once, each its own answer', async () => {
    const texts = Array.from({ length: 4 }, (_, k) => Array.from({ length: 3_000 }, (_, i) => `k${k}-${i}: ${i}`).join('\n'));
    const answers = await Promise.all(texts.map((text) => readYamlOffThread(text)));
    answers.forEach((answer, k) => expect(answer.ok && (answer.value as Record<string, number>)[`k${k}-2999`]).toBe(2999));
  });
});
