import { formatPath } from '../contract/issues.js';
import type { ConfigProblem, PathKey } from './config-problem.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A string that referred to the environment, as written, so that export can write it back. */
export interface Template {
  readonly path: readonly PathKey[];
  readonly source: string;
}

export interface Interpolated {
  readonly value: unknown;
  readonly templates: readonly Template[];
  readonly problems: readonly ConfigProblem[];
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string value (never in keys) of a parsed
 * document; `$${` writes a literal `${`. As in POSIX shells and Compose, `:-` also applies when
 * the variable is set but empty. An unset variable without a default is a problem at the
 * string's path; it reads as '' so validation can go on and report everything else.
 */
export function interpolateEnv(document: unknown, env: Env): Interpolated {
  const templates: Template[] = [];
  const problems: ConfigProblem[] = [];

  const visit = (value: unknown, path: PathKey[]): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('$')) return value;
      const result = interpolateString(value, env);
      if (result.templated) templates.push({ path: [...path], source: value });
      for (const message of result.problems) problems.push({ path: formatPath(path), message });
      return result.text;
    }
    if (Array.isArray(value)) return value.map((item, index) => visit(item, [...path, index]));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = visit(item, [...path, key]);
      return out;
    }
    return value;
  };

  return { value: visit(document, []), templates, problems };
}

interface StringResult {
  readonly text: string;
  /** True when the string used `${…}` or `$${`: its written form differs from its value. */
  readonly templated: boolean;
  readonly problems: string[];
}

function interpolateString(source: string, env: Env): StringResult {
  let text = '';
  let templated = false;
  const problems: string[] = [];
  let i = 0;
  while (i < source.length) {
    const dollar = source.indexOf('$', i);
    if (dollar === -1) {
      text += source.slice(i);
      break;
    }
    text += source.slice(i, dollar);
    if (source.startsWith('$${', dollar)) {
      text += '${';
      templated = true;
      i = dollar + 3;
      continue;
    }
    if (source[dollar + 1] !== '{') {
      text += '$';
      i = dollar + 1;
      continue;
    }
    templated = true;
    const close = source.indexOf('}', dollar + 2);
    if (close === -1) {
      problems.push(`unterminated "\${" (write $\${ for a literal "\${")`);
      text += source.slice(dollar);
      break;
    }
    const inner = source.slice(dollar + 2, close);
    const match = REFERENCE.exec(inner);
    if (!match) {
      problems.push(`invalid environment reference "\${${inner}}": write \${NAME} or \${NAME:-default}`);
    } else {
      const name = match[1] ?? '';
      const fallback = match[2];
      const value = env[name];
      if (fallback !== undefined && (value === undefined || value === '')) text += fallback;
      else if (value !== undefined) text += value;
      else problems.push(`environment variable ${name} is not set`);
    }
    i = close + 1;
  }
  return { text, templated, problems };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
