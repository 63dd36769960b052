/**
 * CSAT after resolution (issue 18), pure: which resolution a rating belongs to, whether it may be
 * given, and whether the conversation counts as handed off or AI-only in reports.
 *
 * A resolution is named by the seq of the `conversation.status_changed` event that resolved the
 * conversation; each one is rated at most once, and a conversation reopened and resolved again is
 * a new resolution, asked again.
 */
import type { ConversationStatus } from '../contract/common.js';

export type CsatGroup = 'handed_off' | 'ai_only';

/**
 * Handed off when a person had the conversation: a handoff happened, a person answered, or a
 * person owns it (an agent who claimed it straight from the AI agent, without a handoff). Otherwise
 * the AI agent alone handled it. Read when the rating is given, so it is the state of the
 * resolution being rated; stored with the rating (`handedOff`) for reports.
 */
export function csatGroupOf(conversation: {
  readonly handedOffAt: number | null;
  readonly firstHumanResponseAt: number | null;
  readonly ownerId: string | null;
}): CsatGroup {
  return conversation.handedOffAt !== null || conversation.firstHumanResponseAt !== null || conversation.ownerId !== null ? 'handed_off' : 'ai_only';
}

export interface RatableConversation {
  readonly status: ConversationStatus;
  /** The seq of the event of its latest resolution (null: never resolved, or resolved before seqs were kept). */
  readonly resolutionSeq: number | null;
  /** The resolution its latest rating belongs to. */
  readonly csatResolutionSeq: number | null;
}

export type RatingDecision =
  | { readonly outcome: 'accept'; readonly resolutionSeq: number }
  | { readonly outcome: 'not_resolved' }
  | { readonly outcome: 'already_rated'; readonly resolutionSeq: number }
  /** A link or prompt made for an earlier resolution: the conversation was reopened since. */
  | { readonly outcome: 'stale'; readonly resolutionSeq: number };

/**
 * May the customer rate now? Only a resolved (or closed) conversation, once per resolution.
 * `forResolution`: the resolution the request was made for (the rating link's); absent, the
 * current one.
 */
export function decideRating(conversation: RatableConversation, forResolution?: number): RatingDecision {
  if (conversation.status !== 'resolved' && conversation.status !== 'closed') return { outcome: 'not_resolved' };
  const current = conversation.resolutionSeq ?? 0;
  if (forResolution !== undefined && forResolution !== current) return { outcome: 'stale', resolutionSeq: current };
  if (conversation.csatResolutionSeq !== null && conversation.csatResolutionSeq === current) return { outcome: 'already_rated', resolutionSeq: current };
  return { outcome: 'accept', resolutionSeq: current };
}

/** Is the customer to be asked now (the widget's prompt, the customer's view of `rating`)? */
export function isAwaitingRating(conversation: RatableConversation): boolean {
  return decideRating(conversation).outcome === 'accept';
}

export interface CsatAverage {
  /** Mean score, rounded to two decimals; null with no rating. */
  readonly average: number | null;
  readonly count: number;
}

/**
 * Reports' CSAT (`csat {handedOff {average, count}, aiOnly {average, count}}`): the ratings split by
 * whether a person had the conversation (`handedOff` as stored with each rating).
 */
export function summarizeCsat(ratings: Iterable<{ readonly score: number; readonly handedOff: boolean }>): { readonly handedOff: CsatAverage; readonly aiOnly: CsatAverage } {
  const sums = { handedOff: { total: 0, count: 0 }, aiOnly: { total: 0, count: 0 } };
  for (const rating of ratings) {
    const bucket = rating.handedOff ? sums.handedOff : sums.aiOnly;
    bucket.total += rating.score;
    bucket.count += 1;
  }
  const average = (bucket: { total: number; count: number }): CsatAverage => ({
    average: bucket.count === 0 ? null : Math.round((bucket.total / bucket.count) * 100) / 100,
    count: bucket.count,
  });
  return { handedOff: average(sums.handedOff), aiOnly: average(sums.aiOnly) };
}
