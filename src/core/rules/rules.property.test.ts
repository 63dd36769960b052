import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ChannelType, ConversationStatus, Priority, Trigger } from '../../contract/common.js';
import type { Condition, OperatorSpec, Scalar } from '../../contract/conditions.js';
import { Ruleset, ScheduleConfig } from '../../contract/config.js';
import type { RuleFacts, Schedule } from '../model.js';
import { compileSchedule, isOpenAt } from '../schedule/schedule.js';
import { compileCondition, conditionGuard, languageKeys, valueKeys, type Check, type ConditionContext } from './compile-condition.js';
import { compileRuleset, evaluateRuleset, type CompiledRuleset } from './compile.js';
import { localClockFor } from './read-field.js';

/**
 * The compiled conditions against a reference interpreter that walks the condition tree for
 * every evaluation, in plain code, following the semantics stated in compile-condition.ts and
 * docs/configuration.md ("Conditions"). Business hours are taken from `isOpenAt` (the
 * schedule has its own property test); `time` and `weekday` are read through Luxon.
 */

/**
 * The reference trace: every rule in order, each condition compiled whole (`whole[i]`, null for a
 * rule without one) — the first that holds wins, each earlier one reports its first failure.
 * `evaluateRuleset` must give exactly that, whatever it shares or skips.
 */
function expectSameAsRuleByRule(compiled: CompiledRuleset, rules: Ruleset['rules'], whole: readonly (Check | null)[], one: RuleFacts): void {
  const expected: { rule: string; matched: boolean; failed: string | null }[] = [];
  let winner = 'fallback';
  for (const [index, rule] of rules.entries()) {
    if (rule.when !== undefined && !rule.when.includes(one.trigger)) {
      expected.push({ rule: rule.id, matched: false, failed: `trigger ${one.trigger} not in [${rule.when.join(', ')}]` });
      continue;
    }
    const failed = whole[index]?.(one) ?? null;
    if (failed !== null) {
      expected.push(failed);
      continue;
    }
    expected.push({ rule: rule.id, matched: true, failed: null });
    winner = rule.id;
    break;
  }
  const match = evaluateRuleset(compiled, one, { useFallback: true });
  expect(match?.rule).toBe(winner);
  expect(match?.evaluated).toEqual(expected);
}

const ZONE = 'Europe/Madrid';
const SCHEDULE: Schedule = compileSchedule(
  ScheduleConfig.parse({ id: 'office', timezone: 'Europe/Madrid', hours: { 'mon-fri': ['09:00-13:00', '14:00-18:00'], sat: ['22:00-02:00'] }, holidays: ['2026-12-25'] }),
);
const RULE_ID = 'prop-rule';

function contextFor(): ConditionContext {
  return { ruleId: RULE_ID, schedules: new Map([['office', SCHEDULE]]), clock: localClockFor(ZONE) };
}

// ---------------------------------------------------------------------------------------------
// The reference interpreter

type Read = { kind: 'scalar'; value: Scalar | undefined } | { kind: 'list'; values: readonly Scalar[] };
type Flavour = 'plain' | 'language' | 'priority';

