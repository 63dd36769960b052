/**
 * The handoff ruleset, compiled once per version into closures, evaluated per handoff
 *: rules are ordered, the first enabled rule whose `when` lists the trigger
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
  languageKeys,
  valueKeys,
  type Check,
  type ConditionContext,
  type FactsTest,
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

const TABLES = Symbol('baton.rules.tables');
const EVALUATIONS = Symbol('baton.rules.evaluations');
type CompiledRulesetValue = CompiledRuleset & {
  readonly [TABLES]: RulesetTables;
  /** This ruleset's evaluations' scratch state (see `Evaluations`). */
  readonly [EVALUATIONS]: Evaluations;
};

/**
 * What one trigger leaves to decide. A rule whose `when` excludes the trigger, or whose guard
 * fails, has a trace entry known at compile time: `skipped` holds it, per rule, so the trace of
 * an evaluation is a copy of its first entries with the few rules actually evaluated written in
 * (one array of the right length, instead of a push per rule growing one).
 *
 * A rule whose guard is a positive look-up (`eq`/`in` on a text, `contains` on tags: a campaign
 * tag, an intent, a plan) can only be evaluated when the field has one of its values, so it is
 * not walked at all otherwise: `examine` lists the other rules the trigger admits, and
 * `rulesOfSlot` the look-up guard's rules, which an evaluation merges in when the look-up finds
 * the guard's text. Walking every rule only to skip most of them on their guards was most of an
 * evaluation (bench/results/routing-profile.md).
 */
interface TriggerPlan {
  /** Per rule: the trigger failure; else the guard's failure entry; else null (always evaluated). */
  readonly skipped: readonly (RuleEvaluation | null)[];
  /** Rules whose `when` admits the trigger and whose guard is not a positive look-up, in order. */
  readonly examine: Int32Array;
  /** Per guard slot: the rules (admitted by the trigger, in order) whose guard is this positive look-up. */
  readonly rulesOfSlot: readonly (Int32Array | undefined)[];
  /** Look-up groups with such rules: answered first, to find them. */
  readonly groups: Int32Array;
}

function triggerPlan(rules: readonly CompiledRule[], slot: number, guards: GuardTable): TriggerPlan {
  const examine: number[] = [];
  const bySlot = new Map<number, number[]>();
  const skipped = rules.map((rule, index) => {
    const wrongTrigger = rule.triggerFailure[slot] ?? null;
    if (wrongTrigger !== null) return wrongTrigger;
    const guardSlot = rule.guardSlot;
    if (guardSlot >= 0 && guards.group[guardSlot]! >= 0 && guards.negated[guardSlot] === 0) {
      const list = bySlot.get(guardSlot);
      if (list === undefined) bySlot.set(guardSlot, [index]);
      else list.push(index);
    } else {
      examine.push(index);
    }
    return rule.guardEntry;
  });
  const rulesOfSlot: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(guards.tests.length).fill(undefined);
  const groups = new Set<number>();
  for (const [guardSlot, list] of bySlot) {
    rulesOfSlot[guardSlot] = Int32Array.from(list);
    groups.add(guards.group[guardSlot]!);
  }
  // Not frozen: `slice` of a frozen array takes V8's slow path (it doubled the evaluation time).
  return { skipped, examine: Int32Array.from(examine), rulesOfSlot, groups: Int32Array.from([...groups].sort((a, b) => a - b)) };
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
  /** Per slot: the test leaves call (`sharedTest`), made on first use. */
  readonly shared: (FactsTest | undefined)[];
  /** The checks `shareLeaf` made, with their slot and failure entry (for `allOf`). */
  readonly leaves: Map<Check, { readonly slot: number; readonly entry: RuleEvaluation }>;
  /** Where the compiled leaves find the running evaluation's answers. */
  readonly evaluations: Evaluations;
}

/**
 * The equality guards on one field (`GuardLookup`): instead of calling each test, an evaluation
 * reads the field once and looks each of its values up in `slotsByText`. The group's slots are
 * then all answered: the ones looked up hold (neq/nin: fail), the others fail (neq/nin: hold).
 */
interface LookupGroup {
  readonly reader: FieldReader;
  /** Values are looked up by `languageKeys` (language fields), else `valueKeys`. */
  readonly language: boolean;
  readonly slots: number[];
  readonly slotsByText: Map<string, number[]>;
}

