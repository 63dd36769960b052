/**
 * Bot Framework shapes (docs/api.md "Bots"): the activities a bot POSTs to
 * `/api/bots/botframework/{channel}` and the `handoff.status` event Baton answers with. Only the
 * fields Baton reads are checked; an activity carries many more (entities, channelData,
 * localTimezone …), so the objects are loose — an unknown field is kept, never refused
 * (Bot Framework Activity schema: receivers ignore what they do not understand).
 */
import { z } from 'zod';
import { LanguageTag, Priority, Trigger } from './common.js';
import { Properties } from './api.js';

export const ChannelAccount = z.looseObject({
  id: z.string().min(1).max(500),
  name: z.string().max(500).optional(),
  /** `user` or `bot` (Activity schema). */
  role: z.string().max(50).optional(),
});
export type ChannelAccount = z.infer<typeof ChannelAccount>;

export const ConversationAccount = z.looseObject({ id: z.string().min(1).max(500), name: z.string().max(500).optional() });

export const BotAttachment = z.looseObject({
  contentType: z.string().min(1).max(200),
  content: z.unknown().optional(),
  contentUrl: z.string().max(2_000).optional(),
  name: z.string().max(500).optional(),
});
export type BotAttachment = z.infer<typeof BotAttachment>;

/**
 * One activity. `id`, `serviceUrl`, `conversation` and `from` are required: a Bot Connector always
 * sets them, and Baton needs them to answer and to stay idempotent.
 */
export const BotActivity = z.looseObject({
  type: z.string().min(1).max(100),
  id: z.string().min(1).max(500),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  /** Where the bot's Connector takes activities (`{serviceUrl}/v3/conversations/{id}/activities`). */
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2_000),
  channelId: z.string().max(100).optional(),
  from: ChannelAccount,
  conversation: ConversationAccount,
  recipient: ChannelAccount.optional(),
  name: z.string().max(200).optional(),
  value: z.unknown().optional(),
  attachments: z.array(BotAttachment).max(50).optional(),
  text: z.string().max(100_000).optional(),
  replyToId: z.string().max(500).optional(),
  relatesTo: z.looseObject({ bot: ChannelAccount.optional() }).optional(),
});
export type BotActivity = z.infer<typeof BotActivity>;

export const BotChannelParams = z.object({ channel: z.string().min(1).max(64) });

/** The triggers a bot may name for its handoff (`sla_breach` and `no_assistant` are Baton's own). */
export const BotHandoffTrigger = Trigger.extract(['customer_requested_human', 'unsupported_topic', 'intent_or_keyword', 'workflow_flag', 'negative_sentiment']);

/**
 * The agent-hub context of `handoff.initiate` (its `value`): what the human should see and what
 * the rules may read. Other fields are kept on the context note as they came.
 */
export const BotHandoffContext = z.looseObject({
  /** Default `customer_requested_human`: the bot asks for a person on the customer's behalf. */
  trigger: BotHandoffTrigger.optional(),
  /** Kept as the conversation property `skill` (rules: `conversation.skill`). */
  skill: z.string().min(1).max(100).optional(),
  priority: Priority.optional(),
  summary: z.string().max(4_000).optional(),
  intent: z.string().min(1).max(100).optional(),
  language: LanguageTag.optional(),
  tags: z.array(z.string().min(1).max(50)).max(20).optional(),
  /** The contact's properties (rules: `contact.<name>`), merged into what Baton has. */
  properties: Properties.optional(),
  /** Conversation properties (rules: `conversation.<name>`). */
  conversationProperties: Properties.optional(),
  contact: z
    .looseObject({ name: z.string().max(200).optional(), email: z.email().optional(), language: LanguageTag.optional() })
    .optional(),
});
export type BotHandoffContext = z.infer<typeof BotHandoffContext>;

export const HandoffState = z.enum(['accepted', 'failed', 'completed']);
export type HandoffState = z.infer<typeof HandoffState>;

/** `EventFactory.createHandoffStatus(conversation, state, message)`, addressed back to the bot. */
export const HandoffStatusActivity = z.object({
  type: z.literal('event'),
  name: z.literal('handoff.status'),
  /** Fixed per fact: the HTTP answer and every delivery attempt carry the same id. */
  id: z.string(),
  timestamp: z.string(),
  channelId: z.string().optional(),
  serviceUrl: z.string().optional(),
  conversation: z.object({ id: z.string() }),
  from: z.object({ id: z.string(), name: z.string() }),
  recipient: ChannelAccount.optional(),
  replyToId: z.string().optional(),
  value: z.object({ state: HandoffState, message: z.string().optional() }),
});
export type HandoffStatusActivity = z.infer<typeof HandoffStatusActivity>;

/** The Bot Connector's answer to any other activity (`ResourceResponse`). */
export const ResourceResponse = z.object({ id: z.string() });

export const BotframeworkAnswer = z.union([HandoffStatusActivity, ResourceResponse]);
export type BotframeworkAnswer = z.infer<typeof BotframeworkAnswer>;
