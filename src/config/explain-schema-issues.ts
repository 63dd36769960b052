import { z } from 'zod';
import { OPERATORS, PLAIN_FIELDS } from '../contract/conditions.js';
import { WorkspaceConfig } from '../contract/config.js';
import { flattenIssues } from '../contract/issues.js';
import type { ConfigProblem } from './config-problem.js';
import { isPlainObject } from './interpolate-env.js';
import { didYouMean } from './suggest-closest.js';

type Issue = z.core.$ZodIssue;
type UnionIssue = Extract<Issue, { code: 'invalid_union' }>;

const NEEDS_OPERATOR = 'needs an operator';

/**
 * Turns zod's issues for a workspace document into problems people can act on: every one, each
 * with its full path (`flattenIssues`), unknown keys named one by one with the nearest known key,
 * `required` instead of "expected string, received undefined", and one-key unions such as a
 * destination explained as "one of user, team, queue". Parse with `{ reportInput: true }` so the
 * issues carry the values these messages quote.
 */
export function explainSchemaIssues(issues: readonly Issue[]): ConfigProblem[] {
  const problems = flattenIssues(rewrite(issues, []));
  const seen = new Set<string>();
  const out: ConfigProblem[] = [];
  for (const problem of problems) {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // An operator spec with only unknown operators is also empty; the unknown key says it better.
    if (
      problem.message.startsWith(NEEDS_OPERATOR) &&
      problems.some((other) => other.path.startsWith(`${problem.path}.`) && other.message.startsWith('unknown operator'))
    ) {
      continue;
    }
    out.push(problem);
  }
  return out;
}

function rewrite(issues: readonly Issue[], base: readonly PropertyKey[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const at = [...base, ...issue.path];
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) out.push(unknownKey(issue.path, key, candidatesAt(WorkspaceConfig, at)));
        break;
      case 'invalid_union':
        out.push(...rewriteUnion(issue, at));
        break;
      case 'invalid_value':
        out.push(issue.values.length > 1 ? custom(issue.path, oneOf(issue.values, issue.input)) : issue);
        break;
      case 'invalid_type':
        out.push(
          custom(issue.path, issue.input === undefined ? 'required' : `must be ${describeType(issue.expected)} (found ${describeValue(issue.input)})`),
        );
        break;
      case 'custom':
        out.push(...rewriteCustom(issue, at));
        break;
      case 'too_big':
      case 'too_small':
      case 'invalid_format':
      case 'not_multiple_of':
      case 'invalid_key':
      case 'invalid_element':
        out.push(issue);
        break;
    }
  }
  return out;
}

/** Issues the condition schema copies from its operator spec arrive as custom messages. */
function rewriteCustom(issue: Extract<Issue, { code: 'custom' }>, at: readonly PropertyKey[]): Issue[] {
  const unrecognized = /^Unrecognized keys?: (.*)$/.exec(issue.message);
  if (unrecognized) {
    const keys = [...(unrecognized[1] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1] ?? '');
    const candidates = candidatesAt(WorkspaceConfig, at);
    return keys.map((key) => unknownKey(issue.path, key, candidates, 'operator'));
  }
  const unknownField = /^unknown field "(.*)":/.exec(issue.message);
  if (unknownField) {
    const field = unknownField[1] ?? '';
    const hint = didYouMean(field, [...PLAIN_FIELDS, 'all', 'any', 'not']);
    if (hint !== '') return [custom(issue.path, `unknown field "${field}"${hint}`)];
  }
  return [issue];
}

function unknownKey(path: readonly PropertyKey[], key: string, candidates: readonly string[], noun = 'key'): Issue {
  return custom([...path, key], `unknown ${noun}${didYouMean(key, candidates)}`);
}

type Branch =
  | { readonly kind: 'keyed'; readonly key: string }
  | { readonly kind: 'leaf'; readonly expected: string[] }
  | { readonly kind: 'other'; readonly issues: readonly Issue[] };

function classify(branch: readonly Issue[]): Branch {
  const missing = branch.filter((i) => i.code === 'invalid_type' && i.path.length === 1 && i.input === undefined);
  const rest = branch.filter((i) => !missing.includes(i));
  if (missing.length === 1 && rest.every((i) => i.code === 'unrecognized_keys' && i.path.length === 0)) {
    return { kind: 'keyed', key: String(missing[0]?.path[0]) };
  }
  if (branch.length > 0 && branch.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'))) {
    const expected = branch.flatMap((i) =>
      i.code === 'invalid_type' ? [describeType(i.expected)] : i.code === 'invalid_value' ? i.values.map((v) => JSON.stringify(v)) : [],
    );
    return { kind: 'leaf', expected };
  }
  return { kind: 'other', issues: branch };
}

