import { describe, expect, it } from 'vitest';
import { Condition } from '../../contract/conditions.js';
import { ScheduleConfig } from '../../contract/config.js';
import type { RuleEvaluation } from '../../contract/trace.js';
import type { ContactFacts, ConversationFacts, RuleFacts, Schedule } from '../model.js';
import { compileSchedule } from '../schedule/schedule.js';
import { aFacts } from '../testing/factories.js';
import {
  compileCondition,
  ConditionError,
  describeCondition,
  describeOperator,
  type ConditionContext,
} from './compile-condition.js';
import { localClockFor } from './read-field.js';


const SCHEDULES: ReadonlyMap<string, Schedule> = new Map(
  [
    { id: 'office', timezone: 'Europe/Madrid', hours: { 'mon-fri': ['09:00-13:00', '14:00-18:00'] }, holidays: ['2026-12-25'] },
    // Friday night into Saturday morning; Saturday 2026-11-28 is a holiday.
    { id: 'night', timezone: 'UTC', hours: { fri: ['22:00-06:00'] }, holidays: [] },
    { id: 'night-with-holiday', timezone: 'UTC', hours: { fri: ['22:00-06:00'] }, holidays: ['2026-11-28'] },
  ].map((config) => {
    const schedule = compileSchedule(ScheduleConfig.parse(config));
    return [schedule.id, schedule] as const;
  }),
);

function contextFor(timezone = 'UTC'): ConditionContext {
  return { ruleId: 'rule-under-test', schedules: SCHEDULES, clock: localClockFor(timezone) };
}

/** The trace entry of the first failed condition, or null when the condition holds. */
function check(condition: Condition, facts: RuleFacts, timezone = 'UTC'): RuleEvaluation | null {
  return compileCondition(condition, contextFor(timezone))(facts);
}

function holds(condition: Condition, facts: RuleFacts = aFacts(), timezone = 'UTC'): boolean {
  return check(condition, facts, timezone) === null;
}

/** What `condition` says it failed on, for facts where it fails. */
function failedText(condition: Condition, facts: RuleFacts = aFacts(), timezone = 'UTC'): string | null {
  return check(condition, facts, timezone)?.failed ?? null;
}

/** A condition that is not a valid Condition (to reach compile-time errors). */
function raw(value: unknown): Condition {
  return value as Condition;
}

function compileError(condition: Condition): string {
  try {
    compileCondition(condition, contextFor());
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionError);
    return (error as Error).message;
  }
  throw new Error('expected a ConditionError');
}

const withPlan = (plan: ContactFacts['properties'][string]): RuleFacts => aFacts({ contact: { properties: { plan } } });
const withSeats = (seats: ContactFacts['properties'][string]): RuleFacts => aFacts({ contact: { properties: { seats } } });
const saying = (messageText: string): RuleFacts => aFacts({ messageText });
const tagged = (...tags: string[]): RuleFacts => aFacts({ conversation: { tags } });

// ---------------------------------------------------------------------------------------------

describe('operator eq', () => {
  it('holds for the same text, ignoring case on either side', () => {
    expect(holds({ 'contact.plan': { eq: 'enterprise' } }, withPlan('enterprise'))).toBe(true);
    expect(holds({ 'contact.plan': { eq: 'Enterprise' } }, withPlan('ENTERPRISE'))).toBe(true);
    expect(holds({ 'message.text': { eq: 'HELLO' } }, saying('hello'))).toBe(true);
  });

  it('does not hold for another text, nor for a substring', () => {
    expect(holds({ 'contact.plan': { eq: 'enterprise' } }, withPlan('pro'))).toBe(false);
    expect(holds({ 'contact.plan': { eq: 'enter' } }, withPlan('enterprise'))).toBe(false);
  });

  it('compares numbers as numbers and a number against text by its written form', () => {
    expect(holds({ 'contact.seats': { eq: 10 } }, withSeats(10))).toBe(true);
    expect(holds({ 'contact.seats': { eq: 10 } }, withSeats(11))).toBe(false);
    expect(holds({ 'contact.seats': { eq: 10 } }, withSeats('10'))).toBe(true);
    expect(holds({ 'contact.seats': { eq: '10' } }, withSeats(10))).toBe(true);
    expect(holds({ 'contact.seats': { eq: 10 } }, withSeats('10.0'))).toBe(false);
  });

  it('compares booleans as booleans and against the texts "true"/"false"', () => {
    const vip = (value: boolean | string): RuleFacts => aFacts({ contact: { properties: { vip: value } } });
    expect(holds({ 'contact.vip': { eq: true } }, vip(true))).toBe(true);
    expect(holds({ 'contact.vip': { eq: true } }, vip(false))).toBe(false);
    expect(holds({ 'contact.vip': { eq: false } }, vip(false))).toBe(true);
    expect(holds({ 'contact.vip': { eq: true } }, vip('TRUE'))).toBe(true);
    expect(holds({ 'contact.vip': { eq: 'true' } }, vip(true))).toBe(true);
  });

  it('eq null holds for a null or missing value, not for an empty text', () => {
    expect(holds({ 'contact.owner': { eq: null } }, aFacts())).toBe(true);
    expect(holds({ 'contact.plan': { eq: null } }, aFacts())).toBe(true);
    expect(holds({ 'contact.plan': { eq: null } }, withPlan(null))).toBe(true);
    expect(holds({ 'contact.plan': { eq: null } }, withPlan(''))).toBe(false);
    expect(holds({ 'contact.plan': { eq: null } }, withPlan('pro'))).toBe(false);
  });

  it('never holds for a missing or null value against a literal', () => {
    expect(holds({ 'contact.plan': { eq: 'enterprise' } }, aFacts())).toBe(false);
    expect(holds({ 'contact.plan': { eq: 0 } }, withPlan(null))).toBe(false);
    expect(holds({ 'contact.plan': { eq: false } }, aFacts())).toBe(false);
    expect(holds({ intent: { eq: 'null' } }, aFacts())).toBe(false);
  });
});

