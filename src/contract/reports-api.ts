import { z } from 'zod';

/** How a handoff report is grouped. */
export const ReportGroupBy = z.enum(['channel', 'team', 'queue', 'agent', 'rule', 'trigger', 'day', 'week']);
export type ReportGroupBy = z.infer<typeof ReportGroupBy>;

const Spread = z.object({ median: z.number().nullable(), p90: z.number().nullable(), count: z.number().int() });
const Rating = z.object({ average: z.number().nullable(), count: z.number().int() });

/** The figures of one group (or of the whole range). */
export const ReportMetrics = z.object({
  conversations: z.number().int(),
  aiResolved: z.number().int(),
  handoffs: z.number().int(),
  handoffRate: z.number().nullable(),
  firstHumanResponseSeconds: Spread,
  queueWaitSeconds: Spread,
  reassignments: z.number().int(),
  slaBreaches: z.number().int(),
  resolutionSeconds: z.object({ median: z.number().nullable(), p90: z.number().nullable() }),
  csat: z.object({ handedOff: Rating, aiOnly: Rating }),
});
export type ReportMetrics = z.infer<typeof ReportMetrics>;

export const HandoffReport = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  groupBy: ReportGroupBy,
  totals: ReportMetrics,
  groups: z.array(ReportMetrics.extend({ key: z.string(), label: z.string() })),
});
export type HandoffReport = z.infer<typeof HandoffReport>;
