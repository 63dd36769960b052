import { z } from 'zod';
import { MAX_STORED_INTEGER, Trigger } from './common.js';
import { Destination } from './config.js';
import { HandoffTrace } from './trace.js';

/** The longest range one replay covers, in days (both ends included). */
export const MAX_REPLAY_DAYS = 366;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A calendar date, YYYY-MM-DD (2026-02-30 is refused). */
const ReplayDate = z
  .string()
  .regex(DATE, 'a date as YYYY-MM-DD')
  .refine((s) => {
    const date = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

export const ReplayRequest = z
  .strictObject({
    ruleset: z
      .union([z.literal('draft'), z.number().int().min(1).max(MAX_STORED_INTEGER)])
      .describe(
        "'draft' (the saved draft; the active rules when there is none) or a published version number",
      ),
    from: ReplayDate.describe("first day, in the workspace's time zone"),
    to: ReplayDate.describe("last day (included), in the workspace's time zone"),
    channel: z.string().min(1).max(200).optional().describe('only conversations of this channel'),
    queue: z.string().min(1).max(200).optional().describe('only handoffs that went to this queue'),
    limit: z.number().int().min(1).max(500).default(100).describe('items per page'),
    cursor: z.string().min(1).max(500).optional().describe('nextCursor of the previous page'),
    all: z
      .boolean()
      .default(false)
      .describe('true lists every handoff (unchanged and skipped too), not only the changed ones'),
  })
  .superRefine((q, ctx) => {
    const from = Date.parse(`${q.from}T00:00:00Z`);
    const to = Date.parse(`${q.to}T00:00:00Z`);
    if (to < from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from' });
    else if ((to - from) / DAY_MS + 1 > MAX_REPLAY_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `a replay covers at most ${MAX_REPLAY_DAYS} days`,
      });
    }
  });
export type ReplayRequest = z.infer<typeof ReplayRequest>;

/** The fields replay compares between what was decided and what the ruleset decides now. */
export const ReplayField = z.enum([
  'trigger',
  'rule',
  'destination',
  'assignment',
  'assignee',
  'customerMessages',
  'notifications',
  'tasks',
]);
export type ReplayField = z.infer<typeof ReplayField>;

export const ReplayDecision = z.object({
  trigger: Trigger,
  rule: z.string(),
  destination: Destination,
  assignee: z.string().nullable(),
  queue: z.string().nullable(),
  team: z.string().nullable(),
  outcome: z.enum(['assigned', 'queued', 'kept_owner']),
});
export type ReplayDecision = z.infer<typeof ReplayDecision>;

export const ReplayItem = z.object({
  conversationId: z.string(),
  /** The handoff's `handoff.completed` event in its conversation (`POST /api/replay/handoff` takes it). */
  seq: z.number().int(),
  /** The handoff's instant (ISO). */
  at: z.string(),
  /** Null only when the recorded trace itself cannot be read. */
  recorded: ReplayDecision.nullable(),
  /** Null when skipped, or when a soft trigger would not have handed off under the ruleset. */
  replayed: ReplayDecision.nullable(),
  changed: z.array(ReplayField),
  /** Why this handoff could not be replayed; null when it was. */
  skipped: z.string().nullable(),
});
export type ReplayItem = z.infer<typeof ReplayItem>;

const RuleAndDestination = z.object({ rule: z.string().nullable(), destination: Destination.nullable() });

export const ReplayResult = z.object({
  summary: z.object({
    /** Distinct conversations handed off in the range. */
    conversations: z.number().int(),
    /** Handoffs decided again (a conversation handed off twice counts twice). */
    replayed: z.number().int(),
    /** Replayed handoffs whose rule, destination or assignee differ. */
    changed: z.number().int(),
    unchanged: z.number().int(),
    /** Handoffs that could not be replayed (see the items' `skipped`). */
    skipped: z.number().int(),
    byChange: z.array(
      z.object({ from: RuleAndDestination, to: RuleAndDestination, count: z.number().int() }),
    ),
    /** Why handoffs were skipped, most frequent first, with how many each reason skipped. */
    skippedReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  }),
  items: z.array(ReplayItem),
  nextCursor: z.string().nullable(),
});
export type ReplayResult = z.infer<typeof ReplayResult>;

/** One past handoff decided again (the screen's side-by-side traces). */
export const ReplayHandoffRequest = z.strictObject({
  ruleset: z
    .union([z.literal('draft'), z.number().int().min(1).max(MAX_STORED_INTEGER)])
    .describe("'draft' (the saved draft; the active rules when there is none) or a published version number"),
  conversationId: z.string().min(1).max(200),
  seq: z.number().int().min(1).max(MAX_STORED_INTEGER).describe("the item's seq: its handoff.completed event"),
});
export type ReplayHandoffRequest = z.infer<typeof ReplayHandoffRequest>;

export const ReplayHandoffResult = z.object({
  /** The handoff as `POST /api/replay` lists it with `all: true`. */
  item: ReplayItem,
  /** The trace recorded at the handoff (null when it does not parse). */
  recordedTrace: HandoffTrace.nullable(),
  /** The trace the ruleset decides now (null when skipped, or when a soft trigger would not hand off). */
  replayedTrace: HandoffTrace.nullable(),
});
export type ReplayHandoffResult = z.infer<typeof ReplayHandoffResult>;