const RANKS = new Map<string, number>([
  ['low', 0],
  ['normal', 1],
  ['high', 2],
  ['urgent', 3],
]);
const WEEKDAYS = ['', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function property(properties: Readonly<Record<string, Scalar>>, name: string): Scalar | undefined {
  return Object.prototype.hasOwnProperty.call(properties, name) ? properties[name] : undefined;
}

function readRef(field: string, facts: RuleFacts): Read {
  const scalar = (value: Scalar | undefined): Read => ({ kind: 'scalar', value });
  const local = DateTime.fromMillis(facts.now, { zone: ZONE });
  switch (field) {
    case 'channel':
      return { kind: 'list', values: [facts.channel.id, facts.channel.type] };
    case 'priority':
    case 'conversation.priority':
      return scalar(facts.conversation.priority);
    case 'tags':
    case 'conversation.tags':
      return { kind: 'list', values: facts.conversation.tags };
    case 'language':
      return scalar(facts.language);
    case 'intent':
      return scalar(facts.intent);
    case 'trigger':
      return scalar(facts.trigger);
    case 'message.text':
      return scalar(facts.messageText);
    case 'time':
      return scalar(local.toFormat('HH:mm'));
    case 'weekday':
      return scalar(WEEKDAYS[local.weekday]);
    case 'contact.name':
      return scalar(facts.contact.name);
    case 'contact.email':
      return scalar(facts.contact.email);
    case 'contact.language':
      return scalar(facts.contact.language);
    case 'contact.timezone':
      return scalar(facts.contact.timezone);
    case 'contact.owner':
      return scalar(facts.contact.ownerId);
    case 'conversation.owner':
      return scalar(facts.conversation.ownerId);
    case 'conversation.status':
      return scalar(facts.conversation.status);
    default:
      break;
  }
  const [owner, name] = field.split('.') as [string, string];
  return scalar(property(owner === 'contact' ? facts.contact.properties : facts.conversation.properties, name));
}

function flavourOf(field: string): Flavour {
  if (field === 'language' || field === 'contact.language') return 'language';
  if (field === 'priority' || field === 'conversation.priority') return 'priority';
  return 'plain';
}

function isAbsent(value: Scalar | undefined): value is null | undefined {
  return value === null || value === undefined;
}

function eqRef(value: Scalar | undefined, literal: Scalar, flavour: Flavour): boolean {
  if (literal === null) return isAbsent(value);
  if (isAbsent(value)) return false;
  const valueText = String(value).toLowerCase();
  const literalText = String(literal).toLowerCase();
  if (flavour === 'language' && typeof literal === 'string' && !literalText.includes('-')) {
    return valueText === literalText || valueText.startsWith(`${literalText}-`);
  }
  if (typeof value !== 'string' && typeof value === typeof literal) return value === literal;
  return valueText === literalText;
}

function containsRef(value: Scalar | undefined, literal: Scalar): boolean {
  if (literal === null || isAbsent(value)) return false;
  return String(value).toLowerCase().includes(String(literal).toLowerCase());
}

function compare(operator: string, a: number | string, b: number | string): boolean {
  if (operator === 'gt') return a > b;
  if (operator === 'gte') return a >= b;
  if (operator === 'lt') return a < b;
  return a <= b;
}

const isNumberText = (text: string): boolean => /^-?\d+(\.\d+)?$/.test(text);

function orderRef(operator: string, value: Scalar | undefined, literal: number | string, flavour: Flavour): boolean {
  if (flavour === 'priority' && typeof literal === 'string' && RANKS.has(literal.toLowerCase())) {
    if (typeof value !== 'string' || !RANKS.has(value.toLowerCase())) return false;
    return compare(operator, RANKS.get(value.toLowerCase())!, RANKS.get(literal.toLowerCase())!);
  }
  if (typeof literal === 'number') {
    if (typeof value === 'number') return compare(operator, value, literal);
    if (typeof value === 'string' && isNumberText(value)) return compare(operator, Number(value), literal);
    return false;
  }
  if (typeof value === 'string') return compare(operator, value, literal);
  if (typeof value === 'number' && isNumberText(literal)) return compare(operator, value, Number(literal));
  return false;
}

/** Does one value satisfy `operator literal` (not for neq/nin/exists, which are derived)? */
function elementRef(operator: string, value: Scalar | undefined, literal: unknown, flavour: Flavour, onList: boolean): boolean {
  switch (operator) {
    case 'eq':
      return eqRef(value, literal as Scalar, flavour);
    case 'in':
      return (literal as Scalar[]).some((item) => eqRef(value, item, flavour));
    case 'contains':
      return onList ? eqRef(value, literal as Scalar, flavour) : containsRef(value, literal as Scalar);
    case 'matches':
      return !isAbsent(value) && new RegExp(literal as string, 'i').test(String(value));
    default:
      return orderRef(operator, value, literal as number | string, flavour);
  }
}

function operatorRef(field: string, operator: string, literal: unknown, facts: RuleFacts): boolean {
  const read = readRef(field, facts);
  const flavour = flavourOf(field);
  if (operator === 'exists') {
    const present = read.kind === 'list' ? read.values.length > 0 : !isAbsent(read.value) && read.value !== '';
    return present === literal;
  }
  const negated = operator === 'neq' || operator === 'nin';
  const positive = operator === 'neq' ? 'eq' : operator === 'nin' ? 'in' : operator;
  const some =
    read.kind === 'list'
      ? read.values.some((value) => elementRef(positive, value, literal, flavour, true))
      : elementRef(positive, read.value, literal, flavour, false);
  return negated ? !some : some;
}

function describeRef(condition: Condition): string {
  const [key, value] = Object.entries(condition)[0]!;
  if (key === 'all') return (value as Condition[]).map(nestedRef).join(' and ');
  if (key === 'any') return (value as Condition[]).map(nestedRef).join(' or ');
  if (key === 'not') return `not (${describeRef(value as Condition)})`;
  if (key === 'businessHours') return Object.entries(value as object).map(([state, id]) => `businessHours ${state} ${String(id)}`).join(' and ');
  return Object.entries(value as object).map(([operator, literal]) => `${key} ${operator} ${JSON.stringify(literal)}`).join(' and ');
}

function nestedRef(condition: Condition): string {
  const [key, value] = Object.entries(condition)[0]!;
  const compound = key === 'all' || key === 'any' || (key !== 'not' && key !== 'businessHours' && Object.keys(value as object).length > 1);
  return compound ? `(${describeRef(condition)})` : describeRef(condition);
}

/** null when the condition holds, else the words of the first condition that failed. */
function evaluateRef(condition: Condition, facts: RuleFacts): string | null {
  const [key, value] = Object.entries(condition)[0]!;
  if (key === 'all') {
    for (const child of value as Condition[]) {
      const failed = evaluateRef(child, facts);
      if (failed !== null) return failed;
    }
    return null;
  }
  if (key === 'any') {
    const children = value as Condition[];
    return children.some((child) => evaluateRef(child, facts) === null) ? null : `none of: ${children.map(nestedRef).join(', ')}`;
  }
  if (key === 'not') {
    return evaluateRef(value as Condition, facts) === null ? `not (${describeRef(value as Condition)})` : null;
  }
  if (key === 'businessHours') {
    const wantOpen = 'open' in (value as object);
    return isOpenAt(SCHEDULE, facts.now) === wantOpen ? null : `businessHours ${wantOpen ? 'open' : 'closed'} office`;
  }
  for (const [operator, literal] of Object.entries(value as OperatorSpec)) {
    if (!operatorRef(key, operator, literal, facts)) return `${key} ${operator} ${JSON.stringify(literal)}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: small pools, so that values and literals often meet

const TEXTS = ['es', 'ES', 'es-MX', 'pt', 'pt-BR', 'PT-br', 'en', 'vip', 'VIP', 'billing', 'enterprise', 'Enterprise', '10', '5', '-1.5', 'abc', '', 'hello world', '2026-01-01', '2025-12-31', 'low', 'normal', 'high', 'urgent', 'High', 'web-chat', 'chat', 'email', 'true', '09:00', '18:30', 'wed', 'sat', 'constructor', '__proto__'];
const NUMBERS = [0, 5, 10, -1.5, 2.5, 100];

const text = fc.constantFrom(...TEXTS);
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const orderLiteral: fc.Arbitrary<number | string> = fc.oneof(text, fc.constantFrom(...NUMBERS));
const regex = fc.constantFrom('^es', 'vip', '\\d+', '^$', 'pt-br', 'world$', '^(low|high)$', '.', '^web', ':', '^(mon|wed)$', '^1');

const LANGUAGE_TAGS = ['es', 'ES', 'es-MX', 'pt', 'pt-BR', 'PT-br', 'en', 'en-GB', 'est'];
const PROPERTY_VALUES: readonly Scalar[] = ['enterprise', 'Enterprise', 'pro', '10', '5', '', 10, 5, 2.5, true, false, null, '2026-01-01', 'true'];
const OWNERS = ['ana', 'olu', 'ANA'];

/** Each field with literals that often meet its values (any scalar is also tried). */
const FIELD_LITERALS = {
  channel: ['web-chat', 'support-email', 'api-in', 'WEB-CHAT', ...ChannelType.options],
  priority: [...Priority.options, 'HIGH', 'medium', 'constructor', '__proto__'],
  tags: ['vip', 'Vip', 'billing', 'lang:es', 'complex', '10'],
  language: [...LANGUAGE_TAGS, 'e', 'PT'],
  intent: ['billing_dispute', 'refund', 'REFUND'],
  trigger: [...Trigger.options, 'WORKFLOW_FLAG'],
  'message.text': ['refund', 'HUMAN', 'hello', 'I want a refund', 'talk to a human', 'es', ''],
  time: ['00:00', '02:00', '09:00', '12:30', '18:00', '23:59'],
  weekday: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'WED'],
  'contact.name': ['Lucía', 'lucía', 'ana', 'VIP', 'lu'],
  'contact.email': ['lucia@example.test', 'ANA@acme.test', 'acme'],
  'contact.language': [...LANGUAGE_TAGS, 'PT'],
  'contact.timezone': ['Europe/Madrid', 'utc', 'europe'],
  'contact.owner': OWNERS,
  'contact.plan': PROPERTY_VALUES,
  'contact.seats': PROPERTY_VALUES,
  'conversation.priority': [...Priority.options, 'Urgent'],
  'conversation.tags': ['vip', 'complex', 'URGENT'],
  'conversation.owner': OWNERS,
  'conversation.status': [...ConversationStatus.options, 'Queued'],
  'conversation.order': PROPERTY_VALUES,
  'conversation.vip': PROPERTY_VALUES,
} satisfies Record<string, readonly Scalar[]>;
type Field = keyof typeof FIELD_LITERALS;
const FIELDS = Object.keys(FIELD_LITERALS) as Field[];

function operatorLiteralFor(field: Field): fc.Arbitrary<[string, unknown]> {
  const pool: readonly Scalar[] = FIELD_LITERALS[field];
  const literal: fc.Arbitrary<Scalar> = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: scalar });
  const ordered = pool.filter((item): item is number | string => typeof item === 'number' || typeof item === 'string');
  return fc.oneof(
    fc.tuple(fc.constantFrom('eq', 'neq', 'contains'), literal),
    fc.tuple(fc.constantFrom('in', 'nin'), fc.array(literal, { maxLength: 3 })),
    fc.tuple(fc.constant('matches'), regex),
    fc.tuple(fc.constant('exists'), fc.boolean()),
    fc.tuple(fc.constantFrom('gt', 'gte', 'lt', 'lte'), fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ordered) }, { weight: 1, arbitrary: orderLiteral })),
  );
}

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .constantFrom(...FIELDS)
      .chain((field) =>
        fc
          .uniqueArray(operatorLiteralFor(field), { minLength: 1, maxLength: 2, selector: ([operator]) => operator })
          .map((operators): Condition => ({ [field]: Object.fromEntries(operators) })),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom<Condition>({ businessHours: { open: 'office' } }, { businessHours: { closed: 'office' } }) },
);

const condition: fc.Arbitrary<Condition> = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'condition' },
    leaf,
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((children) => ({ all: children })),
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((children) => ({ any: children })),
    tie('condition').map((child) => ({ not: child })),
  ),
})).condition;

const properties = fc.dictionary(fc.constantFrom('plan', 'seats', 'order', 'vip', 'since'), fc.constantFrom(...PROPERTY_VALUES), { maxKeys: 4 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arbitrary, { nil: null, freq: 3 });
const languageTag = fc.constantFrom(...LANGUAGE_TAGS);

const facts: fc.Arbitrary<RuleFacts> = fc.record({
  trigger: fc.constantFrom(...Trigger.options),
  channel: fc.record({ id: fc.constantFrom('web-chat', 'support-email', 'api-in'), type: fc.constantFrom(...ChannelType.options) }),
  contact: fc.record({
    id: fc.constant('k1'),
    name: maybe(fc.constantFrom('Lucía', 'Ana', 'VIP', 'enterprise', '')),
    email: maybe(fc.constantFrom('lucia@example.test', 'ana@acme.test')),
    language: maybe(languageTag),
    timezone: maybe(fc.constantFrom('Europe/Madrid', 'UTC')),
    ownerId: maybe(fc.constantFrom('ana', 'olu')),
    properties,
  }),
  conversation: fc.record({
    id: fc.constant('c1'),
    channelId: fc.constant('web-chat'),
    status: fc.constantFrom(...ConversationStatus.options),
    ownerId: maybe(fc.constantFrom('ana', 'olu')),
    teamId: fc.constant(null),
    queueId: fc.constant(null),
    priority: fc.constantFrom(...Priority.options),
    tags: fc.subarray(['vip', 'VIP', 'billing', 'lang:es', 'urgent', 'complex', '10'], { maxLength: 3 }),
    properties,
    language: maybe(languageTag),
    intent: fc.constant(null),
    previousOwnerId: fc.constant(null),
  }),
  language: maybe(languageTag),
  intent: maybe(fc.constantFrom('billing_dispute', 'refund', 'enterprise')),
  messageText: fc.constantFrom(...TEXTS, 'I want a refund', 'Hello World', 'talk to a HUMAN'),
  // 2026, around the Madrid DST changes and office hours.
  now: fc.oneof(
    fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }),
    fc.integer({ min: Date.parse('2026-03-28T20:00:00Z'), max: Date.parse('2026-03-29T06:00:00Z') }),
    fc.integer({ min: Date.parse('2026-10-24T20:00:00Z'), max: Date.parse('2026-10-25T06:00:00Z') }),
  ),
});

const RUNS = { seed: 20_261_125, numRuns: 500 };

/** The condition and every condition nested in it. */
function partsOf(condition: Condition): Condition[] {
  const [key, value] = Object.entries(condition)[0]!;
  if (key === 'all' || key === 'any') return [condition, ...(value as Condition[]).flatMap(partsOf)];
  if (key === 'not') return [condition, ...partsOf(value as Condition)];
  return [condition];
}

// ---------------------------------------------------------------------------------------------

describe('compiled conditions (property)', () => {
  it('agree with the reference interpreter: whether they hold, and the first failure in words', () => {
    fc.assert(
      fc.property(condition, fc.array(facts, { minLength: 1, maxLength: 8 }), (tree, factsList) => {
        // The whole tree, and each of its parts on its own (so that no leaf is masked by its siblings).
        for (const part of partsOf(tree)) {
          const compiled = compileCondition(part, contextFor());
          for (const one of factsList) {
            const expected = evaluateRef(part, one);
            const actual = compiled(one);
            expect(actual?.failed ?? null).toBe(expected);
            if (actual !== null) expect(actual).toEqual({ rule: RULE_ID, matched: false, failed: expected });
          }
        }
      }),
      RUNS,
    );
  });

  it('give the same answers whatever the order of evaluation (no state leaks between facts)', () => {
    fc.assert(
      fc.property(fc.array(condition, { minLength: 1, maxLength: 4 }), fc.array(facts, { minLength: 2, maxLength: 5 }), (trees, factsList) => {
        const context = contextFor();
        const compiled = trees.map((tree) => compileCondition(tree, context));
        const forward = factsList.map((one) => compiled.map((check) => check(one)?.failed ?? null));
        const backward = [...factsList]
          .reverse()
          .map((one) => [...compiled].reverse().map((check) => check(one)?.failed ?? null).reverse())
          .reverse();
        expect(backward).toEqual(forward);
      }),
      RUNS,
    );
  });

  it('not(c) is the negation of c; all([c]) and any([c]) are c', () => {
    fc.assert(
      fc.property(condition, facts, (tree, one) => {
        const context = contextFor();
        const holds = compileCondition(tree, context)(one) === null;
        expect(compileCondition({ not: tree }, context)(one) === null).toBe(!holds);
        expect(compileCondition({ not: { not: tree } }, context)(one) === null).toBe(holds);
        expect(compileCondition({ all: [tree] }, context)(one)).toEqual(compileCondition(tree, context)(one));
        expect(compileCondition({ any: [tree] }, context)(one) === null).toBe(holds);
      }),
      RUNS,
    );
  });

  it('neq is the negation of eq and nin of in, on every field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), scalar, fc.array(scalar, { maxLength: 3 }), facts, (field, literal, literals, one) => {
        const context = contextFor();
        const holds = (spec: OperatorSpec): boolean => compileCondition({ [field]: spec }, context)(one) === null;
        expect(holds({ neq: literal })).toBe(!holds({ eq: literal }));
        expect(holds({ nin: literals })).toBe(!holds({ in: literals }));
        expect(holds({ in: literals })).toBe(literals.some((item) => holds({ eq: item })));
        expect(holds({ exists: false })).toBe(!holds({ exists: true }));
      }),
      RUNS,
    );
  });
});

describe('compiled rulesets (property)', () => {
  /**
   * evaluateRuleset answers each distinct first test once per decision and skips a rule whose
   * first test failed (conditionGuard). The trace must still be exactly what evaluating every
   * rule's whole condition in order gives: rules drawn from a small pool share first leaves.
   */
  it('give the trace of evaluating every rule in order, with shared first tests', () => {
    const ruleArbitrary = fc.record({
      when: fc.option(fc.subarray([...Trigger.options], { minLength: 1, maxLength: 3 }), { nil: undefined }),
      if: fc.option(condition, { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(ruleArbitrary, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(5), { minLength: 1, maxLength: 20 }), fc.array(facts, { minLength: 1, maxLength: 4 }), (pool, picks, factsList) => {
        const rules = picks.map((pick, index) => {
          const template = pool[pick % pool.length]!;
          return {
            id: `r${index}`,
            ...(template.when === undefined ? {} : { when: template.when }),
            ...(template.if === undefined ? {} : { if: template.if }),
            then: { destination: { queue: 'general' }, assignment: 'unassign_to_queue' as const },
          };
        });
        const ruleset = Ruleset.parse({ rules, fallback: { destination: { queue: 'general' } } });
        const compiled = compileRuleset(ruleset, { schedules: new Map([['office', SCHEDULE]]), timezone: ZONE }, 1);
        const whole = ruleset.rules.map((rule) => (rule.if === undefined ? null : compileCondition(rule.if, { ...contextFor(), ruleId: rule.id })));
        for (const one of factsList) expectSameAsRuleByRule(compiled, ruleset.rules, whole, one);
      }),
      RUNS,
    );
  });

  /**
   * Each distinct leaf test is answered once per evaluation and `all` reads shared leaves from
   * their answers (compile.ts `testHolds`, `allOf`): rules made of `all` lists of a few shared
   * leaves (some negated, some in `any`) must still give each rule's own first failure.
   */
  it('give the trace of evaluating every rule in order when rules share their leaves', () => {
    const child = (pool: readonly Condition[]): fc.Arbitrary<Condition> =>
      fc.tuple(fc.nat(), fc.nat(3)).map(([pick, wrap]): Condition => {
        const one = pool[pick % pool.length]!;
        return wrap === 0 ? { not: one } : wrap === 1 ? { any: [one, pool[(pick + 1) % pool.length]!] } : one;
      });
    const world = fc.array(leaf, { minLength: 2, maxLength: 5 }).chain((pool) =>
      fc.tuple(
        fc.array(fc.array(child(pool), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.array(facts, { minLength: 1, maxLength: 4 }),
      ),
    );
    fc.assert(
      fc.property(world, ([conditions, factsList]) => {
        const rules = conditions.map((children, index) => ({
          id: `r${index}`,
          if: children.length === 1 ? children[0]! : { all: children },
          then: { destination: { queue: 'general' }, assignment: 'unassign_to_queue' as const },
        }));
        const ruleset = Ruleset.parse({ rules, fallback: { destination: { queue: 'general' } } });
        const compiled = compileRuleset(ruleset, { schedules: new Map([['office', SCHEDULE]]), timezone: ZONE }, 1);
        const whole = ruleset.rules.map((rule) => compileCondition(rule.if!, { ...contextFor(), ruleId: rule.id }));
        for (const one of factsList) expectSameAsRuleByRule(compiled, ruleset.rules, whole, one);
      }),
      { ...RUNS, numRuns: 1_000 },
    );
  });

  /**
   * A ruleset answers equality guards on one field by looking the field's values up
   * (`GuardLookup`, `valueKeys`) instead of calling each test: the lookup must say what the test
   * says, for every leaf the generator makes and every facts.
   */
  it('answer equality guards by look-up exactly as their tests do', () => {
    fc.assert(
      fc.property(leaf, fc.array(facts, { minLength: 1, maxLength: 6 }), (condition, factsList) => {
        const guard = conditionGuard(condition, contextFor());
        const lookup = guard?.lookup;
        if (guard === null || lookup === undefined) return;
        const texts = new Set(lookup.texts);
        for (const one of factsList) {
          const values =
            lookup.reader.kind === 'scalar'
              ? [lookup.reader.read(one)]
              : lookup.reader.kind === 'list'
                ? [...lookup.reader.read(one)]
                : [one.channel.id, one.channel.type];
          let found = false;
          for (const value of values) (lookup.language ? languageKeys : valueKeys)(value, (key) => {
            if (texts.has(key)) found = true;
          });
          expect(found !== lookup.negated).toBe(guard.test(one));
        }
      }),
      { ...RUNS, numRuns: 2_000 },
    );
  });
});

describe('compiled rulesets evaluated alternately and re-entrantly (property)', () => {
  /**
   * Each evaluation has its own scratch state (compile.ts `Evaluations`): two rulesets evaluated
   * alternately, and evaluations started from inside another one — facts whose fields are getters
   * that evaluate the other ruleset and the same one on other facts — give exactly what each
   * gives alone. With scratch state in module scope the inner evaluations overwrote the outer's.
   */
  it('give every evaluation the result it has in isolation', () => {
    const ruleArbitrary = fc.record({
      when: fc.option(fc.subarray([...Trigger.options], { minLength: 1, maxLength: 3 }), { nil: undefined }),
      if: fc.option(condition, { nil: undefined }),
    });
    const rulesetOf = (templates: readonly { when: Trigger[] | undefined; if: Condition | undefined }[], prefix: string): CompiledRuleset => {
      const rules = templates.map((template, index) => ({
        id: `${prefix}${index}`,
        ...(template.when === undefined ? {} : { when: template.when }),
        ...(template.if === undefined ? {} : { if: template.if }),
        then: { destination: { queue: `${prefix}-queue` }, assignment: 'unassign_to_queue' as const },
      }));
      const ruleset = Ruleset.parse({ rules, fallback: { destination: { queue: 'general' } } });
      return compileRuleset(ruleset, { schedules: new Map([['office', SCHEDULE]]), timezone: ZONE }, 1);
    };
    const evaluate = (compiled: CompiledRuleset, one: RuleFacts) => evaluateRuleset(compiled, one, { useFallback: true });
    fc.assert(
      fc.property(
        fc.array(ruleArbitrary, { minLength: 1, maxLength: 8 }),
        fc.array(ruleArbitrary, { minLength: 1, maxLength: 8 }),
        fc.array(facts, { minLength: 2, maxLength: 4 }),
        (templatesA, templatesB, factsList) => {
          const a = rulesetOf(templatesA, 'a');
          const b = rulesetOf(templatesB, 'b');
          const aloneA = factsList.map((one) => evaluate(a, one));
          const aloneB = factsList.map((one) => evaluate(b, one));
          // Alternately, in the other order.
          for (let i = factsList.length - 1; i >= 0; i -= 1) {
            expect(evaluate(b, factsList[i]!)).toEqual(aloneB[i]);
            expect(evaluate(a, factsList[i]!)).toEqual(aloneA[i]);
          }
          // Re-entrantly: each read of these fields during A's evaluation first evaluates B and A
          // on the next facts.
          factsList.forEach((one, i) => {
            const j = (i + 1) % factsList.length;
            const other = factsList[j]!;
            const inner: { b: unknown; a: unknown }[] = [];
            const nested = <T>(value: T): T => {
              inner.push({ b: evaluate(b, other), a: evaluate(a, other) });
              return value;
            };
            const reentrant: RuleFacts = {
              ...one,
              get language() {
                return nested(one.language);
              },
              get intent() {
                return nested(one.intent);
              },
              get messageText() {
                return nested(one.messageText);
              },
            };
            expect(evaluate(a, reentrant)).toEqual(aloneA[i]);
            for (const pair of inner) expect(pair).toEqual({ b: aloneB[j], a: aloneA[j] });
          });
        },
      ),
      { ...RUNS, numRuns: 300 },
    );
  });
});
