/**
 * Replay: a past handoff decided again, with the same or another ruleset, by the same
 * `decideHandoff` the live path runs. Pure: the caller supplies what the handoff recorded (its
 * trace and the decision's input, `HandoffDecisionInput` on the `handoff.completed` event), the
 * workspace as it was (the recorded configuration revision) and the compiled ruleset to try.
 *
 * `recordDecisionInput` is what the live path stores and `rebuildHandoffInput` reads it back:
 * one is the other's inverse, which the fidelity property test holds (replaying each handoff with
 * the version active at it reproduces every recorded decision).
 */
import type { Destination } from '../../contract/config.js';
import { ReplayField } from '../../contract/replay-api.js';
import type { HandoffDecisionInput, HandoffTrace, RecordedAgentState, RecordedTrace } from '../../contract/trace.js';
import { decideHandoff, type HandoffInput } from '../handoff.js';
import type { AgentState, QueueStats, WorkspaceModel } from '../model.js';
import { AgentStates } from '../routing/agent-states.js';
import type { CompiledRuleset } from '../rules/compile.js';

/** Statistics of a place the recorded decision did not wait in: unknown, read as none. */
const NO_STATS: QueueStats = { waiting: 0, recentFirstResponseSeconds: null };

/** What `decideHandoff` was given, as the handoff stores it (`HandoffDecisionInput`). */
export function recordDecisionInput(
  input: HandoffInput,
  context: {
    readonly revision: number | null;
    readonly ruleset: HandoffDecisionInput['ruleset'];
    readonly stats: { readonly place: string; readonly stats: QueueStats } | null;
  },
): HandoffDecisionInput {
  const agents: Record<string, RecordedAgentState> = {};
  for (const [userId, state] of input.agents) {
    if (isBlank(state)) continue;
    agents[userId] = { status: state.status, load: { ...state.load }, lastAssignedAt: state.lastAssignedAt };
  }
  const c = input.conversation;
  const k = input.contact;
  return {
    revision: context.revision,
    ruleset: context.ruleset,
    soft: input.soft === true,
    messageText: input.messageText,
    conversation: {
      id: c.id,
      channelId: c.channelId,
      status: c.status,
      ownerId: c.ownerId,
      teamId: c.teamId,
      queueId: c.queueId,
      priority: c.priority,
      tags: [...c.tags],
      properties: { ...c.properties },
      language: c.language,
      intent: c.intent,
      previousOwnerId: c.previousOwnerId,
    },
    contact: {
      id: k.id,
      name: k.name,
      email: k.email,
      language: k.language,
      timezone: k.timezone,
      ownerId: k.ownerId,
      properties: { ...k.properties },
    },
    agents,
    stats:
      context.stats === null
        ? null
        : {
            place: context.stats.place,
            waiting: context.stats.stats.waiting,
            recentFirstResponseSeconds: context.stats.stats.recentFirstResponseSeconds,
          },
    exclude:
      input.exclude === undefined
        ? null
        : {
            users: [...input.exclude.userIds],
            reason: input.exclude.reason,
            unlessNobodyElse: input.exclude.unlessNobodyElse === true,
          },
  };
}

/** Offline, nothing open, never assigned: not stored, and read back as exactly this. */
function isBlank(state: AgentState): boolean {
  if (state.status !== 'offline' || state.lastAssignedAt !== null) return false;
  for (const count of Object.values(state.load)) if (count !== undefined && count !== 0) return false;
  return true;
}

/** One past handoff as read from the store. */
export interface RecordedHandoff {
  readonly conversationId: string;
  /** The `handoff.completed` event's seq in its conversation. */
  readonly seq: number;
  /** What replay reads of the recorded trace (a whole `HandoffTrace` is one). */
  readonly trace: RecordedTrace;
  /** Null on handoffs recorded before replay existed. */
  readonly input: HandoffDecisionInput | null;
}

/** Why a handoff cannot be replayed whatever the workspace and ruleset, or null. */
export function unreplayable(recorded: RecordedHandoff): string | null {
  if (recorded.input === null) return 'recorded before replay kept the decision input';
  if (recorded.input.ruleset === 'given') return `decided by a ${recorded.trace.rule}, not by the rules`;
  return null;
}

export type Rebuilt =
  { readonly ok: true; readonly input: HandoffInput } | { readonly ok: false; readonly reason: string };

/**
 * The exact input `decideHandoff` was given at the recorded handoff, with `ruleset` in place of
 * the rules it ran. `workspace` must be the model of the recorded revision.
 */
