import { describe, expect, it } from 'vitest';
import type { RulesetVersionSummary } from '../../api.js';
import { buildExpect, emptyExpectForm, expectationValue, NONE, rulesetFromChoice, rulesetOptions, triggerFromChoice } from './scenario-form.js';

const version = (n: number, active: boolean, summary: string | null): RulesetVersionSummary => ({
  version: n,
  summary,
  author: 'olu',
  createdAt: '2026-11-25T10:00:00.000Z',
  reviewedAt: null,
  reviewedBy: null,
  active,
  reviewDueAt: null,
  rules: 3,
});

describe('the ruleset picker', () => {
  it('offers active, draft and every version, newest first', () => {
    const options = rulesetOptions([version(1, false, 'Initial'), version(3, true, 'Route VIPs'), version(2, false, null)]);
    expect(options).toEqual([
      { value: 'active', label: 'Active (version 3)' },
      { value: 'draft', label: 'Draft' },
      { value: '3', label: 'Version 3 (active) · Route VIPs' },
      { value: '2', label: 'Version 2' },
      { value: '1', label: 'Version 1 · Initial' },
    ]);
    expect(rulesetOptions([])).toEqual([
      { value: 'active', label: 'Active' },
      { value: 'draft', label: 'Draft' },
    ]);
  });

  it('sends a version as a number', () => {
    expect(rulesetFromChoice('2')).toBe(2);
    expect(rulesetFromChoice('draft')).toBe('draft');
    expect(rulesetFromChoice('active')).toBe('active');
    expect(rulesetFromChoice('0')).toBe('active');
    expect(rulesetFromChoice('2.5')).toBe('active');
  });
});

describe('the trigger field', () => {
  it('is a trigger, or nothing when the messages decide', () => {
    expect(triggerFromChoice('workflow_flag')).toBe('workflow_flag');
    expect(triggerFromChoice('')).toBeUndefined();
    expect(triggerFromChoice('made_up')).toBeUndefined();
  });
});

describe('the expect fields', () => {
  it('leave expect out when nothing is checked', () => {
    expect(buildExpect(emptyExpectForm)).toBeUndefined();
    expect(buildExpect({ ...emptyExpectForm, rule: '   ' })).toBeUndefined();
  });

  it('build the scenario’s expect from what is filled in', () => {
    expect(
      buildExpect({ trigger: 'customer_requested_human', rule: ' enterprise-spanish ', destination: 'queue:es-support', assignee: 'ana', queue: 'es-support', outcome: 'queued', language: 'es' }),
    ).toEqual({ trigger: 'customer_requested_human', rule: 'enterprise-spanish', destination: { queue: 'es-support' }, assignee: 'ana', queue: 'es-support', outcome: 'queued', language: 'es' });
    expect(buildExpect({ ...emptyExpectForm, destination: 'team:billing' })).toEqual({ destination: { team: 'billing' } });
    expect(buildExpect({ ...emptyExpectForm, destination: 'user:sam' })).toEqual({ destination: { user: 'sam' } });
  });

  it('expect null for no handoff, nobody and no queue', () => {
    expect(buildExpect({ ...emptyExpectForm, trigger: NONE, assignee: NONE, queue: NONE })).toEqual({ trigger: null, assignee: null, queue: null });
  });

  it('ignore values that are not choices', () => {
    expect(buildExpect({ ...emptyExpectForm, trigger: 'nope', destination: 'planet:mars', outcome: 'exploded' })).toBeUndefined();
  });
});

describe('expectation values in words', () => {
  it('say none, a destination, or the value', () => {
    expect(expectationValue(null)).toBe('none');
    expect(expectationValue({ queue: 'es-support' })).toBe('queue es-support');
    expect(expectationValue('ana')).toBe('ana');
    expect(expectationValue({ a: 1, b: 2 })).toBe('{"a":1,"b":2}');
  });
});
