/**
 * Pure editing operations of the rules form (issue 4): list moves, a unique id for a copy, an
 * immutable update at a path, condition-tree edits and matching server problems to a place in
 * the form. No React here, so every operation is unit-tested (edit-rules.test.ts).
 */
import type { Condition, OperatorSpec } from '../../../../../../src/contract/conditions.js';
import type { Destination, Rule, RuleAction } from '../../../../../../src/contract/config.js';

export type { Condition, OperatorSpec, Destination, Rule, RuleAction };

/** One key of a path as the server writes it: object keys and array indexes. */
export type PathStep = string | number;
export type Path = readonly PathStep[];

// ── lists ──────────────────────────────────────────────────────────────────────────────────────
/** The list with the item at `from` moved to `to` (both clamped); the same list when nothing moves. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (from < 0 || from >= list.length || from === target) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item as T);
  return out;
}

export function insertItem<T>(list: readonly T[], index: number, item: T): T[] {
  const at = Math.max(0, Math.min(list.length, index));
  return [...list.slice(0, at), item, ...list.slice(at)];
}

export function removeItem<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

export function replaceItem<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((existing, i) => (i === index ? item : existing));
}

// ── rules ──────────────────────────────────────────────────────────────────────────────────────
/** `base`, or `base-2`, `base-3`… — the first not taken (ids are slugs of at most 64 characters). */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const stem = (base === '' ? 'rule' : base).slice(0, 58);
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The rules with a copy of rule `index` right after it, under a new id (`<id>-copy`, `<id>-copy-2`…). */
export function duplicateRule(rules: readonly Rule[], index: number): Rule[] {
  const original = rules[index];
  if (original === undefined) return [...rules];
  const id = uniqueId(`${original.id}-copy`, new Set(rules.map((r) => r.id)));
  const copy: Rule = { ...structuredClone(original), id };
  return insertItem(rules, index + 1, copy);
}

/** A new rule for the end of the list: every trigger, no conditions, to `destination`. */
export function newRule(rules: readonly Rule[], destination: Destination): Rule {
  return {
    id: uniqueId('new-rule', new Set(rules.map((r) => r.id))),
    enabled: true,
    then: { destination, assignment: 'reassign', notify: ['in_app'], tasks: [] },
  };
}

// ── update at a path ───────────────────────────────────────────────────────────────────────────
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `root` with the value at `path` replaced by `next` (copies along the path, the rest shared);
 * `undefined` removes an object key. Missing containers on the way are created.
 */
export function setIn<T>(root: T, path: Path, next: unknown): T {
  return setAt(root, path, next) as T;
}

function setAt(node: unknown, path: Path, next: unknown): unknown {
  const [step, ...rest] = path;
  if (step === undefined) return next;
  if (typeof step === 'number') {
    const list = Array.isArray(node) ? [...(node as unknown[])] : [];
    list[step] = setAt(list[step], rest, next);
    return list;
  }
  const object: Record<string, unknown> = isRecord(node) ? { ...node } : {};
  const value = setAt(object[step], rest, next);
  if (value === undefined) delete object[step];
  else object[step] = value;
  return object;
}

export function getIn(root: unknown, path: Path): unknown {
  let node = root;
  for (const step of path) {
    if (typeof step === 'number') node = Array.isArray(node) ? (node as unknown[])[step] : undefined;
    else node = isRecord(node) ? node[step] : undefined;
  }
  return node;
}

/** `rules[2].then.destination.queue`, the way the server names a problem's place. */
export function formatPath(path: Path): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += out === '' ? step : `.${step}`;
  }
  return out === '' ? '(root)' : out;
}

// ── conditions ─────────────────────────────────────────────────────────────────────────────────
export type ConditionNode =
  | { kind: 'all' | 'any'; children: Condition[] }
  | { kind: 'not'; child: Condition }
  | { kind: 'businessHours'; state: 'open' | 'closed'; schedule: string }
  | { kind: 'field'; field: string; spec: OperatorSpec };

