import { describe, expect, it } from 'vitest';
import { Condition as ConditionSchema } from '../../../../../../src/contract/conditions.js';
import { Rule as RuleSchema } from '../../../../../../src/contract/config.js';
import {
  addCondition,
  duplicateRule,
  formatPath,
  getIn,
  insertItem,
  moveItem,
  newRule,
  problemsAt,
  problemsUnder,
  readCondition,
  removeCondition,
  removeItem,
  replaceItem,
  setIn,
  toggleNot,
  uniqueId,
  writeCondition,
  type Condition,
  type Rule,
} from './edit-rules.js';

const rule = (id: string): Rule => ({
  id,
  enabled: true,
  then: { destination: { queue: 'general' }, assignment: 'reassign', notify: ['in_app'], tasks: [] },
});

describe('list operations', () => {
  const list = ['a', 'b', 'c', 'd'];

  it('moves an item up or down and clamps at the ends', () => {
    expect(moveItem(list, 2, 1)).toEqual(['a', 'c', 'b', 'd']);
    expect(moveItem(list, 0, 3)).toEqual(['b', 'c', 'd', 'a']);
    expect(moveItem(list, 0, -1)).toEqual(list);
    expect(moveItem(list, 3, 9)).toEqual(list);
    expect(moveItem(list, 7, 0)).toEqual(list);
  });

  it('inserts, removes and replaces without touching the original', () => {
    expect(insertItem(list, 1, 'x')).toEqual(['a', 'x', 'b', 'c', 'd']);
    expect(insertItem(list, 99, 'x')).toEqual(['a', 'b', 'c', 'd', 'x']);
    expect(removeItem(list, 0)).toEqual(['b', 'c', 'd']);
    expect(replaceItem(list, 3, 'z')).toEqual(['a', 'b', 'c', 'z']);
    expect(list).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('rules', () => {
  it('finds an id nobody uses', () => {
    expect(uniqueId('vip', new Set())).toBe('vip');
    expect(uniqueId('vip', new Set(['vip', 'vip-2']))).toBe('vip-3');
    expect(uniqueId('', new Set())).toBe('rule');
    expect(uniqueId('x'.repeat(80), new Set()).length).toBeLessThanOrEqual(64);
  });

  it('duplicates a rule right after itself under a new id, as a deep copy', () => {
    const original: Rule = { ...rule('vip'), if: { all: [{ priority: { eq: 'high' } }] } };
    const rules = [original, rule('other')];
    const out = duplicateRule(rules, 0);
    expect(out.map((r) => r.id)).toEqual(['vip', 'vip-copy', 'other']);
    expect(out[1]!.if).toEqual(original.if);
    expect(out[1]!.if).not.toBe(original.if);
    expect(duplicateRule(out, 0).map((r) => r.id)).toEqual(['vip', 'vip-copy-2', 'vip-copy', 'other']);
    expect(duplicateRule(rules, 5)).toEqual(rules);
  });

  it('makes a new rule the schema accepts, under an unused id', () => {
    const made = newRule([rule('new-rule')], { team: 'oncall' });
    expect(made.id).toBe('new-rule-2');
    expect(RuleSchema.safeParse(made).success).toBe(true);
  });
});

describe('update at a path', () => {
  it('replaces a nested value, copying only along the path', () => {
    const rules = [rule('a'), rule('b')];
    const out = setIn(rules, [1, 'then', 'destination'], { team: 'oncall' });
    expect(out[1]!.then.destination).toEqual({ team: 'oncall' });
    expect(out[0]).toBe(rules[0]);
    expect(rules[1]!.then.destination).toEqual({ queue: 'general' });
  });

  it('removes a key when set to undefined and creates missing containers', () => {
    const r: Rule = { ...rule('a'), description: 'x' };
    expect('description' in setIn(r, ['description'], undefined)).toBe(false);
    expect(setIn({}, ['set', 'tags', 0], 'vip')).toEqual({ set: { tags: ['vip'] } });
    expect(getIn({ a: [{ b: 1 }] }, ['a', 0, 'b'])).toBe(1);
    expect(getIn({ a: 1 }, ['a', 'b'])).toBeUndefined();
  });

  it('names a place the way the server does', () => {
    expect(formatPath(['rules', 2, 'if', 'all', 0, 'contact.plan', 'eq'])).toBe(
      'rules[2].if.all[0].contact.plan.eq',
    );
    expect(formatPath([])).toBe('(root)');
  });
});

describe('conditions', () => {
  it('reads and writes every kind of condition', () => {
    const kinds: Condition[] = [
      { all: [{ language: { eq: 'es' } }] },
      { any: [{ language: { eq: 'es' } }] },
      { not: { tags: { contains: 'vip' } } },
      { businessHours: { open: 'office' } },
      { businessHours: { closed: 'office' } },
      { 'contact.plan': { in: ['enterprise', 'pro'], neq: 'free' } },
    ];
    for (const c of kinds) {
      expect(writeCondition(readCondition(c))).toEqual(c);
      expect(ConditionSchema.safeParse(c).success).toBe(true);
    }
    expect(readCondition({ 'contact.plan': { eq: 'x' } })).toEqual({
      kind: 'field',
      field: 'contact.plan',
      spec: { eq: 'x' },
    });
  });

  it('adds a condition: the first alone, a second under all, more into the group', () => {
    const a: Condition = { language: { eq: 'es' } };
    const b: Condition = { priority: { eq: 'high' } };
    expect(addCondition(undefined, a)).toEqual(a);
    expect(addCondition(a, b)).toEqual({ all: [a, b] });
    expect(addCondition({ any: [a] }, b)).toEqual({ any: [a, b] });
    expect(ConditionSchema.safeParse(addCondition(undefined)).success).toBe(true);
  });

  it('removes a condition, and a group or not left empty with it', () => {
    const a: Condition = { language: { eq: 'es' } };
    const b: Condition = { priority: { eq: 'high' } };
    const root: Condition = { all: [a, { any: [b] }, { not: a }] };
    expect(removeCondition(root, ['all', 0])).toEqual({ all: [{ any: [b] }, { not: a }] });
    expect(removeCondition(root, ['all', 1, 'any', 0])).toEqual({ all: [a, { not: a }] });
    expect(removeCondition(root, ['all', 2, 'not'])).toEqual({ all: [a, { any: [b] }] });
    expect(removeCondition({ all: [a] }, ['all', 0])).toBeUndefined();
    expect(removeCondition(root, [])).toBeUndefined();
  });

  it('negates a condition and takes the negation off again', () => {
    const a: Condition = { language: { eq: 'es' } };
    expect(toggleNot(a, [])).toEqual({ not: a });
    expect(toggleNot({ not: a }, [])).toEqual(a);
    expect(toggleNot({ all: [a] }, ['all', 0])).toEqual({ all: [{ not: a }] });
  });
});

describe('server problems in the form', () => {
  const problems = [
    { path: 'rules[1].then.destination.queue', message: 'unknown queue "nowhere"' },
    { path: 'rules[1].if.all', message: 'too small' },
    { path: 'rules[1].if.all[0].message.text.matches', message: 'invalid regular expression' },
    { path: 'rules[10].id', message: 'must be a lowercase slug' },
    { path: 'fallback.destination', message: 'required' },
  ];

  it('finds the problems under a rule, not those of rule 10 under rule 1', () => {
    expect(problemsUnder(problems, ['rules', 1]).map((p) => p.path)).toEqual([
      'rules[1].then.destination.queue',
      'rules[1].if.all',
      'rules[1].if.all[0].message.text.matches',
    ]);
    expect(problemsUnder(problems, ['fallback'])).toHaveLength(1);
  });

  it('shows a group its own problem and leaves its children theirs', () => {
    const group = ['rules', 1, 'if'];
    expect(problemsAt(problems, group, [[...group, 'all', 0]]).map((p) => p.message)).toEqual(['too small']);
    expect(problemsAt(problems, [...group, 'all', 0]).map((p) => p.message)).toEqual([
      'invalid regular expression',
    ]);
  });
});
