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
 * The workspace document (`baton.yaml`, CONFIG.md). This is a contract: the names are
 * what users and their scripts write. Fields may be added, never renamed.
 */

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
  id: Slug,
  name: z.string().optional(),
  timezone: TimeZone,
  hours: z.record(DayKey, z.array(TimeInterval)),
  holidays: z.array(IsoDate).default([]),
});
export type ScheduleConfig = z.infer<typeof ScheduleConfig>;

/** Per channel type: at most this many open conversations assigned automatically. */
export const Capacity = z.partialRecord(ChannelType, z.number().int().min(0));
export type Capacity = z.infer<typeof Capacity>;

export const UserConfig = z.strictObject({
  id: Slug,
  name: z.string().min(1),
  email: z.email(),
  role: Role.default('agent'),
  skills: z.array(z.string().min(1)).default([]),
  capacity: Capacity.default({}),
  schedule: Slug.optional(),
  status: Availability.default('available'),
});
export type UserConfig = z.infer<typeof UserConfig>;

export const TeamConfig = z.strictObject({
  id: Slug,
  name: z.string().min(1),
  members: z.array(Slug).default([]),
  leads: z.array(Slug).default([]),
  strategy: Strategy.default('round_robin'),
  /** Prefer the contact's previous human owner when that person is eligible now. */
  sticky: z.boolean().default(false),
});
export type TeamConfig = z.infer<typeof TeamConfig>;

export const Destination = z.union([
  z.strictObject({ user: Slug }),
  z.strictObject({ team: Slug }),
  z.strictObject({ queue: Slug }),
]);
export type Destination = z.infer<typeof Destination>;

export const OutOfHours = z.strictObject({
  action: z.enum(['queue_and_inform', 'route']).default('queue_and_inform'),
  to: Destination.optional(),
  when: Condition.optional(),
});
export type OutOfHours = z.infer<typeof OutOfHours>;

export const QueueConfig = z.strictObject({
  id: Slug,
  name: z.string().min(1),
  team: Slug.optional(),
  strategy: Strategy.optional(),
  requiredSkills: z.array(z.string().min(1)).default([]),
  schedule: Slug.optional(),
  sla: z
    .strictObject({
      firstResponse: Duration,
      /** Count only the queue's open hours toward the target. */
      businessHours: z.boolean().default(false),
      maxBreaches: z.number().int().min(1).max(10).default(3),
    })
    .optional(),
  overflow: z.strictObject({ after: Duration, to: Slug }).optional(),
  outOfHours: OutOfHours.optional(),
  sticky: z.boolean().optional(),
});
export type QueueConfig = z.infer<typeof QueueConfig>;

export const AssistantKind = z.enum(['builtin', 'llm', 'webhook', 'none']);
export type AssistantKind = z.infer<typeof AssistantKind>;

export const ChannelConfig = z.strictObject({
  id: Slug,
  name: z.string().optional(),
  type: ChannelType,
  assistant: AssistantKind.default('builtin'),
  defaultRoute: Destination,
  address: z.string().optional(),
  /** `assistant: webhook`: where customer messages are POSTed (`{conversation, message}`). */
  botUrl: z.url().optional(),
  /** Signs those POSTs per Standard Webhooks (as notifications.webhooks); usually `${BOT_SECRET}`. */
  botSecret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/, 'must be a Standard Webhooks secret: whsec_ followed by base64')
    .optional(),
});
export type ChannelConfig = z.infer<typeof ChannelConfig>;

export const KnowledgeConfig = z.strictObject({
  id: Slug,
  title: z.string().min(1),
  body: z.string().min(1),
  language: LanguageTag.default('en'),
  tags: z.array(z.string()).default([]),
});
export type KnowledgeConfig = z.infer<typeof KnowledgeConfig>;

export const IntentConfig = z.strictObject({
  id: Slug,
  examples: z.array(z.string().min(1)).min(1),
});
export type IntentConfig = z.infer<typeof IntentConfig>;

