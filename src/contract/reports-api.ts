import { z } from 'zod';

/** How `GET /api/reports/handoffs` groups conversations. */
export const ReportGroupBy = z.enum(['channel', 'team', 'queue', 'agent', 'rule', 'trigger', 'day', 'week']);
export type ReportGroupBy = z.infer<typeof ReportGroupBy>;

/** The longest range one report covers, in days (both ends included). */
export const MAX_REPORT_DAYS = 366;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date, YYYY-MM-DD (2026-02-30 is refused). */
const ReportDate = z
  .string()
  .regex(DATE, 'a date as YYYY-MM-DD')
  .refine((s) => {
    const date = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

const DAY_MS = 86_400_000;

export const HandoffReportQuery = z
  .object({
    from: ReportDate.describe("first day, in the workspace's time zone"),
    to: ReportDate.describe("last day (included), in the workspace's time zone"),
    groupBy: ReportGroupBy.default('channel'),
    channel: z.string().min(1).max(200).optional().describe('only this channel'),
    team: z.string().min(1).max(200).optional().describe('only conversations whose first handoff went to this team'),
    queue: z.string().min(1).max(200).optional().describe('only conversations whose first handoff went to this queue'),
    includeTest: z.stringbool().default(false).describe("true counts test contacts' conversations too"),
    format: z.enum(['json', 'csv']).optional().describe('csv: the same as CSV (as with Accept: text/csv)'),
  })
  .superRefine((q, ctx) => {
    const from = Date.parse(`${q.from}T00:00:00Z`);
    const to = Date.parse(`${q.to}T00:00:00Z`);
    if (to < from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from' });
    else if ((to - from) / DAY_MS + 1 > MAX_REPORT_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `a report covers at most ${MAX_REPORT_DAYS} days` });
    }
  });
export type HandoffReportQuery = z.infer<typeof HandoffReportQuery>;

const Spread = z.object({
  median: z.number().nullable().describe('seconds; null when count is 0'),
  p90: z.number().nullable().describe('seconds; null when count is 0'),
  count: z.number().int(),
});

const Rating = z.object({ average: z.number().nullable(), count: z.number().int() });

export const HandoffMetrics = z.object({
  conversations: z.number().int(),
  aiResolved: z.number().int(),
  handoffs: z.number().int(),
  handoffRate: z.number(),
  firstHumanResponseSeconds: Spread,
  queueWaitSeconds: Spread,
  reassignments: z.number().int(),
  slaBreaches: z.number().int(),
  resolutionSeconds: Spread,
  csat: z.object({ handedOff: Rating, aiOnly: Rating }),
});
export type HandoffMetrics = z.infer<typeof HandoffMetrics>;

export const HandoffReportGroup = HandoffMetrics.extend({
  key: z.string().nullable().describe('the id (channel, team, queue, agent, rule), the trigger, or the date (day; week: its Monday); null: none'),
  label: z.string(),
});
export type HandoffReportGroup = z.infer<typeof HandoffReportGroup>;

export const HandoffReport = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  groupBy: ReportGroupBy,
  totals: HandoffMetrics,
  groups: z.array(HandoffReportGroup),
});
export type HandoffReport = z.infer<typeof HandoffReport>;
