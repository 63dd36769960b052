import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Baton's package.json, found from this module's location, so assets
 * (demo/baton.yaml, the web app's build) are found the same from `src/` under tsx and from
 * `dist/src/` after the build.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'demo'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Baton package root (package.json beside demo/)');
    dir = parent;
  }
}
