import { describe, expect, it } from 'vitest';
import { measureEvent, NO_LABEL, type KnownLabels, type MeasuredEvent } from './handoff-measures.js';

const KNOWN: KnownLabels = { rules: new Set(['vip']), queues: new Set(['general', 'billing']) };
const AT = Date.parse('2026-12-09T10:00:00Z');
const event = (type: string, data: Record<string, unknown>, createdAt = AT): MeasuredEvent => ({
  type,
  data,
  createdAt,
});
const iso = (ms: number): string => new Date(ms).toISOString();

describe('measureEvent', () => {
  it('labels a handoff with its trigger, rule and queue, and counts its outcome', () => {
    const trace = { trigger: 'customer_requested_human', rule: 'vip', queue: 'billing', outcome: 'assigned' };
    expect(measureEvent(event('handoff.completed', { trace }), KNOWN)).toEqual([
      {
        metric: 'handoff',
        trigger: 'customer_requested_human',
        rule: 'vip',
        queue: 'billing',
        outcome: 'assigned',
      },
    ]);
    expect(
      measureEvent(
        event('handoff.completed', { trace: { ...trace, rule: 'fallback', queue: null, outcome: 'queued' } }),
        KNOWN,
      ),
    ).toEqual([
      {
        metric: 'handoff',
        trigger: 'customer_requested_human',
        rule: 'fallback',
        queue: NO_LABEL,
        outcome: 'queued',
      },
    ]);
  });

  it('turns names the workspace does not have now into none (labels stay a bounded set)', () => {
    const trace = { trigger: 'made_up', rule: 'conv_4f2a', queue: 'lucia@acme.test', outcome: 'weird' };
    expect(measureEvent(event('handoff.completed', { trace }), KNOWN)).toEqual([
      { metric: 'handoff', trigger: NO_LABEL, rule: NO_LABEL, queue: NO_LABEL, outcome: NO_LABEL },
    ]);
    expect(measureEvent(event('handoff.completed', {}), KNOWN)).toEqual([
      { metric: 'handoff', trigger: NO_LABEL, rule: NO_LABEL, queue: NO_LABEL, outcome: NO_LABEL },
    ]);
    expect(measureEvent(event('sla.breached', { queue: 'gone' }), KNOWN)).toEqual([
      { metric: 'sla_breach', queue: NO_LABEL },
    ]);
    expect(measureEvent(event('sla.breached', { queue: 'general' }), KNOWN)).toEqual([
      { metric: 'sla_breach', queue: 'general' },
    ]);
  });

  it('measures the first human response from the handoff to the reply', () => {
    expect(
      measureEvent(
        event('sla.stopped', { handedOffAt: iso(AT - 120_000), firstHumanResponseAt: iso(AT) }),
        KNOWN,
      ),
    ).toEqual([{ metric: 'first_human_response', seconds: 120 }]);
    // An event written before handedOffAt was recorded on it: nothing to measure.
    expect(measureEvent(event('sla.stopped', { firstHumanResponseAt: iso(AT) }), KNOWN)).toEqual([]);
  });

  it('measures the wait only when a conversation leaves a line for a person', () => {
    const leaves = { fromStatus: 'queued', toStatus: 'assigned', to: 'ana', queuedAt: iso(AT - 90_000) };
    expect(measureEvent(event('conversation.assigned', leaves), KNOWN)).toEqual([
      { metric: 'queue_wait', seconds: 90 },
    ]);
    // Moved to another queue, still waiting; resolved without an owner; assigned without waiting.
    expect(
      measureEvent(event('conversation.assigned', { ...leaves, toStatus: 'queued', to: null }), KNOWN),
    ).toEqual([]);
    expect(
      measureEvent(event('conversation.assigned', { ...leaves, toStatus: 'resolved', to: null }), KNOWN),
    ).toEqual([]);
    expect(
      measureEvent(
        event('conversation.assigned', { fromStatus: 'bot', toStatus: 'assigned', to: 'ana' }),
        KNOWN,
      ),
    ).toEqual([]);
    // A clock that went backwards never makes a negative wait.
    expect(
      measureEvent(event('conversation.assigned', { ...leaves, queuedAt: iso(AT + 5_000) }), KNOWN),
    ).toEqual([{ metric: 'queue_wait', seconds: 0 }]);
  });

  it('measures nothing for other events', () => {
    expect(
      measureEvent(event('conversation.status_changed', { from: 'queued', to: 'assigned' }), KNOWN),
    ).toEqual([]);
  });
});