/**
 * When no branch got anywhere (`destination: { quue: x }`, `message: 3`), say what the allowed
 * forms are. When exactly one branch got somewhere, its issues are the author's mistake.
 */
function rewriteUnion(issue: UnionIssue, at: readonly PropertyKey[]): Issue[] {
  const branches = issue.errors.map(classify);
  const others = branches.filter((b) => b.kind === 'other');
  if (others.length === 1 && others[0]) {
    return rewrite(others[0].issues, at).map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
  }
  if (others.length > 1) {
    const errors = issue.errors.map((branch) => rewrite(branch, at));
    return [{ code: 'invalid_union', path: issue.path, message: issue.message, input: issue.input, errors } satisfies UnionIssue];
  }
  const keys = branches.flatMap((b) => (b.kind === 'keyed' ? [b.key] : []));
  const leaves = branches.flatMap((b) => (b.kind === 'leaf' ? b.expected : []));
  const input = issue.input;
  if (keys.length > 0 && isPlainObject(input)) {
    const present = Object.keys(input).filter((k) => keys.includes(k));
    const unknown = Object.keys(input).filter((k) => !keys.includes(k));
    const out: Issue[] = [];
    if (present.length > 1) out.push(custom(issue.path, `use only one of ${keys.join(', ')} (found ${present.join(', ')})`));
    for (const key of unknown) {
      out.push(custom([...issue.path, key], `unknown key: expected one of ${keys.join(', ')}${didYouMean(key, keys)}`));
    }
    if (out.length === 0) out.push(custom(issue.path, `needs one of ${keys.join(', ')}`));
    return out;
  }
  const forms = [...leaves.filter((l) => !(keys.length > 0 && l === 'a mapping'))];
  if (keys.length > 0) forms.push(`a mapping with one of ${keys.join(', ')}`);
  const unique = [...new Set(forms)];
  return [custom(issue.path, `must be ${unique.join(' or ')}${input === undefined ? '' : ` (found ${describeValue(input)})`}`)];
}

function custom(path: readonly PropertyKey[], message: string): Issue {
  return { code: 'custom', path: [...path], message };
}

function oneOf(values: readonly unknown[], input: unknown): string {
  const names = values.map(String);
  const hint = typeof input === 'string' ? didYouMean(input, names) : '';
  return `must be one of ${names.join(', ')}${input === undefined ? '' : ` (found ${describeValue(input)})`}${hint}`;
}

function describeType(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
    case 'map':
      return 'a mapping';
    case 'array':
    case 'tuple':
    case 'set':
      return 'a list';
    case 'string':
      return 'text';
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}

/**
 * Keys the schema allows at `path`, for "did you mean" on unknown keys. Unions contribute every
 * branch's keys. A condition's field holds an operator spec that its schema types as `unknown`
 * (it is checked by hand), so there the operators are the candidates.
 */
function candidatesAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const inner = unwrap(schema);
  const [head, ...rest] = path;
  if (inner instanceof z.ZodUnion) {
    return [...new Set((inner.options as readonly z.ZodType[]).flatMap((option) => candidatesAt(option, path)))];
  }
  if (head === undefined) return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
  if (inner instanceof z.ZodObject) {
    const field = (inner.shape as Record<string, z.ZodType | undefined>)[String(head)];
    return field ? candidatesAt(field, rest) : [];
  }
  if (inner instanceof z.ZodArray) return typeof head === 'number' ? candidatesAt(inner.element as z.ZodType, rest) : [];
  if (inner instanceof z.ZodRecord) {
    if (inner.valueType instanceof z.ZodUnknown) {
      if (rest.length > 0) return [];
      return head === 'businessHours' ? ['open', 'closed'] : [...OPERATORS];
    }
    return candidatesAt(inner.valueType as z.ZodType, rest);
  }
  return [];
}

/** The schema under optional, nullable, default and lazy wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodLazy) {
      current = current.unwrap() as z.ZodType;
    } else {
      return current;
    }
  }
}
