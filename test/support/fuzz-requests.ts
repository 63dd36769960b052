/**
 * Requests for one API operation, generated with fast-check from the operation's own schemas in
 * /api/openapi.json (JSON Schema of its path, query and body): values of the right shape, and
 * the same values broken the ways clients and attackers break them — a wrong type, a required
 * field missing, fields nobody declared (`__proto__`, `constructor`, `prototype` among them),
 * strings beyond the body limit, nesting beyond the 64 levels bodies may have, unicode that
 * trips parsers and databases (astral, right-to-left, NUL, lone surrogates), numbers at their
 * edges, and bodies that are not JSON at all.
 */
import fc from 'fast-check';
import type { ApiOperation } from './api-operations.js';

/** JSON Schema, as much of it as zod's `toJSONSchema` writes for Baton's inputs. */
interface Schema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly format?: string;
}

export interface FuzzRequest {
  readonly method: ApiOperation['method'];
  readonly url: string;
  readonly headers: Record<string, string>;
  /** The body as sent (JSON text, or not JSON on purpose); undefined for none. */
  readonly payload?: string;
  /** How the request was made: which mutation, where. */
  readonly how: string;
}

/** Known ids per path parameter name, so some requests get past "not found" into the use case. */
export type KnownIds = Readonly<Record<string, readonly string[]>>;

/** The request body limit (src/http/app.ts, `bodyLimit`). */
export const BODY_LIMIT = 2 * 1024 * 1024;

// ── hostile values ─────────────────────────────────────────────────────────────────────────────
export const UNICODE_SAMPLES: readonly string[] = [
  '𝒳𝔂𝕫 😀👩‍👩‍👧‍👦 🏳️‍🌈', // astral plane, ZWJ sequences
  '\u202Eevil\u202C שלום مرحبا', // right-to-left override, Hebrew, Arabic
  'nul\u0000byte',
  '\u0000',
  'lone high \uD800 surrogate',
  'lone low \uDFFF surrogate',
  '\uDBFF',
  'combining e\u0301\u0301\u0301\u0301 z\u0336a\u0337l\u0338g\u0335o',
  '\uFEFFbom \u200B\u200C\u200D zero width',
  '\u2028line\u2029separators\r\n\t\u000B\u000C',
  "'; drop table conversations; --",
  '%00%ff%', // percent-looking text
  '${jndi:ldap://x}{{7*7}}<%= 1 %>',
  'ＡＢＣ ｆｕｌｌｗｉｄｔｈ İı ß ﬃ',
];

export const EDGE_NUMBERS: readonly unknown[] = [
  0,
  -0,
  -1,
  1e308,
  -1e308,
  5e-324,
  2 ** 53 + 2,
  -(2 ** 63),
  1e21,
  0.1 + 0.2,
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '99999999999999999999999999999999',
  '0x10',
  ' 1 ',
];

const WRONG_VALUES: readonly unknown[] = [null, true, false, 0, -1, 1.5, 1e308, '', ' ', 'x', [], [null], {}, { a: 1 }, 'NaN', '2026-13-45T99:99:99Z', 'not-an-email'];

/** Keys an attacker sends to poison prototypes, and keys nobody declared. */
const EXTRA_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '', 'x-extra', '\u0000', '𝒳', 'a.b', '$where'];

const NOT_JSON: readonly string[] = ['', '{', '{"a":', '[1,2', 'NaN', 'undefined', "{'a':1}", '{"a":1,}', '\u0000', '"\\uD800"', '1e999', '-', 'null', 'true', '[]', '"text"', '{"a":1}{"b":2}', '\uFEFF{}'];

