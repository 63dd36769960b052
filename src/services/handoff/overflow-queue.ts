/**
 * The queue's wait limit passed. Runs inside the outbox job's transaction. The move is a handoff to the
 * overflow queue through a one-destination ruleset — routed like any handoff there (strategy,
 * eligibility, skills, hours), with the same events, notifications and fresh timers.
 */
import { decideOverflow, type OverflowDecision } from '../../core/decide-timer.js';
import type { Executor } from '../../store/database.js';
import { getConversationForUpdate } from '../../store/repositories/conversations.js';
import { latestEventOfType } from '../../store/repositories/latest-event.js';
import { decideAndRecordHandoff } from './decide-and-record-handoff.js';
import type { HandoffTimer } from './breach-sla.js';
import type { ServiceContext } from '../context.js';

export type OverflowQueueResult =
  | { readonly outcome: 'not_found' }
  | { readonly outcome: 'skipped'; readonly decision: Extract<OverflowDecision, { move: false }> }
  | { readonly outcome: 'moved'; readonly to: string; readonly assignee: string | null };

export async function overflowQueue(trx: Executor, ctx: ServiceContext, timer: HandoffTimer): Promise<OverflowQueueResult> {
  const loaded = await ctx.workspace.current(trx);
  const conversation = await getConversationForUpdate(trx, timer.conversationId);
  if (conversation === null) return { outcome: 'not_found' };
  const latestHandoff = await latestEventOfType(trx, conversation.id, 'handoff.completed');
  // The overflow as configured now: an apply that removed it since stops the move.
  const overflowTo = loaded.model.queues.get(timer.queue)?.overflowTo ?? null;
  const decision = decideOverflow({
    status: conversation.status,
    ownerId: conversation.ownerId,
    queueId: conversation.queueId,
    timerQueue: timer.queue,
    timerHandoffSeq: timer.handoffSeq,
    latestHandoffSeq: latestHandoff?.seq ?? null,
    overflowTo,
    overflowQueueExists: overflowTo !== null && loaded.model.queues.has(overflowTo),
  });
  if (!decision.move) return { outcome: 'skipped', decision };

  const ruleset = ctx.workspace.compile(
    {
      reviewEvery: loaded.config.handoff.reviewEvery,
      rules: [],
      fallback: { destination: { queue: decision.to }, assignment: 'unassign_to_queue', message: false, notify: ['in_app'], tasks: [] },
    },
    null,
  );
  const from = loaded.model.queues.get(timer.queue)?.name ?? timer.queue;
  const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
    conversationId: conversation.id,
    // No trigger names overflow; like a transfer it is a workflow move, labelled as such.
    trigger: 'workflow_flag',
    soft: false,
    note: `Waited past the limit of ${from}: moved to its overflow queue`,
    messageText: '',
    actor: 'system',
    ruleset,
    ruleLabel: 'overflow',
    reason: 'overflow',
  });
  if (handed.outcome !== 'handed_off') throw new Error(`overflow of ${conversation.id}: ${handed.outcome}`);
  return { outcome: 'moved', to: decision.to, assignee: handed.trace.assignee };
}
