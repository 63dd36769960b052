/**
 * A rule condition compiled once into closures. Evaluating a compiled condition walks no YAML, compiles no regex and builds no
 * string: it returns null when the condition holds, or the precomputed trace entry naming the
 * FIRST condition that failed.
 *
 * Semantics (the property test's reference interpreter states the same in plain code):
 * - Text comparisons ignore case. `eq`/`neq`/`in`/`nin` compare two texts, or two numbers, or
 *   two booleans; a number or boolean against a text compares their written forms
 *   (property "10" eq 10). `eq: null` holds when the value is missing.
 * - `contains`: the value's text contains the literal's text; on a list, some element eq it.
 * - `matches`: JavaScript regular expression, case-insensitive, compiled at compile time.
 * - `exists: true`: the value is not null, missing, '' or an empty list.
 * - `gt`/`gte`/`lt`/`lte`: numbers compare as numbers (a text of digits counts as a number
 *   against a number literal), two texts in code-unit order (ISO dates, "HH:MM" times);
 *   anything else does not hold. `priority` orders low < normal < high < urgent.
 * - Lists (tags, and channel = its id and its type): an operator holds when some element
 *   satisfies it; `neq` and `nin` hold when no element is `eq`/`in`.
 * - `language` (and `contact.language`): a literal without a region (`pt`) matches any tag of
 *   that language (`pt`, `pt-BR`); a literal with one (`pt-BR`) only that tag.
 * - Several operators on one field must all hold; `all`/`any`/`not` combine.
 */
import { Priority } from '../../contract/common.js';
import { OPERATORS, compileMatches, explainPatternError, type BusinessHoursSpec, type Condition, type OperatorSpec, type Scalar } from '../../contract/conditions.js';
import type { RuleEvaluation } from '../../contract/trace.js';
import type { RuleFacts, Schedule } from '../model.js';
import { isOpenAt } from '../schedule/schedule.js';
import { fieldReader, type FieldReader, type Flavour, type LocalClock } from './read-field.js';

/** null when the condition holds, else the trace entry of the first failed condition. */
export type Check = (facts: RuleFacts) => RuleEvaluation | null;

export interface ConditionContext {
  readonly ruleId: string;
  readonly schedules: ReadonlyMap<string, Schedule>;
  readonly clock: LocalClock;
  /**
   * When set, each test of a leaf (one operator of a field, or a businessHours leaf) is handed
   * over with its signature (see `Guard`) and look-up (see `GuardLookup`), and the leaf calls
   * what this returns instead: a ruleset answers each distinct test at most once per evaluation
   * (compile.ts). The answer must be the test's own.
   */
  readonly shareTest?: (signature: string, test: FactsTest, lookup: GuardLookup | undefined) => FactsTest;
  /**
   * The same for a leaf with one operator, as a whole check: what this returns must hold
   * (return null) exactly when `test` does, and return `entry` otherwise. One closure per leaf
   * instead of a leaf calling a shared test.
   */
  readonly shareLeaf?: (signature: string, test: FactsTest, lookup: GuardLookup | undefined, entry: RuleEvaluation) => Check;
  /** When set, `all` of two or more children: a check that returns the first child's failure, or null. */
  readonly shareAll?: (children: readonly Check[]) => Check;
}

type ElementTest = (value: Scalar | undefined) => boolean;
export type FactsTest = (facts: RuleFacts) => boolean;

/** The contract's priorities in their order: low < normal < high < urgent. */
const PRIORITY_RANK: Readonly<Record<string, number>> = Object.fromEntries(Priority.options.map((name, rank) => [name, rank]));
/** `hasOwn`: a literal such as "constructor" or "__proto__" is no priority name (it compares as text). */
function priorityRank(name: string): number | undefined {
  return Object.hasOwn(PRIORITY_RANK, name) ? PRIORITY_RANK[name] : undefined;
}
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/** One-entry memo: consecutive rules often lower-case the same message text or language. */
let lastRaw = '';
let lastLower = '';
function lower(text: string): string {
  if (text !== lastRaw) {
    lastRaw = text;
    lastLower = text.toLowerCase();
  }
  return lastLower;
}

