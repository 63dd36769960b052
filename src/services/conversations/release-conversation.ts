/**
 * Back to the queue: no owner, waiting again in its queue (or team). The holder releases their
 * conversation, and so may its team's leads and admins (core/ownership.ts); anyone else gets a 409
 * naming the holder (so a release never undoes someone else's claim). A conversation
 * that never had a queue goes through the fallback rule instead — never nowhere (CW #4271).
 */
import { BatonError } from '../../platform/errors.js';
import type { OwnershipViewer } from '../../core/ownership.js';
import { withTransaction } from '../../store/database.js';
import { releaseToQueue } from '../../store/repositories/assignments.js';
import type { ConversationRecord } from '../../store/repositories/conversations.js';
import { decideAndRecordHandoff } from '../handoff/decide-and-record-handoff.js';
import { notBackTo } from '../handoff/gave-away.js';
import type { ServiceContext } from '../context.js';
import { lockConversation } from './lock-conversation.js';
import { requireOwnership } from './require-ownership.js';

export async function releaseConversation(
  ctx: ServiceContext,
  input: { readonly conversationId: string; readonly actor: string; readonly viewer: OwnershipViewer },
): Promise<ConversationRecord> {
  const conversation = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    const current = await lockConversation(trx, input.conversationId);
    if (current.ownerId === null) throw new BatonError('conflict', 'Nobody is handling this conversation, so there is nothing to release.');
    requireOwnership(loaded.model, current, input.viewer, 'release');
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
        throw new BatonError('conflict', `A ${released.conversation.status} conversation cannot be released.`);
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
          exclude: await notBackTo(trx, current.id, current.ownerId),
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
