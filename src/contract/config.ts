import { z } from 'zod';
import {
  Availability,
  AssignmentBehaviour,
  ChannelType,
  Duration,
  LanguageTag,
  NotifyChannel,
  Priority,
  Role,
  Slug,
  Strategy,
  TaskType,
  Trigger,
} from './common.js';
import { Condition } from './conditions.js';

/**
 * The workspace document (`baton.yaml`). This is a contract: the names are what users and
 * their scripts write. Fields may be added, never renamed. Every key carries a description and
 * an example (`doc`): the JSON Schema for editors and docs/configuration.md are generated from
 * them, and a test refuses a key without them.
 */

/** What a key means and an example of a value, for editors and for docs/configuration.md. */
function doc<T extends z.ZodType>(schema: T, description: string, example?: unknown): T {
  return schema.meta(example === undefined ? { description } : { description, examples: [example] });
}

export const TimeInterval = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be an interval "HH:MM-HH:MM"');

/** `mon`, `mon-fri`, `sat,sun`, `mon-wed,fri` */
export const DayKey = z
  .string()
  .regex(
    /^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?(,(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)*$/,
    'must be days such as mon, mon-fri or sat,sun',
  );

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Madrid' },
);

export const ScheduleConfig = z.strictObject({
  id: doc(Slug, 'How queues and users refer to this schedule.', 'office'),
  name: doc(z.string().optional(), 'A readable name for the settings screens.', 'Office hours'),
  timezone: doc(TimeZone, 'The IANA time zone the hours are written in.', 'Europe/Madrid'),
  hours: doc(
    z.record(DayKey, z.array(TimeInterval)),
    'Open intervals per day key (`mon`, `mon-fri`, `sat,sun`). `24:00` closes a day; an interval that ends before it starts runs past midnight.',
    { 'mon-fri': ['09:00-13:00', '14:00-18:00'] },
  ),
  holidays: doc(z.array(IsoDate).default([]), 'Dates (YYYY-MM-DD) on which the schedule is closed all day.', [
    '2026-12-25',
  ]),
});
export type ScheduleConfig = z.infer<typeof ScheduleConfig>;

/** Per channel type: at most this many open conversations assigned automatically. */
export const Capacity = z.partialRecord(ChannelType, z.number().int().min(0));
export type Capacity = z.infer<typeof Capacity>;

export const UserConfig = z.strictObject({
  id: doc(Slug, 'How teams, rules and the API refer to this person.', 'ana'),
  name: doc(
    z.string().min(1),
    'Shown to colleagues, and to customers when this person joins a conversation.',
    'Ana García',
  ),
  email: doc(z.email(), 'Sign-in address; email notifications go here.', 'ana@acme.test'),
  role: doc(Role.default('agent'), '`admin` may change everything; `agent` works the inbox.', 'agent'),
  skills: doc(
    z.array(z.string().min(1)).default([]),
    "Tags a queue's `requiredSkills` are matched against.",
    ['lang:es', 'product:billing'],
  ),
  capacity: doc(
    Capacity.default({}),
    'Per channel type (`chat`, `email`, `in_app`, `api`): at most this many open conversations assigned automatically. A type left out has no cap.',
    { chat: 3, email: 10 },
  ),
  schedule: doc(
    Slug.optional(),
    'A schedule id: off duty outside it, so not assigned automatically.',
    'office',
  ),
  status: doc(
    Availability.default('available'),
    'Availability when the user is first created; afterwards people set it themselves.',
    'available',
  ),
});
export type UserConfig = z.infer<typeof UserConfig>;

export const TeamConfig = z.strictObject({
  id: doc(Slug, 'How queues and rules refer to this team.', 'billing'),
  name: doc(z.string().min(1), 'Shown in the inbox and in reports.', 'Billing'),
  members: doc(z.array(Slug).default([]), 'User ids of the people conversations are assigned to.', [
    'ana',
    'maria',
  ]),
  leads: doc(
    z.array(Slug).default([]),
    "User ids alerted on SLA breaches; they may act on the team's conversations.",
    ['olu'],
  ),
  strategy: doc(
    Strategy.default('round_robin'),
    '`round_robin` (the longest without a new conversation first), `least_busy` (fewest open conversations relative to capacity) or `manual` (agents claim from the queue).',
    'least_busy',
  ),
  sticky: doc(
    z.boolean().default(false),
    "Prefer the contact's previous human owner when that person is eligible now.",
    true,
  ),
});
export type TeamConfig = z.infer<typeof TeamConfig>;

