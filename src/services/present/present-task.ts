import type { Task } from '../../contract/api.js';
import type { TaskRecord } from '../../store/repositories/tasks.js';
import { iso, isoOrNull } from './present-conversation.js';

export function presentTask(task: TaskRecord): Task {
  return {
    id: task.id,
    conversationId: task.conversationId,
    type: task.type,
    assignee: task.assigneeId,
    team: task.teamId,
    dueAt: isoOrNull(task.dueAt),
    status: task.status,
    note: task.note,
    createdAt: iso(task.createdAt),
  };
}
