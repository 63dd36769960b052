import type { Executor } from '../database.js';
import { fromJson, fromJsonOr, toJson } from '../json.js';
import type { BotframeworkConversationRow } from '../schema.js';

/** A Bot Framework ChannelAccount as Baton keeps it (the bot it answers). */
export interface ChannelAccountRecord {
  readonly id: string;
  readonly name?: string | undefined;
  readonly role?: string | undefined;
}

export interface BotframeworkLinkRecord {
  readonly conversationId: string;
  readonly channelId: string;
  readonly bfConversationId: string;
  readonly bfChannelId: string | null;
  readonly serviceUrl: string;
  readonly botAccount: ChannelAccountRecord | null;
  readonly initiateActivityIds: readonly string[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** How many answered `handoff.initiate` ids are remembered per conversation (re-sends come soon after). */
const REMEMBERED_INITIATES = 50;

export function rowToBotframeworkLink(row: BotframeworkConversationRow): BotframeworkLinkRecord {
  return {
    conversationId: row.conversation_id,
    channelId: row.channel_id,
    bfConversationId: row.bf_conversation_id,
    bfChannelId: row.bf_channel_id,
    serviceUrl: row.service_url,
    botAccount: fromJson<ChannelAccountRecord>(row.bot_account),
    initiateActivityIds: fromJsonOr<string[]>(row.initiate_activity_ids, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewBotframeworkLink {
  readonly conversationId: string;
  readonly channelId: string;
  readonly bfConversationId: string;
  readonly bfChannelId: string | null;
  readonly serviceUrl: string;
  readonly botAccount: ChannelAccountRecord | null;
  readonly now: number;
}

/**
 * Claim the Bot Framework conversation for `conversationId`, or learn who has it. The unique
 * (channel, Bot Framework conversation) key decides between concurrent claims: on PostgreSQL the
 * second INSERT waits for the first transaction and then does nothing; SQLite's single writer
 * serialises them. The caller creates the conversation only when `created` is true.
 */
export async function claimBotframeworkLink(
  ex: Executor,
  input: NewBotframeworkLink,
): Promise<{ readonly link: BotframeworkLinkRecord; readonly created: boolean }> {
  const inserted = await ex
    .insertInto('botframework_conversations')
    .values({
      conversation_id: input.conversationId,
      channel_id: input.channelId,
      bf_conversation_id: input.bfConversationId,
      bf_channel_id: input.bfChannelId,
      service_url: input.serviceUrl,
      bot_account: input.botAccount === null ? null : toJson(input.botAccount),
      initiate_activity_ids: '[]',
      created_at: input.now,
      updated_at: input.now,
    })
    .onConflict((oc) => oc.columns(['channel_id', 'bf_conversation_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted !== undefined) return { link: rowToBotframeworkLink(inserted), created: true };
  const existing = await findBotframeworkLink(ex, input.channelId, input.bfConversationId);
  if (existing === null) throw new Error(`Bot Framework conversation "${input.bfConversationId}" vanished`);
  return { link: existing, created: false };
}

export async function findBotframeworkLink(ex: Executor, channelId: string, bfConversationId: string): Promise<BotframeworkLinkRecord | null> {
  const row = await ex
    .selectFrom('botframework_conversations')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('bf_conversation_id', '=', bfConversationId)
    .executeTakeFirst();
  return row === undefined ? null : rowToBotframeworkLink(row);
}

export async function getBotframeworkLink(ex: Executor, conversationId: string): Promise<BotframeworkLinkRecord | null> {
  const row = await ex.selectFrom('botframework_conversations').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
  return row === undefined ? null : rowToBotframeworkLink(row);
}

/**
 * The bot's latest address (a Connector may move a conversation to another `serviceUrl`) and one
 * more answered initiate. Call it with the link as read under the conversation's row lock: the
 * list of answered ids is written whole.
 */
export async function touchBotframeworkLink(
  ex: Executor,
  link: BotframeworkLinkRecord,
  input: { readonly serviceUrl: string; readonly botAccount: ChannelAccountRecord | null; readonly initiateActivityId?: string; readonly now: number },
): Promise<void> {
  const added = input.initiateActivityId !== undefined && !link.initiateActivityIds.includes(input.initiateActivityId);
  await ex
    .updateTable('botframework_conversations')
    .set({
      service_url: input.serviceUrl,
      ...(input.botAccount === null ? {} : { bot_account: toJson(input.botAccount) }),
      ...(added ? { initiate_activity_ids: toJson([...link.initiateActivityIds, input.initiateActivityId].slice(-REMEMBERED_INITIATES)) } : {}),
      updated_at: input.now,
    })
    .where('conversation_id', '=', link.conversationId)
    .execute();
}

/**
 * The Bot Framework conversation goes on in another Baton conversation (its own was closed):
 * the link moves, so replies and statuses go out from the new one and the closed one has none.
 * Call it under the closed conversation's row lock.
 */
export async function moveBotframeworkLink(ex: Executor, link: BotframeworkLinkRecord, toConversationId: string, now: number): Promise<BotframeworkLinkRecord> {
  const row = await ex
    .updateTable('botframework_conversations')
    .set({ conversation_id: toConversationId, updated_at: now })
    .where('conversation_id', '=', link.conversationId)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new Error(`Bot Framework link of ${link.conversationId} vanished`);
  return rowToBotframeworkLink(row);
}

/** Of `externalIds`, those the conversation already has a message for (transcript re-imports write nothing twice). */
export async function existingMessageExternalIds(ex: Executor, conversationId: string, externalIds: readonly string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows = await ex
    .selectFrom('messages')
    .select('external_id')
    .where('conversation_id', '=', conversationId)
    .where('external_id', 'in', externalIds)
    .execute();
  return new Set(rows.map((r) => r.external_id).filter((id): id is string => id !== null));
}
