// Type-aware lint. The import restrictions are the arrows of ARCHITECTURE.md: each part of src/
// imports only the parts ARROWS lists for it, and only the store speaks SQL.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const PARTS = ['core', 'contract', 'platform', 'store', 'config', 'services', 'delivery', 'http', 'inbound', 'cli'];
const DRIVERS = ['kysely', 'pg', 'better-sqlite3'];

/** What each part of src/ may import of ours (ARCHITECTURE.md's table is checked against this by test/architecture.test.ts). */
export const ARROWS = {
  core: ['contract'],
  contract: [],
  platform: ['contract'],
  store: ['core', 'contract', 'platform'],
  config: ['core', 'contract', 'platform'],
  services: ['core', 'store', 'config', 'contract', 'platform'],
  delivery: ['services', 'store', 'core', 'contract', 'platform'],
  http: ['services', 'contract', 'platform'],
  inbound: ['services', 'contract', 'platform'],
  cli: ['services', 'config', 'contract', 'platform', 'server'],
};

/**
 * One lint block per part of src/: an import of one of our parts not in `allowed` is an error,
 * and so is a database driver outside the store (`import type` from kysely is allowed: services
 * hold a transaction without writing SQL; no-restricted-syntax below refuses the query builder).
 */
function arrows(allowed) {
  return Object.entries(allowed).map(([part, may]) => {
    const refused = [...PARTS.filter((other) => other !== part && !may.includes(other)), ...(part === 'cli' ? [] : ['server'])];
    const patterns = [{
      group: refused.flatMap((other) => other === 'server' ? ['**/server.js', '**/server'] : [`**/${other}/**`, `../${other}`, `../../${other}`]),
      message: `${part} may import only ${may.length === 0 ? 'nothing of ours' : may.join(', ')} (ARCHITECTURE.md "The arrows").`,
    }];
    if (part !== 'store') {
      patterns.push({ group: DRIVERS, allowTypeImports: true, message: 'the database drivers and the query builder are the store\'s (src/store).' });
    }
    return { files: [`src/${part}/**/*.ts`], ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': ['error', { patterns }] } };
  });
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'web/dist/**', 'bin/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
    },
  },
  // The arrows (ARCHITECTURE.md "The arrows"): each part of src/ imports only the parts listed
  // for it; everything else of ours is refused. server.ts is the composition root and imports
  // every part. Tests and benchmarks are outside the arrows.
  ...arrows(ARROWS),
  {
    // The app imports only types from the server: no zod in its bundle. Its option lists mirror
    // the contract's enums, and its tests (which may import the schemas) fail when they drift.
    files: ['web/app/**/*.{ts,tsx}'],
    ignores: ['web/app/vite.config.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(\\.\\./)+src/(?!contract/)', message: 'the app imports only src/contract types (ARCHITECTURE.md).' },
          { regex: '^(\\.\\./)+src/contract/', allowTypeImports: true, message: 'the app imports only types from src/contract: no zod in the bundle.' },
        ],
      }],
    },
  },
  {
    files: ['web/app/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(\\.\\./)+src/(?!contract/)', message: 'the app and its tests import only src/contract (ARCHITECTURE.md).' }],
      }],
    },
  },
  {
    // The widget ships to every customer's browser under a size budget: types only.
    files: ['web/widget/**/*.ts'],
    ignores: ['web/widget/build.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(\\.\\./)+src/(?!contract/)', message: 'the widget imports only src/contract types (ARCHITECTURE.md).' },
          { regex: '^(\\.\\./)+src/contract/', allowTypeImports: true, message: 'the widget imports only types from src/contract: no zod in the bundle.' },
        ],
      }],
    },
  },
  {
    // What the app and the widget both run (customer text cut into text, line breaks and safe
    // links): pure functions that import nothing of ours, so either bundle may take them.
    files: ['web/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^\\.\\./', message: 'web/shared imports nothing of ours (ARCHITECTURE.md).' }],
      }],
    },
  },
  {
    // The store is the only SQL: no query builder, no raw sql, outside src/store.
    files: ['src/**/*.ts'],
    ignores: ['src/store/**', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name=/^(selectFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto|selectNoFrom)$/]",
        message: 'SQL lives in src/store: add a repository function (ARCHITECTURE.md).',
      }],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