function textOf(value: string | number | boolean): string {
  return typeof value === 'string' ? lower(value) : String(value).toLowerCase();
}

export class ConditionError extends Error {}

// ---------------------------------------------------------------------------------------------
// Element tests

function equalsTest(literal: Scalar, flavour: Flavour): ElementTest {
  if (literal === null) return (value) => value === null || value === undefined;
  const literalText = String(literal).toLowerCase();
  if (typeof literal === 'string') {
    if (flavour === 'language' && !literalText.includes('-')) {
      const prefix = `${literalText}-`;
      return (value) => {
        if (value === null || value === undefined) return false;
        const text = textOf(value);
        return text === literalText || text.startsWith(prefix);
      };
    }
    return (value) => value !== null && value !== undefined && (value === literalText || textOf(value) === literalText);
  }
  const type = typeof literal;
  return (value) => {
    if (value === null || value === undefined) return false;
    return typeof value === type ? value === literal : textOf(value) === literalText;
  };
}

function inTest(literals: readonly Scalar[], flavour: Flavour): ElementTest {
  const tests = literals.map((literal) => equalsTest(literal, flavour));
  return (value) => {
    for (const test of tests) if (test(value)) return true;
    return false;
  };
}

function containsTest(literal: Scalar): ElementTest {
  if (literal === null) return () => false;
  const literalText = String(literal).toLowerCase();
  return (value) => value !== null && value !== undefined && textOf(value).includes(literalText);
}

function matchesTest(source: string): ElementTest {
  const pattern = compileMatches(source);
  return (value) =>
    value !== null && value !== undefined && pattern.test(typeof value === 'string' ? value : String(value));
}

function compareHolds(operator: 'gt' | 'gte' | 'lt' | 'lte', a: number | string, b: number | string): boolean {
  switch (operator) {
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}

function orderTest(operator: 'gt' | 'gte' | 'lt' | 'lte', literal: number | string, flavour: Flavour): ElementTest {
  if (flavour === 'priority' && typeof literal === 'string') {
    const rank = priorityRank(literal.toLowerCase());
    if (rank !== undefined) {
      return (value) => {
        if (typeof value !== 'string') return false;
        const valueRank = priorityRank(lower(value));
        return valueRank !== undefined && compareHolds(operator, valueRank, rank);
      };
    }
  }
  if (typeof literal === 'number') {
    return (value) => {
      if (typeof value === 'number') return compareHolds(operator, value, literal);
      if (typeof value === 'string' && NUMBER_TEXT.test(value)) return compareHolds(operator, Number(value), literal);
      return false;
    };
  }
  const literalNumber = NUMBER_TEXT.test(literal) ? Number(literal) : null;
  return (value) => {
    if (typeof value === 'string') return compareHolds(operator, value, literal);
    if (typeof value === 'number' && literalNumber !== null) return compareHolds(operator, value, literalNumber);
    return false;
  };
}

// ---------------------------------------------------------------------------------------------
// Field tests

/** Applies an element test to a field: some element for lists; `negated` flips the answer. */
function fieldTest(reader: FieldReader, test: ElementTest, negated: boolean): FactsTest {
  switch (reader.kind) {
    case 'scalar': {
      const read = reader.read;
      return (facts) => test(read(facts)) !== negated;
    }
    case 'list': {
      const read = reader.read;
      return (facts) => {
        const values = read(facts);
        for (let index = 0; index < values.length; index += 1) if (test(values[index])) return !negated;
        return negated;
      };
    }
    case 'channel':
      return (facts) => (test(facts.channel.id) || test(facts.channel.type)) !== negated;
  }
}

function existsTest(reader: FieldReader, expected: boolean): FactsTest {
  switch (reader.kind) {
    case 'scalar': {
      const read = reader.read;
      return (facts) => {
        const value = read(facts);
        return (value !== null && value !== undefined && value !== '') === expected;
      };
    }
    case 'list': {
      const read = reader.read;
      return (facts) => read(facts).length > 0 === expected;
    }
    case 'channel':
      return () => expected;
  }
}

function scalarOf(value: unknown, where: string): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  throw new ConditionError(`${where} needs a text, number, boolean or null`);
}