export function rebuildHandoffInput(
  recorded: RecordedHandoff,
  workspace: WorkspaceModel,
  ruleset: CompiledRuleset,
): Rebuilt {
  const { trace, input } = recorded;
  const cannot = unreplayable(recorded);
  if (cannot !== null || input === null)
    return { ok: false, reason: cannot ?? 'recorded before replay kept the decision input' };
  const now = Date.parse(trace.decidedAt);
  if (Number.isNaN(now)) return { ok: false, reason: 'the trace has no valid decision instant' };
  for (const userId of Object.keys(input.agents)) {
    if (!workspace.users.has(userId))
      return {
        ok: false,
        reason: `agent ${userId} no longer exists in configuration revision ${String(input.revision)}`,
      };
  }
  for (const userId of input.exclude?.users ?? []) {
    if (!workspace.users.has(userId))
      return {
        ok: false,
        reason: `agent ${userId} no longer exists in configuration revision ${String(input.revision)}`,
      };
  }

  const agents = new AgentStates(workspace);
  for (const userId of workspace.users.keys()) {
    const state = input.agents[userId];
    agents.set(
      userId,
      state === undefined
        ? { userId, status: 'offline', load: {}, lastAssignedAt: null }
        : { userId, status: state.status, load: { ...state.load }, lastAssignedAt: state.lastAssignedAt },
    );
  }
  const stats = input.stats;
  const c = input.conversation;
  const rebuilt: HandoffInput = {
    now,
    trigger: trace.trigger,
    workspace,
    ruleset,
    conversation: { ...c, tags: [...c.tags], properties: { ...c.properties } },
    contact: { ...input.contact, properties: { ...input.contact.properties } },
    messageText: input.messageText,
    agents,
    queueStats: (place) =>
      stats !== null && stats.place === place
        ? { waiting: stats.waiting, recentFirstResponseSeconds: stats.recentFirstResponseSeconds }
        : NO_STATS,
    soft: input.soft,
    note: trace.note,
    ...(input.exclude === null
      ? {}
      : {
          exclude: {
            userIds: new Set(input.exclude.users),
            reason: input.exclude.reason,
            unlessNobodyElse: input.exclude.unlessNobodyElse,
          },
        }),
  };
  return { ok: true, input: rebuilt };
}

/** The fields replay compares, in this order: the contract's list (`ReplayField`). */
export const COMPARED_FIELDS = ReplayField.options;
export type ComparedField = ReplayField;

/** A conversation is changed when one of these differs. */
export const ROUTING_FIELDS: ReadonlySet<ComparedField> = new Set(['rule', 'destination', 'assignee']);

export interface DecisionSummary {
  readonly trigger: HandoffTrace['trigger'];
  readonly rule: string;
  readonly destination: Destination;
  readonly assignment: HandoffTrace['assignment'];
  readonly assignee: string | null;
  readonly queue: string | null;
  readonly team: string | null;
  readonly outcome: HandoffTrace['outcome'];
}

export type ReplayOutcome =
  | {
      readonly kind: 'replayed';
      readonly conversationId: string;
      readonly seq: number;
      readonly at: string;
      readonly recorded: DecisionSummary;
      readonly replayed: DecisionSummary | null;
      /** The compared fields that differ (`COMPARED_FIELDS` order). */
      readonly changed: readonly ComparedField[];
      /** Rule, destination or assignee differ. */
      readonly routingChanged: boolean;
      /** The replayed trace (null: the soft trigger matched no rule of the replayed ruleset). */
      readonly trace: HandoffTrace | null;
    }
  | {
      readonly kind: 'skipped';
      readonly conversationId: string;
      readonly seq: number;
      readonly at: string;
      /** Null only when the recorded trace itself could not be read. */
      readonly recorded: DecisionSummary | null;
      readonly reason: string;
    };

/** Decide the recorded handoff again with `ruleset` and compare with what happened. */
export function replayHandoff(
  recorded: RecordedHandoff,
  workspace: WorkspaceModel,
  ruleset: CompiledRuleset,
): ReplayOutcome {
  const at = recorded.trace.decidedAt;
  const rebuilt = rebuildHandoffInput(recorded, workspace, ruleset);
  if (!rebuilt.ok)
    return {
      kind: 'skipped',
      conversationId: recorded.conversationId,
      seq: recorded.seq,
      at,
      recorded: summarize(recorded.trace),
      reason: rebuilt.reason,
    };
  const trace = decideHandoff(rebuilt.input);
  const changed = compareDecisions(recorded.trace, trace, recorded.input?.stats?.place ?? null);
  return {
    kind: 'replayed',
    conversationId: recorded.conversationId,
    seq: recorded.seq,
    at,
    recorded: summarize(recorded.trace),
    replayed: trace === null ? null : summarize(trace),
    changed,
    routingChanged: changed.some((field) => ROUTING_FIELDS.has(field)),
    trace,
  };
}

/**
 * The compared fields that differ. A soft trigger no rule of the replayed ruleset answers
 * (`replayed` null) would not have handed off: every field differs. The customer's message is
 * compared only where the replayed decision waits in the place whose statistics were recorded
 * (elsewhere its expected wait is unknown, so a difference there would be a guess).
 */
export function compareDecisions(
  recorded: RecordedTrace,
  replayed: HandoffTrace | null,
  statsPlace: string | null,
): ComparedField[] {
  if (replayed === null) return [...COMPARED_FIELDS];
  const out: ComparedField[] = [];
  for (const field of COMPARED_FIELDS) {
    if (field === 'customerMessages' && replayed.outcome === 'queued' && placeOf(replayed) !== statsPlace)
      continue;
    if (!sameValue(recorded[field], replayed[field])) out.push(field);
  }
  return out;
}

function placeOf(trace: RecordedTrace): string | null {
  return trace.queue ?? trace.team;
}

export function summarize(trace: RecordedTrace): DecisionSummary {
  return {
    trigger: trace.trigger,
    rule: trace.rule,
    destination: trace.destination,
    assignment: trace.assignment,
    assignee: trace.assignee,
    queue: trace.queue,
    team: trace.team,
    outcome: trace.outcome,
  };
}

/** Structural equality of JSON values (key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
