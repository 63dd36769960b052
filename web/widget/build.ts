/**
 * Bundle the chat widget: `web/widget/src/main.ts` → `dist/web/widget.js`, one minified IIFE
 * (no module loader on the customer's page, nothing leaks but `window.Baton`). Run by
 * `npm run build:widget` (part of `npm run build`, so `npm start` builds it) and imported by the
 * size-budget test and the e2e support with the same options.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const WIDGET_OUTFILE = join(root, 'dist', 'web', 'widget.js');
/** The budget of issue 4: the gzipped script stays within 20 KB. */
export const WIDGET_GZIP_BUDGET_BYTES = 20 * 1024;

export const widgetBuildOptions: BuildOptions = {
  entryPoints: [join(root, 'web', 'widget', 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  // Browsers of the last few years (Shadow DOM, fetch and WebSocket are older than ES2020).
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * Build the bundle to `dist/web/widget.js`; returns its size in bytes. Written beside it and
 * renamed into place, so a server reading it (or a parallel test building it) never sees half.
 */
export async function buildWidget(outfile = WIDGET_OUTFILE): Promise<number> {
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build({ ...widgetBuildOptions, write: false, outfile });
  const code = result.outputFiles?.[0]?.contents;
  if (code === undefined) throw new Error('esbuild produced no widget bundle');
  const partial = `${outfile}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, outfile);
  return code.byteLength;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await buildWidget();
  console.log(`widget: ${WIDGET_OUTFILE} (${bytes} bytes)`);
}
