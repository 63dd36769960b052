/**
 * An agent takes a conversation. Of concurrent claims exactly one wins; the others get 409 with
 * the winner's id (RC #22206), decided by the one writer under the row lock.
 */
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { claim } from '../../store/repositories/assignments.js';
import { getChannelTypeOf, type ConversationRecord } from '../../store/repositories/conversations.js';
import { announceJoin } from './announce-join.js';
import type { ServiceContext } from '../context.js';

export async function claimConversation(
  ctx: ServiceContext,
  input: { readonly conversationId: string; readonly userId: string },
): Promise<ConversationRecord> {
  const conversation = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    const user = loaded.model.users.get(input.userId);
    if (user === undefined) throw notFound('user', input.userId);
    const now = ctx.clock.now();
    const channelType = await getChannelTypeOf(trx, input.conversationId);
    if (channelType === null) throw notFound('conversation', input.conversationId);
    const result = await claim(trx, {
      conversationId: input.conversationId,
      userId: input.userId,
      now,
      capacity: user.capacity[channelType] ?? null,
      // A claim is the agent's own choice, but the cap still holds: a manual override is an
      // admin's explicit transfer with `override: true` (PEERS: caps advisory elsewhere).
      enforceCapacity: true,
    });
    switch (result.outcome) {
      case 'claimed':
        if (result.changed) await announceJoin(trx, loaded, { conversationId: result.conversation.id, userId: input.userId, language: result.conversation.language, now });
        return result.conversation;
      case 'held':
        throw new BatonError('conflict', `conversation is held by ${result.ownerId}`, { details: [{ path: 'owner', message: result.ownerId }] });
      case 'not_claimable':
        throw new BatonError('conflict', `a ${result.status} conversation cannot be claimed`);
      case 'over_capacity':
        throw new BatonError('over_capacity', `${input.userId} is at capacity (${result.load} of ${result.capacity} open on ${channelType})`);
      case 'not_found':
        throw notFound('conversation', input.conversationId);
    }
  });
  ctx.afterCommit({ kind: 'outbox' });
  return conversation;
}
