import { describe, expect, it } from 'vitest';
import {
  AssignmentBehaviour,
  NotifyChannel,
  Priority,
  TaskType,
  Trigger,
} from '../../../../../../src/contract/common.js';
import {
  OPERATORS as SCHEMA_OPERATORS,
  PLAIN_FIELDS as SCHEMA_FIELDS,
  PROPERTY_FIELD,
} from '../../../../../../src/contract/conditions.js';
import { Strategy } from '../../../../../../src/contract/common.js';
import {
  ASSIGNMENTS,
  ASSIGNMENT_LABELS,
  FIELD_LABELS,
  NOTIFY_CHANNELS,
  NOTIFY_LABELS,
  OPERATORS,
  OPERATOR_LABELS,
  PLAIN_FIELDS,
  PRIORITIES,
  PROPERTY_NAME,
  TASK_LABELS,
  TASK_TYPES,
  TRIGGERS,
  TRIGGER_LABELS,
} from './options.js';

describe('the rule form offers exactly the options of the contract', () => {
  it('lists every trigger, assignment behaviour, notification channel, priority and task type of the zod enums', () => {
    expect([...TRIGGERS]).toEqual(Trigger.options);
    expect([...ASSIGNMENTS]).toEqual(AssignmentBehaviour.options);
    expect([...NOTIFY_CHANNELS]).toEqual(NotifyChannel.options);
    expect([...PRIORITIES]).toEqual(Priority.options);
    expect([...TASK_TYPES]).toEqual(TaskType.options);
    // Strategies belong to teams and queues, not rules: the form has none to mirror.
    expect(Strategy.options).toHaveLength(3);
  });

  it('lists every condition field and operator the condition schema accepts', () => {
    expect([...OPERATORS]).toEqual([...SCHEMA_OPERATORS]);
    expect([...PLAIN_FIELDS]).toEqual([...SCHEMA_FIELDS]);
    expect(PROPERTY_FIELD.test(`contact.${'plan'}`)).toBe(PROPERTY_NAME.test('plan'));
    expect(PROPERTY_NAME.test('1plan')).toBe(PROPERTY_FIELD.test('contact.1plan'));
  });

  it('names every option in words', () => {
    for (const t of TRIGGERS) expect(TRIGGER_LABELS[t]).not.toBe('');
    for (const a of ASSIGNMENTS) expect(ASSIGNMENT_LABELS[a]).not.toBe('');
    for (const n of NOTIFY_CHANNELS) expect(NOTIFY_LABELS[n]).not.toBe('');
    for (const t of TASK_TYPES) expect(TASK_LABELS[t]).not.toBe('');
    for (const o of OPERATORS) expect(OPERATOR_LABELS[o]).not.toBe('');
    for (const f of PLAIN_FIELDS) expect(FIELD_LABELS[f]).not.toBe('');
  });
});
