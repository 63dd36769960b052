/**
 * One conversation event (`GET /api/conversations/{id}/events`) as a sentence for the timeline:
 * who did what, with names from the directory. Pure, so every event type is unit-tested.
 */
import type { ConversationStatus } from '../../../../src/contract/common.js';
import type { ConversationEvent } from '../api.js';
import { STATUS_LABELS } from '../format.js';
import { queueName, teamName, userName, type Directory } from './directory.js';

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** `user:ana`, `ana`, `system`, `assistant`, `contact:…`, `rule:…` → a name. */
export function actorName(d: Directory, actor: string | null): string {
  if (actor === null || actor === 'system') return 'Baton';
  if (actor === 'assistant') return 'The AI agent';
  if (actor.startsWith('contact:')) return 'The customer';
  if (actor.startsWith('rule:')) return `Rule ${actor.slice('rule:'.length)}`;
  const id = actor.startsWith('user:') ? actor.slice('user:'.length) : actor;
  return userName(d, id) ?? id;
}

function place(d: Directory, owner: string | null, team: string | null, queue: string | null): string {
  if (owner !== null) return userName(d, owner) ?? owner;
  if (queue !== null) return `the ${queueName(d, queue) ?? queue} queue`;
  if (team !== null) return `the ${teamName(d, team) ?? team} team`;
  return 'nobody';
}

const statusLabel = (value: unknown): string => {
  const status = str(value);
  return status !== null && status in STATUS_LABELS ? STATUS_LABELS[status as ConversationStatus] : (status ?? '?');
};

const CHANNEL_WORDS: Readonly<Record<string, string>> = { in_app: 'in the app', email: 'by email', slack: 'on Slack', webhook: 'by webhook' };

export function describeEvent(d: Directory, event: ConversationEvent): string {
  const who = actorName(d, event.actor);
  const data = event.data;
  const reason = str(data.reason);
  const because = reason === null ? '' : ` (${reason.replaceAll('_', ' ')})`;
  switch (event.type) {
    case 'conversation.created':
      return 'Conversation started';
    case 'conversation.assigned': {
      const to = place(d, str(data.to), str(data.toTeam), str(data.toQueue));
      if (reason === 'take_over') return `${who} took it over from ${place(d, str(data.from), null, null)}`;
      // Routing on Baton's or the customer's behalf is not a person's doing.
      const byPerson = event.actor !== null && event.actor !== 'system' && event.actor !== 'assistant' && !event.actor.startsWith('contact:') && !event.actor.startsWith('rule:');
      return `${byPerson ? `${who} assigned it to` : 'Assigned to'} ${to}${because}`;
    }
    case 'conversation.status_changed':
      return `${statusLabel(data.from)} → ${statusLabel(data.to)}${because}`;
    case 'conversation.transferred':
      return `${who} transferred it${because}`;
    case 'conversation.updated':
      return `${who} changed ${Object.keys(data).filter((k) => k !== 'by').join(', ') || 'its details'}`;
    case 'conversation.continued':
      return 'The customer wrote again after it closed: a new conversation follows it';
    case 'conversation.rated':
      return `The customer rated it ${typeof data.score === 'number' ? `${data.score}/5` : ''}`.trim();
    case 'handoff.started':
      return `Handoff started${str(data.trigger) === null ? '' : `: ${str(data.trigger)!.replaceAll('_', ' ')}`}`;
    case 'handoff.completed': {
      // The event carries the whole trace (`data.trace`); older ones may carry the rule alone.
      const trace = typeof data.trace === 'object' && data.trace !== null ? (data.trace as Record<string, unknown>) : data;
      return `Handed off${str(trace.rule) === null ? '' : ` by rule ${str(trace.rule)}`}`;
    }
    case 'sla.breached':
      return 'First-response target missed';
    case 'sla.stopped':
      return `${who} replied first: the first-response clock stopped${data.met === false ? ', after the target' : ' in time'}`;
    case 'notification.enqueued': {
      const recipients = Array.isArray(data.recipients) ? data.recipients.filter((r): r is string => typeof r === 'string') : [];
      const to = recipients.length === 0 ? '' : ` to ${recipients.map((id) => userName(d, id) ?? id).join(', ')}`;
      const channel = str(data.channel);
      return `Notified${to}${channel === null ? '' : ` (${CHANNEL_WORDS[channel] ?? channel.replaceAll('_', ' ')})`}${str(data.title) === null ? '' : `: ${str(data.title)}`}`;
    }
    case 'task.due':
      return 'A follow-up fell due';
    case 'task.completed':
      return 'A follow-up was completed';
    default:
      return `${event.type.replaceAll('.', ' ').replaceAll('_', ' ')}${who === 'Baton' ? '' : ` by ${who}`}`;
  }
}
