import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReference, configReferenceRows } from './config-reference.js';
import { ENVIRONMENT_FIELDS } from './interpolate-env.js';
import { generatedPart } from './generated-block.js';

describe('the configuration reference (docs/configuration.md)', () => {
  const rows = configReferenceRows().flatMap((section) =>
    section.rows.map((row) => ({ section: section.title, ...row })),
  );

  it('documents every key of baton.yaml with a description', () => {
    expect(rows.length).toBeGreaterThan(80);
    expect(rows.filter((row) => !row.description).map((row) => row.key)).toEqual([]);
  });

  it('gives every key that holds a value (not a mapping of keys) an example', () => {
    const containers = (type: string) => type === 'mapping' || type === 'list of mapping';
    expect(
      rows.filter((row) => !containers(row.type) && row.example === undefined).map((row) => row.key),
    ).toEqual([]);
  });

  it('is what docs/configuration.md holds (run `npm run docs` after changing the schema)', () => {
    const page = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(generatedPart(page)).toBe(configReference().trim());
  });

  it('lists every key that reads the environment', () => {
    const page = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const keys = ENVIRONMENT_FIELDS.map((field) => field.join('.').replaceAll('.*', '[]'));
    expect(keys.filter((key) => !page.includes(`\`${key}\``))).toEqual([]);
  });
});
