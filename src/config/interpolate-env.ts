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
 * The fields that may read the environment: credentials and endpoints, never text that can
 * reach a customer or an agent. A knowledge article or a rule's message that says `${DATABASE_URL}`
 * is shown as written, so a workspace edit can never carry the server's secrets to a customer.
 * `*` is any key or list index.
 */
export const ENVIRONMENT_FIELDS: readonly (readonly string[])[] = [
  ['notifications', 'email', 'smtpUrl'],
  ['notifications', 'slack', 'webhookUrl'],
  ['notifications', 'slack', 'botToken'],
  ['notifications', 'slack', 'channel'],
  ['notifications', 'webhooks', '*', 'url'],
  ['notifications', 'webhooks', '*', 'secret'],
  ['channels', '*', 'botUrl'],
  ['channels', '*', 'botSecret'],
  ['assistant', 'llm', 'baseUrl'],
  ['assistant', 'llm', 'apiKey'],
];

/** Baton's own settings: a workspace never reads them (the admin token, the database's password…). */
const OWN_VARIABLE = /^(BATON_.*|DATABASE_URL|REDIS_URL)$/;

function readsEnvironment(path: readonly PathKey[]): boolean {
  return ENVIRONMENT_FIELDS.some((field) => field.length === path.length && field.every((key, index) => key === '*' || key === String(path[index])));
}

/**
 * Replaces `${VAR}` and `${VAR:-default}` in the string values of ENVIRONMENT_FIELDS of a parsed
 * document; `$${` writes a literal `${` there. Everywhere else strings are kept as written. As in
 * POSIX shells and Compose, `:-` also applies when the variable is set but empty. An unset
 * variable without a default, or one of Baton's own, is a problem at the string's path; it reads
 * as '' so validation can go on and report everything else.
 */
export function interpolateEnv(document: unknown, env: Env): Interpolated {
  const templates: Template[] = [];
  const problems: ConfigProblem[] = [];

  const visit = (value: unknown, path: PathKey[]): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('$') || !readsEnvironment(path)) return value;
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
      const value = OWN_VARIABLE.test(name) ? undefined : env[name];
      if (OWN_VARIABLE.test(name)) problems.push(`\${${name}} is one of Baton's own settings, which a workspace cannot read`);
      else if (fallback !== undefined && (value === undefined || value === '')) text += fallback;
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
