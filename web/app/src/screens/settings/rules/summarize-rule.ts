/**
 * A rule as one readable sentence for the rules list: when (triggers), if (conditions), then
 * (assignment and destination, notifications, tasks, changes, customer message).
 */
import type { Condition } from '../../../../../../src/contract/conditions.js';
import type { Destination, Rule, RuleAction } from '../../../../../../src/contract/config.js';
import { formatOperand } from './condition-values.js';
import { readCondition } from './edit-rules.js';
import { NOTIFY_LABELS, OPERATOR_LABELS, TASK_LABELS, TRIGGER_LABELS } from './options.js';

const isOperator = (key: string): key is keyof typeof OPERATOR_LABELS => key in OPERATOR_LABELS;

/** `the contact's owner`, `team oncall`, `queue es-support`. */
export function describeDestination(destination: Destination): string {
  if ('user' in destination)
    return destination.user === 'contact_owner' ? "the contact's owner" : `user ${destination.user}`;
  if ('team' in destination) return `team ${destination.team}`;
  return `queue ${destination.queue}`;
}

function joinWords(words: readonly string[], last: string): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1] ?? ''}`;
}

/** `language is es and (plan is enterprise or plan is pro)`. */
export function describeCondition(condition: Condition, nested = false): string {
  const node = readCondition(condition);
  switch (node.kind) {
    case 'all':
    case 'any': {
      const parts = node.children.map((child) => describeCondition(child, true));
      const text = parts.join(node.kind === 'all' ? ' and ' : ' or ');
      return nested && parts.length > 1 ? `(${text})` : text;
    }
    case 'not':
      return `not ${describeCondition(node.child, true).replace(/^(?!\()(.*)$/, '($1)')}`;
    case 'businessHours':
      return `schedule ${node.schedule === '' ? '(none)' : node.schedule} is ${node.state}`;
    case 'field': {
      const tests = Object.entries(node.spec)
        .filter(([, value]) => value !== undefined)
        .map(([operator, value]) => {
          if (operator === 'exists') return `${node.field} ${value === false ? 'is not set' : 'is set'}`;
          const label = isOperator(operator) ? OPERATOR_LABELS[operator] : operator;
          return `${node.field} ${label} ${formatOperand(value)}`;
        });
      if (tests.length === 0) return `${node.field} (no test)`;
      const text = tests.join(' and ');
      return nested && tests.length > 1 ? `(${text})` : text;
    }
  }
}

/** `reassign to team oncall; notify in the app and email; 1 task; set priority high`. */
export function describeAction(action: RuleAction): string {
  const where = describeDestination(action.destination);
  const parts: string[] = [];
  switch (action.assignment) {
    case 'reassign':
      parts.push(`assign to ${where}`);
      break;
    case 'unassign_to_queue':
      parts.push(`unassign and wait in ${where}`);
      break;
    case 'keep_owner_and_alert':
      parts.push(`keep the current owner and alert ${where}`);
      break;
  }
  parts.push(
    action.notify.length === 0
      ? 'notify nobody'
      : `notify ${joinWords(
          action.notify.map((n) => NOTIFY_LABELS[n].toLowerCase()),
          'and',
        )}`,
  );
  if (action.tasks.length > 0) {
    parts.push(
      `create ${joinWords(
        action.tasks.map((t) => `a ${TASK_LABELS[t.type].toLowerCase()} task due in ${t.due}`),
        'and',
      )}`,
    );
  }
  const set = action.set;
  if (set !== undefined) {
    const changes: string[] = [];
    if (set.priority !== undefined) changes.push(`priority ${set.priority}`);
    if (set.tags !== undefined && set.tags.length > 0) changes.push(`tags ${set.tags.join(', ')}`);
    for (const [key, value] of Object.entries(set.properties ?? {}))
      changes.push(`${key} to ${formatOperand(value)}`);
    if (changes.length > 0) parts.push(`set ${joinWords(changes, 'and')}`);
  }
  if (action.message === false) parts.push('send the customer no message');
  else if (action.message !== undefined)
    parts.push(`tell the customer (${Object.keys(action.message).join(', ')})`);
  return parts.join('; ');
}

/** The whole rule in one sentence, starting with when it applies. */
export function summarizeRule(rule: Rule): string {
  const when =
    rule.when === undefined || rule.when.length === 0
      ? 'On any handoff trigger'
      : `When ${joinWords(
          rule.when.map((t) => TRIGGER_LABELS[t]),
          'or',
        )}`;
  const condition = rule.if === undefined ? '' : `, if ${describeCondition(rule.if)}`;
  const off = rule.enabled ? '' : ' (turned off: never matches)';
  return `${when}${condition}: ${describeAction(rule.then)}.${off}`;
}
