/**
 * A Bot Framework activity arrives at `POST /api/bots/botframework/{channel}` (docs/api.md "Bots",
 * bring your own bot). The bot speaks the standard handoff protocol:
 *
 * - `event` `handoff.initiate` (transcript attachment, context in `value`): in ONE transaction the
 *   Bot Framework conversation gets its Baton conversation (created once: a unique key decides
 *   between concurrent requests), the contact, the transcript as messages (idempotent by activity
 *   id), the context for the human, the handoff through `decideAndRecordHandoff` (the same path as every
 *   other handoff, so it notifies the same way), and the `handoff.status` `accepted` for the bot's
 *   Connector as an outbox row. The HTTP answer carries the same activity (same id).
 *   Refusals the bot should act on (unknown channel, unusable context) answer `failed`.
 * - `message` for a conversation that is with people: the customer writes (relayed by the bot).
 * - Either on a conversation that closed since (`workspace.autoCloseAfter`): the Bot Framework
 *   conversation goes on in a new Baton conversation that names the closed one, handed to people.
 * - anything else is acknowledged and ignored, as a Connector does.
 *
 * `completed` (resolve, hand back) and the agents' replies go out from the conversation's events
 * and messages (delivery/subscribers/botframework.ts).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BotHandoffContext, type BotActivity, type BotAttachment, type BotframeworkAnswer } from '../../contract/bots-api.js';
import type { Trigger } from '../../contract/common.js';
import { flattenIssues } from '../../contract/issues.js';
import { withTransaction, type Executor } from '../../store/database.js';
import {
  claimBotframeworkLink,
  existingMessageExternalIds,
  findBotframeworkLink,
  getBotframeworkLink,
  moveBotframeworkLink,
  touchBotframeworkLink,
  type BotframeworkLinkRecord,
  type ChannelAccountRecord,
} from '../../store/repositories/botframework-conversations.js';
import { findOrCreateContactByExternalId, getContact, updateContact, type ContactRecord } from '../../store/repositories/contacts.js';
import { createConversation, getConversationForUpdate, updateConversation, type ConversationRecord } from '../../store/repositories/conversations.js';
import { appendEvent } from '../../store/repositories/events.js';
import { appendMessage } from '../../store/repositories/messages.js';
import { decideAndRecordHandoff } from '../handoff/decide-and-record-handoff.js';
import { enqueueBotframeworkActivity, handoffStatusActivity, type BotframeworkAddress } from './botframework-activities.js';
import type { ServiceContext } from '../context.js';
import { customerTurn } from '../conversations/receive-customer-message.js';

export const HANDOFF_INITIATE = 'handoff.initiate';
/** The transcript attachment of the handoff protocol; botbuilder-js's EventFactory sends `application/json` named `Transcript`. */
export const TRANSCRIPT_CONTENT_TYPE = 'application/vnd.microsoft.activity.transcript';

/** A transcript entry: only what becomes a message is read. */
const TranscriptActivity = z.looseObject({
  type: z.string(),
  id: z.string().min(1).max(500).optional(),
  text: z.string().max(100_000).optional(),
  timestamp: z.string().optional(),
  from: z.looseObject({ id: z.string().optional(), name: z.string().optional(), role: z.string().optional() }).optional(),
});
type TranscriptActivity = z.infer<typeof TranscriptActivity>;
const TranscriptContent = z.union([z.array(TranscriptActivity), z.looseObject({ activities: z.array(TranscriptActivity) })]);

/** A refusal the bot is told about in `handoff.status` `failed`. */
class HandoffRefused extends Error {}

export async function receiveBotframeworkActivity(
  ctx: ServiceContext,
  input: { readonly channelId: string; readonly activity: BotActivity },
): Promise<BotframeworkAnswer> {
  const { activity } = input;
  if (activity.type === 'event' && activity.name === HANDOFF_INITIATE) return initiateHandoff(ctx, input.channelId, activity);
  if (activity.type === 'message') await relayCustomerMessage(ctx, input.channelId, activity);
  return { id: activity.id };
}

function addressOf(channelId: string, activity: BotActivity): BotframeworkAddress {
  return {
    channelId,
    bfChannelId: activity.channelId ?? null,
    bfConversationId: activity.conversation.id,
    serviceUrl: activity.serviceUrl,
    botAccount: botAccountOf(activity),
  };
}

