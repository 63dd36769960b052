import { describe, expect, it } from 'vitest';
import type { Rule } from './edit-rules.js';
import { describeCondition, describeDestination, summarizeRule } from './summarize-rule.js';

describe('a rule as a sentence', () => {
  it('reads the demo Spanish enterprise rule in order: when, if, then', () => {
    const rule: Rule = {
      id: 'enterprise-spanish',
      enabled: true,
      when: ['customer_requested_human', 'unsupported_topic'],
      if: {
        all: [
          { channel: { in: ['web-chat'] } },
          { 'contact.plan': { eq: 'enterprise' } },
          { language: { eq: 'es' } },
        ],
      },
      then: {
        destination: { queue: 'es-support' },
        assignment: 'unassign_to_queue',
        message: { es: 'Te paso', en: 'Connecting' },
        notify: ['in_app', 'slack'],
        tasks: [{ type: 'callback', assignee: 'owner', due: '1h' }],
        set: { priority: 'high', tags: ['escalated'] },
      },
    };
    expect(summarizeRule(rule)).toBe(
      'When the customer asks for a person or the AI agent cannot help, if channel is one of web-chat and contact.plan is enterprise and language is es: ' +
        'unassign and wait in queue es-support; notify in the app and slack; create a call back task due in 1h; ' +
        'set priority high and tags escalated; tell the customer (es, en).',
    );
  });

  it('says when a rule answers every trigger, sends no message, or is turned off', () => {
    const rule: Rule = {
      id: 'x',
      enabled: false,
      then: {
        destination: { user: 'contact_owner' },
        assignment: 'keep_owner_and_alert',
        message: false,
        notify: [],
        tasks: [],
      },
    };
    expect(summarizeRule(rule)).toBe(
      "On any handoff trigger: keep the current owner and alert the contact's owner; notify nobody; send the customer no message. (turned off: never matches)",
    );
  });

  it('groups nested conditions with parentheses and words for not, business hours and exists', () => {
    expect(
      describeCondition({
        any: [
          { all: [{ priority: { eq: 'urgent' } }, { tags: { contains: 'vip' } }] },
          { not: { businessHours: { open: 'office' } } },
          { 'contact.owner': { exists: false } },
        ],
      }),
    ).toBe(
      '(priority is urgent and tags contains vip) or not (schedule office is open) or contact.owner is not set',
    );
    expect(describeDestination({ team: 'oncall' })).toBe('team oncall');
    expect(describeDestination({ user: 'ana' })).toBe('user ana');
  });
});
