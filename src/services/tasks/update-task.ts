import type { z } from 'zod';
import type { PatchTaskInput, Task } from '../../contract/api.js';
import type { Principal } from '../auth/principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { getTaskForUpdate } from '../../store/repositories/task-locks.js';
import { updateTask as writeTask, type TaskPatch } from '../../store/repositories/tasks.js';
import { actorOf } from '../auth/authenticate.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { ServiceContext } from '../context.js';
import { presentTask } from '../present/present-task.js';
import { canReachTask, taskReachOf } from '../access/task-reach-of.js';

/**
 * `PATCH /api/tasks/{id}`: close, cancel or reopen a follow-up, move its due time, hand it to
 * someone else, or rewrite its note. Agents change only tasks they can see (their own, their
 * teams'); admins any. A reassignment is audited.
 */
export async function updateTask(
  ctx: ServiceContext,
  principal: Principal,
  input: { readonly taskId: string; readonly patch: z.output<typeof PatchTaskInput> },
): Promise<Task> {
  const { model } = await ctx.workspace.current();
  const reach = taskReachOf(principal, model, actsAsAdmin(principal));
  const { patch } = input;
  if (typeof patch.assignee === 'string' && !model.users.has(patch.assignee)) {
    throw new BatonError('invalid', `no user "${patch.assignee}" to assign the task to`, {
      details: [{ path: 'assignee', message: `unknown user "${patch.assignee}"` }],
    });
  }
  const now = ctx.clock.now();

  const updated = await withTransaction(ctx.database, async (trx) => {
    const task = await getTaskForUpdate(trx, input.taskId);
    if (!task) throw notFound('task', input.taskId);
    if (!canReachTask(reach, task)) throw new BatonError('forbidden', "agents change only their own and their teams' tasks");

    const assigneeId = patch.assignee === undefined ? task.assigneeId : patch.assignee;
    // A task with neither assignee nor team is nobody's: no reminder reaches anyone.
    if (assigneeId === null && task.teamId === null) {
      throw new BatonError('invalid', 'the task has no team, so it needs an assignee', {
        details: [{ path: 'assignee', message: 'a task without a team needs an assignee' }],
      });
    }
    const change: TaskPatch = {
      ...(patch.status === undefined ? {} : { status: patch.status }),
      ...(patch.assignee === undefined ? {} : { assigneeId: patch.assignee }),
      ...(patch.dueAt === undefined ? {} : { dueAt: Date.parse(patch.dueAt) }),
      ...(patch.note === undefined ? {} : { note: patch.note }),
    };
    const written = await writeTask(trx, task.id, change, now);
    if (!written) throw notFound('task', input.taskId);
    if (assigneeId !== task.assigneeId) {
      await appendAudit(trx, {
        actor: actorOf(principal),
        action: 'task.reassigned',
        entity: 'task',
        entityId: task.id,
        data: { from: task.assigneeId, to: assigneeId, conversationId: task.conversationId },
        now,
      });
    }
    return written;
  });
  return presentTask(updated);
}
