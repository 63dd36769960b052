/**
 * Back to the queue: no owner, waiting again in its queue (or team). An agent releases only their
 * own conversation (so a release never undoes someone else's claim); an admin any. A conversation
 * that never had a queue goes through the fallback rule instead — never nowhere (CW #4271).
 */
import { BatonError } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { releaseToQueue } from '../../store/repositories/assignments.js';
import type { ConversationRecord } from '../../store/repositories/conversations.js';
import { decideAndRecordHandoff } from '../handoff/decide-and-record-handoff.js';
import type { ServiceContext } from '../context.js';
import { lockConversation } from './lock-conversation.js';

export async function releaseConversation(
  ctx: ServiceContext,
  input: { readonly conversationId: string; readonly actor: string; readonly userId: string | null; readonly isAdmin: boolean },
): Promise<ConversationRecord> {
  const conversation = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    const current = await lockConversation(trx, input.conversationId);
    if (!input.isAdmin && current.ownerId !== input.userId) {
      throw new BatonError('forbidden', current.ownerId === null ? 'nobody owns this conversation' : `only ${current.ownerId} or an admin may release it`);
    }
    const now = ctx.clock.now();
    const released = await releaseToQueue(trx, {
      conversationId: current.id,
      reason: 'release',
      actor: input.actor,
      now,
      expect: { ownerId: current.ownerId },
    });
    switch (released.outcome) {
      case 'released':
        return released.conversation;
      case 'conflict':
        throw new BatonError('conflict', `a ${released.conversation.status} conversation cannot be released`);
      case 'not_found':
        throw new BatonError('not_found', `conversation "${current.id}" not found`);
      case 'no_queue': {
        const ruleset = ctx.workspace.compile({ ...loaded.config.handoff, rules: [] }, null);
        const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
          conversationId: current.id,
          trigger: 'workflow_flag',
          soft: false,
          note: 'released without a queue: routed by the fallback rule',
          messageText: '',
          actor: input.actor,
          ruleset,
          reason: 'release',
        });
        if (handed.outcome !== 'handed_off') throw new BatonError('not_found', `conversation "${current.id}" not found`);
        return handed.conversation;
      }
    }
  });
  ctx.afterCommit({ kind: 'outbox' });
  ctx.afterCommit({ kind: 'assign_waiting' });
  return conversation;
}
