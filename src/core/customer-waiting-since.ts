import type { ConversationStatus } from '../contract/common.js';

/**
 * Since when the customer has been waiting for a person (issue 16 §4: the inbox row shows how
 * long), or null when nobody owes them an answer. Only while people have the conversation
 * (queued or assigned): the oldest customer message since the latest public reply — a person's or
 * the AI agent's — and, while no person has replied since the latest handoff, the handoff itself
 * (a customer who pressed "Talk to a person" without writing again waits from that moment).
 */
export function customerWaitingSince(input: {
  readonly status: ConversationStatus;
  readonly handedOffAt: number | null;
  readonly firstHumanResponseAt: number | null;
  readonly unansweredSince: number | null;
}): number | null {
  if (input.status !== 'queued' && input.status !== 'assigned') return null;
  const sinceHandoff = input.handedOffAt !== null && input.firstHumanResponseAt === null ? input.handedOffAt : null;
  if (input.unansweredSince === null) return sinceHandoff;
  if (sinceHandoff === null) return input.unansweredSince;
  return Math.min(input.unansweredSince, sinceHandoff);
}