/** Text bodies for the routes that also take YAML or a raw email: hostile to their parsers. */
const RAW_TEXTS: readonly string[] = [
  '',
  'a: &a [*a]',
  'a: &a\n  b: *a\n',
  `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n${Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`).join('\n')}\n`,
  `${'- '.repeat(500)}x`,
  `${'['.repeat(1_000)}${']'.repeat(1_000)}`,
  '!!js/function "function () { return 1 }"',
  '? [a, b]\n: c',
  '%YAML 9.9\n---\na: 1',
  '---\na: 1\n---\nb: 2',
  'workspace:\n\tname: tabs',
  'workspace: {name: "\u0000"}',
  '__proto__: {polluted: true}\nconstructor: {prototype: {polluted: true}}',
  'From: a@b\r\nSubject: =?utf-8?B?////?=\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x--',
  'Content-Type: text/plain; charset=x-unknown\r\n\r\n\xff\xfe',
  'not: [closed',
  'From: "N\u0000L" <nul@example.test>\r\nSubject: n\u0000l\r\nMessage-ID: <n\u0000@example.test>\r\n\r\nbody \u0000 \ud800\r\n',
];

/** Sizes of a huge string: a big field, one just under the body limit, one beyond it. */
const HUGE_SIZES: readonly number[] = [70_000, BODY_LIMIT - 64 * 1024, BODY_LIMIT + 1024];

/** Levels of nesting beyond the 64 a body may have. */
const DEEP_LEVELS: readonly number[] = [65, 200, 5_000];

// ── values of the right shape ────────────────────────────────────────────────────────────────────
const jsonLeaf: fc.Arbitrary<unknown> = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });

function typesOf(schema: Schema): readonly string[] {
  if (schema.type === undefined) return [];
  return typeof schema.type === 'string' ? [schema.type] : schema.type;
}

/** An own, enumerable property even when the key is `__proto__` (plain assignment would set the prototype). */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') {
    return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (schema.format === 'email') return fc.constantFrom('ana@acme.test', 'new.person@example.com', 'x+tag@sub.example.org');
  if (schema.pattern !== undefined) {
    try {
      const max = schema.maxLength;
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= (schema.minLength ?? 0) && (max === undefined || s.length <= max));
    } catch {
      // A pattern fast-check cannot read: plain strings.
    }
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 24, 24));
  return fc.oneof({ weight: 4, arbitrary: fc.string({ minLength, maxLength }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength }) });
}

/** A value valid for `schema` (as far as JSON Schema says: ids that exist are another matter). */
export function validValue(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return jsonLeaf;
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined && branches.length > 0) return fc.oneof(...branches.map((branch) => validValue(branch, depth + 1)));
  if (schema.allOf !== undefined && schema.allOf.length > 0) return validValue(schema.allOf[0]!, depth + 1);
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => validValue({ ...schema, type }, depth + 1)));
  switch (types[0]) {
    case 'string':
      return stringOf(schema);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, Number.MIN_SAFE_INTEGER), max: Math.min(schema.maximum ?? 1000, Number.MAX_SAFE_INTEGER) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items === undefined ? jsonLeaf : validValue(schema.items, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object':
      return objectOf(schema, depth);
    case undefined:
    default:
      return schema.properties !== undefined ? objectOf(schema, depth) : anyJson;
  }
}

function objectOf(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const keys = Object.keys(properties);
  const declared =
    keys.length === 0
      ? fc.constant({})
      : fc.record(Object.fromEntries(keys.map((key) => [key, validValue(properties[key]!, depth + 1)])), { requiredKeys: (schema.required ?? []).filter((key) => keys.includes(key)) });
  const extra = schema.additionalProperties;
  if (keys.length > 0 || extra === false || extra === undefined) return declared;
  const values = extra === true ? anyJson : validValue(extra, depth + 1);
  return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), values, { maxKeys: 4 });
}

// ── breaking them ───────────────────────────────────────────────────────────────────────────────
type Step = string | number;

/** Every place in a value: the root, each property and item, depth first. */
function placesIn(value: unknown, at: Step[] = [], out: Step[][] = []): Step[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((item, index) => placesIn(item, [...at, index], out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) placesIn(item, [...at, key], out);
  return out;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) withKey(copy, key, clone(item));
    return copy;
  }
  return value;
}

/** `value` with the thing at `at` replaced by `replace(old)` (a copy; `undefined` deletes a property). */
function replaceAt(value: unknown, at: readonly Step[], replace: (old: unknown) => unknown): unknown {
  if (at.length === 0) return replace(value);
  const copy = clone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  const next = replace(parent[last]);
  if (next === undefined && !Array.isArray(parent)) delete parent[last];
  else if (typeof last === 'string') withKey(parent, last, next);
  else parent[last] = next;
  return copy;
}

/**
 * Deep nesting goes in as a marker and becomes text after JSON.stringify (which recurses, and
 * would overflow on thousands of levels before the server saw a byte).
 */
const DEEP_MARKER = /"__fuzz_deep_(\d+)_(arrays|objects)__"/g;

function nestedText(levels: number, asArrays: boolean): string {
  return asArrays ? `${'['.repeat(levels)}1${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** JSON text of a (mutated) value, with deep-nesting markers expanded. */
export function toJsonText(value: unknown): string {
  return (JSON.stringify(value) ?? '').replace(DEEP_MARKER, (_m, levels: string, kind: string) => nestedText(Number(levels), kind === 'arrays'));
}

const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...HUGE_SIZES), fc.constantFrom('a', 'é', '😀', 'x\u0000'))
  .map(([size, unit]) => unit.repeat(Math.ceil(size / Buffer.byteLength(unit))));