/** The bot: `relatesTo.bot` (EventFactory sets it), else the activity's recipient. */
function botAccountOf(activity: BotActivity): ChannelAccountRecord | null {
  const account = activity.relatesTo?.bot ?? activity.recipient;
  return account === undefined ? null : { id: account.id, ...(account.name === undefined ? {} : { name: account.name }), ...(account.role === undefined ? {} : { role: account.role }) };
}

/**
 * The id of the status answering one initiate: fixed, so the HTTP answer and every delivery
 * attempt agree. Activity ids are unique within a conversation only, so the conversation is in it.
 */
function statusId(activity: BotActivity, state: 'accepted' | 'failed'): string {
  return `baton-${state}-${createHash('sha256').update(`${activity.conversation.id}\n${activity.id}`).digest('hex').slice(0, 24)}`;
}

async function initiateHandoff(ctx: ServiceContext, channelId: string, activity: BotActivity): Promise<BotframeworkAnswer> {
  const address = addressOf(channelId, activity);
  try {
    const { model } = await ctx.workspace.current();
    if (!model.channels.has(channelId)) throw new HandoffRefused(`unknown channel "${channelId}"`);
    const context = parseContext(activity.value);
    const transcript = parseTranscript(activity.attachments ?? []);
    const accepted = await withTransaction(ctx.database, (trx) => handOffInTransaction(trx, ctx, { channelId, activity, address, context, transcript }));
    ctx.afterCommit({ kind: 'outbox' });
    return accepted;
  } catch (error) {
    if (!(error instanceof HandoffRefused)) throw error;
    // Nothing was stored; the bot still hears it on its Connector, like every other status.
    const now = ctx.clock.now();
    const failed = handoffStatusActivity(address, { id: statusId(activity, 'failed'), state: 'failed', message: error.message, replyToId: activity.id, now });
    await withTransaction(ctx.database, (trx) =>
      enqueueBotframeworkActivity(trx, {
        address,
        conversationId: null,
        idempotencyKey: `botframework:${channelId}:${activity.conversation.id}:handoff.status:failed:${activity.id}`,
        activity: failed,
        now,
      }),
    );
    ctx.afterCommit({ kind: 'outbox' });
    return failed;
  }
}

function parseContext(value: unknown): BotHandoffContext {
  if (value === undefined || value === null) return {};
  const parsed = BotHandoffContext.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = flattenIssues(parsed.error.issues, ['value']).map((d) => `${d.path}: ${d.message}`);
  throw new HandoffRefused(`the handoff context is not usable: ${problems.join('; ')}`);
}

function isTranscript(attachment: BotAttachment): boolean {
  const type = attachment.contentType.toLowerCase();
  if (type === TRANSCRIPT_CONTENT_TYPE) return true;
  return type === 'application/json' && (attachment.name?.toLowerCase() === 'transcript' || TranscriptContent.safeParse(attachment.content).success);
}

function parseTranscript(attachments: readonly BotAttachment[]): TranscriptActivity[] {
  const activities: TranscriptActivity[] = [];
  for (const [index, attachment] of attachments.entries()) {
    if (!isTranscript(attachment)) continue;
    const parsed = TranscriptContent.safeParse(attachment.content);
    if (!parsed.success) {
      const problems = flattenIssues(parsed.error.issues, [`attachments.${index}.content`]).map((d) => `${d.path}: ${d.message}`);
      throw new HandoffRefused(`the transcript attachment must hold activities: ${problems.slice(0, 5).join('; ')}`);
    }
    activities.push(...(Array.isArray(parsed.data) ? parsed.data : parsed.data.activities));
  }
  return activities;
}

interface HandOffInput {
  readonly channelId: string;
  readonly activity: BotActivity;
  readonly address: BotframeworkAddress;
  readonly context: BotHandoffContext;
  readonly transcript: readonly TranscriptActivity[];
}

