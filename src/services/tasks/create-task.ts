import type { z } from 'zod';
import type { CreateTaskInput, Task } from '../../contract/api.js';
import type { Principal } from '../auth/principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { getConversation } from '../../store/repositories/conversations.js';
import { createTask } from '../../store/repositories/tasks.js';
import { actorOf } from '../auth/authenticate.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { ServiceContext } from '../context.js';
import { presentTask } from '../present/present-task.js';
import { taskReachOf } from '../access/task-reach-of.js';

/**
 * `POST /api/tasks`: a follow-up added by hand — "call Lucía back tomorrow at 10" on her
 * conversation. An agent adds tasks for themselves; an admin for anyone. The reminder timer is
 * scheduled in the same transaction (outbox), like the tasks rules create.
 */
export async function createTaskByHand(ctx: ServiceContext, principal: Principal, input: z.output<typeof CreateTaskInput>): Promise<Task> {
  const { model } = await ctx.workspace.current();
  const reach = taskReachOf(principal, model, actsAsAdmin(principal));
  const assignee = input.assignee ?? reach.userId;
  if (assignee === null) {
    throw new BatonError('invalid', 'the bootstrap admin token is no user: name the assignee', { details: [{ path: 'assignee', message: 'required' }] });
  }
  if (!model.users.has(assignee)) {
    throw new BatonError('invalid', `no user "${assignee}" to give the task to`, { details: [{ path: 'assignee', message: `unknown user "${assignee}"` }] });
  }
  if (reach.kind === 'own' && assignee !== reach.userId) throw new BatonError('forbidden', 'agents add follow-ups for themselves');
  const now = ctx.clock.now();
  const task = await withTransaction(ctx.database, async (trx) => {
    if (input.conversation !== null && (await getConversation(trx, input.conversation)) === null) throw notFound('conversation', input.conversation);
    const created = await createTask(trx, {
      conversationId: input.conversation,
      type: input.type,
      assigneeId: assignee,
      dueAt: input.dueAt === null ? null : Date.parse(input.dueAt),
      note: input.note,
      createdBy: actorOf(principal),
      now,
    });
    await appendAudit(trx, {
      actor: actorOf(principal),
      action: 'task.created',
      entity: 'task',
      entityId: created.id,
      data: { conversation: input.conversation, type: input.type, assignee },
      now,
    });
    return created;
  });
  return presentTask(task);
}
