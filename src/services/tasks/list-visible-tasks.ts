import type { TaskStatus } from '../../contract/common.js';
import type { Task } from '../../contract/api.js';
import type { Principal } from '../auth/principal.js';
import { BatonError } from '../../platform/errors.js';
import { listTasks, type TaskFilter } from '../../store/repositories/tasks.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { ServiceContext } from '../context.js';
import { presentTask } from '../present/present-task.js';
import { taskReachOf } from '../access/task-reach-of.js';

export interface TaskQuery {
  /** A user id, or `me`. Omitted: everything the caller may see. */
  readonly assignee?: string;
  readonly status?: TaskStatus;
  /** Epoch ms; tasks due strictly before it (tasks without a due time are left out). */
  readonly dueBefore?: number;
  /** Only this conversation's. */
  readonly conversationId?: string;
}

/**
 * `GET /api/tasks`: soonest due first. Agents see their own and their teams' tasks, and may
 * narrow to `assignee=me` (or their own id); another agent's list is theirs to see, not a
 * colleague's. Admins see every task and may filter by any assignee.
 */
export async function listVisibleTasks(ctx: ServiceContext, principal: Principal, query: TaskQuery): Promise<Task[]> {
  const { model } = await ctx.workspace.current();
  const reach = taskReachOf(principal, model, actsAsAdmin(principal));
  let assignee = query.assignee;
  if (assignee === 'me') {
    if (reach.userId === null) {
      throw new BatonError('invalid', 'the bootstrap admin token is no user: "me" names nobody', {
        details: [{ path: 'query.assignee', message: 'give a user id' }],
      });
    }
    assignee = reach.userId;
  }
  const filter: TaskFilter = { status: query.status, dueBefore: query.dueBefore, conversationId: query.conversationId };
  if (reach.kind === 'own') {
    if (assignee !== undefined && assignee !== reach.userId) {
      throw new BatonError('forbidden', "agents see their own and their teams' tasks, not another user's");
    }
    const tasks =
      assignee === undefined
        ? await listTasks(ctx.database.db, { ...filter, assigneeId: reach.userId, teamIds: reach.teamIds })
        : await listTasks(ctx.database.db, { ...filter, assigneeId: reach.userId });
    return tasks.map(presentTask);
  }
  const tasks = await listTasks(ctx.database.db, assignee === undefined ? filter : { ...filter, assigneeId: assignee });
  return tasks.map(presentTask);
}
