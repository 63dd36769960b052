import type { Deactivated, UserAccess } from '../../contract/access-api.js';
import type { Principal } from '../auth/principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction, type Executor } from '../../store/database.js';
import { releaseToQueue } from '../../store/repositories/assignments.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { listConversations, OPEN_STATUSES, type ConversationCursor, type ConversationRecord } from '../../store/repositories/conversations.js';
import { lockUserAccess, setDeactivated, supersedeInvitations } from '../../store/repositories/invitations.js';
import { deleteUserSessions, setUserStatus as writeUserStatus } from '../../store/repositories/users.js';
import { actorOf } from '../auth/authenticate.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { ServiceContext } from '../context.js';
import { decideAndRecordHandoff } from '../handoff/decide-and-record-handoff.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';
import type { LoadedWorkspace } from '../workspace/workspace-cache.js';
import { lockConversation } from '../conversations/lock-conversation.js';
import { readUserAccess } from './user-access.js';

/**
 * Deactivate a user (admin), in one transaction: they are signed out everywhere (sessions
 * deleted; their API tokens are refused by `authenticate`, which reads the deactivation on every
 * request), their pending invitations stop working, their status goes offline so routing passes
 * them by, and every open conversation they own goes back to its queue (or team) through the one
 * writer of assignments — the same transition as a release — with an in-app notification to the
 * admins and the team's leads in the outbox. After commit the waiting line is offered to whoever
 * is eligible. Deactivating a deactivated user changes nothing.
 */
export async function deactivateUser(ctx: ServiceContext, principal: Principal, userId: string): Promise<Deactivated> {
  if (!actsAsAdmin(principal)) throw new BatonError('forbidden', 'only an admin may deactivate people');
  if (principal.kind === 'user' && principal.userId === userId) {
    throw new BatonError('conflict', 'you cannot deactivate your own account; ask another admin');
  }
  const actor = actorOf(principal);
  const result = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    const user = loaded.model.users.get(userId);
    if (!user) throw notFound('user', userId);
    const now = ctx.clock.now();
    const access = await lockUserAccess(trx, userId);
    if (access.deactivatedAt !== null) return { released: [] as string[], now };
    await setDeactivated(trx, userId, now);
    await deleteUserSessions(trx, userId);
    await supersedeInvitations(trx, userId, now);
    // Offline first, so the fallback route of a conversation without a queue cannot pick them
    // again. (This takes their `user_state` row before conversation rows, against the one
    // writer's order; PostgreSQL aborts such a deadlock and withTransaction runs this again.)
    await writeUserStatus(trx, { userId, status: 'offline', now });
    const released: string[] = [];
    for (const conversation of await ownedOpenConversations(trx, userId)) {
      const back = await sendBack(trx, ctx, loaded, conversation.id, userId, actor);
      if (back === null) continue;
      released.push(back.id);
      const team = back.teamId === null ? undefined : loaded.config.teams.find((t) => t.id === back.teamId);
      const recipients = [...new Set([...loaded.config.users.filter((u) => u.role === 'admin').map((u) => u.id), ...(team?.leads ?? [])])].filter((id) => id !== userId);
      if (recipients.length > 0) {
        await enqueueNotification(trx, {
          channel: 'in_app',
          idempotencyKey: `${back.id}:notify.in_app:deactivated:${userId}:${now}`,
          payload: {
            conversationId: back.id,
            recipients,
            type: 'conversation.released',
            title: `Back in the queue: ${user.name} was deactivated`,
            body: `${user.name} can no longer sign in, so their conversation is waiting for someone else.`,
            data: { previousOwner: userId, queue: back.queueId, team: back.teamId },
          },
          now,
        });
      }
    }
    await appendAudit(trx, { actor, action: 'user.deactivated', entity: 'user', entityId: userId, data: { released }, now });
    return { released, now };
  });
  // Their open sockets in this process close now, not at the next periodic re-check.
  ctx.afterCommit({ kind: 'signed_out' });
  if (result.released.length > 0) {
    ctx.afterCommit({ kind: 'outbox' });
    ctx.afterCommit({ kind: 'assign_waiting' });
  }
  const [access] = await readUserAccess(ctx.database.db, [userId], ctx.clock.now());
  return { access: access as UserAccess, released: result.released };
}

/** Reactivate (admin): they may sign in again with their password (or an invitation); status stays offline until they choose. */
export async function reactivateUser(ctx: ServiceContext, principal: Principal, userId: string): Promise<UserAccess> {
  if (!actsAsAdmin(principal)) throw new BatonError('forbidden', 'only an admin may reactivate people');
  const { model } = await ctx.workspace.current();
  if (!model.users.has(userId)) throw notFound('user', userId);
  await withTransaction(ctx.database, async (trx) => {
    const now = ctx.clock.now();
    await lockUserAccess(trx, userId);
    if (await setDeactivated(trx, userId, null)) {
      await appendAudit(trx, { actor: actorOf(principal), action: 'user.reactivated', entity: 'user', entityId: userId, data: {}, now });
    }
  });
  const [access] = await readUserAccess(ctx.database.db, [userId], ctx.clock.now());
  return access as UserAccess;
}

async function ownedOpenConversations(trx: Executor, userId: string): Promise<ConversationRecord[]> {
  const out: ConversationRecord[] = [];
  let after: ConversationCursor | undefined;
  for (;;) {
    const page = await listConversations(trx, { ownerId: userId, status: OPEN_STATUSES, limit: 500, ...(after === undefined ? {} : { after }) });
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    after = page.nextCursor;
  }
}

/** Release one conversation of the deactivated owner, as `releaseConversation` does; null when it is no longer theirs. */
async function sendBack(
  trx: Executor,
  ctx: ServiceContext,
  loaded: LoadedWorkspace,
  conversationId: string,
  userId: string,
  actor: string,
): Promise<ConversationRecord | null> {
  const current = await lockConversation(trx, conversationId);
  if (current.ownerId !== userId) return null;
  const now = ctx.clock.now();
  const released = await releaseToQueue(trx, {
    conversationId,
    reason: 'owner_deactivated',
    actor,
    now,
    expect: { ownerId: userId },
  });
  switch (released.outcome) {
    case 'released':
      return released.conversation;
    case 'conflict':
    case 'not_found':
      return null;
    case 'no_queue': {
      // Never nowhere (CW #4271): a conversation without a queue goes through the fallback rule.
      const ruleset = ctx.workspace.compile({ ...loaded.config.handoff, rules: [] }, null);
      const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
        conversationId,
        trigger: 'workflow_flag',
        soft: false,
        note: 'owner deactivated, no queue: routed by the fallback rule',
        messageText: '',
        actor,
        ruleset,
        reason: 'owner_deactivated',
      });
      return handed.outcome === 'handed_off' ? handed.conversation : null;
    }
  }
}