function addLookup(guards: GuardTable, slot: number, lookup: GuardLookup): void {
  let group = guards.groupOfField.get(lookup.field);
  if (group === undefined) {
    group = guards.groups.length;
    guards.groups.push({ reader: lookup.reader, language: lookup.language, slots: [], slotsByText: new Map() });
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

/** The slot of a test in the ruleset's table, shared by every test with its signature. */
function testSlot(guards: GuardTable, signature: string, test: FactsTest, lookup: GuardLookup | undefined): number {
  let slot = guards.slots.get(signature);
  if (slot === undefined) {
    slot = guards.tests.length;
    guards.tests.push(test);
    guards.slots.set(signature, slot);
    guards.group.push(-1);
    guards.negated.push(0);
    guards.shared.push(undefined);
    if (lookup !== undefined) addLookup(guards, slot, lookup);
  }
  return slot;
}

/** A leaf's test as the ruleset answers it: at most once per evaluation (`Evaluation.holds`). */
function sharedTest(guards: GuardTable, signature: string, test: FactsTest, lookup: GuardLookup | undefined): FactsTest {
  const slot = testSlot(guards, signature, test, lookup);
  let shared = guards.shared[slot];
  if (shared === undefined) {
    const evaluations = guards.evaluations;
    shared = (facts) => evaluations.running!.holds(slot, facts);
    guards.shared[slot] = shared;
  }
  return shared;
}

/** A one-operator leaf as the ruleset answers it: its test's answer from the running evaluation. */
function sharedLeaf(guards: GuardTable, signature: string, test: FactsTest, lookup: GuardLookup | undefined, entry: RuleEvaluation): Check {
  const slot = testSlot(guards, signature, test, lookup);
  const evaluations = guards.evaluations;
  const leaf: Check = (facts) => (evaluations.running!.holds(slot, facts) ? null : entry);
  guards.leaves.set(leaf, { slot, entry });
  return leaf;
}

/**
 * `all` of `children`: the first failure in order, or null. A child that is a shared leaf is
 * answered from its slot in the loop itself, without calling its closure (the broad rules'
 * `all` of two or three leaves is most of what an evaluation runs).
 */
function allOf(guards: GuardTable, children: readonly Check[]): Check {
  const evaluations = guards.evaluations;
  const count = children.length;
  const slots = new Int32Array(count).fill(-1);
  const entries: (RuleEvaluation | null)[] = [];
  const checks: (Check | null)[] = [];
  children.forEach((child, index) => {
    const leaf = guards.leaves.get(child);
    slots[index] = leaf === undefined ? -1 : leaf.slot;
    entries.push(leaf === undefined ? null : leaf.entry);
    checks.push(leaf === undefined ? child : null);
  });
  return (facts) => {
    const evaluation = evaluations.running!;
    for (let index = 0; index < count; index += 1) {
      const slot = slots[index]!;
      if (slot >= 0) {
        if (!evaluation.holds(slot, facts)) return entries[index]!;
      } else {
        const failed = checks[index]!(facts);
        if (failed !== null) return failed;
      }
    }
    return null;
  };
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
    const context: ConditionContext = {
      ruleId: rule.id,
      schedules: env.schedules,
      clock,
      shareTest: (signature, test, lookup) => sharedTest(guards, signature, test, lookup),
      shareLeaf: (signature, test, lookup, entry) => sharedLeaf(guards, signature, test, lookup, entry),
      shareAll: (children) => allOf(guards, children),
    };
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
      guardSlot = testSlot(guards, guard.signature, guard.test, guard.lookup);
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

/** What a compiled ruleset evaluates with: fixed once it is compiled. */
interface RulesetTables {
  readonly rules: readonly CompiledRule[];
  /** Each rule's `guardSlot`, beside the rules: the walk reads it without loading the rule. */
  readonly guardSlots: Int32Array;
  /** Distinct tests of the rules' leaves, each asked at most once per evaluation. */
  readonly tests: readonly Guard['test'][];
  /** Per trigger slot (see `TriggerPlan`). */
  readonly byTrigger: readonly TriggerPlan[];
  /** Per test slot, its look-up group or -1. */
  readonly groupOf: Int32Array;
  readonly groups: readonly LookupGroup[];
  /** Per test slot, 1 when the look-up is negated (neq/nin). */
  readonly negated: Uint8Array;
}

/**
 * The evaluations of one compiled ruleset (owned by it): the one running, which the ruleset's
 * compiled leaves ask for their answers (`Evaluation.holds`), and a spare kept for the next.
 * Each evaluation takes the spare, or a new one when the spare is in use — an evaluation started
 * while another runs (from inside a facts getter, say) — so two evaluations never share scratch
 * state, and the usual one allocates nothing.
 */
interface Evaluations {
  running: Evaluation | null;
  spare: Evaluation | null;
}

/**
 * The scratch state of one evaluation at a time: the answers of the tests asked so far, the
 * rules of the look-up guards found, the rules whose condition failed. Kept between evaluations
 * (and invalidated by a new `epoch`) so an evaluation allocates only its trace.
 */
class Evaluation {
  readonly tables: RulesetTables;
  /** `guardStamp[slot] === epoch` means `guardPassed[slot]` is this evaluation's answer. */
  readonly guardStamp: Uint32Array;
  readonly guardPassed: Uint8Array;
  /** Look-up tests: `foundStamp[slot] === epoch` when the field had the test's text this evaluation. */
  readonly foundStamp: Uint32Array;
  /** `groupStamp[group] === epoch` when the group's field was looked up this evaluation. */
  readonly groupStamp: Uint32Array;
  epoch = 0;
  /** Rules evaluated whose condition failed: index and trace entry. */
  readonly failedIndex: number[] = [];
  readonly failedEntry: RuleEvaluation[] = [];
  /** Rules of the positive look-up guards found (`TriggerPlan.rulesOfSlot`). */
  found = new Int32Array(64);
  foundCount = 0;
  /** The group being answered, and the plan whose rules it collects (null: answers only). */
  visitGroup: LookupGroup | null = null;
  visitPlan: TriggerPlan | null = null;
  /** `visitKey` bound once: the look-up hands it each key of a value. */
  readonly visit: (text: string) => void;

  constructor(tables: RulesetTables) {
    this.tables = tables;
    this.guardStamp = new Uint32Array(tables.tests.length);
    this.guardPassed = new Uint8Array(tables.tests.length);
    this.foundStamp = new Uint32Array(tables.tests.length);
    this.groupStamp = new Uint32Array(tables.groups.length);
    this.visit = (text) => this.visitKey(text);
  }

  /** Starts a new evaluation: every stamp of the last one is out of date. */
  begin(): void {
    this.epoch = this.epoch === 0xffffffff ? 1 : this.epoch + 1;
    if (this.epoch === 1) {
      this.guardStamp.fill(0);
      this.foundStamp.fill(0);
      this.groupStamp.fill(0);
    }
    this.foundCount = 0;
  }

  visitKey(text: string): void {
    const slots = this.visitGroup!.slotsByText.get(text);
    if (slots === undefined) return;
    const { foundStamp, epoch, visitPlan } = this;
    for (let i = 0; i < slots.length; i += 1) {
      const slot = slots[i]!;
      if (foundStamp[slot] === epoch) continue;
      foundStamp[slot] = epoch;
      const rules = visitPlan === null ? undefined : visitPlan.rulesOfSlot[slot];
      if (rules === undefined) continue;
      const foundCount = this.foundCount;
      if (this.found.length < foundCount + rules.length) {
        const grown = new Int32Array((foundCount + rules.length) * 2);
        grown.set(this.found.subarray(0, foundCount));
        this.found = grown;
      }
      this.found.set(rules, foundCount);
      this.foundCount = foundCount + rules.length;
    }
  }

  /**
   * Looks the group's field up for this evaluation (see `LookupGroup`): marks the slots whose
   * text the field has, and collects their rules for `plan` when one is given.
   */
  answerGroup(groupIndex: number, plan: TriggerPlan | null, facts: RuleFacts): void {
    const group = this.tables.groups[groupIndex]!;
    this.groupStamp[groupIndex] = this.epoch;
    this.visitGroup = group;
    this.visitPlan = plan;
    const visit = this.visit;
    const reader = group.reader;
    const keys = group.language ? languageKeys : valueKeys;
    switch (reader.kind) {
      case 'scalar':
        keys(reader.read(facts), visit);
        break;
      case 'list': {
        const values = reader.read(facts);
        for (let i = 0; i < values.length; i += 1) keys(values[i], visit);
        break;
      }
      case 'channel':
        keys(facts.channel.id, visit);
        keys(facts.channel.type, visit);
        break;
    }
    this.visitGroup = null;
    this.visitPlan = null;
  }

  /**
   * The answer of the test in `slot` for this evaluation, computed at most once: a look-up test
   * by its group's look-up, any other by calling it. Leaves shared by many rules (a channel, a
   * priority, a plan, a message pattern) are asked once per decision instead of once per rule.
   */
  holds(slot: number, facts: RuleFacts): boolean {
    const tables = this.tables;
    const group = tables.groupOf[slot]!;
    if (group >= 0) {
      if (this.groupStamp[group] !== this.epoch) this.answerGroup(group, null, facts);
      return (this.foundStamp[slot] === this.epoch ? 1 : 0) !== tables.negated[slot];
    }
    if (this.guardStamp[slot] !== this.epoch) {
      this.guardStamp[slot] = this.epoch;
      this.guardPassed[slot] = tables.tests[slot]!(facts) ? 1 : 0;
    }
    return this.guardPassed[slot] === 1;
  }

  /** Sorts `found[0, count)` ascending: a few rules usually, so insertion sort; else the typed sort. */
  sortFound(count: number): void {
    const found = this.found;
    if (count > 32) {
      found.subarray(0, count).sort();
      return;
    }
    for (let i = 1; i < count; i += 1) {
      const value = found[i]!;
      let j = i - 1;
      while (j >= 0 && found[j]! > value) {
        found[j + 1] = found[j]!;
        j -= 1;
      }
      found[j + 1] = value;
    }
  }

  /** `evaluateRuleset` on this evaluation's scratch state; `fallback` is the ruleset's. */
  evaluate(plan: TriggerPlan, facts: RuleFacts, useFallback: boolean, fallback: RuleAction): RuleMatch | null {
    this.begin();
    const { rules, guardSlots } = this.tables;
    // The positive look-ups first: the rules of the guards found are the only ones of theirs to walk.
    const planGroups = plan.groups;
    for (let g = 0; g < planGroups.length; g += 1) this.answerGroup(planGroups[g]!, plan, facts);
    const extraCount = this.foundCount;
    this.sortFound(extraCount);
    const found = this.found;
    const examine = plan.examine;
    const { failedIndex, failedEntry } = this;
    let failures = 0;
    let winner = -1;
    let e = 0;
    let x = 0;
    // Merge `examine` and the found rules in rule order: first match wins.
    while (e < examine.length || x < extraCount) {
      let index: number;
      if (x >= extraCount || (e < examine.length && examine[e]! < found[x]!)) {
        index = examine[e]!;
        e += 1;
        const guardSlot = guardSlots[index]!;
        // Its entry in `plan.skipped` is the guard's failure.
        if (guardSlot >= 0 && !this.holds(guardSlot, facts)) continue;
      } else {
        // A positive look-up guard that was found: it held.
        index = found[x]!;
        x += 1;
      }
      // The guard held (or there is none): the rest of the condition decides.
      const rule = rules[index]!;
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
    if (winner < 0 && !useFallback) return null;
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
    return { rule: 'fallback', action: fallback, evaluated };
  }
}

/**
 * Compile every enabled rule once. Throws an Error naming the rule for what validation should
 * have caught: an unknown schedule in `businessHours`, an unknown field or operator, a bad regex.
 */
export function compileRuleset(ruleset: Ruleset, env: RulesEnvironment, version: number | null): CompiledRuleset {
  const clock = localClockFor(env.timezone);
  const evaluations: Evaluations = { running: null, spare: null };
  const guards: GuardTable = {
    slots: new Map(),
    tests: [],
    group: [],
    negated: [],
    groups: [],
    groupOfField: new Map(),
    shared: [],
    leaves: new Map(),
    evaluations,
  };
  const rules = ruleset.rules.filter((rule) => rule.enabled !== false).map((rule) => compileRule(rule, env, clock, guards));
  const byTrigger: TriggerPlan[] = [];
  for (let slot = 0; slot <= UNKNOWN_TRIGGER_SLOT; slot += 1) byTrigger.push(triggerPlan(rules, slot, guards));
  const tables: RulesetTables = {
    rules,
    guardSlots: Int32Array.from(rules, (rule) => rule.guardSlot),
    tests: guards.tests,
    byTrigger,
    groupOf: Int32Array.from(guards.group),
    groups: guards.groups,
    negated: Uint8Array.from(guards.negated),
  };
  evaluations.spare = new Evaluation(tables);
  const compiled: CompiledRulesetValue = {
    version,
    ruleIds: Object.freeze(rules.map((rule) => rule.id)),
    fallback: ruleset.fallback,
    [TABLES]: tables,
    [EVALUATIONS]: evaluations,
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
  const tables = value[TABLES];
  const evaluations = value[EVALUATIONS];
  if (tables === undefined || evaluations === undefined) {
    throw new Error('evaluateRuleset needs a ruleset built by compileRuleset');
  }
  const slot = (TRIGGER_SLOT as Partial<Record<string, number>>)[facts.trigger] ?? UNKNOWN_TRIGGER_SLOT;
  const plan = tables.byTrigger[slot]!;
  // This evaluation's own scratch state (see `Evaluations`).
  const evaluation = evaluations.spare ?? new Evaluation(tables);
  evaluations.spare = null;
  const outer = evaluations.running;
  evaluations.running = evaluation;
  try {
    return evaluation.evaluate(plan, facts, options.useFallback, compiled.fallback);
  } finally {
    evaluations.running = outer;
    evaluations.spare = evaluation;
  }
}
