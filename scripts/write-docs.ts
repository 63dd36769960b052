/**
 * `npm run docs`: writes the generated parts of docs/ (the configuration reference's tables, from
 * the schema that validates baton.yaml). A test fails when they are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configReference } from '../src/config/config-reference.js';
import { replaceGenerated } from '../src/config/generated-block.js';

const file = new URL('../docs/configuration.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = replaceGenerated(before, configReference());
if (after === before) {
  console.log('docs/configuration.md is up to date');
} else {
  writeFileSync(file, after);
  console.log('docs/configuration.md written');
}
