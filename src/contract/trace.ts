import { z } from 'zod';
import {
  AssignmentBehaviour,
  Availability,
  ConversationStatus,
  NotifyChannel,
  Priority,
  TaskType,
  Trigger,
} from './common.js';
import { Scalar } from './conditions.js';
import { Destination, SetSpec } from './config.js';

/** For each rule tried before the winner: did it match, and if not the first condition that failed. */
export const RuleEvaluation = z.object({
  rule: z.string(),
  matched: z.boolean(),
  failed: z.string().nullable(),
});
export type RuleEvaluation = z.infer<typeof RuleEvaluation>;

/** Why each candidate agent could or could not take the conversation. */
export const CandidateTrace = z.object({
  user: z.string(),
  eligible: z.boolean(),
  reason: z.string().nullable(),
  load: z.number().int(),
  capacity: z.number().int().nullable(),
});
export type CandidateTrace = z.infer<typeof CandidateTrace>;

export const PlannedNotification = z.object({
  channel: NotifyChannel,
  recipients: z.array(z.string()),
  reason: z.enum(['assigned', 'queued', 'alert', 'sla_breach']),
});
export type PlannedNotification = z.infer<typeof PlannedNotification>;

export const PlannedTask = z.object({
  type: TaskType,
  assignee: z.string().nullable(),
  team: z.string().nullable(),
  /** ISO instant; null for check_in, which falls due after resolution. */
  dueAt: z.string().nullable(),
  dueAfterResolutionSeconds: z.number().int().nullable(),
  note: z.string().nullable(),
});
export type PlannedTask = z.infer<typeof PlannedTask>;

export const PlannedTimer = z.object({
  kind: z.enum(['sla.first_response', 'queue.overflow']),
  dueAt: z.string(),
  queue: z.string(),
});
export type PlannedTimer = z.infer<typeof PlannedTimer>;

export const CustomerMessageOut = z.object({ language: z.string(), body: z.string() });
export type CustomerMessageOut = z.infer<typeof CustomerMessageOut>;

/**
 * What the customer wants, for the person taking over:
 * the language model's, the bot's (or an API caller's) own summary when it handed off with one, else extractive
 * (the customer's first substantive message and the latest, core/summarize-conversation.ts).
 */
export const HandoffSummary = z.object({
  text: z.string(),
  source: z.enum(['llm', 'bot', 'api', 'extractive']),
});
export type HandoffSummary = z.infer<typeof HandoffSummary>;

/**
 * The plan `decideHandoff` returns, stored on the conversation as its handoff record and
 * returned by the simulator. Everything "why this came to me" needs is here.
 */
export const HandoffTrace = z.object({
  trigger: Trigger,
  rule: z.string(),
  ruleVersion: z.number().int().nullable(),
  evaluated: z.array(RuleEvaluation),
  destination: Destination,
  assignment: AssignmentBehaviour,
  outcome: z.enum(['assigned', 'queued', 'kept_owner']),
  assignee: z.string().nullable(),
  previousOwner: z.string().nullable(),
  team: z.string().nullable(),
  queue: z.string().nullable(),
  followers: z.array(z.string()),
  strategy: z.string().nullable(),
  sticky: z.boolean(),
  candidates: z.array(CandidateTrace),
  routingNotes: z.array(z.string()),
  outOfHours: z.boolean(),
  nextOpenAt: z.string().nullable(),
  queuePosition: z.number().int().nullable(),
  expectedWaitSeconds: z.number().int().nullable(),
  customerMessages: z.array(CustomerMessageOut),
  notifications: z.array(PlannedNotification),
  tasks: z.array(PlannedTask),
  set: SetSpec,
  priority: Priority,
  tags: z.array(z.string()),
  timers: z.array(PlannedTimer),
  language: z.string().nullable(),
  intent: z.string().nullable(),
  note: z.string().nullable(),
  decidedAt: z.string(),
  /**
   * Set when the handoff is applied (not by `decideHandoff`, which sees one message): null when
   * the customer wrote nothing. Absent on records written before summaries existed.
   */
  summary: HandoffSummary.nullable().optional(),
});
export type HandoffTrace = z.infer<typeof HandoffTrace>;

/**
 * What replay reads of a recorded trace: the decision it compares and what rebuilding its input
 * needs (instant, trigger, note). Not the evaluation list or the candidates, which are most of a
 * trace's size (one entry per rule tried: hundreds in a large ruleset) and which replay neither
 * compares nor uses: parsing only these fields is what keeps replay bound by its decisions
 * (bench/results/replay.md).
 */
export const RecordedTrace = HandoffTrace.pick({
  trigger: true,
  rule: true,
  ruleVersion: true,
  destination: true,
  assignment: true,
  outcome: true,
  assignee: true,
  team: true,
  queue: true,
  customerMessages: true,
  notifications: true,
  tasks: true,
  note: true,
  decidedAt: true,
});
export type RecordedTrace = z.infer<typeof RecordedTrace>;

export const AgentOverride = z.strictObject({
  status: Availability.optional(),
  load: z.record(z.string(), z.number().int().min(0)).optional(),
});
export type AgentOverride = z.infer<typeof AgentOverride>;

/** One agent's state as a handoff decision read it. */
export const RecordedAgentState = z.object({
  status: Availability,
  /** Open conversations owned, per channel type. */
  load: z.record(z.string(), z.number().int().min(0)),
  /** Epoch milliseconds of their last assignment (round robin's order), null if never. */
  lastAssignedAt: z.number().nullable(),
});
export type RecordedAgentState = z.infer<typeof RecordedAgentState>;

/**
 * Everything a handoff decision read besides the workspace and the ruleset, stored on its
 * `handoff.completed` event beside the trace (`data.input`), so the decision can be replayed
 * exactly, with the same or another ruleset (POST /api/replay). The trigger, the note and the
 * instant are the trace's own. Absent on events written before replay existed: those handoffs
 * are reported as skipped, never guessed.
 */
export const HandoffDecisionInput = z.object({
  /** The configuration revision the decision was made in (its people, teams, queues, schedules). */
  revision: z.number().int().nullable(),
  /** `given`: decided against a one-destination ruleset (a transfer), not the workspace's rules. */
  ruleset: z.enum(['active', 'given']),
  soft: z.boolean(),
  messageText: z.string(),
  conversation: z.object({
    id: z.string(),
    channelId: z.string(),
    status: ConversationStatus,
    ownerId: z.string().nullable(),
    teamId: z.string().nullable(),
    queueId: z.string().nullable(),
    priority: Priority,
    tags: z.array(z.string()),
    properties: z.record(z.string(), Scalar),
    language: z.string().nullable(),
    intent: z.string().nullable(),
    previousOwnerId: z.string().nullable(),
  }),
  contact: z.object({
    id: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    language: z.string().nullable(),
    timezone: z.string().nullable(),
    ownerId: z.string().nullable(),
    properties: z.record(z.string(), Scalar),
  }),
  /**
   * Every user's state by id, except those offline with no open conversation and never
   * assigned (read back as exactly that): the decision read every user of the revision.
   */
  agents: z.record(z.string(), RecordedAgentState),
  /** The statistics of the one place the conversation waited in (they shape the expected wait only). */
  stats: z
    .object({ place: z.string(), waiting: z.number().int().min(0), recentFirstResponseSeconds: z.number().nullable() })
    .nullable(),
  /** People the decision did not assign, and why. */
  exclude: z.object({ users: z.array(z.string()), reason: z.string(), unlessNobodyElse: z.boolean() }).nullable(),
});
export type HandoffDecisionInput = z.infer<typeof HandoffDecisionInput>;