export const Destination = z.union([
  z.strictObject({ user: Slug }),
  z.strictObject({ team: Slug }),
  z.strictObject({ queue: Slug }),
]);
export type Destination = z.infer<typeof Destination>;

export const OutOfHours = z.strictObject({
  action: doc(
    z.enum(['queue_and_inform', 'route']).default('queue_and_inform'),
    '`queue_and_inform` keeps the conversation queued and tells the customer when the team is back; `route` sends it on to `to`.',
    'route',
  ),
  to: doc(Destination.optional(), 'With `action: route`: where out-of-hours conversations go.', {
    team: 'oncall',
  }),
  when: doc(
    Condition.optional(),
    'With `action: route`: only conversations matching this condition are routed; the others are queued and informed.',
    { priority: { in: ['high', 'urgent'] } },
  ),
});
export type OutOfHours = z.infer<typeof OutOfHours>;

export const QueueConfig = z.strictObject({
  id: doc(Slug, 'How rules and channels refer to this queue.', 'es-support'),
  name: doc(z.string().min(1), 'Shown in the inbox and in reports.', 'Spanish support'),
  team: doc(Slug.optional(), "The team whose members are assigned the queue's conversations.", 'billing'),
  strategy: doc(Strategy.optional(), "Overrides the team's strategy for this queue.", 'round_robin'),
  requiredSkills: doc(
    z.array(z.string().min(1)).default([]),
    'Only members holding every one of these skills are eligible.',
    ['lang:es'],
  ),
  schedule: doc(Slug.optional(), 'A schedule id: the hours the queue is open.', 'office'),
  sla: doc(
    z
      .strictObject({
        firstResponse: doc(Duration, "Target for a person's first public reply after the handoff.", '5m'),
        businessHours: doc(
          z.boolean().default(false),
          "Count only the queue's open hours toward the target.",
          true,
        ),
        maxBreaches: doc(
          z.number().int().min(1).max(10).default(3),
          'How many times a breach re-routes the conversation before it stays where it is.',
          3,
        ),
      })
      .optional(),
    'First-response target; a breach fires the `sla_breach` trigger.',
  ),
  overflow: doc(
    z
      .strictObject({
        after: doc(Duration, 'How long a conversation may wait in this queue.', '15m'),
        to: doc(Slug, 'The queue it moves to after that.', 'general'),
      })
      .optional(),
    'Move conversations that waited too long to another queue.',
  ),
  outOfHours: doc(OutOfHours.optional(), 'What happens to a handoff while the queue is closed.'),
  sticky: doc(z.boolean().optional(), "Overrides the team's `sticky` for this queue.", false),
});
export type QueueConfig = z.infer<typeof QueueConfig>;

export const AssistantKind = z.enum(['builtin', 'llm', 'webhook', 'none']);
export type AssistantKind = z.infer<typeof AssistantKind>;