async function handOffInTransaction(trx: Executor, ctx: ServiceContext, input: HandOffInput): Promise<BotframeworkAnswer> {
  const { activity, context, address } = input;
  const loaded = await ctx.workspace.current(trx);
  const channel = loaded.model.channels.get(input.channelId);
  if (channel === undefined) throw new HandoffRefused(`unknown channel "${input.channelId}"`);
  const now = ctx.clock.now();

  // The link first, with the id the conversation will have: a concurrent initiate for the same
  // Bot Framework conversation waits on the unique key and then finds this one (RC #38148).
  const claimed = await claimBotframeworkLink(trx, {
    conversationId: ctx.createId(),
    channelId: channel.id,
    bfConversationId: activity.conversation.id,
    bfChannelId: address.bfChannelId,
    serviceUrl: address.serviceUrl,
    botAccount: address.botAccount,
    now,
  });
  const accepted = handoffStatusActivity(address, { id: statusId(activity, 'accepted'), state: 'accepted', replyToId: activity.id, now });

  let link = claimed.link;
  let conversation: ConversationRecord;
  let contact: ContactRecord;
  if (claimed.created) {
    contact = await contactFor(trx, activity, context, now);
    conversation = await createConversation(trx, {
      id: link.conversationId,
      channelId: channel.id,
      channelType: channel.type,
      contactId: contact.id,
      language: context.language ?? contact.language,
      now,
    });
    await appendEvent(trx, { conversationId: conversation.id, type: 'conversation.created', actor: 'assistant', data: { channel: channel.id, botframework: { conversationId: activity.conversation.id, channelId: address.bfChannelId } }, now });
  } else {
    const locked = await getConversationForUpdate(trx, link.conversationId);
    if (locked === null) throw new Error(`Bot Framework link to a missing conversation ${link.conversationId}`);
    conversation = locked;
    // Read again under the conversation's lock: another initiate may have committed while this
    // one waited for it, and its answered id must not be lost (a lost update would let a re-sent
    // initiate act twice).
    link = (await getBotframeworkLink(trx, link.conversationId)) ?? link;
    if (link.initiateActivityIds.includes(activity.id)) {
      // The same initiate again (the bot retried after a timeout): answered already.
      return accepted;
    }
    contact = await contactFor(trx, activity, context, now);
    if (conversation.status === 'closed') ({ conversation, link } = await continueClosed(trx, { closed: conversation, link, contact, channelType: channel.type, activity, now }));
  }

  const lastCustomerText = await importTranscript(trx, conversation, contact, activity, input.transcript, now);
  conversation =
    (await updateConversation(
      trx,
      conversation.id,
      {
        lastActivityAt: now,
        ...(context.priority === undefined ? {} : { priority: context.priority }),
        ...(context.tags === undefined ? {} : { tags: [...new Set([...conversation.tags, ...context.tags])] }),
        ...(context.language === undefined ? {} : { language: context.language }),
        ...(context.intent === undefined ? {} : { intent: context.intent }),
        ...(context.skill === undefined && context.conversationProperties === undefined
          ? {}
          : { properties: { ...conversation.properties, ...context.conversationProperties, ...(context.skill === undefined ? {} : { skill: context.skill }) } }),
      },
      now,
    )) ?? conversation;

  const note = contextNote(context);
  await appendMessage(trx, {
    conversationId: conversation.id,
    author: 'system',
    body: note,
    private: true,
    data: { kind: 'botframework_context', activityId: activity.id, context },
    now,
  });

  // With the AI agent (new, handed back) or resolved: hand off. Already with people: a second
  // initiate adds its transcript and context, and does not re-route someone's conversation.
  if (conversation.status === 'bot' || conversation.status === 'resolved') {
    const trigger: Trigger = context.trigger ?? 'customer_requested_human';
    const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
      conversationId: conversation.id,
      trigger,
      // The bot asked for people: a handoff that no rule takes goes to the fallback, never dropped.
      soft: false,
      note: context.summary ?? 'handed off by a Bot Framework bot',
      messageText: lastCustomerText ?? '',
      actor: 'assistant',
      language: context.language ?? null,
      intent: context.intent ?? null,
    });
    if (handed.outcome !== 'handed_off') throw new Error(`Bot Framework handoff of ${conversation.id} failed: ${handed.outcome}`);
  }

  await touchBotframeworkLink(trx, link, { serviceUrl: address.serviceUrl, botAccount: address.botAccount, initiateActivityId: activity.id, now });
  await enqueueBotframeworkActivity(trx, {
    address,
    conversationId: conversation.id,
    idempotencyKey: `${conversation.id}:botframework:handoff.status:accepted:${activity.id}`,
    activity: accepted,
    now,
  });
  return accepted;
}

