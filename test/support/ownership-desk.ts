import { readFileSync } from 'node:fs';

/** Billing (Ana, María, Sam; led by Lee), On call (Ken), Olu the admin; everyone away (test/fixtures/config-ownership.yaml). */
export const OWNERSHIP_CONFIG = readFileSync(new URL('../fixtures/config-ownership.yaml', import.meta.url), 'utf8');
