import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Scalar } from 'yaml';
import { z } from 'zod';
import { WorkspaceConfig } from '../contract/config.js';

export interface ExportOptions {
  /** Write fields whose value is the default too (`role: agent`, `enabled: true`, …). Default false. */
  readonly includeDefaults?: boolean;
  /** Adds a `yaml-language-server` line so editors validate and complete against the schema. */
  readonly schemaUrl?: string;
}

/** Collections that print on one line (`[lang:es, lang:en]`, `{ queue: general }`) when this short. */
const FLOW_WIDTH = 72;

/**
 * The workspace as `baton.yaml`: sections and fields in the schema's order, defaults left out
 * unless asked for, short lists and mappings on one line. Strings are written as they are, so
 * give it `raw` from `parseConfigText` to keep `${VAR}` references (and never the secrets they
 * stand for). Round-trips: parsing the text gives back the same workspace.
 */
export function exportConfig(config: WorkspaceConfig, options: ExportOptions = {}): string {
  const plain = prune(WorkspaceConfig, config, options.includeDefaults ?? false);
  const header = [' Baton workspace (docs/configuration.md). Apply with: baton apply -f baton.yaml'];
  if (options.schemaUrl !== undefined) header.unshift(` yaml-language-server: $schema=${options.schemaUrl}`);
  return toBatonYaml(plain, header.join('\n'));
}

/**
 * A piece of a workspace written the way `baton export` writes it: sections as blocks, short lists
 * and mappings on one line, a blank line between sections. The configuration reference writes
 * its examples with it too.
 */
export function toBatonYaml(value: unknown, comment?: string): string {
  const doc = new Document(value);
  if (comment !== undefined) doc.commentBefore = comment;
  styleCollections(doc.contents, 0);
  if (isMap(doc.contents)) {
    doc.contents.items.forEach((pair, index) => {
      if (index > 0 && isScalar(pair.key)) pair.key.spaceBefore = true;
    });
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * Walks the value along its schema: keeps the schema's field order, drops fields equal to their
 * default. Unions (destinations, conditions, messages) hold no defaults and are copied as they are.
 */
function prune(schema: z.ZodType, value: unknown, includeDefaults: boolean): unknown {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject && isRecord(value)) {
    const shape = inner.shape as Record<string, z.ZodType>;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      const item = value[key];
      if (item === undefined) continue;
      if (!includeDefaults && field instanceof z.ZodDefault && isDeepStrictEqual(item, field.def.defaultValue)) continue;
      out[key] = prune(field, item, includeDefaults);
    }
    // Keys the schema does not know are kept, so that a bad input fails loudly on the way back in.
    for (const [key, item] of Object.entries(value)) if (!(key in shape) && item !== undefined) out[key] = item;
    // `outOfHours: {}` means the same as `outOfHours: { action: queue_and_inform }`, but says less.
    if (Object.keys(out).length === 0 && Object.keys(value).length > 0 && !includeDefaults) return prune(schema, value, true);
    return out;
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    return value.map((item: unknown) => prune(inner.element as z.ZodType, item, includeDefaults));
  }
  if (inner instanceof z.ZodRecord && isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = prune(inner.valueType as z.ZodType, item, includeDefaults);
    return out;
  }
  return value;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Block style for the document, its sections and their items (one user, one rule, …); deeper, a
 * list of scalars or a mapping of scalars and such lists goes on one line when short, as people
 * write them (`skills: [lang:es, lang:en]`, `- channel: {in: [web-chat]}`).
 */
function styleCollections(node: unknown, depth: number): void {
  if (isScalar(node)) {
    quoteAmbiguous(node);
    return;
  }
  if (!isMap(node) && !isSeq(node)) return;
  const flow = depth >= 2 && isFlowable(node, depth);
  if (flow) node.flow = true;
  for (const item of node.items) {
    if (isPair(item)) {
      styleCollections(item.key, depth + 1);
      styleCollections(item.value, depth + 1);
    } else {
      styleCollections(item, depth + 1);
    }
  }
}

function isFlowable(node: unknown, depth: number): boolean {
  // Items of a section list (`- id: ana …`) read better as blocks, however short.
  if (depth === 2 && isMap(node)) return false;
  const json = JSON.stringify(toJson(node));
  if (json.length > FLOW_WIDTH || json.includes('\\n')) return false;
  if (isSeq(node)) return node.items.every((item) => isScalar(item));
  if (isMap(node)) {
    return node.items.every((pair) => isScalar(pair.value) || (isSeq(pair.value) && pair.value.items.every((item) => isScalar(item))));
  }
  return false;
}

/**
 * YAML 1.2 (what Baton reads) takes `2026-12-25`, `09:00` and `no` as text, but YAML 1.1 tools
 * still in editors and CI read a date, a number of minutes and `false`. Quoting them means the
 * same everywhere.
 */
const AMBIGUOUS = /^(\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}.*|y|n|yes|no|on|off|true|false|null|~)$/i;

function quoteAmbiguous(node: Scalar): void {
  if (typeof node.value === 'string' && AMBIGUOUS.test(node.value)) node.type = 'QUOTE_DOUBLE';
}

function toJson(node: unknown): unknown {
  if (typeof node === 'object' && node !== null && 'toJSON' in node && typeof node.toJSON === 'function') {
    return (node.toJSON as () => unknown)();
  }
  return node;
}
