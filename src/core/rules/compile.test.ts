import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { Trigger } from '../../contract/common.js';
import { Ruleset, ScheduleConfig, type Rule } from '../../contract/config.js';
import type { RuleFacts, Schedule } from '../model.js';
import { compileSchedule } from '../schedule/schedule.js';
import { aFacts, aWorkspace } from '../testing/factories.js';
import { ConditionError } from './compile-condition.js';
import { compileRuleset, evaluateRuleset, type CompiledRuleset, type RulesEnvironment } from './compile.js';

const WEDNESDAY_NIGHT = Date.parse('2026-11-25T21:00:00Z');

const OFFICE: Schedule = compileSchedule(
  ScheduleConfig.parse({ id: 'office', timezone: 'Europe/Madrid', hours: { 'mon-fri': ['09:00-18:00'] } }),
);
const ENV: RulesEnvironment = { schedules: new Map([['office', OFFICE]]), timezone: 'Europe/Madrid' };

type RuleInput = Omit<z.input<typeof Rule>, 'then'> & { then?: z.input<typeof Rule>['then'] };

/** A ruleset whose rules route to a queue named after the rule, unless they say otherwise. */
function rulesetOf(rules: RuleInput[]): Ruleset {
  return Ruleset.parse({
    rules: rules.map((rule) => ({ then: { destination: { queue: rule.id } }, ...rule })),
    fallback: { destination: { queue: 'general' }, assignment: 'unassign_to_queue' },
  });
}

function compiled(rules: RuleInput[], version: number | null = 3): CompiledRuleset {
  return compileRuleset(rulesetOf(rules), ENV, version);
}

function decide(rules: CompiledRuleset, facts: RuleFacts, useFallback = true) {
  return evaluateRuleset(rules, facts, { useFallback });
}

// ---------------------------------------------------------------------------------------------