function listOf(value: unknown, where: string): Scalar[] {
  if (!Array.isArray(value)) throw new ConditionError(`${where} needs a list`);
  return value.map((item) => scalarOf(item, where));
}

function operatorTest(reader: FieldReader, operator: string, literal: unknown, where: string): FactsTest {
  const flavour = reader.flavour;
  const isList = reader.kind !== 'scalar';
  switch (operator) {
    case 'eq':
      return fieldTest(reader, equalsTest(scalarOf(literal, where), flavour), false);
    case 'neq':
      return fieldTest(reader, equalsTest(scalarOf(literal, where), flavour), true);
    case 'in':
      return fieldTest(reader, inTest(listOf(literal, where), flavour), false);
    case 'nin':
      return fieldTest(reader, inTest(listOf(literal, where), flavour), true);
    case 'contains': {
      const scalar = scalarOf(literal, where);
      return fieldTest(reader, isList ? equalsTest(scalar, flavour) : containsTest(scalar), false);
    }
    case 'matches':
      if (typeof literal !== 'string') throw new ConditionError(`${where} needs a regular expression`);
      try {
        return fieldTest(reader, matchesTest(literal), false);
      } catch (error) {
        throw new ConditionError(`${where}: ${explainPatternError(error)}`);
      }
    case 'exists':
      if (typeof literal !== 'boolean') throw new ConditionError(`${where} needs true or false`);
      return existsTest(reader, literal);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof literal !== 'number' && typeof literal !== 'string') {
        throw new ConditionError(`${where} needs a number or a text`);
      }
      return fieldTest(reader, orderTest(operator, literal, flavour), false);
    default:
      throw new ConditionError(`${where}: unknown operator (use ${OPERATORS.join(', ')})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Descriptions (the trace texts), built at compile time

/** `language eq "es"`, `contact.plan in ["enterprise"]`, `businessHours open office`. */
export function describeOperator(field: string, operator: string, literal: unknown): string {
  return `${field} ${operator} ${JSON.stringify(literal)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Readable text of a whole condition, for `any` ("none of: …") and `not` ("not (…)"). */
export function describeCondition(condition: Condition): string {
  const record = condition as Record<string, unknown>;
  const [key] = Object.keys(record);
  const value = key === undefined ? undefined : record[key];
  if (key === 'all' && Array.isArray(value)) return (value as Condition[]).map(describeNested).join(' and ');
  if (key === 'any' && Array.isArray(value)) return (value as Condition[]).map(describeNested).join(' or ');
  if (key === 'not' && isRecord(value)) return `not (${describeCondition(value as Condition)})`;
  if (key === 'businessHours' && isRecord(value)) {
    return Object.entries(value)
      .map(([state, schedule]) => `businessHours ${state} ${String(schedule)}`)
      .join(' and ');
  }
  if (key !== undefined && isRecord(value)) {
    return Object.entries(value)
      .map(([operator, literal]) => describeOperator(key, operator, literal))
      .join(' and ');
  }
  return JSON.stringify(condition);
}

function describeNested(condition: Condition): string {
  const text = describeCondition(condition);
  const record = condition as Record<string, unknown>;
  const [key] = Object.keys(record);
  const value = key === undefined ? undefined : record[key];
  const compound =
    key === 'all' || key === 'any' || (isRecord(value) && Object.keys(value).length > 1 && key !== 'not');
  return compound ? `(${text})` : text;
}

// ---------------------------------------------------------------------------------------------
// Compiling

function failure(context: ConditionContext, text: string): RuleEvaluation {
  return Object.freeze({ rule: context.ruleId, matched: false, failed: text });
}

function compileLeaf(field: string, spec: OperatorSpec, context: ConditionContext): Check {
  const reader = fieldReader(field, context.clock);
  if (reader === null) throw new ConditionError(`unknown field "${field}"`);
  if (!isRecord(spec)) throw new ConditionError(`${field} needs operators such as { eq: value }`);
  const operators = Object.entries(spec).filter(([, literal]) => literal !== undefined);
  const [one] = operators;
  if (operators.length === 1 && one !== undefined && context.shareLeaf !== undefined) {
    const [operator, literal] = one;
    const test = operatorTest(reader, operator, literal, `${field}.${operator}`);
    const entry = failure(context, describeOperator(field, operator, literal));
    return context.shareLeaf(testSignature(field, operator, literal), test, guardLookup(field, reader, operator, literal), entry);
  }
  const parts: { test: FactsTest; entry: RuleEvaluation }[] = [];
  for (const [operator, literal] of Object.entries(spec)) {
    if (literal === undefined) continue;
    let test = operatorTest(reader, operator, literal, `${field}.${operator}`);
    if (context.shareTest !== undefined) {
      test = context.shareTest(testSignature(field, operator, literal), test, guardLookup(field, reader, operator, literal));
    }
    parts.push({ test, entry: failure(context, describeOperator(field, operator, literal)) });
  }
  const [only] = parts;
  if (only === undefined) throw new ConditionError(`${field} needs an operator`);
  if (parts.length === 1) {
    const { test, entry } = only;
    return (facts) => (test(facts) ? null : entry);
  }
  return (facts) => {
    for (const part of parts) if (!part.test(facts)) return part.entry;
    return null;
  };
}

function compileBusinessHours(spec: BusinessHoursSpec, context: ConditionContext): Check {
  const wantOpen = 'open' in spec;
  const scheduleId = 'open' in spec ? spec.open : spec.closed;
  const schedule = context.schedules.get(scheduleId);
  if (schedule === undefined) throw new ConditionError(`businessHours: unknown schedule "${scheduleId}"`);
  const text = `businessHours ${wantOpen ? 'open' : 'closed'} ${scheduleId}`;
  const entry = failure(context, text);
  let test: FactsTest = (facts) => isOpenAt(schedule, facts.now) === wantOpen;
  if (context.shareTest !== undefined) test = context.shareTest(text, test, undefined);
  return (facts) => (test(facts) ? null : entry);
}

/** Equal for two tests of one ruleset that give the same answer on the same facts. */
function testSignature(field: string, operator: string, literal: unknown): string {
  return `${field}\u0000${operator}\u0000${JSON.stringify(literal)}`;
}

/**
 * A condition's first test, when its failure alone decides the outcome: the first operator of the
 * first leaf reached through `all` (a bare leaf is its own first leaf). If that test fails, the
 * compiled condition returns exactly `entry` — `all` stops at its first failed child and a leaf
 * at its first failed operator — so an evaluator may run `test` alone and skip the rest.
 * `signature` is equal for tests that give the same answer on the same facts (field, operator
 * and literal under one ruleset's clock), so one decision can answer each distinct test once.
 * Call only on a condition that `compileCondition` accepted.
 */
export interface Guard {
  readonly signature: string;
  readonly test: (facts: RuleFacts) => boolean;
  readonly entry: RuleEvaluation;
  /** Set when `test` is an equality that can be answered by looking the field's values up. */
  readonly lookup?: GuardLookup;
}

/**
 * An `eq`/`neq`/`in`/`nin` test with text literals (or `contains` on a list) on a field without
 * language matching: it holds exactly when some value of the field has one of its `texts` among
 * its `valueKeys` (`!==` `negated`). A ruleset answers all such tests on one field with one
 * look-up per value instead of calling each test (see compile.ts).
 */
export interface GuardLookup {
  readonly field: string;
  readonly reader: FieldReader;
  /** The literals' written forms, lower-cased as `equalsTest` compares them. */
  readonly texts: readonly string[];
  readonly negated: boolean;
  /** A language field: its values are looked up by `languageKeys`, else by `valueKeys`. */
  readonly language: boolean;
}

/**
 * The texts under which a value equals a text literal in `equalsTest` (plain flavour): a
 * string itself or lower-cased, another scalar its lower-cased written form; none for a missing
 * value. `equalsTest(literal)(value)` holds exactly when one of these is `literal` lower-cased.
 */
export function valueKeys(value: Scalar | undefined, visit: (key: string) => void): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    visit(value);
    const lowered = lower(value);
    if (lowered !== value) visit(lowered);
    return;
  }
  visit(String(value).toLowerCase());
}

/**
 * The texts under which a value equals a text literal in `equalsTest` (language flavour): its
 * lower-cased written form and, when that has a region, its language (`pt-br` → `pt`). A literal
 * without a region holds for a tag that is it or starts with it and a dash — exactly when the
 * part before the tag's first dash is the literal; a literal with one, for that tag only.
 */
export function languageKeys(value: Scalar | undefined, visit: (key: string) => void): void {
  if (value === null || value === undefined) return;
  const text = textOf(value);
  visit(text);
  const dash = text.indexOf('-');
  if (dash >= 0) visit(text.slice(0, dash));
}

function guardLookup(field: string, reader: FieldReader, operator: string, literal: unknown): GuardLookup | undefined {
  const language = reader.flavour === 'language';
  let literals: unknown[];
  let negated: boolean;
  switch (operator) {
    case 'eq':
    case 'neq':
      literals = [literal];
      negated = operator === 'neq';
      break;
    case 'in':
    case 'nin':
      if (!Array.isArray(literal)) return undefined;
      literals = literal;
      negated = operator === 'nin';
      break;
    case 'contains':
      // On a text, `contains` is a substring test; on a list, element equality.
      if (reader.kind !== 'list') return undefined;
      literals = [literal];
      negated = false;
      break;
    default:
      return undefined;
  }
  const texts: string[] = [];
  for (const item of literals) {
    // A text, or (plain fields) a boolean or finite number: `equalsTest` compares a value of
    // the literal's type by identity and any other by written form, and for these two types
    // identity and written form agree. Not null (no key) and not NaN (not equal to itself).
    if (typeof item === 'string') texts.push(item.toLowerCase());
    else if (!language && (typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item)))) texts.push(String(item).toLowerCase());
    else return undefined;
  }
  return { field, reader, texts, negated, language };
}