export const ChannelConfig = z.strictObject({
  id: doc(
    Slug,
    'How rules (`channel: { in: [...] }`), the widget and the API refer to this channel.',
    'web-chat',
  ),
  name: doc(z.string().optional(), 'A readable name for the inbox.', 'Website chat'),
  type: doc(
    ChannelType,
    '`chat` (the widget), `email`, `in_app` or `api`; capacities are counted per type.',
    'chat',
  ),
  assistant: doc(
    AssistantKind.default('builtin'),
    'Who answers first: `builtin` (knowledge and intents), `llm` (see `assistant.llm`), `webhook` (your bot at `botUrl`) or `none` (straight to people).',
    'builtin',
  ),
  defaultRoute: doc(Destination, 'Where a handoff goes when no rule sends it elsewhere.', {
    queue: 'general',
  }),
  maxMessageLength: doc(
    z.number().int().min(100).max(100_000).default(20_000),
    "The longest message a customer may send on this channel, in characters; a longer one is refused (413) and nothing is stored. Email is bounded by the server's inbound size instead.",
    5_000,
  ),
  address: doc(
    z.string().optional(),
    'For `type: email`: the address customers write to.',
    'support@acme.test',
  ),
  botUrl: doc(
    z.url().optional(),
    'For `assistant: webhook`: customer messages are POSTed here as `{conversation, message}`.',
    'https://bot.acme.test/baton',
  ),
  botSecret: doc(
    z
      .string()
      .regex(
        /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/,
        'must be a Standard Webhooks secret: whsec_ followed by base64',
      )
      .optional(),
    'Signs the POSTs to `botUrl` per Standard Webhooks; usually read from the environment.',
    '${BOT_SECRET}',
  ),
});
export type ChannelConfig = z.infer<typeof ChannelConfig>;

export const KnowledgeConfig = z.strictObject({
  id: doc(Slug, 'Identifies the article.', 'reset-password'),
  title: doc(
    z.string().min(1),
    'The question the article answers; matched against what customers write.',
    'How do I reset my password?',
  ),
  body: doc(
    z.string().min(1),
    'The answer sent to the customer. A blank line starts a new paragraph.',
    'Open Settings → Security and choose "Reset password".',
  ),
  language: doc(LanguageTag.default('en'), 'Answers go to customers writing in this language.', 'en'),
  tags: doc(z.array(z.string()).default([]), 'Extra words that help match the article.', [
    'account',
    'login',
  ]),
});
export type KnowledgeConfig = z.infer<typeof KnowledgeConfig>;

export const IntentConfig = z.strictObject({
  id: doc(Slug, 'Read by rules as `intent: { eq: <id> }`.', 'billing_dispute'),
  examples: doc(
    z.array(z.string().min(1)).min(1),
    'Phrases customers use; a message close to one of them carries the intent.',
    ['I was charged twice', 'wrong amount on my invoice'],
  ),
});
export type IntentConfig = z.infer<typeof IntentConfig>;

export const AssistantConfig = z.strictObject({
  confidenceThreshold: doc(
    z.number().min(0).max(1).default(0.35),
    'Below this confidence (0 to 1) the assistant does not answer and the turn counts as one without progress.',
    0.35,
  ),
  maxTurnsWithoutProgress: doc(
    z.number().int().min(1).default(3),
    'After this many customer turns without progress (no confident answer, or the question repeated) the conversation is handed off (`unsupported_topic`).',
    3,
  ),
  neverAutomate: doc(
    z.array(z.string().min(1)).default([]),
    'Topics (words or intent ids) the assistant never answers: they are handed off at once.',
    ['refund', 'legal', 'cancellation'],
  ),
  intents: doc(z.array(IntentConfig).default([]), 'Intents rules can read (`intent_or_keyword`).'),
  llm: doc(
    z
      .strictObject({
        baseUrl: doc(
          z.url(),
          'An OpenAI-compatible API: Baton calls `POST {baseUrl}/chat/completions`.',
          'https://api.openai.com/v1',
        ),
        model: doc(z.string().min(1), 'The model name sent with each call.', 'gpt-4o-mini'),
        apiKey: doc(
          z.string().optional(),
          'Sent as `Authorization: Bearer …`; usually read from the environment. Local servers may need none.',
          '${LLM_API_KEY}',
        ),
        timeout: doc(
          Duration.default('20s'),
          "One call's limit (at most 25s); then retried, then handed off.",
          '20s',
        ),
      })
      .optional(),
    'For channels with `assistant: llm`: the language model that answers.',
  ),
});
export type AssistantConfig = z.infer<typeof AssistantConfig>;

/** Per language (`es`, `en`, …) the text sent to the customer; `false` sends none. */
export const CustomerMessage = z.union([z.record(LanguageTag, z.string().min(1)), z.literal(false)]);
export type CustomerMessage = z.infer<typeof CustomerMessage>;

export const TaskAssignee = z.union([
  z.literal('owner'),
  z.strictObject({ user: Slug }),
  z.strictObject({ team: Slug }),
]);
export type TaskAssignee = z.infer<typeof TaskAssignee>;