/** What a condition is, for the form: a group, a negation, business hours or one field's test. */
export function readCondition(condition: Condition): ConditionNode {
  const record = condition as Record<string, unknown>;
  const [key] = Object.keys(record);
  const value = key === undefined ? undefined : record[key];
  if ((key === 'all' || key === 'any') && Array.isArray(value))
    return { kind: key, children: value as Condition[] };
  if (key === 'not' && isRecord(value)) return { kind: 'not', child: value as Condition };
  if (key === 'businessHours' && isRecord(value)) {
    if (typeof value.closed === 'string')
      return { kind: 'businessHours', state: 'closed', schedule: value.closed };
    return {
      kind: 'businessHours',
      state: 'open',
      schedule: typeof value.open === 'string' ? value.open : '',
    };
  }
  return { kind: 'field', field: key ?? '', spec: isRecord(value) ? value : {} };
}

export function writeCondition(node: ConditionNode): Condition {
  switch (node.kind) {
    case 'all':
      return { all: node.children };
    case 'any':
      return { any: node.children };
    case 'not':
      return { not: node.child };
    case 'businessHours':
      return { businessHours: node.state === 'open' ? { open: node.schedule } : { closed: node.schedule } };
    case 'field':
      return { [node.field]: node.spec };
  }
}

/** A fresh test for the form: `priority is urgent`. */
export const blankCondition = (): Condition => ({ priority: { eq: 'urgent' } });

/**
 * Add a condition to a rule's `if`: none yet → just it; a group → one more child; a single
 * condition → both under `all`.
 */
export function addCondition(root: Condition | undefined, added: Condition = blankCondition()): Condition {
  if (root === undefined) return added;
  const node = readCondition(root);
  if (node.kind === 'all' || node.kind === 'any')
    return writeCondition({ ...node, children: [...node.children, added] });
  return { all: [root, added] };
}

/**
 * Remove the condition at `path` (steps inside the `if`): a group that loses its last child goes
 * too (the schema wants at least one), and so does a `not` whose condition is removed.
 */
export function removeCondition(root: Condition | undefined, path: Path): Condition | undefined {
  if (root === undefined || path.length === 0) return undefined;
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const parent = getIn(root, parentPath);
  if (typeof last === 'number' && Array.isArray(parent)) {
    const remaining = removeItem(parent as Condition[], last);
    // path ends …, 'all'|'any', index: the group is two steps up.
    const groupPath = path.slice(0, -2);
    if (remaining.length === 0) return removeCondition(root, groupPath);
    return setIn(root, parentPath, remaining);
  }
  // path ends …, 'not': removing the negated condition removes the `not`.
  return removeCondition(root, parentPath);
}

/** Replace `{…}` at `path` with `{ not: {…} }`, or unwrap a `not` back. */
export function toggleNot(root: Condition, path: Path): Condition {
  const current = getIn(root, path) as Condition;
  const node = readCondition(current);
  const next: Condition = node.kind === 'not' ? node.child : { not: current };
  return path.length === 0 ? next : setIn(root, path, next);
}

// ── server problems in the form ────────────────────────────────────────────────────────────────
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** The problems at `path` or under it (`rules[2]` holds `rules[2].then.destination.queue`). */
export function problemsUnder(problems: readonly Problem[], path: Path): Problem[] {
  const prefix = formatPath(path);
  return problems.filter(
    (p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`),
  );
}

/**
 * The problems that belong to this place and to no narrower one the form shows: under `path` but
 * not under any of `narrower` (a group shows its own problem, its children show theirs).
 */
export function problemsAt(
  problems: readonly Problem[],
  path: Path,
  narrower: readonly Path[] = [],
): Problem[] {
  const excluded = new Set(narrower.flatMap((p) => problemsUnder(problems, p)));
  return problemsUnder(problems, path).filter((p) => !excluded.has(p));
}