describe('operator neq', () => {
  it('holds exactly when eq does not', () => {
    expect(holds({ 'contact.plan': { neq: 'enterprise' } }, withPlan('pro'))).toBe(true);
    expect(holds({ 'contact.plan': { neq: 'enterprise' } }, withPlan('Enterprise'))).toBe(false);
    expect(holds({ 'contact.seats': { neq: 10 } }, withSeats('10'))).toBe(false);
  });

  it('holds for a missing value (it equals nothing), and neq null holds only for a present value', () => {
    expect(holds({ 'contact.plan': { neq: 'enterprise' } }, aFacts())).toBe(true);
    expect(holds({ 'contact.plan': { neq: null } }, aFacts())).toBe(false);
    expect(holds({ 'contact.plan': { neq: null } }, withPlan('pro'))).toBe(true);
  });
});

describe('operators in and nin', () => {
  it('in holds when the value eq some literal, ignoring case', () => {
    expect(holds({ 'contact.plan': { in: ['pro', 'enterprise'] } }, withPlan('ENTERPRISE'))).toBe(true);
    expect(holds({ 'contact.plan': { in: ['pro', 'enterprise'] } }, withPlan('free'))).toBe(false);
    expect(holds({ 'contact.seats': { in: [5, 10] } }, withSeats('10'))).toBe(true);
    expect(holds({ 'contact.plan': { in: ['pro', null] } }, aFacts())).toBe(true);
  });

  it('nin holds when the value eq no literal; a missing value is in no list', () => {
    expect(holds({ 'contact.plan': { nin: ['pro', 'enterprise'] } }, withPlan('free'))).toBe(true);
    expect(holds({ 'contact.plan': { nin: ['pro', 'enterprise'] } }, withPlan('Pro'))).toBe(false);
    expect(holds({ 'contact.plan': { nin: ['pro'] } }, aFacts())).toBe(true);
  });

  it('in an empty list never holds; nin an empty list always holds', () => {
    expect(holds({ 'contact.plan': { in: [] } }, withPlan('pro'))).toBe(false);
    expect(holds({ 'contact.plan': { nin: [] } }, withPlan('pro'))).toBe(true);
  });
});

describe('operator contains', () => {
  it('on a text holds when the text contains the literal, ignoring case', () => {
    expect(holds({ 'message.text': { contains: 'REFUND' } }, saying('I want a refund, please'))).toBe(true);
    expect(holds({ 'message.text': { contains: 'refund' } }, saying('I want my money back'))).toBe(false);
    expect(holds({ 'message.text': { contains: '' } }, saying('anything'))).toBe(true);
  });

  it('on a number compares written forms', () => {
    expect(holds({ 'contact.seats': { contains: 23 } }, withSeats(1234))).toBe(true);
    expect(holds({ 'contact.seats': { contains: '5' } }, withSeats(1234))).toBe(false);
  });

  it('never holds on a missing value or for a null literal', () => {
    expect(holds({ 'contact.plan': { contains: 'pro' } }, aFacts())).toBe(false);
    expect(holds({ 'message.text': { contains: null } }, saying('null'))).toBe(false);
  });

  it('on tags holds when some tag eq the literal (ignoring case), not on a substring of a tag', () => {
    expect(holds({ tags: { contains: 'VIP' } }, tagged('billing', 'vip'))).toBe(true);
    expect(holds({ tags: { contains: 'vi' } }, tagged('billing', 'vip'))).toBe(false);
    expect(holds({ tags: { contains: 'vip' } }, tagged())).toBe(false);
    expect(holds({ 'conversation.tags': { contains: 'complex' } }, tagged('complex'))).toBe(true);
  });
});