export const TaskSpec = z.strictObject({
  type: doc(
    TaskType,
    '`callback` (call the customer back), `internal_note` (a follow-up for the team) or `check_in` (ask the customer after resolution).',
    'callback',
  ),
  assignee: doc(
    TaskAssignee.default('owner'),
    '`owner` (whoever owns the conversation), `{ user: <id> }` or `{ team: <id> }`.',
    'owner',
  ),
  due: doc(
    Duration,
    'For `callback` and `internal_note`: after the handoff; for `check_in`: after resolution.',
    '1h',
  ),
  note: doc(z.string().optional(), 'What the task is about, shown with it.', 'Call back about the refund'),
});
export type TaskSpec = z.infer<typeof TaskSpec>;

export const SetSpec = z.strictObject({
  priority: doc(Priority.optional(), 'Sets the conversation priority.', 'high'),
  tags: doc(z.array(z.string().min(1)).optional(), 'Tags added to the conversation.', ['escalated']),
  properties: doc(
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    'Conversation properties set (null removes one).',
    { tier: 'gold' },
  ),
});
export type SetSpec = z.infer<typeof SetSpec>;

export const RuleAction = z.strictObject({
  destination: doc(
    Destination,
    "`{ user: <id> }`, `{ team: <id> }` or `{ queue: <id> }`; `{ user: contact_owner }` is the contact's account owner.",
    { queue: 'es-support' },
  ),
  assignment: doc(
    AssignmentBehaviour.default('reassign'),
    'When a person already owns the conversation: `keep_owner_and_alert`, `reassign` (assign anew at the destination) or `unassign_to_queue`.',
    'unassign_to_queue',
  ),
  message: doc(
    CustomerMessage.optional(),
    'Per language, what the customer is told; `{{expected_wait}}`, `{{contact.name}}` and `{{queue.name}}` are filled in; `false` sends nothing.',
    { en: "I'm connecting you to a specialist. Expected wait: {{expected_wait}}." },
  ),
  notify: doc(
    z.array(NotifyChannel).default(['in_app']),
    'How the people concerned are alerted: `in_app`, `email`, `slack`, `webhook`.',
    ['in_app', 'slack'],
  ),
  tasks: doc(z.array(TaskSpec).default([]), 'Follow-up tasks created with the handoff.'),
  set: doc(SetSpec.optional(), 'Changes made to the conversation.'),
});
export type RuleAction = z.infer<typeof RuleAction>;

export const Rule = z.strictObject({
  id: doc(Slug, 'Names the rule in traces, reports and version diffs.', 'enterprise-spanish'),
  description: doc(
    z.string().optional(),
    'What the rule is for, in a sentence (shown in the playbook).',
    'Spanish-speaking enterprise customers go to the Spanish queue.',
  ),
  enabled: doc(z.boolean().default(true), 'A disabled rule is kept but never matches.', true),
  when: doc(
    z.array(Trigger).min(1).optional(),
    'The triggers this rule answers; absent means every trigger.',
    ['customer_requested_human', 'unsupported_topic'],
  ),
  if: doc(
    Condition.optional(),
    'The condition the conversation must meet (see Conditions); absent means always.',
    {
      language: { eq: 'es' },
    },
  ),
  then: doc(RuleAction, 'What happens when this is the first rule that matches (see Actions).', {
    destination: { queue: 'es-support' },
  }),
});
export type Rule = z.infer<typeof Rule>;

export const Ruleset = z.strictObject({
  reviewEvery: doc(
    Duration.default('90d'),
    'Admins are reminded to review the rules this long after the last review.',
    '90d',
  ),
  rules: doc(z.array(Rule).default([]), 'Tried in order; the first that matches decides.'),
  fallback: doc(RuleAction, 'What happens when no rule matches (see Actions).', {
    destination: { queue: 'general' },
    assignment: 'unassign_to_queue',
  }),
});
export type Ruleset = z.infer<typeof Ruleset>;

