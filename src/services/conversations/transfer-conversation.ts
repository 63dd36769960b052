/**
 * Transfer to a user, a team or a queue (docs/api.md `assign`). To a user: that user owns it now —
 * within their cap unless an admin passes `override: true`, which is audited (capacity
 * caps are advisory at HS/ZD; here only an explicit, recorded override exceeds one). To a team or
 * a queue: routed exactly like a handoff to that destination (its strategy, eligibility, skills,
 * hours), through `decideAndRecordHandoff`. Every manual reassignment is audited.
 */
import type { AssignInput } from '../../contract/api.js';
import type { Destination } from '../../contract/config.js';
import type { HandoffTrace } from '../../contract/trace.js';
import type { OwnershipViewer } from '../../core/ownership.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { getUserAccess } from '../../store/repositories/invitations.js';
import { withTransaction } from '../../store/database.js';
import { assign } from '../../store/repositories/assignments.js';
import { appendAudit } from '../../store/repositories/audit.js';
import type { ConversationRecord } from '../../store/repositories/conversations.js';
import { announceJoin } from './announce-join.js';
import { decideAndRecordHandoff } from '../handoff/decide-and-record-handoff.js';
import { notBackTo } from '../handoff/gave-away.js';
import type { ServiceContext } from '../context.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';
import { lockConversation } from './lock-conversation.js';
import { displayNameOf, requireOwnership } from './require-ownership.js';

export interface TransferInput {
  readonly conversationId: string;
  readonly to: AssignInput;
  readonly actor: string;
  readonly viewer: OwnershipViewer;
}

export async function transferConversation(
  ctx: ServiceContext,
  input: TransferInput,
): Promise<{ conversation: ConversationRecord; trace: HandoffTrace | null }> {
  const result = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    const current = await lockConversation(trx, input.conversationId);
    if (current.status === 'closed' || current.status === 'resolved') {
      throw new BatonError('conflict', `A ${current.status} conversation cannot be transferred; reopen it first.`);
    }
    requireOwnership(loaded.model, current, input.viewer, 'transfer');
    const now = ctx.clock.now();
    const to = input.to;

    if ('user' in to) {
      const user = loaded.model.users.get(to.user);
      if (user === undefined) throw new BatonError('invalid', `unknown user "${to.user}"`, { details: [{ path: 'user', message: 'unknown user' }] });
      // A deactivated person takes no conversations (issue 16 §1), not even by hand.
      if (((await getUserAccess(trx, user.id))?.deactivatedAt ?? null) !== null) {
        throw new BatonError('conflict', `${user.name} is deactivated and cannot take conversations`, { details: [{ path: 'user', message: 'deactivated' }] });
      }
      const override = to.override === true;
      if (override && !input.viewer.isAdmin) throw new BatonError('forbidden', 'only admins may exceed a capacity cap');
      const written = await assign(trx, {
        conversationId: current.id,
        expectedVersion: current.version,
        toUserId: user.id,
        teamId: current.teamId,
        queueId: current.queueId,
        capacity: user.capacity[current.channelType] ?? null,
        enforceCapacity: !override,
        reason: 'transfer',
        actor: input.actor,
        now,
        eventData: { override, note: to.note ?? null },
      });
      if (written.outcome === 'over_capacity') {
        throw new BatonError('over_capacity', `${user.name} is at capacity (${written.load} of ${written.capacity} open); an admin may pass override: true`);
      }
      if (written.outcome !== 'assigned') throw new Error(`transfer under row lock: ${written.outcome}`);
      if (written.changed) {
        await announceJoin(trx, loaded, { conversationId: current.id, userId: user.id, language: current.language, now });
        await enqueueNotification(trx, {
          channel: 'in_app',
          idempotencyKey: `${current.id}:notify.in_app:transfer:${written.conversation.version}`,
          payload: {
            conversationId: current.id,
            recipients: [user.id],
            type: 'conversation.transferred',
            title: 'Conversation transferred to you',
            body: to.note ?? `Transferred by ${input.viewer.userId === null ? 'an admin' : displayNameOf(loaded.model, input.viewer.userId)}.`,
            data: { from: current.ownerId },
          },
          now,
        });
      }
      await appendAudit(trx, {
        actor: input.actor,
        action: override ? 'conversation.transferred_over_capacity' : 'conversation.transferred',
        entity: 'conversation',
        entityId: current.id,
        data: { from: current.ownerId, to: { user: user.id }, override },
        now,
      });
      return { conversation: written.conversation, trace: null };
    }

    const destination: Destination = 'team' in to ? { team: to.team } : { queue: to.queue };
    const known = 'team' in destination ? loaded.model.teams.has(destination.team) : loaded.model.queues.has(destination.queue);
    if (!known) {
      const [kind, id] = 'team' in destination ? ['team', destination.team] : ['queue', destination.queue];
      throw new BatonError('invalid', `unknown ${kind} "${id}"`, { details: [{ path: kind, message: `unknown ${kind}` }] });
    }
    const ruleset = ctx.workspace.compile(
      {
        reviewEvery: loaded.config.handoff.reviewEvery,
        rules: [],
        fallback: { destination, assignment: 'team' in destination ? 'reassign' : 'unassign_to_queue', message: false, notify: ['in_app'], tasks: [] },
      },
      null,
    );
    const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
      conversationId: current.id,
      trigger: 'workflow_flag',
      soft: false,
      note: to.note ?? null,
      messageText: '',
      actor: input.actor,
      ruleset,
      ruleLabel: 'transfer',
      reason: 'transfer',
      // Not straight back to whoever gives it away now, or gave it away during this handoff.
      exclude: await notBackTo(trx, current.id, current.ownerId),
    });
    if (handed.outcome !== 'handed_off') throw notFound('conversation', current.id);
    await appendAudit(trx, {
      actor: input.actor,
      action: 'conversation.transferred',
      entity: 'conversation',
      entityId: current.id,
      data: { from: current.ownerId, to: destination, owner: handed.trace.assignee },
      now,
    });
    return { conversation: handed.conversation, trace: handed.trace };
  });
  ctx.afterCommit({ kind: 'outbox' });
  // The previous owner's capacity may have freed.
  ctx.afterCommit({ kind: 'assign_waiting' });
  return result;
}