describe('compileRuleset', () => {
  it('keeps the version and the ids of the enabled rules, in order', () => {
    const rules = compiled(
      [
        { id: 'first', if: { language: { eq: 'es' } } },
        { id: 'off', enabled: false },
        { id: 'second', when: ['workflow_flag'] },
      ],
      7,
    );
    expect(rules.version).toBe(7);
    expect(rules.ruleIds).toEqual(['first', 'second']);
    expect(rules.fallback.destination).toEqual({ queue: 'general' });
    expect(Object.isFrozen(rules)).toBe(true);
    expect(compiled([], null).version).toBeNull();
  });

  it('names the rule when a condition cannot be compiled (unknown schedule)', () => {
    const ruleset = rulesetOf([{ id: 'ok' }, { id: 'after-hours', if: { businessHours: { open: 'nowhere' } } }]);
    let thrown: unknown;
    try {
      compileRuleset(ruleset, ENV, 1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe('rule "after-hours": businessHours: unknown schedule "nowhere"');
    expect((thrown as Error).cause).toBeInstanceOf(ConditionError);
  });

  it('rejects a bad regular expression at compile time, naming the rule', () => {
    // The schema rejects it too; a stored ruleset that skipped validation must still fail loudly here.
    const base = rulesetOf([{ id: 'keyword' }]);
    const ruleset: Ruleset = { ...base, rules: [{ ...base.rules[0]!, if: { 'message.text': { matches: 'refund(' } } }] };
    expect(() => compileRuleset(ruleset, ENV, 1)).toThrow(/^rule "keyword": message\.text\.matches: invalid regular expression/);
    expect(() => rulesetOf([{ id: 'keyword', if: { 'message.text': { matches: 'refund(' } } }])).toThrow();
  });

  it('does not compile a disabled rule, so its mistakes do not block the others', () => {
    const base = rulesetOf([{ id: 'broken', enabled: false }, { id: 'fine' }]);
    const ruleset: Ruleset = {
      ...base,
      rules: [{ ...base.rules[0]!, if: { businessHours: { open: 'nowhere' } } }, base.rules[1]!],
    };
    expect(compileRuleset(ruleset, ENV, 1).ruleIds).toEqual(['fine']);
  });
});

describe('evaluateRuleset: first match wins', () => {
  const rules = compiled([
    { id: 'spanish', if: { language: { eq: 'es' } } },
    { id: 'enterprise', if: { 'contact.plan': { eq: 'enterprise' } } },
    { id: 'everyone' },
  ]);

  it('picks the first rule whose conditions hold, even when later ones hold too', () => {
    const match = decide(rules, aFacts({ language: 'es', contact: { properties: { plan: 'enterprise' } } }));
    expect(match?.rule).toBe('spanish');
    expect(match?.action.destination).toEqual({ queue: 'spanish' });
    expect(match?.evaluated).toEqual([{ rule: 'spanish', matched: true, failed: null }]);
  });

  it('lists every earlier rule with the first condition that failed, then the winner', () => {
    const match = decide(rules, aFacts({ language: 'en', contact: { properties: { plan: 'enterprise' } } }));
    expect(match?.rule).toBe('enterprise');
    expect(match?.evaluated).toEqual([
      { rule: 'spanish', matched: false, failed: 'language eq "es"' },
      { rule: 'enterprise', matched: true, failed: null },
    ]);
  });

  it('a rule without conditions matches every handoff it is tried for', () => {
    const match = decide(rules, aFacts({ language: 'en' }));
    expect(match?.rule).toBe('everyone');
    expect(match?.action.destination).toEqual({ queue: 'everyone' });
    expect(match?.evaluated.map((entry) => entry.failed)).toEqual(['language eq "es"', 'contact.plan eq "enterprise"', null]);
  });

  it('returns the action of the winning rule as written', () => {
    const withAction = compiled([
      {
        id: 'vip',
        if: { tags: { contains: 'vip' } },
        then: { destination: { team: 'oncall' }, assignment: 'keep_owner_and_alert', notify: ['in_app', 'slack'], set: { priority: 'high' } },
      },
    ]);
    const match = decide(withAction, aFacts({ conversation: { tags: ['VIP'] } }));
    expect(match?.action).toEqual({
      destination: { team: 'oncall' },
      assignment: 'keep_owner_and_alert',
      notify: ['in_app', 'slack'],
      tasks: [],
      set: { priority: 'high' },
    });
  });

  it('gives every evaluation its own trace list', () => {
    const first = decide(rules, aFacts({ language: 'en' }));
    const second = decide(rules, aFacts({ language: 'es' }));
    expect(first?.evaluated).toHaveLength(3);
    expect(second?.evaluated).toHaveLength(1);
    expect(first?.evaluated).not.toBe(second?.evaluated);
  });
});

describe('evaluateRuleset: when (trigger lists)', () => {
  const rules = compiled([
    { id: 'flags', when: ['workflow_flag'] },
    { id: 'people', when: ['customer_requested_human', 'unsupported_topic'], if: { language: { eq: 'es' } } },
    { id: 'any-trigger', if: { 'contact.plan': { eq: 'enterprise' } } },
  ]);

  it('skips a rule whose when does not list the trigger, saying so in the trace', () => {
    const match = decide(rules, aFacts({ trigger: 'customer_requested_human', language: 'es' }));
    expect(match?.rule).toBe('people');
    expect(match?.evaluated).toEqual([
      { rule: 'flags', matched: false, failed: 'trigger customer_requested_human not in [workflow_flag]' },
      { rule: 'people', matched: true, failed: null },
    ]);
  });

  it('tries a rule for each trigger its when lists', () => {
    expect(decide(rules, aFacts({ trigger: 'workflow_flag' }))?.rule).toBe('flags');
    expect(decide(rules, aFacts({ trigger: 'unsupported_topic', language: 'es' }))?.rule).toBe('people');
  });

  it('reports the trigger before looking at the conditions', () => {
    const match = decide(rules, aFacts({ trigger: 'sla_breach', language: 'es' }));
    expect(match?.rule).toBe('fallback');
    expect(match?.evaluated).toEqual([
      { rule: 'flags', matched: false, failed: 'trigger sla_breach not in [workflow_flag]' },
      { rule: 'people', matched: false, failed: 'trigger sla_breach not in [customer_requested_human, unsupported_topic]' },
      { rule: 'any-trigger', matched: false, failed: 'contact.plan eq "enterprise"' },
    ]);
  });

  it('a rule without when is tried for every trigger', () => {
    const anyTrigger = compiled([{ id: 'any-trigger', if: { 'contact.plan': { eq: 'enterprise' } } }]);
    for (const trigger of Trigger.options) {
      const match = decide(anyTrigger, aFacts({ trigger, contact: { properties: { plan: 'enterprise' } } }));
      expect(match?.rule, trigger).toBe('any-trigger');
    }
  });

  it('a trigger this build does not know matches no when list, only rules without one', () => {
    const unknown = aFacts({ trigger: 'brand_new_trigger' as Trigger, contact: { properties: { plan: 'enterprise' } } });
    const match = decide(rules, unknown);
    expect(match?.rule).toBe('any-trigger');
    expect(match?.evaluated.slice(0, 2)).toEqual([
      { rule: 'flags', matched: false, failed: 'trigger (unknown) not in [workflow_flag]' },
      { rule: 'people', matched: false, failed: 'trigger (unknown) not in [customer_requested_human, unsupported_topic]' },
    ]);
  });
});

describe('evaluateRuleset: disabled rules', () => {
  it('skips a disabled rule: not chosen and not in the trace', () => {
    const rules = compiled([
      { id: 'old-spanish', enabled: false, if: { language: { eq: 'es' } } },
      { id: 'spanish', enabled: true, if: { language: { eq: 'es' } } },
    ]);
    const match = decide(rules, aFacts({ language: 'es' }));
    expect(match?.rule).toBe('spanish');
    expect(match?.evaluated).toEqual([{ rule: 'spanish', matched: true, failed: null }]);
  });

  it('falls back when every rule is disabled', () => {
    const rules = compiled([{ id: 'off', enabled: false }]);
    expect(decide(rules, aFacts())).toMatchObject({ rule: 'fallback', evaluated: [] });
  });
});

describe('evaluateRuleset: the fallback', () => {
  const rules = compiled([
    { id: 'spanish', if: { language: { eq: 'es' } } },
    { id: 'urgent', when: ['workflow_flag'], if: { priority: { eq: 'urgent' } } },
  ]);

  it('answers with the fallback when no rule matched and useFallback is true, after trying every rule', () => {
    const match = decide(rules, aFacts({ language: 'en' }));
    expect(match).toEqual({
      rule: 'fallback',
      action: { destination: { queue: 'general' }, assignment: 'unassign_to_queue', notify: ['in_app'], tasks: [] },
      evaluated: [
        { rule: 'spanish', matched: false, failed: 'language eq "es"' },
        { rule: 'urgent', matched: false, failed: 'trigger customer_requested_human not in [workflow_flag]' },
      ],
    });
  });

  it('returns null for a soft trigger (useFallback false) that no rule answered', () => {
    expect(decide(rules, aFacts({ trigger: 'intent_or_keyword', language: 'en' }), false)).toBeNull();
    expect(decide(rules, aFacts({ trigger: 'negative_sentiment', language: 'en' }), false)).toBeNull();
  });

  it('still answers a soft trigger with the rule that matched', () => {
    const match = decide(rules, aFacts({ trigger: 'intent_or_keyword', language: 'es' }), false);
    expect(match?.rule).toBe('spanish');
  });

  it('an empty ruleset always falls back (or answers null without the fallback)', () => {
    expect(decide(compiled([]), aFacts())).toMatchObject({ rule: 'fallback', evaluated: [] });
    expect(decide(compiled([]), aFacts(), false)).toBeNull();
  });
});

describe('evaluateRuleset: the trace of failed conditions', () => {
  const rules = compiled([
    { id: 'spanish-enterprise', if: { all: [{ language: { eq: 'es' } }, { 'contact.plan': { in: ['enterprise', 'pro'] } }] } },
    { id: 'big-or-vip', if: { any: [{ 'contact.seats': { gte: 100 } }, { tags: { contains: 'vip' } }] } },
    { id: 'not-email', if: { not: { channel: { eq: 'chat' } } } },
    { id: 'office-hours', if: { businessHours: { open: 'office' } } },
    { id: 'morning', if: { time: { lt: '10:00' } } },
  ]);

  it('describes in words the first failing condition of each earlier rule', () => {
    const match = decide(rules, aFacts({ now: WEDNESDAY_NIGHT, language: 'es', contact: { properties: { plan: 'free', seats: 3 } } }));
    expect(match?.rule).toBe('fallback');
    expect(match?.evaluated).toEqual([
      { rule: 'spanish-enterprise', matched: false, failed: 'contact.plan in ["enterprise","pro"]' },
      { rule: 'big-or-vip', matched: false, failed: 'none of: contact.seats gte 100, tags contains "vip"' },
      { rule: 'not-email', matched: false, failed: 'not (channel eq "chat")' },
      { rule: 'office-hours', matched: false, failed: 'businessHours open office' },
      { rule: 'morning', matched: false, failed: 'time lt "10:00"' },
    ]);
  });

  it('reads the clock of the workspace zone for time and of the schedule for businessHours', () => {
    // 08:30 UTC: 09:30 in Madrid, office open since 09:00 there.
    const match = decide(rules, aFacts({ now: Date.parse('2026-11-25T08:30:00Z'), channel: { id: 'web-chat', type: 'chat' } }));
    expect(match?.rule).toBe('office-hours');
    const early = decide(rules, aFacts({ now: Date.parse('2026-11-25T07:30:00Z') }));
    expect(early?.rule).toBe('morning');
    expect(early?.evaluated.at(-2)).toEqual({ rule: 'office-hours', matched: false, failed: 'businessHours open office' });
  });

  it('names the trigger first when a rule is for other triggers', () => {
    const trace = decide(
      compiled([{ id: 'flags', when: ['workflow_flag', 'sla_breach'], if: { language: { eq: 'es' } } }]),
      aFacts({ language: 'en' }),
    )?.evaluated;
    expect(trace).toEqual([{ rule: 'flags', matched: false, failed: 'trigger customer_requested_human not in [workflow_flag, sla_breach]' }]);
  });
});

describe('evaluateRuleset: guards', () => {
  it('refuses a ruleset that compileRuleset did not build', () => {
    const forged: CompiledRuleset = { version: 1, ruleIds: [], fallback: rulesetOf([]).fallback };
    expect(() => evaluateRuleset(forged, aFacts(), { useFallback: true })).toThrow(
      'evaluateRuleset needs a ruleset built by compileRuleset',
    );
  });
});

describe('the ruleset of docs/configuration.md', () => {
  const world = aWorkspace()
    .withSettings({ timezone: 'Europe/Madrid' })
    .withSchedule('office', { 'mon-fri': ['09:00-13:00', '14:00-18:00'] }, { timezone: 'Europe/Madrid', holidays: ['2026-12-25'] })
    .withTeam('billing')
    .withTeam('oncall')
    .withAgent('ana', { teams: ['billing'], skills: ['lang:es'] })
    .withAgent('olu', { teams: ['oncall'], role: 'admin' })
    .withQueue('es-support', { team: 'billing', requiredSkills: ['lang:es'] })
    .withQueue('general', { team: 'billing' })
    .withChannel('web-chat', { type: 'chat' })
    .withChannel('support-email', { type: 'email' })
    .withRule('enterprise-spanish', {
      when: ['customer_requested_human', 'unsupported_topic'],
      if: { all: [{ channel: { in: ['web-chat'] } }, { 'contact.plan': { eq: 'enterprise' } }, { language: { eq: 'es' } }] },
      then: { destination: { queue: 'es-support' }, assignment: 'unassign_to_queue' },
    })
    .withRule('urgent-flag', {
      when: ['workflow_flag'],
      if: { priority: { eq: 'urgent' } },
      then: { destination: { team: 'oncall' }, assignment: 'reassign' },
    })
    .withRule('account-owner', {
      when: ['intent_or_keyword'],
      if: { all: [{ intent: { eq: 'billing_dispute' } }, { 'contact.owner': { exists: true } }] },
      then: { destination: { user: 'contact_owner' }, assignment: 'keep_owner_and_alert' },
    })
    .withFallback({ destination: { queue: 'general' } })
    .build();
  const rules = world.ruleset();
  const lucia = { name: 'Lucía', properties: { plan: 'enterprise' } };

  it('sends the simulation scenario (Spanish enterprise customer on web chat) to es-support', () => {
    const match = decide(rules, aFacts({ contact: lucia, language: 'es' }));
    expect(match?.rule).toBe('enterprise-spanish');
    expect(match?.action.destination).toEqual({ queue: 'es-support' });
  });

  it('a Mexican-Spanish customer counts as Spanish; an email does not pass the channel condition', () => {
    expect(decide(rules, aFacts({ contact: lucia, language: 'es-MX' }))?.rule).toBe('enterprise-spanish');
    const byEmail = decide(rules, aFacts({ contact: lucia, language: 'es', channel: { id: 'support-email', type: 'email' } }));
    expect(byEmail?.rule).toBe('fallback');
    expect(byEmail?.evaluated).toEqual([
      { rule: 'enterprise-spanish', matched: false, failed: 'channel in ["web-chat"]' },
      { rule: 'urgent-flag', matched: false, failed: 'trigger customer_requested_human not in [workflow_flag]' },
      { rule: 'account-owner', matched: false, failed: 'trigger customer_requested_human not in [intent_or_keyword]' },
    ]);
  });

  it('sends an urgent workflow flag to on-call', () => {
    const match = decide(rules, aFacts({ trigger: 'workflow_flag', conversation: { priority: 'urgent' } }));
    expect(match?.rule).toBe('urgent-flag');
    expect(decide(rules, aFacts({ trigger: 'workflow_flag', conversation: { priority: 'high' } }))?.evaluated[1]).toEqual({
      rule: 'urgent-flag',
      matched: false,
      failed: 'priority eq "urgent"',
    });
  });

  it('keeps a billing dispute with the account owner, and drops it (soft trigger) without one', () => {
    const withOwner = aFacts({ trigger: 'intent_or_keyword', intent: 'billing_dispute', contact: { ownerId: 'ana' } });
    expect(decide(rules, withOwner, false)?.rule).toBe('account-owner');
    const withoutOwner = aFacts({ trigger: 'intent_or_keyword', intent: 'billing_dispute' });
    expect(decide(rules, withoutOwner, false)).toBeNull();
    expect(decide(rules, withoutOwner, true)?.evaluated.at(-1)).toEqual({
      rule: 'account-owner',
      matched: false,
      failed: 'contact.owner exists true',
    });
  });
});
