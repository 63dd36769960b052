/**
 * The handoff ruleset, compiled once per version into closures, evaluated per handoff
 * (PRODUCT.md §3): rules are ordered, the first enabled rule whose `when` lists the trigger
 * (absent `when` = every trigger) and whose `if` holds wins; otherwise the fallback, which always
 * exists, so a handoff always names a destination (CW #4271/#4977 flipped a status with none).
 *
 * The trace: `evaluated` lists every enabled rule tried before the winner, and the winner, with
 * the first condition that failed (`trigger customer_requested_human not in [workflow_flag]`,
 * `language eq "es"`, `none of: …`, `not (…)`, `businessHours open office`). Every entry is a
 * frozen object built at compile time, so evaluating 500 rules allocates one array and builds
 * no string. Disabled rules are left out: of the trace and of `ruleIds`.
 */
import type { Trigger } from '../../contract/common.js';
import type { RuleAction, Ruleset } from '../../contract/config.js';
import type { RuleEvaluation } from '../../contract/trace.js';
import type { RuleFacts, Schedule } from '../model.js';
import {
  compileCondition,
  conditionAfterGuard,
  conditionGuard,
  ConditionError,
  valueKeys,
  type Check,
  type Guard,
  type GuardLookup,
} from './compile-condition.js';
import type { FieldReader } from './read-field.js';
import { localClockFor } from './read-field.js';

export interface RulesEnvironment {
  readonly schedules: ReadonlyMap<string, Schedule>;
  /** Workspace zone, for `time` and `weekday` conditions. */
  readonly timezone: string;
}

export interface CompiledRuleset {
  readonly version: number | null;
  readonly ruleIds: readonly string[];
  readonly fallback: RuleAction;
}

export interface RuleMatch {
  /** The winning rule's id, or 'fallback'. */
  readonly rule: string;
  readonly action: RuleAction;
  readonly evaluated: RuleEvaluation[];
}

/** Trigger → slot in a rule's per-trigger table; the Record type makes a new trigger a type error here. */
const TRIGGER_SLOT: Readonly<Record<Trigger, number>> = {
  customer_requested_human: 0,
  unsupported_topic: 1,
  intent_or_keyword: 2,
  workflow_flag: 3,
  negative_sentiment: 4,
  sla_breach: 5,
  no_assistant: 6,
};
const TRIGGERS = Object.keys(TRIGGER_SLOT) as Trigger[];
/** Slot for a trigger this build does not know (facts from a newer peer): no `when` matches it. */
const UNKNOWN_TRIGGER_SLOT = TRIGGERS.length;

interface CompiledRule {
  readonly id: string;
  readonly action: RuleAction;
  /** Per trigger slot: null when `when` admits the trigger, else the trace entry saying why not. */
  readonly triggerFailure: readonly (RuleEvaluation | null)[];
  readonly condition: Check | null;
  /**
   * What an evaluation runs once the guard (if any) held: `conditionAfterGuard` when the guard
   * covers the first leaf whole, else `condition`. Null: the rule matches.
   */
  readonly afterGuard: Check | null;
  /** Index into the ruleset's shared guard tests, or -1; see `conditionGuard`. */
  readonly guardSlot: number;
  /** This rule's trace entry when its guard fails. */
  readonly guardEntry: RuleEvaluation | null;
  readonly matched: RuleEvaluation;
}

const RULES = Symbol('baton.rules.compiled');
const GUARDS = Symbol('baton.rules.guards');
const BY_TRIGGER = Symbol('baton.rules.byTrigger');
const LOOKUPS = Symbol('baton.rules.lookups');
type CompiledRulesetValue = CompiledRuleset & {
  readonly [RULES]: readonly CompiledRule[];
  /** Distinct first tests of the rules' conditions, each asked at most once per evaluation. */
  readonly [GUARDS]: readonly Guard['test'][];
  /** Per trigger slot (see `TriggerPlan`). */
  readonly [BY_TRIGGER]: readonly TriggerPlan[];
  /** Per guard slot, its lookup group or -1; the groups; per slot, 1 when negated. */
  readonly [LOOKUPS]: { readonly group: Int32Array; readonly groups: readonly LookupGroup[]; readonly negated: Uint8Array };
};

/**
 * What one trigger leaves to decide. A rule whose `when` excludes the trigger, or whose guard
 * fails, has a trace entry known at compile time: `skipped` holds it, per rule, so the trace of
 * an evaluation is a copy of its first entries with the few rules actually evaluated written in
 * (one array of the right length, instead of ~440 pushes growing one).
 */
interface TriggerPlan {
  /** Per rule: the trigger failure; else the guard's failure entry; else null (always evaluated). */
  readonly skipped: readonly (RuleEvaluation | null)[];
  /** Indexes of the rules whose `when` admits the trigger, in order. */
  readonly live: Int32Array;
}

