/**
 * An agent takes a conversation. Of concurrent claims exactly one wins; the others get 409 naming
 * the winner (RC #22206), decided by the one writer under the row lock. A conversation someone
 * else holds is taken only explicitly (`takeOver`), by whom the ownership policy allows
 * (core/ownership.ts: its team, its leads, admins); the take over is audited and the previous
 * holder is told through the outbox, in the same transaction.
 */
import type { OwnershipViewer } from '../../core/ownership.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { claim } from '../../store/repositories/assignments.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { getContact } from '../../store/repositories/contacts.js';
import type { ConversationRecord } from '../../store/repositories/conversations.js';
import { announceJoin } from './announce-join.js';
import { lockConversation } from './lock-conversation.js';
import { displayNameOf, requireOwnership } from './require-ownership.js';
import type { ServiceContext } from '../context.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';

export async function claimConversation(
  ctx: ServiceContext,
  input: { readonly conversationId: string; readonly userId: string; readonly isAdmin: boolean; readonly takeOver?: boolean },
): Promise<ConversationRecord> {
  const conversation = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    const model = loaded.model;
    const user = model.users.get(input.userId);
    if (user === undefined) throw notFound('user', input.userId);
    const viewer: OwnershipViewer = { userId: input.userId, isAdmin: input.isAdmin };
    const current = await lockConversation(trx, input.conversationId);
    // A take over of a conversation nobody else holds is a plain claim.
    const takingOver = input.takeOver === true && current.ownerId !== null && current.ownerId !== input.userId;
    requireOwnership(model, current, viewer, takingOver ? 'take_over' : 'claim');
    const now = ctx.clock.now();
    const result = await claim(trx, {
      conversationId: current.id,
      userId: input.userId,
      now,
      capacity: user.capacity[current.channelType] ?? null,
      // A claim is the agent's own choice, but the cap still holds: a manual override is an
      // admin's explicit transfer with `override: true` (caps are advisory elsewhere).
      enforceCapacity: true,
      ...(takingOver && current.ownerId !== null ? { takeOverFrom: current.ownerId, reason: 'take_over' } : {}),
    });
    switch (result.outcome) {
      case 'claimed':
        if (result.changed) await announceJoin(trx, loaded, { conversationId: result.conversation.id, userId: input.userId, language: result.conversation.language, now });
        if (takingOver && result.changed && current.ownerId !== null) {
          const previous = current.ownerId;
          await appendAudit(trx, {
            actor: input.userId,
            action: 'conversation.taken_over',
            entity: 'conversation',
            entityId: current.id,
            data: { from: previous, to: input.userId, status: current.status },
            now,
          });
          const contact = await getContact(trx, current.contactId);
          const customer = contact?.name ?? contact?.email ?? 'a customer';
          await enqueueNotification(trx, {
            channel: 'in_app',
            idempotencyKey: `${current.id}:notify.in_app:take_over:${result.conversation.version}`,
            payload: {
              conversationId: current.id,
              recipients: [previous],
              type: 'conversation.taken_over',
              title: `${user.name} took over your conversation with ${customer}`,
              body: `${user.name} is handling it now; it is no longer in your inbox.`,
              data: { from: previous, to: input.userId },
            },
            now,
          });
        }
        return result.conversation;
      case 'held':
        throw new BatonError('conflict', `${displayNameOf(model, result.ownerId)} is handling this conversation.`, {
          details: [{ path: 'owner', message: displayNameOf(model, result.ownerId) }],
        });
      case 'not_claimable':
        throw new BatonError('conflict', `A ${result.status} conversation cannot be claimed.`);
      case 'over_capacity':
        throw new BatonError('over_capacity', `${user.name} is at capacity (${result.load} of ${result.capacity} open on ${current.channelType}).`);
      case 'not_found':
        throw notFound('conversation', input.conversationId);
    }
  });
  ctx.afterCommit({ kind: 'outbox' });
  return conversation;
}
