/**
 * Load, inside the caller's transaction, the live state a routing decision is made on: the
 * conversation and contact as facts, and every agent's status and open load. Read after the
 * conversation's row lock, so the decision sees every assignment committed before it.
 */
import type { Availability, Trigger } from '../../contract/common.js';
import type { HandoffTrace } from '../../contract/trace.js';
import { decideHandoff, type Exclusion, type HandoffInput } from '../../core/handoff.js';
import type { AgentState, ContactFacts, ConversationFacts, QueueStats } from '../../core/model.js';
import { AgentStates } from '../../core/routing/agent-states.js';
import type { Executor } from '../../store/database.js';
import type { ContactRecord } from '../../store/repositories/contacts.js';
import type { ConversationRecord } from '../../store/repositories/conversations.js';
import { loadAgentStates, queueStats } from '../../store/repositories/routing.js';
import type { LoadedWorkspace } from '../workspace/workspace-cache.js';

export function conversationFacts(conversation: ConversationRecord, contact: ContactRecord): ConversationFacts {
  return {
    id: conversation.id,
    channelId: conversation.channelId,
    status: conversation.status,
    ownerId: conversation.ownerId,
    teamId: conversation.teamId,
    queueId: conversation.queueId,
    priority: conversation.priority,
    tags: conversation.tags,
    properties: conversation.properties,
    language: conversation.language ?? contact.language,
    intent: conversation.intent,
    previousOwnerId: contact.lastOwnerId,
  };
}

export function contactFacts(contact: ContactRecord): ContactFacts {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    language: contact.language,
    timezone: contact.timezone,
    ownerId: contact.ownerId,
    properties: contact.properties,
  };
}

/**
 * Every user of the workspace with live status (else the configured initial one) and open load,
 * laid out in the workspace's user order too, so routing reads each candidate by position.
 */
export async function loadAgents(ex: Executor, loaded: LoadedWorkspace): Promise<AgentStates> {
  const initial = new Map<string, Availability>(loaded.config.users.map((u) => [u.id, u.status]));
  const states = await loadAgentStates(ex, [...loaded.model.users.keys()], { initialStatus: (id) => initial.get(id) ?? 'offline' });
  return new AgentStates(loaded.model, states);
}

const NO_STATS: QueueStats = { waiting: 0, recentFirstResponseSeconds: null };

export interface DecideInput {
  readonly loaded: LoadedWorkspace;
  readonly conversation: ConversationFacts;
  readonly contact: ContactFacts;
  readonly agents: ReadonlyMap<string, AgentState>;
  readonly trigger: Trigger;
  readonly soft: boolean;
  readonly messageText: string;
  readonly note: string | null;
  readonly now: number;
  /** Replaces the active rules (a transfer decides against a one-destination ruleset). */
  readonly ruleset?: LoadedWorkspace['ruleset'];
  readonly exclude?: Exclusion;
}

/** A decision, the input it was made on, and the statistics read for it (what replay needs). */
export interface Decided {
  readonly trace: HandoffTrace | null;
  readonly input: HandoffInput;
  readonly stats: { readonly place: string; readonly stats: QueueStats } | null;
}

/**
 * `decideHandoff` with live queue statistics. Statistics only shape the expected wait, never the
 * route, so the decision is made once to learn where it waits, the statistics of that one place
 * are read, and the decision is made again with them (decisions cost microseconds, queries don't).
 */
export async function decideWithStats(ex: Executor, input: DecideInput): Promise<HandoffTrace | null> {
  return (await decideWithStatsAndInput(ex, input)).trace;
}

/** `decideWithStats`, also returning the exact input of the decision (recorded for replay). */
export async function decideWithStatsAndInput(ex: Executor, input: DecideInput): Promise<Decided> {
  const handoffInput = (stats: (placeId: string) => QueueStats): HandoffInput => ({
    now: input.now,
    trigger: input.trigger,
    workspace: input.loaded.model,
    ruleset: input.ruleset ?? input.loaded.ruleset,
    conversation: input.conversation,
    contact: input.contact,
    messageText: input.messageText,
    agents: input.agents,
    queueStats: stats,
    soft: input.soft,
    note: input.note,
    ...(input.exclude === undefined ? {} : { exclude: input.exclude }),
  });
  const firstInput = handoffInput(() => NO_STATS);
  const first = decideHandoff(firstInput);
  if (first === null || first.outcome !== 'queued') return { trace: first, input: firstInput, stats: null };
  const place = first.queue ?? first.team;
  const target = first.queue !== null ? { queueId: first.queue } : first.team !== null ? { teamId: first.team } : null;
  if (target === null || place === null) return { trace: first, input: firstInput, stats: null };
  const stats = await queueStats(ex, target, { excludeConversationId: input.conversation.id });
  const secondInput = handoffInput((placeId) => (placeId === place ? stats : NO_STATS));
  return { trace: decideHandoff(secondInput), input: secondInput, stats: { place, stats } };
}