/** Where in the value (an index into its places, taken modulo their count) and what to put there. */
type Mutation =
  | { kind: 'valid' }
  | { kind: 'wrong type'; place: number; value: unknown }
  | { kind: 'missing field'; place: number }
  | { kind: 'extra field'; place: number; key: string; value: unknown }
  | { kind: 'huge string'; place: number; value: string }
  | { kind: 'deep nesting'; place: number; levels: number; asArrays: boolean }
  | { kind: 'unicode'; place: number; value: string }
  | { kind: 'edge number'; place: number; value: unknown };

const place = fc.nat({ max: 1_000 });
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'valid' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wrong type' as const), place, value: fc.oneof(fc.constantFrom(...WRONG_VALUES), anyJson) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('missing field' as const), place }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extra field' as const), place, key: fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 8 })), value: fc.oneof(anyJson, fc.constant({ prototype: { polluted: true } }), fc.constant({ polluted: true })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge string' as const), place, value: hugeString }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep nesting' as const), place, levels: fc.constantFrom(...DEEP_LEVELS), asArrays: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unicode' as const), place, value: fc.oneof(fc.constantFrom(...UNICODE_SAMPLES), fc.string({ unit: 'binary', maxLength: 16 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edge number' as const), place, value: fc.constantFrom(...EDGE_NUMBERS) }) },
);

/** Only strings are replaced by strings, and a property goes missing only where there is one. */
export function mutate(value: unknown, m: Mutation): { value: unknown; where: string } {
  if (m.kind === 'valid') return { value, where: '' };
  const all = placesIn(value);
  const pick = (places: Step[][]): Step[] => (places.length === 0 ? [] : places[m.place % places.length]!);
  const label = (at: readonly Step[]) => (at.length === 0 ? '(root)' : at.join('.'));
  switch (m.kind) {
    case 'wrong type':
    case 'edge number': {
      const at = pick(all);
      return { value: replaceAt(value, at, () => m.value), where: label(at) };
    }
    case 'missing field': {
      const properties = all.filter((at) => typeof at[at.length - 1] === 'string');
      if (properties.length === 0) return { value: undefined, where: '(no body)' };
      const at = pick(properties);
      return { value: replaceAt(value, at, () => undefined), where: label(at) };
    }
    case 'extra field': {
      const objects = all.filter((at) => {
        const here = at.reduce<unknown>((node, step) => (node as Record<Step, unknown>)[step], value);
        return here !== null && typeof here === 'object' && !Array.isArray(here);
      });
      const at = pick(objects);
      return { value: objects.length === 0 ? withKey({}, m.key, m.value) : replaceAt(value, at, (old) => withKey(clone(old) as Record<string, unknown>, m.key, m.value)), where: `${label(at)}[${JSON.stringify(m.key)}]` };
    }
    case 'huge string':
    case 'unicode': {
      const strings = all.filter((at) => typeof at.reduce<unknown>((node, step) => (node as Record<Step, unknown>)[step], value) === 'string');
      const at = strings.length === 0 ? pick(all) : pick(strings);
      return { value: replaceAt(value, at, () => m.value), where: label(at) };
    }
    case 'deep nesting': {
      const at = pick(all);
      return { value: replaceAt(value, at, () => `__fuzz_deep_${m.levels}_${m.asArrays ? 'arrays' : 'objects'}__`), where: `${label(at)} (${m.levels} levels)` };
    }
  }
}

