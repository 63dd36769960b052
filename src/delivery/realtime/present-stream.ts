/**
 * What each audience is told about a conversation event or message: pure mappings from store
 * records to stream rows. Agents get the facts (owner, team, queue, trigger, rule); the contact
 * gets the customer-safe version — status and the owner's first name, "a person is being
 * connected", never the routing trace, internal notes or who else was a candidate.
 */
import type { Message } from '../../contract/api.js';
import type { HandoffTrace } from '../../contract/trace.js';
import type { ConversationEventRecord } from '../../store/repositories/events.js';
import type { NewStreamEvent } from '../../store/repositories/stream.js';
import type { StoredFrameType } from '../../contract/realtime.js';
import { AGENTS, contactAudience } from '../../services/realtime/audiences.js';

export interface StreamDraft extends NewStreamEvent {
  readonly type: StoredFrameType;
}

export interface EventView {
  /** The conversation's status right after this event (events carry no status snapshot). */
  readonly status: string | null;
  readonly contactId: string;
  /** "Ana" for `ana` (the customer sees first names only); null for an unknown user. */
  readonly firstNameOf: (userId: string) => string | null;
}

function draft(event: ConversationEventRecord, type: StoredFrameType, audience: string, data: Record<string, unknown>): StreamDraft {
  return { conversationId: event.conversationId, type, audience, data, key: `${event.conversationId}:e${event.seq}:${type}:${audience}` };
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The inbox row as agents see it after the event. */
function placeOf(event: ConversationEventRecord, view: EventView): Record<string, unknown> {
  return { cause: event.type, eventSeq: event.seq, status: view.status, owner: event.ownerId, team: event.teamId, queue: event.queueId };
}

function customerOwner(event: ConversationEventRecord, view: EventView): { name: string } | null {
  const name = event.ownerId === null ? null : view.firstNameOf(event.ownerId);
  return name === null ? null : { name };
}

/** The handoff as agents see it on the stream: why and where, without the whole evaluation list. */
function handoffSummary(trace: HandoffTrace | null): Record<string, unknown> {
  if (trace === null) return {};
  return {
    trigger: trace.trigger,
    rule: trace.rule,
    ruleVersion: trace.ruleVersion,
    outcome: trace.outcome,
    destination: trace.destination,
    assignee: trace.assignee,
    team: trace.team,
    queue: trace.queue,
    strategy: trace.strategy,
    queuePosition: trace.queuePosition,
    expectedWaitSeconds: trace.expectedWaitSeconds,
    outOfHours: trace.outOfHours,
    nextOpenAt: trace.nextOpenAt,
  };
}

function traceOf(event: ConversationEventRecord): HandoffTrace | null {
  const trace = event.data.trace;
  // Written by decide-and-record-handoff from a parsed HandoffTrace; only its plain fields are read here.
  return typeof trace === 'object' && trace !== null ? (trace as HandoffTrace) : null;
}

export function presentEventForStream(event: ConversationEventRecord, view: EventView): StreamDraft[] {
  const contact = contactAudience(view.contactId);
  const d = event.data;
  switch (event.type) {
    case 'conversation.created':
      return [draft(event, 'conversation.updated', AGENTS, { ...placeOf(event, view), channel: d.channel ?? null })];
    case 'conversation.assigned': {
      const out = [
        draft(event, 'conversation.assigned', AGENTS, { ...d, owner: event.ownerId, team: event.teamId, queue: event.queueId }),
        draft(event, 'conversation.updated', AGENTS, placeOf(event, view)),
      ];
      // "Ana joined the conversation": only when a person now owns it.
      const to = str(d.to);
      const name = to === null ? null : view.firstNameOf(to);
      if (to !== null && to !== str(d.from) && name !== null) out.push(draft(event, 'conversation.assigned', contact, { name }));
      return out;
    }
    case 'conversation.status_changed':
      return [
        draft(event, 'conversation.updated', AGENTS, { ...placeOf(event, view), from: d.from ?? null, reason: d.reason ?? null }),
        draft(event, 'conversation.updated', contact, { status: view.status, owner: customerOwner(event, view) }),
      ];
    case 'handoff.started':
      return [
        draft(event, 'handoff.started', AGENTS, { trigger: d.trigger ?? null, note: d.note ?? null, owner: event.ownerId, team: event.teamId, queue: event.queueId }),
        // The customer learns only that a person is being connected.
        draft(event, 'handoff.started', contact, {}),
      ];
    case 'handoff.completed':
      return [draft(event, 'handoff.completed', AGENTS, handoffSummary(traceOf(event))), draft(event, 'handoff.completed', contact, {})];
    case 'conversation.updated':
      return [draft(event, 'conversation.updated', AGENTS, { ...placeOf(event, view), changes: { ...d } })];
    case 'conversation.rated':
      return [draft(event, 'conversation.updated', AGENTS, { ...placeOf(event, view), rating: { ...d } })];
    case 'sla.stopped':
      // The first-response clock stopped: every list, panel and count shows it at once.
      return [
        draft(event, 'conversation.updated', AGENTS, {
          ...placeOf(event, view),
          firstHumanResponseAt: str(d.firstHumanResponseAt),
          firstResponseDueAt: str(d.firstResponseDueAt),
          sla: d.met === false ? 'breached' : 'met',
        }),
      ];
    default:
      // Not a realtime fact (yet): nothing leaves the server that nobody decided to show.
      return [];
  }
}

/** The status after the event, given the status before it. */
export function statusAfter(event: ConversationEventRecord, before: string | null): string | null {
  return event.type === 'conversation.status_changed' ? (str(event.data.to) ?? before) : before;
}

/** Public messages go to agents and the contact; internal notes to agents only. */
export function presentMessageForStream(message: Message, contactId: string): StreamDraft[] {
  const make = (audience: string): StreamDraft => ({
    conversationId: message.conversationId,
    type: 'message.created',
    audience,
    data: { ...message },
    key: `${message.conversationId}:m${message.seq}:${audience}`,
  });
  return message.private ? [make(AGENTS)] : [make(AGENTS), make(contactAudience(contactId))];
}

/**
 * Queues (or teams, for conversations queued without a queue) whose waiting line an event
 * changes: a conversation entered or left it, or its priority moved it within it.
 */
export type QueueTarget = { readonly queueId: string } | { readonly teamId: string };

export function queuesTouchedBy(event: ConversationEventRecord): QueueTarget[] {
  const d = event.data;
  const out: QueueTarget[] = [];
  const add = (queueId: string | null, teamId: string | null): void => {
    if (queueId !== null) out.push({ queueId });
    if (teamId !== null) out.push({ teamId });
  };
  switch (event.type) {
    case 'conversation.assigned': {
      // Only a conversation that waited (queued) was in a line, and only one that waits is in
      // one now: straight from the AI agent to an owner, no line moved. Events written before
      // the statuses were recorded count as touching both.
      const fromStatus = str(d.fromStatus);
      const toStatus = str(d.toStatus);
      if (fromStatus === null || fromStatus === 'queued') add(str(d.fromQueue), str(d.fromTeam));
      if (toStatus === null || toStatus === 'queued') add(str(d.toQueue), str(d.toTeam));
      break;
    }
    case 'conversation.status_changed':
      if (d.from === 'queued' || d.to === 'queued') add(event.queueId, event.teamId);
      break;
    case 'conversation.updated':
      if (d.priority !== undefined) add(event.queueId, event.teamId);
      break;
    default:
      break;
  }
  return out;
}

export function targetKey(target: QueueTarget): string {
  return 'queueId' in target ? `queue:${target.queueId}` : `team:${target.teamId}`;
}
