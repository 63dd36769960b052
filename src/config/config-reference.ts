import { stringify } from 'yaml';
import { z } from 'zod';
import { Duration, LanguageTag, Slug } from '../contract/common.js';
import { Condition } from '../contract/conditions.js';
import {
  CustomerMessage,
  DayKey,
  Destination,
  IsoDate,
  RuleAction,
  TaskAssignee,
  TimeInterval,
  TimeZone,
  WorkspaceConfig,
} from '../contract/config.js';
import { unwrap } from './explain-schema-issues.js';
import { toBatonYaml } from './export-config.js';

/**
 * The reference tables of docs/configuration.md, generated from the schema that validates
 * baton.yaml: every key with its type, its default and an example, so the documentation cannot
 * drift from what `baton validate` accepts. `npm run docs` writes them; a test compares.
 */

/** One documented key. */
export interface ReferenceRow {
  readonly key: string;
  readonly type: string;
  /** `required`, `—` (optional, no default) or the default as YAML. */
  readonly default: string;
  readonly description: string | undefined;
  readonly example: unknown;
}

/** Types with a name of their own, written once in the "Types" table instead of at every use. */
const NAMED: ReadonlyArray<readonly [z.ZodType, string]> = [
  [Slug, '[id](#types)'],
  [Duration, '[duration](#types)'],
  [LanguageTag, '[language](#types)'],
  [TimeZone, '[time zone](#types)'],
  [IsoDate, '[date](#types)'],
  [TimeInterval, '[interval](#types)'],
  [DayKey, '[days](#types)'],
  [Condition, '[condition](#conditions)'],
  [Destination, '[destination](#types)'],
  [CustomerMessage, '[message](#types)'],
  [TaskAssignee, '[assignee](#types)'],
  [RuleAction, '[action](#actions)'],
];

/** The sections of the reference: each top-level key, then actions (used by rules and the fallback). */
export function configReferenceRows(): ReadonlyArray<{
  readonly title: string;
  readonly rows: readonly ReferenceRow[];
}> {
  const sections: Array<{ title: string; rows: ReferenceRow[] }> = [];
  for (const [key, field] of Object.entries(WorkspaceConfig.shape as Record<string, z.ZodType>)) {
    sections.push({ title: key, rows: rowsOf(field, key) });
  }
  sections.push({ title: 'actions', rows: rowsOf(RuleAction, '') });
  return sections;
}

/** The generated part of docs/configuration.md. */
export function configReference(): string {
  const out: string[] = [];
  for (const { title, rows } of configReferenceRows()) {
    const top = (WorkspaceConfig.shape as Record<string, z.ZodType>)[title];
    out.push(`### ${title === 'actions' ? 'Actions' : `\`${title}\``}`, '');
    const description = top
      ? describe(top)
      : 'What a rule does when it is the first that matches (`then:`), and what the fallback does.';
    if (description) out.push(description, '');
    out.push('| key | type | default | description |', '|---|---|---|---|');
    for (const row of rows) {
      out.push(`| \`${row.key}\` | ${row.type} | ${cell(row.default)} | ${cell(row.description ?? '')} |`);
    }
    out.push('', 'Example:', '', '```yaml', exampleYaml(title, top ?? RuleAction).trimEnd(), '```', '');
  }
  return out.join('\n');
}

function rowsOf(schema: z.ZodType, prefix: string): ReferenceRow[] {
  const inner = unwrap(schema);
  const rows: ReferenceRow[] = [];
  if (prefix !== '' && namedType(schema) === undefined) {
    if (inner instanceof z.ZodObject) return objectRows(inner, `${prefix}.`);
    if (inner instanceof z.ZodArray && unwrap(inner.element as z.ZodType) instanceof z.ZodObject) {
      return objectRows(unwrap(inner.element as z.ZodType) as z.ZodObject, `${prefix}[].`);
    }
  }
  if (prefix === '' && inner instanceof z.ZodObject) return objectRows(inner, '');
  return rows;
}