/**
 * A closed conversation is never reopened (a resolved one is): the Bot Framework conversation goes
 * on in a new one that names it (`previousConversationId`), the closed one records where it went
 * (`conversation.continued`, as on every channel), and the link moves to the new one.
 */
async function continueClosed(
  trx: Executor,
  input: {
    readonly closed: ConversationRecord;
    readonly link: BotframeworkLinkRecord;
    readonly contact: ContactRecord;
    readonly channelType: ConversationRecord['channelType'];
    readonly activity: BotActivity;
    readonly now: number;
  },
): Promise<{ readonly conversation: ConversationRecord; readonly link: BotframeworkLinkRecord }> {
  const { closed, activity, now } = input;
  const conversation = await createConversation(trx, {
    channelId: closed.channelId,
    channelType: input.channelType,
    contactId: input.contact.id,
    language: closed.language,
    subject: closed.subject,
    previousConversationId: closed.id,
    now,
  });
  await appendEvent(trx, {
    conversationId: conversation.id,
    type: 'conversation.created',
    actor: 'assistant',
    data: { channel: closed.channelId, previousConversationId: closed.id, botframework: { conversationId: activity.conversation.id, channelId: input.link.bfChannelId } },
    now,
  });
  await appendEvent(trx, { conversationId: closed.id, type: 'conversation.continued', actor: 'assistant', data: { conversationId: conversation.id }, now });
  return { conversation, link: await moveBotframeworkLink(trx, input.link, conversation.id, now) };
}

/** The customer, one contact per Bot Framework user (`botframework:<channelId>:<from.id>`), with what the context says of them. */
async function contactFor(trx: Executor, activity: BotActivity, context: BotHandoffContext, now: number): Promise<ContactRecord> {
  const name = context.contact?.name ?? activity.from.name ?? null;
  const { contact, created } = await findOrCreateContactByExternalId(trx, {
    externalId: `botframework:${activity.channelId ?? 'unknown'}:${activity.from.id}`,
    name,
    email: context.contact?.email ?? null,
    language: context.contact?.language ?? context.language ?? null,
    properties: context.properties ?? {},
    now,
  });
  if (created) return contact;
  const updated = await updateContact(
    trx,
    contact.id,
    {
      ...(name === null || name === contact.name ? {} : { name }),
      ...(context.contact?.email === undefined ? {} : { email: context.contact.email }),
      ...(context.contact?.language === undefined ? {} : { language: context.contact.language }),
      ...(context.properties === undefined ? {} : { properties: { ...contact.properties, ...context.properties } }),
    },
    now,
  );
  return updated ?? contact;
}

/**
 * The transcript's `message` activities as messages, oldest first, with their own times: the
 * customer's (`from.role` `user`, or the initiating user) by the contact, the bot's by the AI
 * agent. An activity already imported (same id) is skipped. Returns the customer's last text.
 */
async function importTranscript(
  trx: Executor,
  conversation: ConversationRecord,
  contact: ContactRecord,
  initiate: BotActivity,
  transcript: readonly TranscriptActivity[],
  now: number,
): Promise<string | null> {
  const entries = transcript
    .filter((a) => a.type === 'message' && a.text !== undefined && a.text.trim() !== '')
    .map((a, index) => {
      const parsed = a.timestamp === undefined ? Number.NaN : Date.parse(a.timestamp);
      // Never in the future: a bot's clock does not reorder Baton's own messages.
      const at = Number.isNaN(parsed) ? now : Math.min(parsed, now);
      const fromUser = a.from?.role === 'user' || (a.from?.role !== 'bot' && a.from?.id === initiate.from.id);
      const externalId = `bf:${a.id ?? createHash('sha256').update(`${a.timestamp ?? ''}\n${a.from?.id ?? ''}\n${a.text ?? ''}`).digest('hex').slice(0, 32)}`;
      return { text: a.text ?? '', at, fromUser, externalId, index };
    })
    .sort((x, y) => x.at - y.at || x.index - y.index);
  const existing = await existingMessageExternalIds(trx, conversation.id, entries.map((e) => e.externalId));
  let lastCustomerText: string | null = null;
  for (const entry of entries) {
    if (entry.fromUser) lastCustomerText = entry.text;
    if (existing.has(entry.externalId)) continue;
    existing.add(entry.externalId);
    await appendMessage(trx, {
      conversationId: conversation.id,
      author: entry.fromUser ? 'contact' : 'assistant',
      authorId: entry.fromUser ? contact.id : null,
      body: entry.text,
      externalId: entry.externalId,
      data: { source: 'botframework_transcript' },
      now: entry.at,
    });
  }
  return lastCustomerText;
}

