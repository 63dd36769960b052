import { describe, expect, it } from 'vitest';
import { customerWaitingSince } from './customer-waiting-since.js';

describe('customerWaitingSince', () => {
  const base = { status: 'assigned' as const, handedOffAt: 2_000, firstHumanResponseAt: null, unansweredSince: null };

  it('waits from the handoff when the customer has written nothing since', () => {
    expect(customerWaitingSince(base)).toBe(2_000);
  });

  it('waits from the oldest unanswered message when it is older than the handoff', () => {
    expect(customerWaitingSince({ ...base, unansweredSince: 1_500 })).toBe(1_500);
  });

  it('once a person replied, waits only from the next unanswered customer message', () => {
    expect(customerWaitingSince({ ...base, firstHumanResponseAt: 3_000 })).toBeNull();
    expect(customerWaitingSince({ ...base, firstHumanResponseAt: 3_000, unansweredSince: 4_000 })).toBe(4_000);
  });

  it('is null while the AI agent has the conversation, when it waits on the customer, and once resolved', () => {
    for (const status of ['bot', 'waiting_on_customer', 'resolved', 'closed'] as const) expect(customerWaitingSince({ ...base, status, unansweredSince: 1 })).toBeNull();
  });
});