export const WebhookTarget = z.strictObject({
  id: doc(Slug.optional(), 'Names the target in the deliveries list.', 'crm'),
  url: doc(z.string().min(1), 'Where events are POSTed.', 'https://hooks.acme.test/baton'),
  secret: doc(
    z.string().optional(),
    'Signs each POST per Standard Webhooks (`whsec_…`); usually read from the environment.',
    '${WEBHOOK_SECRET}',
  ),
  events: doc(
    z.array(z.string().min(1)).default([]),
    'The event types sent to this target; it receives no others.',
    ['handoff.completed', 'conversation.assigned', 'sla.breached'],
  ),
});

export const NotificationsConfig = z.strictObject({
  slack: doc(
    z
      .strictObject({
        webhookUrl: doc(z.string().optional(), 'A Slack incoming webhook.', '${SLACK_WEBHOOK_URL}'),
        botToken: doc(
          z.string().optional(),
          'A Slack bot token, instead of a webhook.',
          '${SLACK_BOT_TOKEN}',
        ),
        channel: doc(z.string().optional(), 'With `botToken`: the channel to post to.', '#support'),
      })
      .optional(),
    'Where `notify: [slack]` posts (Block Kit, with a link to the conversation): an incoming webhook, or a bot token and a channel.',
    { webhookUrl: '${SLACK_WEBHOOK_URL}' },
  ),
  email: doc(
    z
      .strictObject({
        smtpUrl: doc(
          z.string().optional(),
          'The SMTP server for email notifications, invitations and replies.',
          '${SMTP_URL}',
        ),
        from: doc(z.string().optional(), 'The sender of those emails.', 'Acme Support <support@acme.test>'),
      })
      .optional(),
    'Outgoing email.',
  ),
  allowPrivateNetworks: doc(
    z.boolean().default(false),
    'Lets webhook and Slack targets be private or loopback addresses (refused by default).',
    false,
  ),
  webhooks: doc(z.array(WebhookTarget).default([]), 'Conversation events POSTed to your systems.'),
});
export type NotificationsConfig = z.infer<typeof NotificationsConfig>;

export const WorkspaceConfig = z.strictObject({
  workspace: doc(
    z.strictObject({
      name: doc(
        z.string().min(1),
        'The name of the help desk, shown in the app and to customers.',
        'Acme Support',
      ),
      timezone: doc(
        TimeZone.default('UTC'),
        'The IANA time zone reports and dates are shown in.',
        'Europe/Madrid',
      ),
      language: doc(
        LanguageTag.default('en'),
        "Customers' language when it is neither set nor detected.",
        'en',
      ),
      autoCloseAfter: doc(
        Duration.default('7d'),
        'A resolved conversation closes this long after it was resolved. A customer reply before then reopens it; a message after then starts a new conversation linked to the closed one.',
        '7d',
      ),
    }),
    'The help desk itself.',
  ),
  schedules: doc(z.array(ScheduleConfig).default([]), 'Opening hours, for queues and users.'),
  users: doc(z.array(UserConfig).default([]), 'The people of the support team.'),
  teams: doc(z.array(TeamConfig).default([]), 'Groups of users conversations are assigned within.'),
  queues: doc(z.array(QueueConfig).default([]), 'Where handed-off conversations wait for a person.'),
  channels: doc(z.array(ChannelConfig).default([]), 'Where customers write from.'),
  knowledge: doc(z.array(KnowledgeConfig).default([]), 'Articles the built-in assistant answers from.'),
  assistant: doc(
    AssistantConfig.default({
      confidenceThreshold: 0.35,
      maxTurnsWithoutProgress: 3,
      neverAutomate: [],
      intents: [],
    }),
    'How the AI agent answers before a handoff.',
  ),
  handoff: doc(Ruleset, 'The handoff rules: who gets which conversation.'),
  notifications: doc(
    NotificationsConfig.default({ allowPrivateNetworks: false, webhooks: [] }),
    'How people and systems are alerted.',
  ),
});
/** The document after defaults are applied. */
export type WorkspaceConfig = z.infer<typeof WorkspaceConfig>;
/** The document as a person writes it. */
export type WorkspaceConfigInput = z.input<typeof WorkspaceConfig>;