/** What the human reads first: the bot's summary and the context it handed over. */
function contextNote(context: BotHandoffContext): string {
  const lines = ['Handed off by the Bot Framework bot.'];
  if (context.summary !== undefined) lines.push(`Summary: ${context.summary}`);
  if (context.trigger !== undefined) lines.push(`Reason: ${context.trigger.replace(/_/g, ' ')}`);
  if (context.skill !== undefined) lines.push(`Skill: ${context.skill}`);
  if (context.intent !== undefined) lines.push(`Intent: ${context.intent}`);
  if (context.priority !== undefined) lines.push(`Priority: ${context.priority}`);
  if (context.language !== undefined) lines.push(`Language: ${context.language}`);
  const properties = Object.entries(context.properties ?? {});
  if (properties.length > 0) lines.push(`Contact: ${properties.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  return lines.join('\n');
}

/**
 * A `message` the bot relays while people have the conversation: the customer writes (reopening
 * a resolved one; continuing a closed one in a new conversation). While the conversation is with
 * the AI agent the bot is that agent, so Baton keeps out. Idempotent by activity id.
 */
async function relayCustomerMessage(ctx: ServiceContext, channelId: string, activity: BotActivity): Promise<void> {
  const text = activity.text?.trim() ?? '';
  if (text === '' || activity.from.role === 'bot') return;
  const found = await findBotframeworkLink(ctx.database.db, channelId, activity.conversation.id);
  if (found === null) return;
  const written = await withTransaction(ctx.database, async (trx) => {
    const locked = await getConversationForUpdate(trx, found.conversationId);
    if (locked === null || locked.status === 'bot') return false;
    const externalId = `bf:${activity.id}`;
    if ((await existingMessageExternalIds(trx, locked.id, [externalId])).size > 0) return false;
    const loaded = await ctx.workspace.current(trx);
    let link = (await getBotframeworkLink(trx, locked.id)) ?? found;
    if (locked.status === 'closed') {
      // The bot still relays as if people had it, long after the conversation closed: the
      // customer is not dropped. A new conversation that names the closed one, handed to people.
      const contact = await getContact(trx, locked.contactId);
      if (contact === null) throw new Error(`conversation ${locked.id} has no contact`);
      const now = ctx.clock.now();
      const continued = await continueClosed(trx, { closed: locked, link, contact, channelType: loaded.model.channels.get(channelId)?.type ?? locked.channelType, activity, now });
      link = continued.link;
      await appendMessage(trx, { conversationId: continued.conversation.id, author: 'contact', authorId: contact.id, body: activity.text ?? text, externalId, now });
      const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
        conversationId: continued.conversation.id,
        trigger: 'customer_requested_human',
        soft: false,
        note: 'the Bot Framework bot relayed a message to a closed conversation',
        messageText: activity.text ?? text,
        actor: 'assistant',
        language: null,
        intent: null,
      });
      if (handed.outcome !== 'handed_off') throw new Error(`Bot Framework handoff of ${continued.conversation.id} failed: ${handed.outcome}`);
    } else {
      await customerTurn(trx, ctx, loaded, locked, activity.text ?? text, externalId);
    }
    await touchBotframeworkLink(trx, link, { serviceUrl: activity.serviceUrl, botAccount: botAccountOf(activity), now: ctx.clock.now() });
    return true;
  });
  if (written) {
    ctx.afterCommit({ kind: 'outbox' });
    ctx.afterCommit({ kind: 'assign_waiting' });
  }
}
