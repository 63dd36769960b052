/**
 * The option lists of a handoff rule (docs/configuration.md "rules"), mirrored from the
 * server's zod contract: the app imports src/contract as types only (no zod in the bundle), so the
 * values live here and options.test.ts fails when they drift from the schemas.
 */
import type {
  AssignmentBehaviour,
  NotifyChannel,
  Priority,
  TaskType,
  Trigger,
} from '../../../../../../src/contract/common.js';
import type { Operator } from '../../../../../../src/contract/conditions.js';

export const TRIGGERS = [
  'customer_requested_human',
  'unsupported_topic',
  'intent_or_keyword',
  'workflow_flag',
  'negative_sentiment',
  'sla_breach',
  'no_assistant',
] as const satisfies readonly Trigger[];

export const TRIGGER_LABELS: Record<Trigger, string> = {
  customer_requested_human: 'the customer asks for a person',
  unsupported_topic: 'the AI agent cannot help',
  intent_or_keyword: 'an intent or keyword matches',
  workflow_flag: 'a workflow flags the conversation',
  negative_sentiment: 'the customer is frustrated',
  sla_breach: 'the first-response target is missed',
  no_assistant: 'the channel has no AI agent',
};

export const ASSIGNMENTS = [
  'keep_owner_and_alert',
  'reassign',
  'unassign_to_queue',
] as const satisfies readonly AssignmentBehaviour[];

export const ASSIGNMENT_LABELS: Record<AssignmentBehaviour, string> = {
  keep_owner_and_alert: 'Keep the current owner and alert the destination',
  reassign: 'Reassign to the destination',
  unassign_to_queue: 'Unassign and wait in the queue',
};

export const NOTIFY_CHANNELS = [
  'in_app',
  'email',
  'slack',
  'webhook',
] as const satisfies readonly NotifyChannel[];

export const NOTIFY_LABELS: Record<NotifyChannel, string> = {
  in_app: 'In the app',
  email: 'Email',
  slack: 'Slack',
  webhook: 'Webhook',
};

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly Priority[];

export const TASK_TYPES = ['callback', 'internal_note', 'check_in'] as const satisfies readonly TaskType[];

export const TASK_LABELS: Record<TaskType, string> = {
  callback: 'Call back',
  internal_note: 'Internal note',
  check_in: 'Check in after resolution',
};

export const OPERATORS = [
  'eq',
  'neq',
  'in',
  'nin',
  'contains',
  'matches',
  'exists',
  'gt',
  'gte',
  'lt',
  'lte',
] as const satisfies readonly Operator[];

export const OPERATOR_LABELS: Record<Operator, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  nin: 'is none of',
  contains: 'contains',
  matches: 'matches the pattern',
  exists: 'is set',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
};

/** The fields a condition reads besides `contact.<property>` and `conversation.<property>`. */
export const PLAIN_FIELDS = [
  'channel',
  'priority',
  'tags',
  'language',
  'intent',
  'trigger',
  'message.text',
  'time',
  'weekday',
  'businessHours',
] as const;
export type PlainField = (typeof PLAIN_FIELDS)[number];

export const FIELD_LABELS: Record<PlainField, string> = {
  channel: 'Channel (id or type)',
  priority: 'Priority',
  tags: 'Tags',
  language: 'Language',
  intent: 'Intent',
  trigger: 'Trigger',
  'message.text': 'Message text',
  time: 'Time of day (HH:MM)',
  weekday: 'Weekday',
  businessHours: 'Business hours',
};

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const CHANNEL_TYPES = ['chat', 'email', 'in_app', 'api'] as const;

/** `contact.<x>` and `conversation.<x>` (conditions.ts PROPERTY_FIELD). */
export const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