function describeMutation(m: Mutation, where: string): string {
  if (m.kind === 'valid') return 'valid';
  const detail =
    m.kind === 'huge string' ? `${m.value.length} chars` : m.kind === 'deep nesting' ? `${m.levels} levels of ${m.asArrays ? 'arrays' : 'objects'}` : 'value' in m ? JSON.stringify(m.value)?.slice(0, 60) : '';
  return `${m.kind} at ${where}${detail ? ` (${detail})` : ''}`;
}

// ── the request ────────────────────────────────────────────────────────────────────────────────
/**
 * Percent-encodes text for a URL the way a careless client would not: a lone surrogate becomes
 * the bytes of the surrogate itself (invalid UTF-8), which `encodeURIComponent` refuses to make.
 */
export function encodeLoosely(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const isHigh = code >= 0xd800 && code <= 0xdbff;
    const next = text.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i += 1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    } else {
      out += encodeURIComponent(text[i]!);
    }
  }
  return out;
}

/** A URL segment or query value that is not even well-formed percent-encoding. */
const BROKEN_ENCODINGS: readonly string[] = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%00', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%FF%FE'];

function pathValue(name: string, known: KnownIds): fc.Arbitrary<string> {
  const ids = known[name] ?? [];
  const made = fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 24 }).map(encodeLoosely) },
    { weight: 1, arbitrary: fc.constantFrom(...UNICODE_SAMPLES).map(encodeLoosely) },
    { weight: 1, arbitrary: fc.constantFrom(...EDGE_NUMBERS.map(String)).map(encodeLoosely) },
    { weight: 1, arbitrary: fc.constantFrom(...BROKEN_ENCODINGS) },
    { weight: 1, arbitrary: fc.constantFrom(99, 100, 101, 5_000).map((n) => 'a'.repeat(n)) },
  );
  return ids.length === 0 ? made : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ids).map(encodeURIComponent) }, { weight: 2, arbitrary: made });
}

interface QueryParameter {
  readonly name: string;
  readonly required: boolean;
  readonly schema: Schema;
}

