/**
 * A user replies to the customer or adds an internal note. A public reply on a conversation that
 * nobody owns (with the AI agent, or waiting in a queue) takes it first — the human is now
 * talking, so the AI must stop (CW rasa-agent-bot-demo #12) and the reply counts as the first
 * human response after the handoff (measured in appendMessage).
 */
import { BatonError } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { claim } from '../../store/repositories/assignments.js';
import type { ConversationRecord } from '../../store/repositories/conversations.js';
import { appendEvent } from '../../store/repositories/events.js';
import { appendMessage, type MessageRecord } from '../../store/repositories/messages.js';
import type { ServiceContext } from '../context.js';
import { lockConversation } from './lock-conversation.js';

export async function postAgentMessage(
  ctx: ServiceContext,
  input: { readonly conversationId: string; readonly userId: string | null; readonly body: string; readonly private: boolean },
): Promise<{ message: MessageRecord; conversation: ConversationRecord }> {
  const result = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    let conversation = await lockConversation(trx, input.conversationId);
    if (conversation.status === 'closed') throw new BatonError('conflict', 'this conversation is closed');
    const now = ctx.clock.now();
    if (!input.private && input.userId !== null && conversation.ownerId === null && (conversation.status === 'bot' || conversation.status === 'queued')) {
      const user = loaded.model.users.get(input.userId);
      const taken = await claim(trx, {
        conversationId: conversation.id,
        userId: input.userId,
        now,
        reason: 'reply',
        capacity: user?.capacity[conversation.channelType] ?? null,
        enforceCapacity: true,
      });
      if (taken.outcome === 'over_capacity') throw new BatonError('over_capacity', `you are at capacity (${taken.load} of ${taken.capacity}); claim after closing one`);
      if (taken.outcome === 'held') {
        const holder = loaded.model.users.get(taken.ownerId)?.name ?? taken.ownerId;
        throw new BatonError('conflict', `${holder} is handling this conversation.`, { details: [{ path: 'owner', message: holder }] });
      }
      if (taken.outcome === 'claimed') conversation = taken.conversation;
    }
    const message = await appendMessage(trx, {
      conversationId: conversation.id,
      author: input.userId === null ? 'system' : 'user',
      authorId: input.userId,
      body: input.body,
      private: input.private,
      now,
    });
    if (message === null) throw new BatonError('not_found', `conversation "${conversation.id}" not found`);
    // The first public reply by a person since the handoff stops the first-response clock
    // (appendMessage set first_human_response_at): said once, as an event, so every open app
    // stops the badge live (a `conversation.updated` frame) — issue 16 §2: it still read
    // "59 min left to first response" after the reply.
    if (!input.private && input.userId !== null && conversation.handedOffAt !== null && conversation.firstHumanResponseAt === null) {
      const dueAt = conversation.firstResponseDueAt;
      await appendEvent(trx, {
        conversationId: conversation.id,
        type: 'sla.stopped',
        actor: input.userId,
        data: {
          handedOffAt: new Date(conversation.handedOffAt).toISOString(),
          firstHumanResponseAt: new Date(now).toISOString(),
          firstResponseDueAt: dueAt === null ? null : new Date(dueAt).toISOString(),
          met: dueAt === null || now <= dueAt,
        },
        now,
      });
    }
    return { message, conversation };
  });
  ctx.afterCommit({ kind: 'outbox' });
  return result;
}
