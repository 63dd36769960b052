/**
 * What Baton sends a Bot Framework bot, and how: activities in the Bot Connector REST shape, each
 * an outbox row (`deliver.botframework`) written in the transaction of the fact it reports —
 * the handoff, the resolve, the agent's reply. The row's payload fixes the activity, id included, so every attempt sends the same
 * bytes and a bot de-duplicates a retry by `activity.id`.
 */
import type { HandoffState, HandoffStatusActivity } from '../../contract/bots-api.js';
import type { Executor } from '../../store/database.js';
import type { ChannelAccountRecord } from '../../store/repositories/botframework-conversations.js';
import { enqueue } from '../../store/repositories/outbox.js';
import { iso } from '../present/present-conversation.js';

export const BOTFRAMEWORK_DELIVERY = 'deliver.botframework';

/** Where a Bot Framework conversation is answered. */
export interface BotframeworkAddress {
  readonly channelId: string;
  readonly bfChannelId: string | null;
  readonly bfConversationId: string;
  readonly serviceUrl: string;
  readonly botAccount: ChannelAccountRecord | null;
}

/** The payload of a `deliver.botframework` row (parsed again by the job, delivery/botframework-jobs.ts). */
export interface BotframeworkDeliveryPayload {
  readonly url: string;
  /** The Baton conversation, or null when none was created (a failed initiate). */
  readonly conversationId: string | null;
  /** `handoff.status` or `message`, for the deliveries list. */
  readonly type: string;
  readonly activity: Readonly<Record<string, unknown>>;
}

/** Bot Connector REST "Send to conversation": `POST {serviceUrl}/v3/conversations/{conversationId}/activities`. */
export function activitiesUrl(address: Pick<BotframeworkAddress, 'serviceUrl' | 'bfConversationId'>): string {
  return `${address.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(address.bfConversationId)}/activities`;
}

/** Baton as the sender: the agent hub the bot handed off to. */
function batonAccount(address: BotframeworkAddress): { id: string; name: string } {
  return { id: `baton:${address.channelId}`, name: 'Baton' };
}

/** `EventFactory.createHandoffStatus` with Baton's addressing and a fixed id. */
export function handoffStatusActivity(
  address: BotframeworkAddress,
  input: { readonly id: string; readonly state: HandoffState; readonly message?: string; readonly replyToId?: string; readonly now: number },
): HandoffStatusActivity {
  return {
    type: 'event',
    name: 'handoff.status',
    id: input.id,
    timestamp: iso(input.now),
    ...(address.bfChannelId === null ? {} : { channelId: address.bfChannelId }),
    serviceUrl: address.serviceUrl,
    conversation: { id: address.bfConversationId },
    from: batonAccount(address),
    ...(address.botAccount === null ? {} : { recipient: { ...address.botAccount } }),
    ...(input.replyToId === undefined ? {} : { replyToId: input.replyToId }),
    value: { state: input.state, ...(input.message === undefined ? {} : { message: input.message }) },
  };
}

/** An agent's public reply, relayed as a `message` activity. */
export function messageActivity(
  address: BotframeworkAddress,
  input: { readonly id: string; readonly text: string; readonly authorName: string | null; readonly now: number },
): Record<string, unknown> & { readonly type: 'message' } {
  return {
    type: 'message' as const,
    id: input.id,
    timestamp: iso(input.now),
    ...(address.bfChannelId === null ? {} : { channelId: address.bfChannelId }),
    serviceUrl: address.serviceUrl,
    conversation: { id: address.bfConversationId },
    from: { ...batonAccount(address), ...(input.authorName === null ? {} : { name: input.authorName }) },
    ...(address.botAccount === null ? {} : { recipient: { ...address.botAccount } }),
    text: input.text,
    textFormat: 'plain',
  };
}

/** Enqueue one activity for the bot's Connector; the same key enqueues once. */
export async function enqueueBotframeworkActivity(
  trx: Executor,
  input: {
    readonly address: BotframeworkAddress;
    readonly conversationId: string | null;
    readonly idempotencyKey: string;
    readonly activity: Readonly<Record<string, unknown>> & { readonly type: string; readonly name?: string };
    readonly now: number;
  },
): Promise<void> {
  const payload: BotframeworkDeliveryPayload = {
    url: activitiesUrl(input.address),
    conversationId: input.conversationId,
    type: input.activity.name ?? input.activity.type,
    activity: input.activity,
  };
  await enqueue(trx, { kind: BOTFRAMEWORK_DELIVERY, idempotencyKey: input.idempotencyKey, payload, now: input.now });
}
