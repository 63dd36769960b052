/**
 * CSAT 1–5 after resolution. The event snapshots owner, team and queue now, so the
 * rating is credited to who handled it, not to whoever holds it later (CW #14872).
 */
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { updateConversation, type ConversationRecord } from '../../store/repositories/conversations.js';
import { appendEvent } from '../../store/repositories/events.js';
import type { ServiceContext } from '../context.js';
import { lockConversation } from './lock-conversation.js';

export async function rateConversation(
  ctx: ServiceContext,
  input: { readonly conversationId: string; readonly score: number; readonly comment: string | null; readonly actor: string; readonly contactId?: string },
): Promise<ConversationRecord> {
  const rated = await withTransaction(ctx.database, async (trx) => {
    const current = await lockConversation(trx, input.conversationId);
    if (input.contactId !== undefined && current.contactId !== input.contactId) throw notFound('conversation', input.conversationId);
    if (current.status !== 'resolved' && current.status !== 'closed') {
      throw new BatonError('conflict', 'a conversation is rated after it is resolved');
    }
    const now = ctx.clock.now();
    const updated = await updateConversation(trx, current.id, { csatScore: input.score, csatComment: input.comment }, now);
    if (updated === null) throw notFound('conversation', input.conversationId);
    await appendEvent(trx, {
      conversationId: current.id,
      type: 'conversation.rated',
      actor: input.actor,
      data: { score: input.score, comment: input.comment, handedOff: current.handedOffAt !== null },
      now,
    });
    return updated;
  });
  ctx.afterCommit({ kind: 'outbox' });
  return rated;
}