export const AssistantConfig = z.strictObject({
  confidenceThreshold: z.number().min(0).max(1).default(0.35),
  maxTurnsWithoutProgress: z.number().int().min(1).default(3),
  neverAutomate: z.array(z.string().min(1)).default([]),
  intents: z.array(IntentConfig).default([]),
  /** For channels with `assistant: llm`: an OpenAI-compatible chat-completions endpoint. */
  llm: z
    .strictObject({
      /** `POST {baseUrl}/chat/completions`, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. */
      baseUrl: z.url(),
      model: z.string().min(1),
      /** Sent as `Authorization: Bearer …`; usually `${LLM_API_KEY}`. Local servers may need none. */
      apiKey: z.string().optional(),
      /** One call's limit (at most 25s); then retried, then handed off. */
      timeout: Duration.default('20s'),
    })
    .optional(),
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
  type: TaskType,
  assignee: TaskAssignee.default('owner'),
  /** For callback/internal_note: after the handoff. For check_in: after resolution. */
  due: Duration,
  note: z.string().optional(),
});
export type TaskSpec = z.infer<typeof TaskSpec>;

export const SetSpec = z.strictObject({
  priority: Priority.optional(),
  tags: z.array(z.string().min(1)).optional(),
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type SetSpec = z.infer<typeof SetSpec>;

export const RuleAction = z.strictObject({
  destination: Destination,
  assignment: AssignmentBehaviour.default('reassign'),
  message: CustomerMessage.optional(),
  notify: z.array(NotifyChannel).default(['in_app']),
  tasks: z.array(TaskSpec).default([]),
  set: SetSpec.optional(),
});
export type RuleAction = z.infer<typeof RuleAction>;

export const Rule = z.strictObject({
  id: Slug,
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  /** Triggers this rule answers; absent means every trigger. */
  when: z.array(Trigger).min(1).optional(),
  if: Condition.optional(),
  then: RuleAction,
});
export type Rule = z.infer<typeof Rule>;

export const Ruleset = z.strictObject({
  reviewEvery: Duration.default('90d'),
  rules: z.array(Rule).default([]),
  fallback: RuleAction,
});
export type Ruleset = z.infer<typeof Ruleset>;

export const WebhookTarget = z.strictObject({
  id: Slug.optional(),
  url: z.string().min(1),
  secret: z.string().optional(),
  events: z.array(z.string().min(1)).default([]),
});

export const NotificationsConfig = z.strictObject({
  slack: z
    .strictObject({ webhookUrl: z.string().optional(), botToken: z.string().optional(), channel: z.string().optional() })
    .optional(),
  email: z.strictObject({ smtpUrl: z.string().optional(), from: z.string().optional() }).optional(),
  allowPrivateNetworks: z.boolean().default(false),
  webhooks: z.array(WebhookTarget).default([]),
});
export type NotificationsConfig = z.infer<typeof NotificationsConfig>;

export const WorkspaceConfig = z.strictObject({
  workspace: z.strictObject({
    name: z.string().min(1),
    timezone: TimeZone.default('UTC'),
    language: LanguageTag.default('en'),
  }),
  schedules: z.array(ScheduleConfig).default([]),
  users: z.array(UserConfig).default([]),
  teams: z.array(TeamConfig).default([]),
  queues: z.array(QueueConfig).default([]),
  channels: z.array(ChannelConfig).default([]),
  knowledge: z.array(KnowledgeConfig).default([]),
  assistant: AssistantConfig.default({
    confidenceThreshold: 0.35,
    maxTurnsWithoutProgress: 3,
    neverAutomate: [],
    intents: [],
  }),
  handoff: Ruleset,
  notifications: NotificationsConfig.default({ allowPrivateNetworks: false, webhooks: [] }),
});
/** The document after defaults are applied. */
export type WorkspaceConfig = z.infer<typeof WorkspaceConfig>;
/** The document as a person writes it. */
export type WorkspaceConfigInput = z.input<typeof WorkspaceConfig>;
