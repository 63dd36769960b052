import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Env } from './interpolate-env.js';
import { parseConfigText } from './parse-config-text.js';
import type { ConfigFormat, ParseConfigResult } from './parse-config-text.js';

/** `.json` is JSON; anything else (`.yaml`, `.yml`, no extension) is YAML. */
export function configFormatOf(path: string): ConfigFormat {
  return extname(path).toLowerCase() === '.json' ? 'json' : 'yaml';
}

/**
 * Reads and checks a workspace file. A file that cannot be read is reported like any other
 * problem (the CLI prints it and exits non-zero), with the file as its path.
 */
export async function readConfigFile(path: string, env: Env): Promise<ParseConfigResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ path, message: `cannot read the file: ${reason}` }], warnings: [] };
  }
  return parseConfigText(text, configFormatOf(path), env);
}