/** A query string: valid values, broken ones, repeated keys (an array where a string is expected), undeclared keys. */
function queryString(parameters: readonly QueryParameter[]): fc.Arbitrary<string> {
  const one = (parameter: QueryParameter): fc.Arbitrary<string[]> => {
    const key = encodeURIComponent(parameter.name);
    const value: fc.Arbitrary<string[]> = fc.oneof(
      { weight: 4, arbitrary: validValue(parameter.schema).map((v) => [`${key}=${encodeLoosely(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`]) },
      { weight: 1, arbitrary: fc.constantFrom(...UNICODE_SAMPLES).map((v) => [`${key}=${encodeLoosely(v)}`]) },
      { weight: 1, arbitrary: fc.constantFrom(...EDGE_NUMBERS).map((v) => [`${key}=${encodeLoosely(String(v))}`]) },
      { weight: 1, arbitrary: fc.constantFrom(...BROKEN_ENCODINGS).map((v) => [`${key}=${v}`]) },
      { weight: 1, arbitrary: fc.constant<string[]>([`${key}=a`, `${key}=b`]) },
      { weight: 1, arbitrary: fc.constant<string[]>([`${key}[]=a`, `${key}`]) },
      { weight: 1, arbitrary: fc.constantFrom(1_000, 100_000).map((n) => [`${key}=${'q'.repeat(n)}`]) },
    );
    return parameter.required ? value : fc.option(value, { nil: [] as string[], freq: 2 });
  };
  const extra = fc.option(fc.constantFrom('__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'unknown=1', '=', '&&', 'a=%'), { nil: undefined, freq: 3 });
  return fc.tuple(fc.tuple(...parameters.map(one)), extra).map(([parts, more]) => [...parts.flat(), ...(more === undefined ? [] : [more])].join('&'));
}

/**
 * Requests for `operation`: its path with known ids or made-up segments, a query from its
 * parameters, and a body from its JSON schema, broken by one mutation (or sent as it is, or sent
 * as text that is not JSON).
 */
export function requestsFor(operation: ApiOperation, headers: Record<string, string>, known: KnownIds): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.operation.parameters ?? [];
  const pathNames = parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const query: QueryParameter[] = parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required === true, schema: (p.schema ?? {}) }));
  const bodySchema = operation.operation.requestBody?.content?.['application/json']?.schema as Schema | undefined;
  const path = fc.tuple(...pathNames.map((name) => pathValue(name, known))).map((values) => {
    let url = operation.path;
    pathNames.forEach((name, index) => (url = url.replace(`{${name}}`, values[index]!)));
    return url;
  });
  const search = query.length === 0 ? fc.constant('') : queryString(query);
  type Body = { payload?: string; how: string };
  const body: fc.Arbitrary<Body> =
    bodySchema === undefined
      ? fc.oneof({ weight: 4, arbitrary: fc.constant<Body>({ how: 'no body' }) }, { weight: 1, arbitrary: fc.tuple(anyJson, mutation).map(([v, m]): Body => ({ payload: toJsonText(mutate(v, m).value), how: `unexpected body (${m.kind})` })) })
      : fc.oneof(
          {
            weight: 12,
            arbitrary: fc.tuple(validValue(bodySchema), mutation).map(([valid, m]): Body => {
              const { value, where } = mutate(valid, m);
              return value === undefined ? { how: describeMutation(m, where) } : { payload: toJsonText(value), how: describeMutation(m, where) };
            }),
          },
          { weight: 1, arbitrary: fc.constantFrom(...NOT_JSON).map((text): Body => ({ payload: text, how: `not JSON: ${JSON.stringify(text)}` })) },
        );
  const otherTypes = Object.keys(operation.operation.requestBody?.content ?? {}).filter((type) => type !== 'application/json');
  type Sent = Body & { type?: string };
  const sent: fc.Arbitrary<Sent> =
    otherTypes.length === 0
      ? body
      : fc.oneof(
          { weight: 3, arbitrary: body },
          {
            weight: 1,
            arbitrary: fc
              .tuple(fc.constantFrom(...otherTypes), fc.oneof(fc.constantFrom(...RAW_TEXTS), fc.constantFrom(...UNICODE_SAMPLES), hugeString))
              .map(([type, text]): Sent => ({ type, payload: text, how: `${type}: ${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? ` (${text.length} chars)` : ''}` })),
          },
        );
  return fc.tuple(path, search, sent).map(([url, q, b]) => ({
    method: operation.method,
    url: q === '' ? url : `${url}?${q}`,
    headers: { ...headers, ...(b.payload === undefined ? {} : { 'content-type': b.type ?? 'application/json' }) },
    ...(b.payload === undefined ? {} : { payload: b.payload }),
    how: b.how,
  }));
}