function objectRows(object: z.ZodObject, prefix: string): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const shape: Readonly<Record<string, z.ZodType>> = object.shape;
  for (const [key, field] of Object.entries(shape)) {
    const path = `${prefix}${key}`;
    const inner = unwrap(field);
    const nested =
      namedType(field) === undefined &&
      (inner instanceof z.ZodObject ||
        (inner instanceof z.ZodArray &&
          unwrap(inner.element as z.ZodType) instanceof z.ZodObject &&
          namedType(inner.element as z.ZodType) === undefined));
    rows.push({
      key: nested && inner instanceof z.ZodArray ? `${path}[]` : path,
      type: typeOf(field),
      default: defaultOf(field),
      description: describe(field),
      example: exampleOf(field),
    });
    if (nested) rows.push(...rowsOf(field, path));
  }
  return rows;
}

/** The YAML example of a section: each key's example, composed. */
function exampleYaml(title: string, schema: z.ZodType): string {
  const value = composeExample(schema);
  return toBatonYaml(title === 'actions' ? { then: value } : { [title]: value });
}

function composeExample(schema: z.ZodType): unknown {
  const own = exampleOf(schema);
  if (own !== undefined) return own;
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    const out: Record<string, unknown> = {};
    const shape: Readonly<Record<string, z.ZodType>> = inner.shape;
    for (const [key, field] of Object.entries(shape)) {
      const value = composeExample(field);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (inner instanceof z.ZodArray) {
    const item = composeExample(inner.element as z.ZodType);
    return item === undefined ? undefined : [item];
  }
  return undefined;
}

function typeOf(schema: z.ZodType): string {
  const named = namedType(schema);
  if (named) return named;
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return 'mapping';
  if (inner instanceof z.ZodArray) return `list of ${typeOf(inner.element as z.ZodType)}`;
  if (inner instanceof z.ZodRecord) {
    const keys =
      namedType(inner.keyType as z.ZodType) ??
      (unwrap(inner.keyType as z.ZodType) instanceof z.ZodEnum ? 'channel type' : 'name');
    return `mapping of ${keys} to ${typeOf(inner.valueType as z.ZodType)}`;
  }
  if (inner instanceof z.ZodEnum)
    return (inner.options as readonly string[]).map((option) => `\`${option}\``).join(', ');
  if (inner instanceof z.ZodLiteral) return `\`${String(inner.value)}\``;
  if (inner instanceof z.ZodUnion)
    return (inner.options as readonly z.ZodType[]).map((option) => typeOf(option)).join(' or ');
  if (inner instanceof z.ZodBoolean) return 'boolean';
  if (inner instanceof z.ZodNull) return 'null';
  if (inner instanceof z.ZodNumber) {
    const integer = inner.format === 'safeint' || inner.isInt;
    const bounded = (bound: number | null): bound is number =>
      bound !== null && Math.abs(bound) < Number.MAX_SAFE_INTEGER;
    const { minValue: min, maxValue: max } = inner;
    const range =
      bounded(min) && bounded(max)
        ? ` ${min}–${max}`
        : bounded(min)
          ? ` ≥ ${min}`
          : bounded(max)
            ? ` ≤ ${max}`
            : '';
    return `${integer ? 'integer' : 'number'}${range}`;
  }
  if (inner instanceof z.ZodEmail) return 'email address';
  if (inner instanceof z.ZodURL) return 'URL';
  if (inner instanceof z.ZodString) return 'text';
  return 'value';
}

/** The named type a schema is, or is a described copy of (`.meta()` copies keep their parent). */
function namedType(schema: z.ZodType): string | undefined {
  for (let current: z.ZodType | undefined = schema; current;) {
    const found = NAMED.find(([named]) => named === current);
    if (found) return found[1];
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
      continue;
    }
    current = (current._zod as { parent?: z.ZodType }).parent;
  }
  return undefined;
}

function defaultOf(schema: z.ZodType): string {
  for (let current: z.ZodType = schema; ;) {
    if (current instanceof z.ZodDefault) return `\`${flow(current.def.defaultValue)}\``;
    if (current instanceof z.ZodOptional) return '—';
    const parent = (current._zod as { parent?: z.ZodType }).parent;
    if (!parent) return 'required';
    current = parent;
  }
}

function describe(schema: z.ZodType): string | undefined {
  return (z.globalRegistry.get(schema) as { description?: string } | undefined)?.description;
}

function exampleOf(schema: z.ZodType): unknown {
  const examples = (z.globalRegistry.get(schema) as { examples?: unknown[] } | undefined)?.examples;
  return examples?.[0];
}

function flow(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
