/**
 * A group's figures from its conversations' report rows (conversation-report.ts) — the reference
 * the store's SQL computes the same figures by (store/repositories/report-rows.ts; the
 * integration tests hold both to it). Percentiles are nearest-rank — the smallest value with at
 * least p of the values at or below it (PostgreSQL's `percentile_disc`) — over every value in
 * the range, never averaged from smaller ranges. Seconds are the rows' milliseconds / 1000.
 */
import { isAiResolved, isHandedOff, type ConversationReport } from './conversation-report.js';

export interface Spread {
  readonly median: number | null;
  readonly p90: number | null;
  readonly count: number;
}

export interface Rating {
  readonly average: number | null;
  readonly count: number;
}

export interface HandoffMetrics {
  readonly conversations: number;
  readonly aiResolved: number;
  readonly handoffs: number;
  readonly handoffRate: number;
  readonly firstHumanResponseSeconds: Spread;
  readonly queueWaitSeconds: Spread;
  readonly reassignments: number;
  readonly slaBreaches: number;
  readonly resolutionSeconds: Spread;
  readonly csat: { readonly handedOff: Rating; readonly aiOnly: Rating };
}

/**
 * 1-based positions of the median and p90 among n sorted values: ceil(n/2) and ceil(9n/10), in
 * integer arithmetic (0.9 × 30 is 27.000000000000004 in floating point; the SQL divides integers).
 */
export function spreadRanks(n: number): { readonly median: number; readonly p90: number } {
  return { median: Math.floor((n + 1) / 2), p90: Math.floor((9 * n + 9) / 10) };
}

export function spreadOf(valuesMs: readonly number[]): Spread {
  const sorted = [...valuesMs].sort((a, b) => a - b);
  if (sorted.length === 0) return { median: null, p90: null, count: 0 };
  const ranks = spreadRanks(sorted.length);
  return { median: sorted[ranks.median - 1]! / 1000, p90: sorted[ranks.p90 - 1]! / 1000, count: sorted.length };
}

export function ratingOf(scores: readonly number[]): Rating {
  return { average: scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length, count: scores.length };
}

export function rateOf(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** The figures of a set of conversations (a group, or the totals). */
export function metricsOf(rows: readonly ConversationReport[]): HandoffMetrics {
  const defined = (values: readonly (number | null)[]) => values.filter((v): v is number => v !== null);
  const handoffs = rows.filter(isHandedOff).length;
  return {
    conversations: rows.length,
    aiResolved: rows.filter(isAiResolved).length,
    handoffs,
    handoffRate: rateOf(handoffs, rows.length),
    firstHumanResponseSeconds: spreadOf(defined(rows.map((r) => r.firstResponseMs))),
    queueWaitSeconds: spreadOf(defined(rows.map((r) => r.queueWaitMs))),
    reassignments: rows.reduce((sum, r) => sum + r.reassignments, 0),
    slaBreaches: rows.reduce((sum, r) => sum + r.slaBreaches, 0),
    resolutionSeconds: spreadOf(defined(rows.map((r) => r.resolutionMs))),
    csat: {
      handedOff: ratingOf(defined(rows.filter((r) => r.csatHandedOff === true).map((r) => r.csatScore))),
      aiOnly: ratingOf(defined(rows.filter((r) => r.csatHandedOff === false).map((r) => r.csatScore))),
    },
  };
}

/** What a database sums of a group (the same definitions as `metricsOf`, in SQL). */
export interface GroupSums {
  readonly conversations: number;
  readonly aiResolved: number;
  readonly handoffs: number;
  readonly reassignments: number;
  readonly slaBreaches: number;
  readonly csatHandedOffSum: number;
  readonly csatHandedOffCount: number;
  readonly csatAiOnlySum: number;
  readonly csatAiOnlyCount: number;
}

/** A column's median and p90 (ms, nearest rank) and how many values it has; absent: none. */
export interface GroupSpread {
  readonly count: number;
  readonly median: number;
  readonly p90: number;
}

function spreadFrom(spread: GroupSpread | undefined): Spread {
  return spread === undefined ? { median: null, p90: null, count: 0 } : { median: spread.median / 1000, p90: spread.p90 / 1000, count: spread.count };
}

/** A group's figures from what the database computed of it (report-rows.ts). */
export function metricsFromParts(
  sums: GroupSums,
  spreads: { readonly firstResponse?: GroupSpread; readonly queueWait?: GroupSpread; readonly resolution?: GroupSpread },
): HandoffMetrics {
  return {
    conversations: sums.conversations,
    aiResolved: sums.aiResolved,
    handoffs: sums.handoffs,
    handoffRate: rateOf(sums.handoffs, sums.conversations),
    firstHumanResponseSeconds: spreadFrom(spreads.firstResponse),
    queueWaitSeconds: spreadFrom(spreads.queueWait),
    reassignments: sums.reassignments,
    slaBreaches: sums.slaBreaches,
    resolutionSeconds: spreadFrom(spreads.resolution),
    csat: {
      handedOff: { average: sums.csatHandedOffCount === 0 ? null : sums.csatHandedOffSum / sums.csatHandedOffCount, count: sums.csatHandedOffCount },
      aiOnly: { average: sums.csatAiOnlyCount === 0 ? null : sums.csatAiOnlySum / sums.csatAiOnlyCount, count: sums.csatAiOnlyCount },
    },
  };
}

export const NO_CONVERSATIONS: GroupSums = {
  conversations: 0,
  aiResolved: 0,
  handoffs: 0,
  reassignments: 0,
  slaBreaches: 0,
  csatHandedOffSum: 0,
  csatHandedOffCount: 0,
  csatAiOnlySum: 0,
  csatAiOnlyCount: 0,
};
