import type { NotifyChannel, Trigger } from '../contract/common.js';
import type { Condition } from '../contract/conditions.js';
import type { Destination, RuleAction, Ruleset, TaskSpec } from '../contract/config.js';
import type { Playbook, PlaybookEntry } from '../contract/playbook-api.js';
import type { WorkspaceModel } from './model.js';

/**
 * The handoff playbook: the active rules as sentences an agent reads — what
 * hands a conversation to people, where each kind goes, who is alerted and what the customer is
 * told. Pure: the ruleset and the workspace in, a structured playbook out (rendered by the app).
 */

export const TRIGGER_SENTENCES: Readonly<Record<Trigger, string>> = {
  customer_requested_human: 'the customer asks for a person',
  unsupported_topic: 'the AI agent cannot help',
  intent_or_keyword: 'an intent or keyword matches',
  workflow_flag: 'a workflow or an agent flags the conversation',
  negative_sentiment: 'the customer is frustrated',
  sla_breach: 'the first-response SLA is breached',
  no_assistant: 'a customer writes on a channel without an AI agent',
};

const TRIGGERS = Object.keys(TRIGGER_SENTENCES) as Trigger[];

const CHANNEL_WORDS: Readonly<Record<NotifyChannel, string>> = { in_app: 'in the app', email: 'by email', slack: 'in Slack', webhook: 'by webhook' };

const FIELD_WORDS: Readonly<Record<string, string>> = {
  channel: 'the channel',
  channelType: 'the channel type',
  language: 'the language',
  intent: 'the intent',
  priority: 'the priority',
  tags: 'the tags',
  status: 'the status',
  sentiment: 'the sentiment',
  message: 'the message',
  'contact.owner': 'the contact’s account owner',
  'contact.email': 'the contact’s email',
  'contact.name': 'the contact’s name',
};

/** `a, b or c` */
function listWords(items: readonly string[], last = 'or'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]!}`;
}

function fieldWords(field: string): string {
  const known = FIELD_WORDS[field];
  if (known !== undefined) return known;
  const [scope, name] = field.split('.', 2) as [string, string | undefined];
  if (name !== undefined && (scope === 'contact' || scope === 'conversation')) return `the ${scope}’s ${name.replace(/_/g, ' ')}`;
  return field.replace(/_/g, ' ');
}

function literalWords(value: unknown): string {
  if (Array.isArray(value)) return listWords(value.map(literalWords));
  if (typeof value === 'string') return `“${value}”`;
  return String(value);
}

function operatorWords(field: string, operator: string, value: unknown): string {
  const subject = fieldWords(field);
  switch (operator) {
    case 'eq':
      return `${subject} is ${literalWords(value)}`;
    case 'neq':
      return `${subject} is not ${literalWords(value)}`;
    case 'in':
      return Array.isArray(value) && value.length === 1 ? `${subject} is ${literalWords(value[0])}` : `${subject} is ${literalWords(value)}`;
    case 'nin':
      return `${subject} is none of ${Array.isArray(value) ? listWords(value.map(literalWords)) : literalWords(value)}`;
    case 'contains':
      return `${subject} contains ${literalWords(value)}`;
    case 'matches':
      return `${subject} matches the pattern ${literalWords(value)}`;
    case 'exists':
      return value === false ? `${subject} is not set` : `${subject} is set`;
    case 'gt':
      return `${subject} is more than ${literalWords(value)}`;
    case 'gte':
      return `${subject} is at least ${literalWords(value)}`;
    case 'lt':
      return `${subject} is less than ${literalWords(value)}`;
    case 'lte':
      return `${subject} is at most ${literalWords(value)}`;
    default:
      return `${subject} ${operator} ${literalWords(value)}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A condition in words: `the channel is “web-chat” and the language is “es”`. */