export function conditionGuard(condition: Condition, context: ConditionContext): Guard | null {
  if (!isRecord(condition)) return null;
  const keys = Object.keys(condition);
  const [key] = keys;
  if (key === undefined || keys.length !== 1) return null;
  const value: unknown = (condition as Record<string, unknown>)[key];
  if (key === 'all') {
    const first: unknown = Array.isArray(value) ? value[0] : undefined;
    return first === undefined ? null : conditionGuard(first as Condition, context);
  }
  if (key === 'any' || key === 'not' || !isRecord(value)) return null;
  if (key === 'businessHours') {
    const wantOpen = 'open' in value;
    const scheduleId = String(wantOpen ? value.open : value.closed);
    const schedule = context.schedules.get(scheduleId);
    if (schedule === undefined) return null;
    const text = `businessHours ${wantOpen ? 'open' : 'closed'} ${scheduleId}`;
    return { signature: text, test: (facts) => isOpenAt(schedule, facts.now) === wantOpen, entry: failure(context, text) };
  }
  const reader = fieldReader(key, context.clock);
  if (reader === null) return null;
  for (const [operator, literal] of Object.entries(value)) {
    if (literal === undefined) continue;
    const lookup = guardLookup(key, reader, operator, literal);
    return {
      signature: testSignature(key, operator, literal),
      test: operatorTest(reader, operator, literal, `${key}.${operator}`),
      entry: failure(context, describeOperator(key, operator, literal)),
      ...(lookup === undefined ? {} : { lookup }),
    };
  }
  return null;
}

