import { z } from 'zod';
import {
  Availability,
  ChannelType,
  ConversationStatus,
  LanguageTag,
  MAX_STORED_INTEGER,
  MessageAuthor,
  NotifyChannel,
  Priority,
  Role,
  TaskStatus,
  TaskType,
  Trigger,
} from './common.js';
import { Scalar } from './conditions.js';
import { Destination, Ruleset, WorkspaceConfig } from './config.js';
import { AgentOverride, HandoffTrace } from './trace.js';

/** REST bodies and responses (docs/api.md). One schema = validator + type + OpenAPI. */

export const IdParams = z.object({ id: z.string().min(1) });
export type IdParams = z.infer<typeof IdParams>;

export const Ok = z.object({ ok: z.literal(true) });

// ── auth ────────────────────────────────────────────────────────────────────────────────────────
export const LoginInput = z.strictObject({ email: z.email(), password: z.string().min(1) });
export type LoginInput = z.infer<typeof LoginInput>;

export const Me = z.object({ id: z.string(), name: z.string(), email: z.string(), role: Role });
export type Me = z.infer<typeof Me>;

/**
 * `bot`: the token a bot holds, and nothing else (not combined with other scopes). A webhook bot
 * (channel `assistant: webhook`) reads a conversation and its messages, answers as the AI agent
 * (author `assistant`) and hands off — only while the conversation is with the AI agent (`bot`);
 * a Bot Framework bot calls `/api/bots/…`.
 */
export const TokenScope = z.enum(['read', 'write', 'admin', 'bot']);
export type TokenScope = z.infer<typeof TokenScope>;

export const CreateTokenInput = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(TokenScope).min(1).default(['read', 'write']),
  /** With the `bot` scope, required: the channels whose bot this is; it reaches their conversations only. */
  channels: z.array(z.string().min(1).max(64)).min(1).max(50).optional(),
});
export type CreateTokenInput = z.infer<typeof CreateTokenInput>;

export const CreatedToken = z.object({
  id: z.string(),
  name: z.string(),
  userId: z.string(),
  scopes: z.array(TokenScope),
  /** Shown once; only its hash is stored. */
  token: z.string(),
});

export const StatusInput = z.strictObject({ status: Availability });
export type StatusInput = z.infer<typeof StatusInput>;

// ── contacts & conversations ────────────────────────────────────────────────────────────────────
export const Properties = z.record(z.string(), Scalar);

export const ContactInput = z.strictObject({
  name: z.string().max(200).optional(),
  email: z.email().optional(),
  language: LanguageTag.optional(),
  timezone: z.string().optional(),
  externalId: z.string().max(200).optional(),
  owner: z.string().nullable().optional(),
  properties: Properties.optional(),
  test: z.boolean().optional(),
});
export type ContactInput = z.infer<typeof ContactInput>;

export const Contact = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  language: z.string().nullable(),
  timezone: z.string().nullable(),
  owner: z.string().nullable(),
  properties: Properties,
  test: z.boolean(),
});
export type Contact = z.infer<typeof Contact>;