export function describeConditionInWords(condition: Condition, model: WorkspaceModel): string {
  const record = condition as Record<string, unknown>;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if ((key === 'all' || key === 'any') && Array.isArray(value)) {
      const inner = (value as Condition[]).map((c) => {
        const text = describeConditionInWords(c, model);
        const [innerKey] = Object.keys(c);
        return innerKey === 'all' || innerKey === 'any' ? `(${text})` : text;
      });
      parts.push(key === 'all' ? listWords(inner, 'and') : listWords(inner, 'or'));
    } else if (key === 'not' && isRecord(value)) {
      parts.push(`not (${describeConditionInWords(value as Condition, model)})`);
    } else if (key === 'businessHours' && isRecord(value)) {
      for (const [state, schedule] of Object.entries(value)) {
        const name = typeof schedule === 'string' ? schedule : 'the schedule';
        parts.push(state === 'open' ? `during the business hours of “${name}”` : `outside the business hours of “${name}”`);
      }
    } else if (isRecord(value)) {
      for (const [operator, literal] of Object.entries(value)) parts.push(operatorWords(key, operator, literal));
    }
  }
  return listWords(parts, 'and');
}

function placeOf(destination: Destination, model: WorkspaceModel): string {
  if ('queue' in destination) {
    const queue = model.queues.get(destination.queue);
    if (queue === undefined) return `the queue “${destination.queue}”`;
    const team = queue.teamId === null ? undefined : model.teams.get(queue.teamId);
    return `the ${queue.name} queue${team === undefined ? '' : ` (team ${team.name})`}`;
  }
  if ('team' in destination) return `the ${model.teams.get(destination.team)?.name ?? destination.team} team`;
  if (destination.user === 'contact_owner') return 'the contact’s account owner';
  return model.users.get(destination.user)?.name ?? destination.user;
}

function namesOf(ids: readonly string[], model: WorkspaceModel): string[] {
  return ids.map((id) => model.users.get(id)?.name ?? id);
}

/** Who the people of a destination are, by name: a queue's team, a team, or one person. */
function peopleOf(destination: Destination, model: WorkspaceModel): string[] {
  if ('queue' in destination) {
    const queue = model.queues.get(destination.queue);
    const team = queue?.teamId == null ? undefined : model.teams.get(queue.teamId);
    return team === undefined ? [] : namesOf(team.members, model);
  }
  if ('team' in destination) return namesOf(model.teams.get(destination.team)?.members ?? [], model);
  return [];
}

function assignmentWords(action: RuleAction, model: WorkspaceModel): string {
  const place = placeOf(action.destination, model);
  switch (action.assignment) {
    case 'keep_owner_and_alert':
      return 'The owner keeps it (nobody takes it away); they and its followers are alerted.';
    case 'unassign_to_queue':
      return `It leaves its owner and waits in ${place} until an eligible agent is assigned it or claims it.`;
    case 'reassign':
      return 'user' in action.destination
        ? `It is assigned to ${place}.`
        : `It is assigned to an available agent of ${place} (round robin or least busy, as configured), or waits there when nobody is free.`;
  }
}

function alertWords(action: RuleAction, model: WorkspaceModel): string {
  if (action.notify.length === 0) return 'Nobody is alerted.';
  const how = listWords(action.notify.map((channel) => CHANNEL_WORDS[channel]), 'and');
  if (action.assignment === 'keep_owner_and_alert') return `The owner and the followers are alerted ${how}.`;
  if ('user' in action.destination) return `${capitalise(placeOf(action.destination, model))} is alerted ${how}.`;
  const people = peopleOf(action.destination, model);
  const of = people.length === 0 ? '' : ` (of ${listWords(people, 'and')})`;
  return action.assignment === 'reassign'
    ? `The agent it is assigned to is alerted ${how}; while it waits, the eligible agents${of} are.`
    : `The eligible agents${of} are alerted ${how}; when nobody is eligible, everyone there is.`;
}

function taskWords(task: TaskSpec, model: WorkspaceModel): string {
  const kind = task.type === 'callback' ? 'A call-back' : task.type === 'internal_note' ? 'An internal follow-up' : 'A check-in';
  const who =
    task.assignee === 'owner'
      ? 'for the owner'
      : 'user' in task.assignee
        ? `for ${model.users.get(task.assignee.user)?.name ?? task.assignee.user}`
        : `for the ${model.teams.get(task.assignee.team)?.name ?? task.assignee.team} team`;
  const when = task.type === 'check_in' ? `${task.due} after it is resolved` : `due ${task.due} after the handoff`;
  return `${kind} ${who}, ${when}${task.note === undefined ? '' : ` (“${task.note}”)`}.`;
}