/**
 * What is left of a condition once its guard (`conditionGuard`) has held: for a leaf with one
 * operator (or a businessHours leaf) nothing — null, it holds; for an `all` whose first child is
 * such a leaf, the other children in order. The condition's answer is then the rest's answer —
 * the first child holds, and `all` returns its first failed child — so an evaluator that has
 * seen the guard hold runs only the rest (the broad rules' language or plan leaf was tested
 * twice, bench/results/routing-profile.md). Undefined for any other shape: evaluate the
 * whole condition. Call only on a condition that `compileCondition` accepted and that has a guard.
 */
export function conditionAfterGuard(condition: Condition, context: ConditionContext): Check | null | undefined {
  if (isGuardLeaf(condition)) return null;
  const record = condition as Record<string, unknown>;
  const children = record.all;
  if (Object.keys(record).length !== 1 || !Array.isArray(children) || children.length < 2) return undefined;
  const [first, ...rest] = children as Condition[];
  if (first === undefined || !isGuardLeaf(first)) return undefined;
  return compileCondition(rest.length === 1 ? rest[0]! : { all: rest }, context);
}

/** A field leaf with exactly one operator, or a businessHours leaf: its guard is all of it. */
function isGuardLeaf(condition: Condition): boolean {
  if (!isRecord(condition)) return false;
  const keys = Object.keys(condition);
  const [key] = keys;
  if (key === undefined || keys.length !== 1 || key === 'all' || key === 'any' || key === 'not') return false;
  if (key === 'businessHours') return true;
  const spec: unknown = (condition as Record<string, unknown>)[key];
  return isRecord(spec) && Object.values(spec).filter((literal) => literal !== undefined).length === 1;
}

