import type { SavedReply } from '../../contract/saved-replies-api.js';
import { renderSavedReply, type SavedReplyFacts } from '../../core/render-saved-reply.js';
import { getContact } from '../../store/repositories/contacts.js';
import { listSavedReplies as readSavedReplies } from '../../store/repositories/saved-replies.js';
import type { Principal } from '../auth/principal.js';
import type { ServiceContext } from '../context.js';
import { readConversation } from '../conversations/read-conversations.js';
import { presentSavedReply } from '../present/present-saved-reply.js';
import { personalOwnerOf, SAVED_REPLIES_PER_OWNER_MAX } from './saved-reply-access.js';

/**
 * `GET /api/saved-replies`: the shared replies and the caller's personal ones, by title. With a
 * conversation, each carries the body to insert there: in the conversation's language (else its
 * contact's, else the reply's default), the variables filled for this customer and this agent.
 */
export async function listSavedReplies(ctx: ServiceContext, principal: Principal, options: { readonly conversationId?: string } = {}): Promise<SavedReply[]> {
  const replies = await readSavedReplies(ctx.database.db, { ownerId: personalOwnerOf(principal), limit: 2 * SAVED_REPLIES_PER_OWNER_MAX });
  if (options.conversationId === undefined) return replies.map((reply) => presentSavedReply(reply));
  const facts = await factsOf(ctx, principal, options.conversationId);
  return replies.map((reply) => presentSavedReply(reply, renderSavedReply(reply, facts) ?? undefined));
}

async function factsOf(ctx: ServiceContext, principal: Principal, conversationId: string): Promise<SavedReplyFacts> {
  const conversation = await readConversation(ctx, conversationId);
  const contact = await getContact(ctx.database.db, conversation.contactId);
  const { model } = await ctx.workspace.current();
  const agentId = personalOwnerOf(principal);
  return {
    language: conversation.language ?? contact?.language ?? null,
    values: {
      'contact.name': contact?.name ?? null,
      'contact.email': contact?.email ?? null,
      'agent.name': agentId === null ? null : (model.users.get(agentId)?.name ?? null),
      'team.name': conversation.teamId === null ? null : (model.teams.get(conversation.teamId)?.name ?? null),
      'queue.name': conversation.queueId === null ? null : (model.queues.get(conversation.queueId)?.name ?? null),
    },
  };
}