function minutesWords(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The queue's promises, in words: who may take it, the first-response target, overflow, out of hours. */
function queueNotes(destination: Destination, model: WorkspaceModel): string[] {
  if (!('queue' in destination)) return [];
  const queue = model.queues.get(destination.queue);
  if (queue === undefined) return [];
  const notes: string[] = [];
  if (queue.requiredSkills.length > 0) notes.push(`Only agents with ${listWords(queue.requiredSkills.map((skill) => `“${skill}”`), 'and')} take it.`);
  if (queue.firstResponseSeconds !== null) notes.push(`First response expected within ${minutesWords(queue.firstResponseSeconds)}${queue.slaBusinessHours ? ' of business hours' : ''}.`);
  if (queue.overflowAfterSeconds !== null && queue.overflowTo !== null) {
    notes.push(`Unclaimed after ${minutesWords(queue.overflowAfterSeconds)}, it moves to the ${model.queues.get(queue.overflowTo)?.name ?? queue.overflowTo} queue.`);
  }
  if (queue.outOfHours !== null) {
    const schedule = queue.scheduleId === null ? '' : ` (schedule “${queue.scheduleId}”)`;
    notes.push(
      queue.outOfHours.action === 'route' && queue.outOfHours.to !== undefined
        ? `Out of hours${schedule}, it goes to ${placeOf(queue.outOfHours.to, model)} instead.`
        : `Out of hours${schedule}, it waits and the customer is told when the team is back.`,
    );
  }
  return notes;
}

function setWords(action: RuleAction): string | null {
  const set = action.set;
  if (set === undefined) return null;
  const parts: string[] = [];
  if (set.priority !== undefined) parts.push(`priority ${set.priority}`);
  if (set.tags !== undefined && set.tags.length > 0) parts.push(`tagged ${listWords(set.tags.map((t) => `“${t}”`), 'and')}`);
  if (set.properties !== undefined) for (const [key, value] of Object.entries(set.properties)) parts.push(`${key} set to ${literalWords(value)}`);
  return parts.length === 0 ? null : `Marked ${listWords(parts, 'and')}.`;
}

function entryOf(id: string, title: string, when: string, onlyIf: string | null, action: RuleAction, model: WorkspaceModel): PlaybookEntry {
  return {
    id,
    title,
    when,
    onlyIf,
    goesTo: placeOf(action.destination, model),
    assignment: assignmentWords(action, model),
    alerts: alertWords(action, model),
    customerHears:
      action.message === undefined ? null : action.message === false ? [] : Object.entries(action.message).map(([language, text]) => ({ language, text })),
    tasks: action.tasks.map((task) => taskWords(task, model)),
    queueNotes: queueNotes(action.destination, model),
    sets: setWords(action),
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function explainPlaybook(ruleset: Ruleset, model: WorkspaceModel, rulesetVersion: number | null): Playbook {
  const rules = ruleset.rules.filter((rule) => rule.enabled);
  const entries = rules.map((rule) =>
    entryOf(
      rule.id,
      rule.description ?? rule.id,
      rule.when === undefined ? 'On any handoff' : `When ${listWords(rule.when.map((t) => TRIGGER_SENTENCES[t]))}`,
      rule.if === undefined ? null : capitalise(describeConditionInWords(rule.if, model)),
      rule.then,
      model,
    ),
  );
  entries.push(entryOf('fallback', 'Everything else (the fallback)', 'On any handoff no rule above takes', null, ruleset.fallback, model));
  return {
    workspace: model.name,
    rulesetVersion,
    triggers: TRIGGERS.map((trigger) => ({
      trigger,
      label: capitalise(TRIGGER_SENTENCES[trigger]),
      rules: [...rules.filter((rule) => rule.when === undefined || rule.when.includes(trigger)).map((rule) => rule.id), 'fallback'],
    })),
    entries,
  };
}