function triggerPlan(rules: readonly CompiledRule[], slot: number): TriggerPlan {
  const live: number[] = [];
  const skipped = rules.map((rule, index) => {
    const wrongTrigger = rule.triggerFailure[slot] ?? null;
    if (wrongTrigger !== null) return wrongTrigger;
    live.push(index);
    return rule.guardEntry;
  });
  // Not frozen: `slice` of a frozen array takes V8's slow path (it doubled the evaluation time).
  return { skipped, live: Int32Array.from(live) };
}

/** Shares guard tests between rules by signature while a ruleset compiles. */
interface GuardTable {
  readonly slots: Map<string, number>;
  readonly tests: Guard['test'][];
  /** Per guard slot: its lookup group, or -1 (the test is called). */
  readonly group: number[];
  /** Per guard slot: 1 for neq/nin (holds when no value is looked up). */
  readonly negated: number[];
  readonly groups: LookupGroup[];
  readonly groupOfField: Map<string, number>;
}

/**
 * The equality guards on one field (`GuardLookup`): instead of calling each test, an evaluation
 * reads the field once and looks each of its values up in `slotsByText`. The group's slots are
 * then all answered: the ones looked up hold (neq/nin: fail), the others fail (neq/nin: hold).
 */
interface LookupGroup {
  readonly reader: FieldReader;
  readonly slots: number[];
  readonly slotsByText: Map<string, number[]>;
}

function addLookup(guards: GuardTable, slot: number, lookup: GuardLookup): void {
  let group = guards.groupOfField.get(lookup.field);
  if (group === undefined) {
    group = guards.groups.length;
    guards.groups.push({ reader: lookup.reader, slots: [], slotsByText: new Map() });
    guards.groupOfField.set(lookup.field, group);
  }
  const entry = guards.groups[group]!;
  entry.slots.push(slot);
  for (const text of lookup.texts) {
    const slots = entry.slotsByText.get(text);
    if (slots === undefined) entry.slotsByText.set(text, [slot]);
    else if (!slots.includes(slot)) slots.push(slot);
  }
  guards.group[slot] = group;
  guards.negated[slot] = lookup.negated ? 1 : 0;
}

function compileRule(
  rule: Ruleset['rules'][number],
  env: RulesEnvironment,
  clock: ReturnType<typeof localClockFor>,
  guards: GuardTable,
): CompiledRule {
  const when = rule.when;
  const triggerFailure: (RuleEvaluation | null)[] = [];
  for (let slot = 0; slot <= UNKNOWN_TRIGGER_SLOT; slot += 1) {
    const trigger = TRIGGERS[slot];
    if (when === undefined || (trigger !== undefined && when.includes(trigger))) {
      triggerFailure.push(null);
    } else {
      const text = `trigger ${trigger ?? '(unknown)'} not in [${when.join(', ')}]`;
      triggerFailure.push(Object.freeze({ rule: rule.id, matched: false, failed: text }));
    }
  }
  let condition: Check | null = null;
  let afterGuard: Check | null = null;
  let guardSlot = -1;
  let guardEntry: RuleEvaluation | null = null;
  if (rule.if !== undefined) {
    const context = { ruleId: rule.id, schedules: env.schedules, clock };
    try {
      condition = compileCondition(rule.if, context);
    } catch (error) {
      if (error instanceof ConditionError) throw new Error(`rule "${rule.id}": ${error.message}`, { cause: error });
      throw error;
    }
    const guard = conditionGuard(rule.if, context);
    afterGuard = condition;
    if (guard !== null) {
      const rest = conditionAfterGuard(rule.if, context);
      if (rest !== undefined) afterGuard = rest;
      let slot = guards.slots.get(guard.signature);
      if (slot === undefined) {
        slot = guards.tests.length;
        guards.tests.push(guard.test);
        guards.slots.set(guard.signature, slot);
        guards.group.push(-1);
        guards.negated.push(0);
        if (guard.lookup !== undefined) addLookup(guards, slot, guard.lookup);
      }
      guardSlot = slot;
      guardEntry = guard.entry;
    }
  }
  return {
    id: rule.id,
    action: rule.then,
    triggerFailure,
    condition,
    afterGuard,
    guardSlot,
    guardEntry,
    matched: Object.freeze({ rule: rule.id, matched: true, failed: null }),
  };
}

/** Guard answers of the running evaluation: `stamp[slot] === epoch` means `passed[slot]` is current. */
let guardStamp = new Uint32Array(0);
let guardPassed = new Uint8Array(0);
let epoch = 0;
/** Rules evaluated in the running evaluation whose condition failed: index and trace entry. */
const failedIndex: number[] = [];
const failedEntry: RuleEvaluation[] = [];

