import { describe, expect, it } from 'vitest';
import { Ruleset, type Rule } from '../contract/config.js';
import { describeRulesetDiff, diffRulesets } from './diff-rulesets.js';

const rule = (id: string, queue = 'general', extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  when: ['customer_requested_human'],
  then: { destination: { queue } },
  ...extra,
});

const ruleset = (rules: Record<string, unknown>[], extra: Record<string, unknown> = {}): Ruleset =>
  Ruleset.parse({ rules, fallback: { destination: { queue: 'general' } }, ...extra });

describe('diffRulesets', () => {
  it('finds nothing between a ruleset and itself', () => {
    const a = ruleset([rule('a'), rule('b')]);
    expect(diffRulesets(a, structuredClone(a))).toEqual({
      added: [],
      removed: [],
      changed: [],
      moved: [],
      fallback: [],
      settings: [],
      identical: true,
    });
  });

  it('reports added and removed rules at their positions', () => {
    const diff = diffRulesets(ruleset([rule('a'), rule('b')]), ruleset([rule('a'), rule('c')]));
    expect(diff.added.map((r) => [r.id, r.index])).toEqual([['c', 1]]);
    expect(diff.removed.map((r) => [r.id, r.index])).toEqual([['b', 1]]);
    expect((diff.added[0]?.rule as Rule).then.destination).toEqual({ queue: 'general' });
    expect(diff.identical).toBe(false);
  });

  it('names each changed field of a rule, with the old and the new value', () => {
    const before = ruleset([rule('a', 'general', { description: 'old' })]);
    const after = ruleset([rule('a', 'es-support', { description: 'new', then: { destination: { queue: 'es-support' }, assignment: 'unassign_to_queue' } })]);
    const diff = diffRulesets(before, after);
    expect(diff.changed).toEqual([
      {
        id: 'a',
        fields: [
          { field: 'description', before: 'old', after: 'new' },
          { field: 'then.destination', before: { queue: 'general' }, after: { queue: 'es-support' } },
          { field: 'then.assignment', before: 'reassign', after: 'unassign_to_queue' },
        ],
      },
    ]);
  });

  it('reports a rule moved to the bottom, not every rule it passed', () => {
    const diff = diffRulesets(ruleset([rule('a'), rule('b'), rule('c'), rule('d')]), ruleset([rule('b'), rule('c'), rule('d'), rule('a')]));
    expect(diff.moved).toEqual([{ id: 'a', from: 0, to: 3 }]);
    expect(diff.changed).toEqual([]);
  });

  it('does not call rules moved when one is inserted above them', () => {
    const diff = diffRulesets(ruleset([rule('a'), rule('b')]), ruleset([rule('new'), rule('a'), rule('b')]));
    expect(diff.moved).toEqual([]);
    expect(diff.added.map((r) => r.id)).toEqual(['new']);
  });

  it('reports fallback and setting changes', () => {
    const before = ruleset([]);
    const after = ruleset([], { reviewEvery: '30d', fallback: { destination: { team: 'oncall' }, notify: ['email'] } });
    const diff = diffRulesets(before, after);
    expect(diff.fallback).toEqual([
      { field: 'destination', before: { queue: 'general' }, after: { team: 'oncall' } },
      { field: 'notify', before: ['in_app'], after: ['email'] },
    ]);
    expect(diff.settings).toEqual([{ field: 'reviewEvery', before: '90d', after: '30d' }]);
  });
});

describe('describeRulesetDiff', () => {
  it('says what changed in one sentence', () => {
    const before = ruleset([rule('a'), rule('b'), rule('c')]);
    const after = ruleset([rule('c'), rule('a', 'billing'), rule('d')], { reviewEvery: '30d' });
    expect(describeRulesetDiff(diffRulesets(before, after))).toMatch(/^added rule d; removed rule b; changed rule a \(then\.destination\); moved rule [ac]; reviewEvery 90d → 30d$/);
  });
  it('says so when nothing changed, and bounds long lists', () => {
    const few = ruleset([]);
    expect(describeRulesetDiff(diffRulesets(few, few))).toBe('no changes');
    const many = ruleset(Array.from({ length: 9 }, (_, i) => rule(`r${i}`)));
    expect(describeRulesetDiff(diffRulesets(few, many))).toBe('added rules r0, r1, r2, r3, r4 and 4 more');
  });
});