export const Message = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  author: MessageAuthor,
  authorId: z.string().nullable(),
  authorName: z.string().nullable(),
  body: z.string(),
  private: z.boolean(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof Message>;

export const OwnershipAction = z.enum(['claim', 'take_over', 'release', 'handback', 'resolve', 'transfer']);
export type OwnershipAction = z.infer<typeof OwnershipAction>;

export const Conversation = z.object({
  id: z.string(),
  channel: z.string(),
  channelType: ChannelType,
  contact: Contact,
  status: ConversationStatus,
  owner: z.string().nullable(),
  team: z.string().nullable(),
  queue: z.string().nullable(),
  priority: Priority,
  tags: z.array(z.string()),
  properties: Properties,
  language: z.string().nullable(),
  intent: z.string().nullable(),
  /** The email's subject on email channels; null elsewhere. */
  subject: z.string().nullable(),
  handoff: HandoffTrace.nullable(),
  handedOffAt: z.string().nullable(),
  firstResponseDueAt: z.string().nullable(),
  firstHumanResponseAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastActivityAt: z.string(),
  resolvedAt: z.string().nullable(),
  /**
   * The latest rating (CSAT 1–5, once per resolution); `current`: it rates the latest resolution
   * (false once the conversation was reopened and resolved again without a new rating). null:
   * never rated.
   */
  rating: z.object({ score: z.number().int(), comment: z.string().nullable(), current: z.boolean() }).nullable(),
  /** The closed conversation this one follows: the customer wrote again after it closed; null otherwise. */
  previousConversationId: z.string().nullable(),
  version: z.number().int(),
  /** Who holds it, by display name (null: nobody). */
  holder: z.object({ id: z.string(), name: z.string() }).nullable(),
  /**
   * What the caller may do to it now under the ownership policy (core/ownership.ts): the app offers
   * exactly these. null where it is presented for nobody in particular (webhook and bot payloads).
   */
  viewerCan: z.array(OwnershipAction).nullable(),
  /**
   * Why a queued conversation is not offered to someone who is available — the agents who released
   * or transferred it away during this handoff — in a sentence; null otherwise.
   */
  waitingReason: z.string().nullable(),
  /**
   * On the REST reads of the inbox (list and one): the latest message other than a system notice,
   * its body cut to CONVERSATION_PREVIEW_MAX characters for a list row; null when there is none.
   */
  lastMessage: z
    .object({ author: MessageAuthor, authorId: z.string().nullable(), body: z.string(), private: z.boolean(), createdAt: z.string() })
    .nullable()
    .optional(),
  /** On the same reads: since when the customer has waited for a person (core/customer-waiting-since.ts); null when nobody owes them an answer. */
  customerWaitingSince: z.string().nullable().optional(),
});
export type Conversation = z.infer<typeof Conversation>;
/** How much of the latest message a list row carries. */
export const CONVERSATION_PREVIEW_MAX = 280;

/**
 * Why a conversation matched a search: a piece of the text as plain segments, the matched words
 * flagged (`match`). Customer text: render each segment as text, never as markup. `source` says
 * where it matched — `note` is a private note (the desk's own text, never the customer's view),
 * `seq` the message to scroll to.
 */
export const SearchSnippet = z.object({
  source: z.enum(['message', 'note', 'contact', 'tags']),
  seq: z.number().int().nullable(),
  segments: z.array(z.object({ text: z.string(), match: z.boolean() })),
});
export type SearchSnippet = z.infer<typeof SearchSnippet>;

/** A conversation in a list; with `q=`, also why it matched. */
export const ConversationListItem = Conversation.extend({ snippet: SearchSnippet.optional() });
export type ConversationListItem = z.infer<typeof ConversationListItem>;

export const ConversationList = z.object({
  items: z.array(ConversationListItem),
  nextCursor: z.string().nullable(),
});

/**
 * The inbox views, for the caller: `mine` (theirs, open), `unassigned` (waiting in a queue with no
 * owner — listed as the assigner takes them, urgent first, then longest waiting), `team` (with
 * people, in a team the caller is a member or lead of), `all` (not resolved or closed), `bot`
 * (with the AI agent), `resolved` (resolved or closed).
 */
export const InboxView = z.enum(['mine', 'unassigned', 'team', 'all', 'bot', 'resolved']);
export type InboxView = z.infer<typeof InboxView>;

/** Filters shared by the list and the counts (docs/api.md "Conversations"). */
export const ConversationFilterQuery = z.object({
  status: ConversationStatus.optional().describe('one status or several separated by commas'),
  queue: z.string().optional().describe('a queue id'),
  owner: z.string().optional().describe('a user id, `me`, or `none` for unowned'),
  team: z.string().optional().describe('a team id'),
  channel: z.string().optional().describe('a channel id'),
  priority: Priority.optional().describe('low, normal, high or urgent'),
  tag: z.string().min(1).optional().describe('conversations carrying this tag'),
});
export type ConversationFilterQuery = z.infer<typeof ConversationFilterQuery>;

export const ListConversationsQuery = ConversationFilterQuery.extend({
  view: InboxView.optional().describe(
    'an inbox view for the caller: mine, unassigned (urgent first, then longest waiting), team, all (open), bot, resolved; combined with the other filters',
  ),
  cursor: z.string().optional().describe('nextCursor of the previous page, with the same view and filters'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z
    .string()
    .max(200)
    .optional()
    .describe('search message text (private notes included), contact name and email, and tags; ranked, best first, each with a snippet'),
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

export const ConversationCountsQuery = ConversationFilterQuery;
export type ConversationCountsQuery = z.infer<typeof ConversationCountsQuery>;

const ViewCount = z.number().int().min(0);
/** How many conversations each view holds for the caller under the filters (one field per InboxView). */
export const ConversationCounts = z.object({
  views: z.object({ mine: ViewCount, unassigned: ViewCount, team: ViewCount, all: ViewCount, bot: ViewCount, resolved: ViewCount }),
});
export type ConversationCounts = z.infer<typeof ConversationCounts>;

export const StartConversationInput = z.strictObject({
  channel: z.string().min(1),
  contact: ContactInput,
  message: z.string().min(1),
});
export type StartConversationInput = z.infer<typeof StartConversationInput>;

/** The customer's message is answered (or handed off) synchronously; this says what happened. */
export const TurnResult = z.object({
  conversation: Conversation,
  messages: z.array(Message),
  handoff: HandoffTrace.nullable(),
});
export type TurnResult = z.infer<typeof TurnResult>;

export const PostMessageInput = z.strictObject({
  body: z.string().min(1).max(20_000),
  private: z.boolean().default(false),
});
export type PostMessageInput = z.infer<typeof PostMessageInput>;

export const MessagesQuery = z.object({ after: z.coerce.number().int().min(0).max(MAX_STORED_INTEGER).default(0) });

/** `takeOver: true` takes a conversation someone else holds (a teammate, lead or admin; audited, the holder is told). */
export const ClaimInput = z.strictObject({
  takeOver: z.boolean().default(false),
});
export type ClaimInput = z.infer<typeof ClaimInput>;

export const HandoffInput = z.strictObject({
  reason: z.string().max(500).optional(),
  note: z.string().max(5_000).optional(),
  trigger: Trigger.optional(),
  /** What the customer wants, for the person taking over (a bot's own summary); default extractive. */
  summary: z.string().min(1).max(2_000).optional(),
});
export type HandoffInput = z.infer<typeof HandoffInput>;

export const AssignInput = z
  .union([
    z.strictObject({ user: z.string().min(1), override: z.boolean().optional(), note: z.string().optional() }),
    z.strictObject({ team: z.string().min(1), note: z.string().optional() }),
    z.strictObject({ queue: z.string().min(1), note: z.string().optional() }),
  ])
  .describe('Transfer to a user, a team or a queue. `override: true` lets an admin exceed a capacity cap (audited).');
export type AssignInput = z.infer<typeof AssignInput>;

export const PatchConversationInput = z.strictObject({
  priority: Priority.optional(),
  tags: z.array(z.string().min(1)).optional(),
  properties: Properties.optional(),
});
export type PatchConversationInput = z.infer<typeof PatchConversationInput>;

export const RatingInput = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().max(2_000).optional(),
});
export type RatingInput = z.infer<typeof RatingInput>;

/**
 * The data of a `notification.enqueued` event: a notification about the conversation was enqueued
 * on a channel for these users (`notification` is its kind, e.g. `handoff.assigned`). Never the
 * notification's payload, nor a webhook's or Slack's address.
 */
export const NotificationEventData = z.object({
  channel: NotifyChannel,
  notification: z.string(),
  recipients: z.array(z.string()),
  title: z.string(),
});
export type NotificationEventData = z.infer<typeof NotificationEventData>;

/**
 * One entry of a conversation's history. `type` is dotted, past tense: `conversation.created`,
 * `conversation.assigned`, `conversation.status_changed` (to `closed` with reason `auto_close` when
 * `workspace.autoCloseAfter` passed), `conversation.continued` (the customer wrote again after it
 * closed: `data.conversationId` is the new conversation), `handoff.started`, `handoff.completed`,
 * `sla.breached`, `notification.enqueued` (NotificationEventData), and others; clients show types
 * they do not know as they are.
 */
export const ConversationEvent = z.object({
  id: z.string(),
  seq: z.number().int(),
  type: z.string(),
  actor: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  owner: z.string().nullable(),
  team: z.string().nullable(),
  queue: z.string().nullable(),
  createdAt: z.string(),
});
export type ConversationEvent = z.infer<typeof ConversationEvent>;

// ── widget ──────────────────────────────────────────────────────────────────────────────────────
export const WidgetSessionInput = z.strictObject({
  channel: z.string().min(1),
  contact: ContactInput.default({}),
});
export type WidgetSessionInput = z.infer<typeof WidgetSessionInput>;

export const WidgetSession = z.object({ token: z.string(), contactId: z.string() });
export type WidgetSession = z.infer<typeof WidgetSession>;

// A message's length is the channel's to decide (`maxMessageLength`, 413 beyond it); the request
// body limit (2 MiB) bounds what reaches the check.
export const WidgetStartInput = z.strictObject({ message: z.string().min(1).optional() });

export const WidgetMessageInput = z.strictObject({ body: z.string().min(1) });

// ── rules & simulation ──────────────────────────────────────────────────────────────────────────
export const RulesetVersion = z.object({
  version: z.number().int(),
  summary: z.string().nullable(),
  author: z.string().nullable(),
  createdAt: z.string(),
  reviewedAt: z.string().nullable(),
  /** Who marked it reviewed last (null: nobody since its author published it). */
  reviewedBy: z.string().nullable(),
  ruleset: Ruleset,
});
export type RulesetVersion = z.infer<typeof RulesetVersion>;

export const PublishInput = z.strictObject({ summary: z.string().min(1).max(500) });

export const Scenario = z.strictObject({
  name: z.string().optional(),
  channel: z.string().min(1),
  at: z.union([z.string(), z.date()]).optional(),
  contact: z
    .strictObject({
      name: z.string().nullable().optional(),
      email: z.string().nullable().optional(),
      language: LanguageTag.nullable().optional(),
      timezone: z.string().nullable().optional(),
      owner: z.string().nullable().optional(),
      properties: Properties.optional(),
    })
    .default({}),
  conversation: z
    .strictObject({
      priority: Priority.optional(),
      tags: z.array(z.string()).optional(),
      owner: z.string().nullable().optional(),
      properties: Properties.optional(),
    })
    .optional(),
  // Bounded: a simulation runs on the request (90 messages of 20,000 characters held the server 3 s).
  messages: z.array(z.string().min(1).max(20_000)).min(1).max(50),
  ruleset: z.union([z.literal('draft'), z.literal('active'), z.number().int().min(1).max(MAX_STORED_INTEGER)]).default('active'),
  agents: z.record(z.string(), AgentOverride).optional(),
  /** Workflow trigger instead of customer messages deciding (e.g. workflow_flag, sla_breach). */
  trigger: Trigger.optional(),
  expect: z
    .strictObject({
      trigger: Trigger.nullable().optional(),
      rule: z.string().optional(),
      destination: Destination.optional(),
      assignee: z.string().nullable().optional(),
      queue: z.string().nullable().optional(),
      /** `deferred`: the last message went to the channel's external assistant (llm, webhook), which the simulator does not call. */
      outcome: z.enum(['assigned', 'queued', 'kept_owner', 'answered', 'deferred']).optional(),
      language: z.string().optional(),
    })
    .optional(),
});
export type Scenario = z.infer<typeof Scenario>;

export const SimulationResult = z.object({
  at: z.string(),
  ruleset: z.union([z.literal('draft'), z.number().int()]),
  language: z.string().nullable(),
  transcript: z.array(z.object({ author: MessageAuthor, body: z.string() })),
  trace: HandoffTrace.nullable(),
  /**
   * Set when no handoff happened and the last message went to the channel's external assistant
   * (`llm`, `webhook`): its answer is not simulated (the transcript says so instead of making one up).
   */
  deferredTo: z.enum(['llm', 'webhook']).nullable(),
  expectations: z.array(z.object({ field: z.string(), expected: z.unknown(), actual: z.unknown(), ok: z.boolean() })),
  passed: z.boolean(),
});
export type SimulationResult = z.infer<typeof SimulationResult>;

// ── tasks, notifications, audit ─────────────────────────────────────────────────────────────────
export const Task = z.object({
  id: z.string(),
  conversationId: z.string().nullable(),
  type: TaskType,
  assignee: z.string().nullable(),
  team: z.string().nullable(),
  dueAt: z.string().nullable(),
  status: TaskStatus,
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type Task = z.infer<typeof Task>;

export const TasksQuery = z.object({
  assignee: z.string().optional(),
  conversation: z.string().optional().describe("only this conversation's follow-ups"),
  status: TaskStatus.optional(),
  due_before: z.iso.datetime({ offset: true }).optional(),
});

/** A follow-up a person adds by hand (rules add theirs through `then.tasks`). */
export const CreateTaskInput = z.strictObject({
  conversation: z.string().min(1).nullable().default(null),
  type: z.enum(['callback', 'internal_note']),
  /** A user id; omitted: the caller. */
  assignee: z.string().min(1).optional(),
  dueAt: z.iso.datetime({ offset: true }).nullable().default(null),
  note: z.string().max(5_000).nullable().default(null),
});

export const PatchTaskInput = z.strictObject({
  status: TaskStatus.optional(),
  assignee: z.string().nullable().optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
  note: z.string().max(5_000).optional(),
});

export const Notification = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  body: z.string(),
  conversationId: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});

export const NotificationList = z.object({ items: z.array(Notification), unread: z.number().int() });

export const ReadNotificationsInput = z.strictObject({
  ids: z.array(z.string()).optional(),
  all: z.boolean().optional(),
});

export const AuditEntry = z.object({
  id: z.string(),
  actor: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export const AuditQuery = z.object({ entity: z.string().optional(), actor: z.string().optional() });

export const ConfigApplyResult = z.object({
  applied: z.boolean(),
  revision: z.number().int(),
  rulesetVersion: z.number().int().nullable(),
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
});

export const WorkspaceDocument = WorkspaceConfig;

export const ContactsQuery = z.object({
  q: z.string().max(200).optional().describe('search contact names and emails; ranked, best first (without it: newest first)'),
  cursor: z.string().optional().describe('nextCursor of the previous page, with the same q'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ContactsQuery = z.infer<typeof ContactsQuery>;

export const ContactList = z.object({
  items: z.array(Contact),
  nextCursor: z.string().nullable(),
});
export type ContactList = z.infer<typeof ContactList>;

/** One contact, with their conversations, newest activity first (the contact page). */
export const ContactDetail = z.object({
  contact: Contact,
  createdAt: z.string(),
  conversations: z.array(Conversation),
});
export type ContactDetail = z.infer<typeof ContactDetail>;