describe('operator matches', () => {
  it('tests a JavaScript regular expression, case-insensitively', () => {
    expect(holds({ 'message.text': { matches: '^refund' } }, saying('Refund my order'))).toBe(true);
    expect(holds({ 'message.text': { matches: '^refund' } }, saying('I want a refund'))).toBe(false);
    expect(holds({ 'message.text': { matches: 'charged\\s+(twice|two times)' } }, saying('I was CHARGED  twice!'))).toBe(true);
    expect(holds({ 'contact.email': { matches: '@acme\\.test$' } }, aFacts({ contact: { email: 'ana@ACME.test' } }))).toBe(true);
  });

  it('reads a number by its written form and never holds on a missing or null value', () => {
    expect(holds({ 'contact.seats': { matches: '^\\d+$' } }, withSeats(40))).toBe(true);
    expect(holds({ 'contact.plan': { matches: '.*' } }, aFacts())).toBe(false);
    expect(holds({ 'contact.plan': { matches: '.*' } }, withPlan(null))).toBe(false);
    expect(holds({ 'contact.plan': { matches: '^$' } }, withPlan(''))).toBe(true);
  });

  it('on tags holds when some tag matches', () => {
    expect(holds({ tags: { matches: '^lang:' } }, tagged('vip', 'LANG:es'))).toBe(true);
    expect(holds({ tags: { matches: '^lang:' } }, tagged('vip'))).toBe(false);
  });

  it('gives the same answer every time (no regex state carried between evaluations)', () => {
    const compiled = compileCondition({ 'message.text': { matches: 'refund' } }, contextFor());
    const facts = saying('refund refund');
    expect([compiled(facts), compiled(facts), compiled(facts)]).toEqual([null, null, null]);
  });

  it('rejects an invalid regular expression at compile time, never at evaluation', () => {
    const message = compileError({ 'message.text': { matches: '(unclosed' } });
    expect(message).toMatch(/^message\.text\.matches: invalid regular expression/);
    expect(compileError({ tags: { matches: '[z-a]' } })).toMatch(/^tags\.matches: invalid regular expression/);
    expect(compileError(raw({ 'message.text': { matches: 42 } }))).toBe('message.text.matches needs a regular expression');
  });

  it('is also rejected by the condition schema, with the path of the operator', () => {
    const result = Condition.safeParse({ 'message.text': { matches: '(unclosed' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['message.text', 'matches']);
    expect(result.error?.issues[0]?.message).toMatch(/^invalid regular expression/);
  });
});

describe('operator matches: linear time whatever the pattern (RE2)', () => {
  // Regression: `^(a+)+$` against 28 a's and "!" held the event loop 3.6 s per customer message,
  // quadrupling every 2 characters. A backtracking engine would not finish these in a lifetime;
  // RE2 answers each in time linear in the text, so the test cannot hang.
  const REDOS: ReadonlyArray<readonly [string, string]> = [
    ['^(a+)+$', 'a'.repeat(5_000) + '!'],
    ['^(a|a)*$', 'a'.repeat(5_000) + '!'],
    ['^(a|aa)+$', 'a'.repeat(5_000) + '!'],
    ['^(.*a){12}$', 'a'.repeat(5_000) + '!'],
    ['^([a-zA-Z]+)*$', 'a'.repeat(5_000) + '1'],
    ['(x+x+)+y', 'x'.repeat(5_000)],
    ['^(\\w+\\s?)*$', 'word '.repeat(2_000) + '!'],
    ['^([a-z0-9]+([._-][a-z0-9]+)*)+@example\\.test$', 'a.'.repeat(2_500) + '!'],
  ];

  it.each(REDOS)('%s against its evil input', (pattern, text) => {
    expect(holds({ 'message.text': { matches: pattern } }, saying(text))).toBe(false);
    expect(holds({ 'message.text': { matches: pattern } }, saying(text.slice(0, -1)))).toBe(!pattern.includes('@') && !pattern.startsWith('(x'));
  });

  it('still matches as rules expect: anywhere in the text, ignoring case', () => {
    expect(holds({ 'message.text': { matches: 'refund|charge ?back' } }, saying('I want a CHARGEBACK now'))).toBe(true);
    expect(holds({ 'message.text': { matches: '^order #?\\d{5}\\b' } }, saying('Order 12345 is late'))).toBe(true);
    expect(holds({ 'message.text': { matches: '(?<word>late)' } }, saying('so late'))).toBe(true);
  });

  it('refuses, when the rule is saved, what needs backtracking, with a reason', () => {
    for (const pattern of ['(a)\\1', '(?=x)y', '(?!x)y', '(?<=x)y', '(?<!x)y', 'a{1001}', 'x'.repeat(1_001)]) {
      const result = Condition.safeParse({ 'message.text': { matches: pattern } });
      expect(result.success, pattern).toBe(false);
      expect(result.error?.issues[0]?.message, pattern).toMatch(/^invalid regular expression: .+ \(rules use RE2 syntax, which runs in linear time: no backreferences or lookaround\)$/);
      expect(compileError({ 'message.text': { matches: pattern } }), pattern).toMatch(/^message\.text\.matches: invalid regular expression/);
    }
  });
});

describe('operator exists', () => {
  it('exists: true holds for a present value, including 0 and false', () => {
    expect(holds({ 'contact.plan': { exists: true } }, withPlan('pro'))).toBe(true);
    expect(holds({ 'contact.seats': { exists: true } }, withSeats(0))).toBe(true);
    expect(holds({ 'contact.seats': { exists: true } }, withSeats(false))).toBe(true);
  });

  it('exists: true does not hold for null, missing or an empty text; exists: false is the opposite', () => {
    for (const facts of [aFacts(), withPlan(null), withPlan('')]) {
      expect(holds({ 'contact.plan': { exists: true } }, facts)).toBe(false);
      expect(holds({ 'contact.plan': { exists: false } }, facts)).toBe(true);
    }
    expect(holds({ 'contact.plan': { exists: false } }, withPlan('pro'))).toBe(false);
  });

  it('reads built-in nulls as absent (contact.owner null, conversation.owner null)', () => {
    expect(holds({ 'contact.owner': { exists: true } }, aFacts())).toBe(false);
    expect(holds({ 'contact.owner': { exists: true } }, aFacts({ contact: { ownerId: 'ana' } }))).toBe(true);
    expect(holds({ 'conversation.owner': { exists: false } }, aFacts())).toBe(true);
    expect(holds({ language: { exists: false } }, aFacts())).toBe(true);
    expect(holds({ intent: { exists: true } }, aFacts({ intent: 'billing_dispute' }))).toBe(true);
  });

  it('on tags: exists holds for a non-empty list', () => {
    expect(holds({ tags: { exists: true } }, tagged('vip'))).toBe(true);
    expect(holds({ tags: { exists: true } }, tagged())).toBe(false);
    expect(holds({ tags: { exists: false } }, tagged())).toBe(true);
  });

  it('on channel: a conversation always has one', () => {
    expect(holds({ channel: { exists: true } })).toBe(true);
    expect(holds({ channel: { exists: false } })).toBe(false);
  });

  it('needs true or false', () => {
    expect(compileError(raw({ 'contact.plan': { exists: 'yes' } }))).toBe('contact.plan.exists needs true or false');
  });
});

describe('operators gt, gte, lt, lte', () => {
  it('compare numbers as numbers', () => {
    expect(holds({ 'contact.seats': { gt: 10 } }, withSeats(11))).toBe(true);
    expect(holds({ 'contact.seats': { gt: 10 } }, withSeats(10))).toBe(false);
    expect(holds({ 'contact.seats': { gte: 10 } }, withSeats(10))).toBe(true);
    expect(holds({ 'contact.seats': { gte: 10 } }, withSeats(9.5))).toBe(false);
    expect(holds({ 'contact.seats': { lt: 10 } }, withSeats(-3))).toBe(true);
    expect(holds({ 'contact.seats': { lt: 10 } }, withSeats(10))).toBe(false);
    expect(holds({ 'contact.seats': { lte: 10 } }, withSeats(10))).toBe(true);
    expect(holds({ 'contact.seats': { lte: 10 } }, withSeats(10.01))).toBe(false);
  });

  it('count a text of digits as a number against a number literal (not as text: "9" < 10)', () => {
    expect(holds({ 'contact.seats': { lt: 10 } }, withSeats('9'))).toBe(true);
    expect(holds({ 'contact.seats': { gt: 10 } }, withSeats('25'))).toBe(true);
    expect(holds({ 'contact.seats': { gte: -1.5 } }, withSeats('-1.5'))).toBe(true);
  });

  it('count a number literal written as text as a number against a number value', () => {
    expect(holds({ 'contact.seats': { lt: '10' } }, withSeats(9))).toBe(true);
    expect(holds({ 'contact.seats': { gt: '10' } }, withSeats(9))).toBe(false);
  });

  it('compare two texts in code-unit order (ISO dates, HH:MM times)', () => {
    const since = (date: string): RuleFacts => aFacts({ contact: { properties: { since: date } } });
    expect(holds({ 'contact.since': { lt: '2026-01-01' } }, since('2025-12-31'))).toBe(true);
    expect(holds({ 'contact.since': { lt: '2026-01-01' } }, since('2026-01-01'))).toBe(false);
    expect(holds({ 'contact.since': { lte: '2026-01-01' } }, since('2026-01-01'))).toBe(true);
    expect(holds({ 'contact.since': { gte: '2026-01-01' } }, since('2026-03-15T10:00:00Z'))).toBe(true);
    // Two texts are texts, digits or not.
    expect(holds({ 'contact.seats': { lt: '10' } }, withSeats('9'))).toBe(false);
  });

  it('never hold for a missing, null or boolean value, or a non-numeric text against a number', () => {
    for (const operator of ['gt', 'gte', 'lt', 'lte'] as const) {
      expect(holds({ 'contact.seats': { [operator]: 10 } }, aFacts()), operator).toBe(false);
      expect(holds({ 'contact.seats': { [operator]: 10 } }, withSeats(null)), operator).toBe(false);
      expect(holds({ 'contact.seats': { [operator]: 10 } }, withSeats(true)), operator).toBe(false);
      expect(holds({ 'contact.seats': { [operator]: 10 } }, withSeats('ten')), operator).toBe(false);
      expect(holds({ 'contact.seats': { [operator]: 'a' } }, withSeats(10)), operator).toBe(false);
    }
  });

  it('on tags hold when some tag satisfies them', () => {
    expect(holds({ tags: { gte: 'm' } }, tagged('billing', 'vip'))).toBe(true);
    expect(holds({ tags: { gte: 'w' } }, tagged('billing', 'vip'))).toBe(false);
  });

  it('need a number or a text', () => {
    expect(compileError(raw({ 'contact.seats': { gt: true } }))).toBe('contact.seats.gt needs a number or a text');
    expect(compileError(raw({ 'contact.seats': { lte: null } }))).toBe('contact.seats.lte needs a number or a text');
  });
});

describe('several operators on one field', () => {
  it('must all hold, and the trace names the first that failed', () => {
    const range: Condition = { 'contact.seats': { gte: 10, lt: 50 } };
    expect(holds(range, withSeats(10))).toBe(true);
    expect(holds(range, withSeats(49))).toBe(true);
    expect(failedText(range, withSeats(9))).toBe('contact.seats gte 10');
    expect(failedText(range, withSeats(50))).toBe('contact.seats lt 50');
  });
});

// ---------------------------------------------------------------------------------------------

describe('combinators', () => {
  const spanish: Condition = { language: { eq: 'es' } };
  const enterprise: Condition = { 'contact.plan': { eq: 'enterprise' } };
  const email: Condition = { channel: { eq: 'email' } };
  const both = aFacts({ language: 'es', contact: { properties: { plan: 'enterprise' } } });
  const onlySpanish = aFacts({ language: 'es', contact: { properties: { plan: 'free' } } });
  const neither = aFacts({ language: 'en' });

  it('all holds when every child holds and fails on the FIRST failing child', () => {
    expect(holds({ all: [spanish, enterprise] }, both)).toBe(true);
    expect(failedText({ all: [spanish, enterprise] }, onlySpanish)).toBe('contact.plan eq "enterprise"');
    expect(failedText({ all: [spanish, enterprise] }, neither)).toBe('language eq "es"');
    expect(failedText({ all: [enterprise, spanish] }, neither)).toBe('contact.plan eq "enterprise"');
  });

  it('any holds when some child holds and otherwise fails as "none of: …"', () => {
    expect(holds({ any: [enterprise, spanish] }, onlySpanish)).toBe(true);
    expect(holds({ any: [email, spanish] }, both)).toBe(true);
    expect(failedText({ any: [spanish, email] }, neither)).toBe('none of: language eq "es", channel eq "email"');
  });

  it('not holds when its child fails and otherwise fails as "not (…)"', () => {
    expect(holds({ not: email })).toBe(true);
    expect(failedText({ not: spanish }, both)).toBe('not (language eq "es")');
    expect(holds({ not: { not: spanish } }, both)).toBe(true);
    expect(failedText({ not: { not: spanish } }, neither)).toBe('not (not (language eq "es"))');
  });

  it('a one-child all or any behaves as its child', () => {
    for (const facts of [both, onlySpanish, neither]) {
      expect(holds({ all: [enterprise] }, facts)).toBe(holds(enterprise, facts));
      expect(holds({ any: [enterprise] }, facts)).toBe(holds(enterprise, facts));
    }
    expect(failedText({ all: [enterprise] }, neither)).toBe('contact.plan eq "enterprise"');
    expect(failedText({ any: [enterprise] }, neither)).toBe('none of: contact.plan eq "enterprise"');
  });

  it('nest: all inside any inside not, with the trace of the outermost failure', () => {
    const nested: Condition = { any: [{ all: [spanish, enterprise] }, { not: { channel: { in: ['chat', 'email'] } } }] };
    expect(holds(nested, both)).toBe(true);
    expect(holds(nested, onlySpanish)).toBe(false);
    expect(holds(nested, aFacts({ channel: { id: 'api-in', type: 'api' } }))).toBe(true);
    expect(failedText(nested, onlySpanish)).toBe(
      'none of: (language eq "es" and contact.plan eq "enterprise"), not (channel in ["chat","email"])',
    );
    expect(failedText({ all: [spanish, { any: [enterprise, email] }] }, onlySpanish)).toBe(
      'none of: contact.plan eq "enterprise", channel eq "email"',
    );
  });

  it('an empty all or any is a compile-time error (and the schema rejects it too)', () => {
    expect(compileError(raw({ all: [] }))).toBe('all needs a non-empty list');
    expect(compileError(raw({ any: [] }))).toBe('any needs a non-empty list');
    expect(compileError(raw({ any: { language: { eq: 'es' } } }))).toBe('any needs a non-empty list');
    expect(compileError(raw({ not: [] }))).toBe('not needs a condition');
    expect(Condition.safeParse({ all: [] }).success).toBe(false);
    expect(Condition.safeParse({ any: [] }).success).toBe(false);
  });

  it('reports a condition with other than one key', () => {
    expect(compileError(raw({}))).toBe('a condition names exactly one field, or is one of all/any/not (found none)');
    expect(compileError(raw({ language: { eq: 'es' }, intent: { eq: 'x' } }))).toBe(
      'a condition names exactly one field, or is one of all/any/not (found language, intent)',
    );
    expect(compileError(raw('language'))).toBe('a condition is an object such as { language: { eq: es } }');
    expect(compileError(raw(null))).toBe('a condition is an object such as { language: { eq: es } }');
  });

  it('reports an unknown field, an unknown operator or a field without operators', () => {
    expect(compileError(raw({ plan: { eq: 'pro' } }))).toBe('unknown field "plan"');
    expect(compileError(raw({ 'contact.plan': { equals: 'pro' } }))).toMatch(/^contact\.plan\.equals: unknown operator \(use eq, neq, in/);
    expect(compileError(raw({ 'contact.plan': {} }))).toBe('contact.plan needs an operator');
    expect(compileError(raw({ 'contact.plan': 'pro' }))).toBe('contact.plan needs operators such as { eq: value }');
    expect(compileError(raw({ 'contact.plan': { in: 'pro' } }))).toBe('contact.plan.in needs a list');
    expect(compileError(raw({ 'contact.plan': { eq: ['pro'] } }))).toBe('contact.plan.eq needs a text, number, boolean or null');
  });
});

// ---------------------------------------------------------------------------------------------

describe('field channel', () => {
  const webChat = aFacts({ channel: { id: 'web-chat', type: 'chat' } });
  const mailbox = aFacts({ channel: { id: 'support-email', type: 'email' } });

  it('eq matches the channel id or its type, ignoring case', () => {
    expect(holds({ channel: { eq: 'web-chat' } }, webChat)).toBe(true);
    expect(holds({ channel: { eq: 'chat' } }, webChat)).toBe(true);
    expect(holds({ channel: { eq: 'WEB-CHAT' } }, webChat)).toBe(true);
    expect(holds({ channel: { eq: 'email' } }, webChat)).toBe(false);
  });

  it('in matches either; neq and nin hold only when neither id nor type matches', () => {
    expect(holds({ channel: { in: ['support-email', 'api'] } }, mailbox)).toBe(true);
    expect(holds({ channel: { in: ['email'] } }, mailbox)).toBe(true);
    expect(holds({ channel: { neq: 'email' } }, mailbox)).toBe(false);
    expect(holds({ channel: { neq: 'support-email' } }, mailbox)).toBe(false);
    expect(holds({ channel: { neq: 'chat' } }, mailbox)).toBe(true);
    expect(holds({ channel: { nin: ['chat', 'web-chat'] } }, mailbox)).toBe(true);
    expect(holds({ channel: { nin: ['chat', 'email'] } }, mailbox)).toBe(false);
  });

  it('contains compares whole values (id or type), matches either text', () => {
    expect(holds({ channel: { contains: 'chat' } }, webChat)).toBe(true);
    expect(holds({ channel: { contains: 'web' } }, webChat)).toBe(false);
    expect(holds({ channel: { matches: '^web-' } }, webChat)).toBe(true);
    expect(holds({ channel: { matches: '^email$' } }, mailbox)).toBe(true);
  });
});

describe('fields contact.<x> and conversation.<x>', () => {
  const lucia = aFacts({
    contact: { name: 'Lucía Pérez', email: 'lucia@example.test', language: 'es-MX', timezone: 'America/Mexico_City', ownerId: 'ana', properties: { plan: 'enterprise' } },
    conversation: { priority: 'high', tags: ['vip'], ownerId: 'olu', status: 'queued', properties: { order: 'A-17' } },
  });

  it('reads the contact built-ins', () => {
    expect(holds({ 'contact.name': { contains: 'lucía' } }, lucia)).toBe(true);
    expect(holds({ 'contact.email': { eq: 'LUCIA@example.test' } }, lucia)).toBe(true);
    expect(holds({ 'contact.timezone': { eq: 'america/mexico_city' } }, lucia)).toBe(true);
    expect(holds({ 'contact.owner': { eq: 'ana' } }, lucia)).toBe(true);
    expect(holds({ 'contact.owner': { eq: 'olu' } }, lucia)).toBe(false);
  });

  it('contact.language compares by primary subtag like language', () => {
    expect(holds({ 'contact.language': { eq: 'es' } }, lucia)).toBe(true);
    expect(holds({ 'contact.language': { eq: 'es-ES' } }, lucia)).toBe(false);
    expect(holds({ 'contact.language': { eq: 'es-mx' } }, lucia)).toBe(true);
  });

  it('reads contact and conversation properties', () => {
    expect(holds({ 'contact.plan': { eq: 'enterprise' } }, lucia)).toBe(true);
    expect(holds({ 'conversation.order': { eq: 'a-17' } }, lucia)).toBe(true);
    expect(holds({ 'conversation.order': { exists: true } }, aFacts())).toBe(false);
  });

  it('reads the conversation built-ins', () => {
    expect(holds({ 'conversation.priority': { eq: 'high' } }, lucia)).toBe(true);
    expect(holds({ 'conversation.priority': { gte: 'normal' } }, lucia)).toBe(true);
    expect(holds({ 'conversation.tags': { contains: 'vip' } }, lucia)).toBe(true);
    expect(holds({ 'conversation.owner': { eq: 'olu' } }, lucia)).toBe(true);
    expect(holds({ 'conversation.status': { in: ['queued', 'assigned'] } }, lucia)).toBe(true);
    expect(holds({ 'conversation.status': { eq: 'bot' } }, lucia)).toBe(false);
  });

  it('does not read Object.prototype through a property called constructor', () => {
    expect(holds({ 'contact.constructor': { exists: true } }, lucia)).toBe(false);
    expect(holds({ 'conversation.toString': { exists: false } }, lucia)).toBe(true);
  });
});

describe('field priority', () => {
  const at = (priority: ConversationFacts['priority']): RuleFacts => aFacts({ conversation: { priority } });

  it('eq and in compare the name, ignoring case', () => {
    expect(holds({ priority: { eq: 'urgent' } }, at('urgent'))).toBe(true);
    expect(holds({ priority: { eq: 'URGENT' } }, at('urgent'))).toBe(true);
    expect(holds({ priority: { in: ['high', 'urgent'] } }, at('normal'))).toBe(false);
  });

  it('gt, gte, lt and lte follow low < normal < high < urgent', () => {
    expect(holds({ priority: { gt: 'normal' } }, at('high'))).toBe(true);
    expect(holds({ priority: { gt: 'normal' } }, at('normal'))).toBe(false);
    expect(holds({ priority: { gt: 'normal' } }, at('low'))).toBe(false);
    expect(holds({ priority: { gte: 'high' } }, at('urgent'))).toBe(true);
    expect(holds({ priority: { gte: 'high' } }, at('high'))).toBe(true);
    // In code-unit order "low" > "high"; by rank it is not.
    expect(holds({ priority: { gte: 'high' } }, at('low'))).toBe(false);
    expect(holds({ priority: { lt: 'high' } }, at('low'))).toBe(true);
    expect(holds({ priority: { lt: 'high' } }, at('normal'))).toBe(true);
    expect(holds({ priority: { lt: 'urgent' } }, at('urgent'))).toBe(false);
    expect(holds({ priority: { lte: 'low' } }, at('low'))).toBe(true);
    expect(holds({ priority: { gt: 'HIGH' } }, at('urgent'))).toBe(true);
  });

  it('a literal that is no priority name compares as text, even one named like an Object.prototype member', () => {
    // Code-unit order: "normal" > "medium", "normal" > "__proto__", "normal" < "toString", not < "hasOwnProperty".
    expect(holds({ priority: { gt: 'medium' } }, at('normal'))).toBe(true);
    expect(holds({ priority: { gt: '__proto__' } }, at('normal'))).toBe(true);
    expect(holds({ priority: { gt: 'constructor' } }, at('normal'))).toBe(true);
    expect(holds({ priority: { lt: 'toString' } }, at('normal'))).toBe(true);
    expect(holds({ priority: { lt: 'hasOwnProperty' } }, at('normal'))).toBe(false);
  });

  it('a number never orders against a priority', () => {
    expect(holds({ priority: { gt: 0 } }, at('urgent'))).toBe(false);
    expect(holds({ priority: { lt: 9 } }, at('low'))).toBe(false);
  });
});

describe('field tags', () => {
  it('eq and in hold when some tag matches; neq and nin when none does', () => {
    const facts = tagged('vip', 'billing');
    expect(holds({ tags: { eq: 'BILLING' } }, facts)).toBe(true);
    expect(holds({ tags: { in: ['complex', 'vip'] } }, facts)).toBe(true);
    expect(holds({ tags: { neq: 'vip' } }, facts)).toBe(false);
    expect(holds({ tags: { neq: 'complex' } }, facts)).toBe(true);
    expect(holds({ tags: { nin: ['complex', 'urgent'] } }, facts)).toBe(true);
    expect(holds({ tags: { nin: ['complex', 'billing'] } }, facts)).toBe(false);
  });

  it('with no tags: eq and contains fail, neq and nin hold', () => {
    expect(holds({ tags: { eq: 'vip' } }, tagged())).toBe(false);
    expect(holds({ tags: { contains: 'vip' } }, tagged())).toBe(false);
    expect(holds({ tags: { neq: 'vip' } }, tagged())).toBe(true);
    expect(holds({ tags: { nin: ['vip'] } }, tagged())).toBe(true);
  });
});

describe('field language', () => {
  const speaking = (language: string | null): RuleFacts => aFacts({ language });

  it('a literal without a region matches every tag of that language', () => {
    expect(holds({ language: { eq: 'pt' } }, speaking('pt-BR'))).toBe(true);
    expect(holds({ language: { eq: 'pt' } }, speaking('pt'))).toBe(true);
    expect(holds({ language: { eq: 'PT' } }, speaking('pt-br'))).toBe(true);
    expect(holds({ language: { in: ['fr', 'pt'] } }, speaking('pt-PT'))).toBe(true);
  });

  it('a literal with a region matches only that tag (ignoring case)', () => {
    expect(holds({ language: { eq: 'pt-BR' } }, speaking('pt-br'))).toBe(true);
    expect(holds({ language: { eq: 'pt-BR' } }, speaking('pt'))).toBe(false);
    expect(holds({ language: { eq: 'pt-BR' } }, speaking('pt-PT'))).toBe(false);
  });

  it('does not match another language that merely starts with the same letters', () => {
    expect(holds({ language: { eq: 'es' } }, speaking('est'))).toBe(false);
    expect(holds({ language: { eq: 'e' } }, speaking('es'))).toBe(false);
  });

  it('neq and nin are the negation, by subtag too', () => {
    expect(holds({ language: { neq: 'pt' } }, speaking('pt-BR'))).toBe(false);
    expect(holds({ language: { nin: ['es', 'pt'] } }, speaking('pt-BR'))).toBe(false);
    expect(holds({ language: { nin: ['es', 'pt'] } }, speaking('en-GB'))).toBe(true);
  });

  it('an unknown language (null) eq nothing but null', () => {
    expect(holds({ language: { eq: 'es' } }, speaking(null))).toBe(false);
    expect(holds({ language: { neq: 'es' } }, speaking(null))).toBe(true);
    expect(holds({ language: { eq: null } }, speaking(null))).toBe(true);
  });
});

describe('fields intent, trigger and message.text', () => {
  it('intent reads the detected intent', () => {
    expect(holds({ intent: { eq: 'billing_dispute' } }, aFacts({ intent: 'billing_dispute' }))).toBe(true);
    expect(holds({ intent: { eq: 'billing_dispute' } }, aFacts({ intent: null }))).toBe(false);
    expect(holds({ intent: { in: ['refund', 'billing_dispute'] } }, aFacts({ intent: 'refund' }))).toBe(true);
  });

  it('trigger reads the handoff trigger', () => {
    expect(holds({ trigger: { eq: 'workflow_flag' } }, aFacts({ trigger: 'workflow_flag' }))).toBe(true);
    expect(holds({ trigger: { neq: 'workflow_flag' } }, aFacts({ trigger: 'sla_breach' }))).toBe(true);
    expect(holds({ trigger: { in: ['sla_breach', 'no_assistant'] } }, aFacts({ trigger: 'customer_requested_human' }))).toBe(false);
  });

  it('message.text reads what the customer wrote', () => {
    expect(holds({ 'message.text': { contains: 'human' } }, saying('Talk to a HUMAN'))).toBe(true);
    expect(holds({ 'message.text': { matches: '\\b(lawyer|legal)\\b' } }, saying('my lawyer will call'))).toBe(true);
    expect(holds({ 'message.text': { exists: false } }, saying(''))).toBe(true);
  });
});

describe('field businessHours', () => {
  // 2026-11-25 is a Wednesday; Madrid is UTC+1 in winter.
  const madrid = (local: string): RuleFacts => aFacts({ now: Date.parse(`${local}+01:00`) });

  it('open holds while the schedule is open, in the schedule zone', () => {
    expect(holds({ businessHours: { open: 'office' } }, madrid('2026-11-25T09:00:00'))).toBe(true);
    expect(holds({ businessHours: { open: 'office' } }, madrid('2026-11-25T12:59:00'))).toBe(true);
    expect(holds({ businessHours: { open: 'office' } }, madrid('2026-11-25T13:30:00'))).toBe(false);
    expect(holds({ businessHours: { open: 'office' } }, madrid('2026-11-25T08:59:00'))).toBe(false);
    expect(holds({ businessHours: { open: 'office' } }, madrid('2026-11-25T18:00:00'))).toBe(false);
    // 08:30 UTC is 09:30 in Madrid: open, whatever the workspace zone.
    expect(holds({ businessHours: { open: 'office' } }, aFacts({ now: Date.parse('2026-11-25T08:30:00Z') }), 'America/New_York')).toBe(true);
  });

  it('closed is the opposite of open', () => {
    expect(holds({ businessHours: { closed: 'office' } }, madrid('2026-11-25T13:30:00'))).toBe(true);
    expect(holds({ businessHours: { closed: 'office' } }, madrid('2026-11-25T10:00:00'))).toBe(false);
    expect(holds({ businessHours: { closed: 'office' } }, madrid('2026-11-28T10:00:00'))).toBe(true); // Saturday
  });

  it('a holiday is closed all day', () => {
    expect(holds({ businessHours: { open: 'office' } }, madrid('2026-12-24T10:00:00'))).toBe(true);
    expect(holds({ businessHours: { open: 'office' } }, madrid('2026-12-25T10:00:00'))).toBe(false); // a Friday
    expect(holds({ businessHours: { closed: 'office' } }, madrid('2026-12-25T10:00:00'))).toBe(true);
  });

  it('an overnight interval runs from Friday night into Saturday morning', () => {
    const utc = (text: string): RuleFacts => aFacts({ now: Date.parse(text) });
    expect(holds({ businessHours: { open: 'night' } }, utc('2026-11-27T21:59:00Z'))).toBe(false);
    expect(holds({ businessHours: { open: 'night' } }, utc('2026-11-27T22:00:00Z'))).toBe(true);
    expect(holds({ businessHours: { open: 'night' } }, utc('2026-11-28T05:59:00Z'))).toBe(true);
    expect(holds({ businessHours: { open: 'night' } }, utc('2026-11-28T06:00:00Z'))).toBe(false);
    // Thursday night is not covered.
    expect(holds({ businessHours: { open: 'night' } }, utc('2026-11-26T23:00:00Z'))).toBe(false);
  });

  it('a holiday closes the part of an overnight interval that falls on it', () => {
    const utc = (text: string): RuleFacts => aFacts({ now: Date.parse(text) });
    expect(holds({ businessHours: { open: 'night-with-holiday' } }, utc('2026-11-27T23:00:00Z'))).toBe(true);
    expect(holds({ businessHours: { open: 'night-with-holiday' } }, utc('2026-11-28T01:00:00Z'))).toBe(false);
  });

  it('fails as "businessHours open office" / "businessHours closed office"', () => {
    expect(failedText({ businessHours: { open: 'office' } }, madrid('2026-11-25T20:00:00'))).toBe('businessHours open office');
    expect(failedText({ businessHours: { closed: 'office' } }, madrid('2026-11-25T10:00:00'))).toBe('businessHours closed office');
  });

  it('an unknown schedule or a malformed spec is a compile-time error', () => {
    expect(compileError({ businessHours: { open: 'nowhere' } })).toBe('businessHours: unknown schedule "nowhere"');
    const malformed = 'businessHours needs { open: <schedule> } or { closed: <schedule> }';
    expect(compileError(raw({ businessHours: { eq: 'office' } }))).toBe(malformed);
    expect(compileError(raw({ businessHours: { open: 'office', closed: 'office' } }))).toBe(malformed);
    expect(compileError(raw({ businessHours: { open: 1 } }))).toBe(malformed);
    expect(compileError(raw({ businessHours: 'office' }))).toBe(malformed);
  });
});

describe('fields time and weekday', () => {
  it('time is the local HH:MM of the workspace zone and compares as text', () => {
    const facts = aFacts({ now: Date.parse('2026-11-25T08:30:00Z') }); // 09:30 in Madrid
    const officeTime: Condition = { time: { gte: '09:00', lt: '18:00' } };
    expect(holds(officeTime, facts, 'Europe/Madrid')).toBe(true);
    expect(holds(officeTime, facts, 'UTC')).toBe(false);
    expect(failedText(officeTime, facts, 'UTC')).toBe('time gte "09:00"');
    expect(holds({ time: { eq: '09:30' } }, facts, 'Europe/Madrid')).toBe(true);
    expect(holds({ time: { matches: '^0[0-8]:' } }, facts, 'UTC')).toBe(true);
  });

  it('time follows the workspace zone across a DST change', () => {
    // The same 08:30 UTC is 09:30 in Madrid in winter and 10:30 in summer.
    const morning: Condition = { time: { gte: '10:00' } };
    expect(holds(morning, aFacts({ now: Date.parse('2026-03-28T08:30:00Z') }), 'Europe/Madrid')).toBe(false);
    expect(holds(morning, aFacts({ now: Date.parse('2026-03-30T08:30:00Z') }), 'Europe/Madrid')).toBe(true);
    // The spring-forward night: 00:59 UTC is 01:59, 01:00 UTC is already 03:00.
    const small: Condition = { time: { lt: '02:00' } };
    expect(holds(small, aFacts({ now: Date.parse('2026-03-29T00:59:00Z') }), 'Europe/Madrid')).toBe(true);
    expect(holds(small, aFacts({ now: Date.parse('2026-03-29T01:00:00Z') }), 'Europe/Madrid')).toBe(false);
  });

  it('weekday is mon…sun in the workspace zone', () => {
    const lateTuesdayUtc = aFacts({ now: Date.parse('2026-11-24T23:30:00Z') });
    expect(holds({ weekday: { eq: 'tue' } }, lateTuesdayUtc, 'UTC')).toBe(true);
    expect(holds({ weekday: { eq: 'wed' } }, lateTuesdayUtc, 'Europe/Madrid')).toBe(true);
    expect(holds({ weekday: { in: ['sat', 'sun'] } }, aFacts({ now: Date.parse('2026-11-28T12:00:00Z') }))).toBe(true);
    expect(holds({ weekday: { nin: ['sat', 'sun'] } }, aFacts({ now: Date.parse('2026-11-28T12:00:00Z') }))).toBe(false);
  });

  it('one compiled condition gives each instant its own answer', () => {
    const compiled = compileCondition({ all: [{ weekday: { eq: 'wed' } }, { time: { lt: '12:00' } }] }, contextFor('Europe/Madrid'));
    const answers = ['2026-11-25T10:00:00Z', '2026-11-25T11:30:00Z', '2026-11-26T10:00:00Z', '2026-11-25T10:00:00Z'].map(
      (text) => compiled(aFacts({ now: Date.parse(text) }))?.failed ?? null,
    );
    expect(answers).toEqual([null, 'time lt "12:00"', 'weekday eq "wed"', null]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('trace entries', () => {
  it('name the rule, say not matched, and are the same frozen object every time', () => {
    const compiled = compileCondition({ language: { eq: 'es' } }, contextFor());
    const first = compiled(aFacts({ language: 'en' }));
    expect(first).toEqual({ rule: 'rule-under-test', matched: false, failed: 'language eq "es"' });
    expect(Object.isFrozen(first)).toBe(true);
    expect(compiled(aFacts({ language: 'fr' }))).toBe(first);
  });

  it('write literals as JSON', () => {
    expect(failedText({ 'contact.plan': { in: ['enterprise', 'pro'] } })).toBe('contact.plan in ["enterprise","pro"]');
    expect(failedText({ 'contact.seats': { gt: 10 } })).toBe('contact.seats gt 10');
    expect(failedText({ 'contact.vip': { eq: true } })).toBe('contact.vip eq true');
    expect(failedText({ 'contact.owner': { eq: null } }, aFacts({ contact: { ownerId: 'ana' } }))).toBe('contact.owner eq null');
    expect(failedText({ 'contact.owner': { exists: true } })).toBe('contact.owner exists true');
    expect(failedText({ 'message.text': { matches: '^\\d+$' } })).toBe('message.text matches "^\\\\d+$"');
  });
});

describe('describeOperator and describeCondition', () => {
  it('describeOperator writes field, operator and the JSON literal', () => {
    expect(describeOperator('language', 'eq', 'es')).toBe('language eq "es"');
    expect(describeOperator('contact.plan', 'in', ['enterprise'])).toBe('contact.plan in ["enterprise"]');
    expect(describeOperator('contact.seats', 'gte', 10)).toBe('contact.seats gte 10');
  });

  it('describes leaves, several operators and business hours', () => {
    expect(describeCondition({ language: { eq: 'es' } })).toBe('language eq "es"');
    expect(describeCondition({ 'contact.seats': { gte: 10, lt: 50 } })).toBe('contact.seats gte 10 and contact.seats lt 50');
    expect(describeCondition({ businessHours: { open: 'office' } })).toBe('businessHours open office');
    expect(describeCondition({ businessHours: { closed: 'office' } })).toBe('businessHours closed office');
  });

  it('joins all with "and", any with "or", and brackets compound children', () => {
    expect(describeCondition({ all: [{ language: { eq: 'es' } }, { channel: { eq: 'email' } }] })).toBe(
      'language eq "es" and channel eq "email"',
    );
    expect(
      describeCondition({
        all: [
          { language: { eq: 'es' } },
          { any: [{ priority: { eq: 'urgent' } }, { tags: { contains: 'vip' } }] },
          { 'contact.seats': { gte: 10, lt: 50 } },
          { not: { businessHours: { open: 'office' } } },
        ],
      }),
    ).toBe(
      'language eq "es" and (priority eq "urgent" or tags contains "vip") and (contact.seats gte 10 and contact.seats lt 50) and not (businessHours open office)',
    );
    expect(describeCondition({ not: { any: [{ intent: { eq: 'refund' } }, { intent: { eq: 'legal' } }] } })).toBe(
      'not (intent eq "refund" or intent eq "legal")',
    );
  });
});