export function compileCondition(condition: Condition, context: ConditionContext): Check {
  if (!isRecord(condition)) throw new ConditionError('a condition is an object such as { language: { eq: es } }');
  const keys = Object.keys(condition);
  const [key] = keys;
  if (key === undefined || keys.length !== 1) {
    throw new ConditionError(`a condition names exactly one field, or is one of all/any/not (found ${keys.join(', ') || 'none'})`);
  }
  const value: unknown = (condition as Record<string, unknown>)[key];
  if (key === 'all' || key === 'any') {
    if (!Array.isArray(value) || value.length === 0) throw new ConditionError(`${key} needs a non-empty list`);
    const children = (value as Condition[]).map((child) => compileCondition(child, context));
    if (key === 'all') {
      const [first] = children;
      if (children.length === 1 && first !== undefined) return first;
      if (context.shareAll !== undefined) return context.shareAll(children);
      return (facts) => {
        for (const child of children) {
          const failed = child(facts);
          if (failed !== null) return failed;
        }
        return null;
      };
    }
    const entry = failure(context, `none of: ${(value as Condition[]).map(describeNested).join(', ')}`);
    return (facts) => {
      for (const child of children) if (child(facts) === null) return null;
      return entry;
    };
  }
  if (key === 'not') {
    if (!isRecord(value)) throw new ConditionError('not needs a condition');
    const child = compileCondition(value as Condition, context);
    const entry = failure(context, `not (${describeCondition(value as Condition)})`);
    return (facts) => (child(facts) === null ? entry : null);
  }
  if (key === 'businessHours') {
    if (!isRecord(value)) throw new ConditionError('businessHours needs { open: <schedule> } or { closed: <schedule> }');
    const states = Object.keys(value);
    const [state] = states;
    if (states.length !== 1 || (state !== 'open' && state !== 'closed') || typeof value[state] !== 'string') {
      throw new ConditionError('businessHours needs { open: <schedule> } or { closed: <schedule> }');
    }
    return compileBusinessHours(value as BusinessHoursSpec, context);
  }
  return compileLeaf(key, value as OperatorSpec, context);
}
