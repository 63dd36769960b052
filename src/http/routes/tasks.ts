import { CreateTaskInput, IdParams, PatchTaskInput, Task, TasksQuery } from '../../contract/api.js';
import { TaskList } from '../../contract/people-api.js';
import { createTaskByHand } from '../../services/tasks/create-task.js';
import { listVisibleTasks } from '../../services/tasks/list-visible-tasks.js';
import { updateTask } from '../../services/tasks/update-task.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/** Follow-ups: the caller's list, adding one by hand, and changing one. */
export function taskRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/tasks',
      summary: "Tasks, soonest due first: an agent's own and their teams', or every task for admins",
      tags: ['tasks'],
      access: 'user',
      query: TasksQuery,
      response: TaskList,
      handler: async ({ query, principal }) => ({
        items: await listVisibleTasks(ctx, principal!, {
          ...(query.assignee === undefined ? {} : { assignee: query.assignee }),
          ...(query.status === undefined ? {} : { status: query.status }),
          ...(query.due_before === undefined ? {} : { dueBefore: Date.parse(query.due_before) }),
          ...(query.conversation === undefined ? {} : { conversationId: query.conversation }),
        }),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/tasks',
      summary: 'Add a follow-up by hand (a call-back or an internal investigation), for yourself or, for admins, anyone',
      tags: ['tasks'],
      access: 'user',
      writes: true,
      body: CreateTaskInput,
      response: Task,
      status: 201,
      handler: ({ body, principal }) => createTaskByHand(ctx, principal!, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/tasks/:id',
      summary: 'Change a task: status, assignee, due time, note',
      tags: ['tasks'],
      access: 'user',
      writes: true,
      params: IdParams,
      body: PatchTaskInput,
      response: Task,
      handler: ({ params, body, principal }) => updateTask(ctx, principal!, { taskId: params.id, patch: body }),
    }),
  ];
}
