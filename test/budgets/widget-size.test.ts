/**
 * The widget's size budget (issue 4; budgets are scripts CI runs, as Hono's
 * bundle-check): the script every customer's page downloads stays within 20 KB gzipped. Built
 * in memory with the same options as `npm run build:widget`.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { WIDGET_GZIP_BUDGET_BYTES, widgetBuildOptions } from '../../web/widget/build.js';

it('keeps the chat widget within 20 KB gzipped', async () => {
  const result = await build({ ...widgetBuildOptions, write: false, outfile: 'widget.js' });
  const code = result.outputFiles[0]!.contents;
  const gzipped = gzipSync(code, { level: 9 }).byteLength;
  console.log(`widget.js: ${code.byteLength} bytes minified, ${gzipped} bytes gzipped (budget ${WIDGET_GZIP_BUDGET_BYTES})`);
  expect(gzipped).toBeLessThanOrEqual(WIDGET_GZIP_BUDGET_BYTES);
});
