/**
 * Bot Framework conversations hear what the humans did: when a conversation that a
 * bot handed off is resolved — or handed back to the AI agent — the bot gets `handoff.status`
 * `completed` and has the conversation again; an agent's public reply is relayed to it as a
 * `message` activity. Each is a `deliver.botframework` row written in the same transaction as the
 * publish job's "done", keyed by the event or message sequence, so
 * it is enqueued exactly once however often the job runs.
 */
import type { ConversationStatus } from '../../contract/common.js';
import { enqueueBotframeworkActivity, handoffStatusActivity, messageActivity, type BotframeworkAddress } from '../../services/bots/botframework-activities.js';
import type { ServiceContext } from '../../services/context.js';
import { getBotframeworkLink, type BotframeworkLinkRecord } from '../../store/repositories/botframework-conversations.js';
import type { Subscriber } from './subscriber.js';

/** Statuses in which people are done and the bot has the conversation again. */
const COMPLETED: Readonly<Partial<Record<ConversationStatus, string>>> = {
  resolved: 'resolved by an agent',
  bot: 'handed back to the bot',
};

function addressOf(link: BotframeworkLinkRecord): BotframeworkAddress {
  return {
    channelId: link.channelId,
    bfChannelId: link.bfChannelId,
    bfConversationId: link.bfConversationId,
    serviceUrl: link.serviceUrl,
    botAccount: link.botAccount,
  };
}

export function botframeworkSubscriber(ctx: ServiceContext): Subscriber {
  return {
    name: 'botframework',
    async onEvent(trx, event, now) {
      if (event.type !== 'conversation.status_changed') return;
      const to = event.data.to as ConversationStatus | undefined;
      const message = to === undefined ? undefined : COMPLETED[to];
      if (message === undefined) return;
      const link = await getBotframeworkLink(trx, event.conversationId);
      if (link === null) return;
      const id = `baton-completed-${event.conversationId}-${event.seq}`;
      await enqueueBotframeworkActivity(trx, {
        address: addressOf(link),
        conversationId: event.conversationId,
        idempotencyKey: `${event.conversationId}:botframework:handoff.status:completed:${event.seq}`,
        activity: handoffStatusActivity(addressOf(link), { id, state: 'completed', message, now: event.createdAt }),
        now,
      });
    },
    async onMessage(trx, message, now) {
      // People's public replies only: never internal notes, never the customer's own words back.
      if (message.author !== 'user' || message.private) return;
      const link = await getBotframeworkLink(trx, message.conversationId);
      if (link === null) return;
      const { model } = await ctx.workspace.current(trx);
      const authorName = message.authorId === null ? null : (model.users.get(message.authorId)?.name ?? null);
      await enqueueBotframeworkActivity(trx, {
        address: addressOf(link),
        conversationId: message.conversationId,
        idempotencyKey: `${message.conversationId}:botframework:message:${message.seq}`,
        activity: messageActivity(addressOf(link), { id: `baton-message-${message.id}`, text: message.body, authorName, now: message.createdAt }),
        now,
      });
    },
  };
}