/** Answers every guard of a lookup group for the running evaluation (see `LookupGroup`). */
function answerGroup(group: LookupGroup, negated: Uint8Array, facts: RuleFacts): void {
  const slots = group.slots;
  for (let i = 0; i < slots.length; i += 1) {
    const slot = slots[i]!;
    guardStamp[slot] = epoch;
    guardPassed[slot] = negated[slot]!;
  }
  const visit = (text: string): void => {
    const found = group.slotsByText.get(text);
    if (found === undefined) return;
    for (let i = 0; i < found.length; i += 1) {
      const slot = found[i]!;
      guardPassed[slot] = negated[slot]! ^ 1;
    }
  };
  const reader = group.reader;
  switch (reader.kind) {
    case 'scalar':
      valueKeys(reader.read(facts), visit);
      break;
    case 'list': {
      const values = reader.read(facts);
      for (let i = 0; i < values.length; i += 1) valueKeys(values[i], visit);
      break;
    }
    case 'channel':
      valueKeys(facts.channel.id, visit);
      valueKeys(facts.channel.type, visit);
      break;
  }
}

/**
 * Compile every enabled rule once. Throws an Error naming the rule for what validation should
 * have caught: an unknown schedule in `businessHours`, an unknown field or operator, a bad regex.
 */
export function compileRuleset(ruleset: Ruleset, env: RulesEnvironment, version: number | null): CompiledRuleset {
  const clock = localClockFor(env.timezone);
  const guards: GuardTable = { slots: new Map(), tests: [], group: [], negated: [], groups: [], groupOfField: new Map() };
  const rules = ruleset.rules.filter((rule) => rule.enabled !== false).map((rule) => compileRule(rule, env, clock, guards));
  const byTrigger: TriggerPlan[] = [];
  for (let slot = 0; slot <= UNKNOWN_TRIGGER_SLOT; slot += 1) byTrigger.push(triggerPlan(rules, slot));
  const compiled: CompiledRulesetValue = {
    version,
    ruleIds: Object.freeze(rules.map((rule) => rule.id)),
    fallback: ruleset.fallback,
    [RULES]: rules,
    [GUARDS]: guards.tests,
    [BY_TRIGGER]: byTrigger,
    [LOOKUPS]: { group: Int32Array.from(guards.group), groups: guards.groups, negated: Uint8Array.from(guards.negated) },
  };
  return Object.freeze(compiled);
}

/**
 * First match wins. With `useFallback: false` (soft triggers: intent_or_keyword, negative_sentiment)
 * returns null when no explicit rule matched.
 */
export function evaluateRuleset(
  compiled: CompiledRuleset,
  facts: RuleFacts,
  options: { useFallback: boolean },
): RuleMatch | null {
  const value = compiled as Partial<CompiledRulesetValue>;
  const rules = value[RULES];
  const guards = value[GUARDS];
  const byTrigger = value[BY_TRIGGER];
  const lookups = value[LOOKUPS];
  if (rules === undefined || guards === undefined || byTrigger === undefined || lookups === undefined) {
    throw new Error('evaluateRuleset needs a ruleset built by compileRuleset');
  }
  const slot = (TRIGGER_SLOT as Partial<Record<string, number>>)[facts.trigger] ?? UNKNOWN_TRIGGER_SLOT;
  const plan = byTrigger[slot]!;
  // Evaluation is synchronous and not re-entrant: one shared memo, invalidated by a new epoch.
  if (guardStamp.length < guards.length) {
    guardStamp = new Uint32Array(guards.length * 2);
    guardPassed = new Uint8Array(guards.length * 2);
  }
  epoch = epoch === 0xffffffff ? 1 : epoch + 1;
  if (epoch === 1) guardStamp.fill(0);
  const live = plan.live;
  let failures = 0;
  let winner = -1;
  for (let k = 0; k < live.length; k += 1) {
    const index = live[k]!;
    const rule = rules[index]!;
    const guardSlot = rule.guardSlot;
    if (guardSlot >= 0) {
      if (guardStamp[guardSlot] !== epoch) {
        const group = lookups.group[guardSlot]!;
        if (group >= 0) {
          answerGroup(lookups.groups[group]!, lookups.negated, facts);
        } else {
          guardStamp[guardSlot] = epoch;
          guardPassed[guardSlot] = guards[guardSlot]!(facts) ? 1 : 0;
        }
      }
      // Its entry in `plan.skipped` is the guard's failure.
      if (guardPassed[guardSlot] === 0) continue;
    }
    // The guard held (or there is none): the rest of the condition decides.
    const check = rule.afterGuard;
    const failed = check === null ? null : check(facts);
    if (failed !== null) {
      failedIndex[failures] = index;
      failedEntry[failures] = failed;
      failures += 1;
      continue;
    }
    winner = index;
    break;
  }
  if (winner < 0 && !options.useFallback) return null;
  // Every rule up to the winner (all of them without one) is in the trace: the skipped ones as
  // compiled, the evaluated ones as they failed; no null is left (rules without a guard that
  // `when` admits are always evaluated, so they are written in below).
  const evaluated = (winner < 0 ? plan.skipped.slice() : plan.skipped.slice(0, winner + 1)) as RuleEvaluation[];
  for (let f = 0; f < failures; f += 1) evaluated[failedIndex[f]!] = failedEntry[f]!;
  if (winner >= 0) {
    const rule = rules[winner]!;
    evaluated[winner] = rule.matched;
    return { rule: rule.id, action: rule.action, evaluated };
  }
  return { rule: 'fallback', action: compiled.fallback, evaluated };
}
