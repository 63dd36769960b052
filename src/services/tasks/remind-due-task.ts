/**
 * A task fell due. Runs inside the
 * outbox job's transaction of its `timer.task.due` row, under the task's row lock: a task closed,
 * moved later or already reminded meanwhile is left alone, so the reminder goes out once.
 * A `check_in` on a conversation is not a reminder but a message to the customer (send-check-in.ts).
 */
import type { TaskType } from '../../contract/common.js';
import type { WorkspaceModel } from '../../core/model.js';
import type { Executor } from '../../store/database.js';
import { getContact } from '../../store/repositories/contacts.js';
import { getConversation, getConversationForUpdate } from '../../store/repositories/conversations.js';
import { getTaskForUpdate } from '../../store/repositories/task-locks.js';
import { getTask, markTaskReminded, type TaskRecord } from '../../store/repositories/tasks.js';
import type { ServiceContext } from '../context.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';
import { sendCheckIn, type SendCheckInResult } from './send-check-in.js';

export type RemindDueTaskResult =
  | { readonly outcome: 'skipped'; readonly reason: 'not_found' | 'not_open' | 'not_due' | 'already_reminded' }
  | { readonly outcome: 'reminded'; readonly recipients: readonly string[] }
  | { readonly outcome: 'check_in'; readonly result: SendCheckInResult };

const TITLES: Readonly<Record<TaskType, string>> = {
  callback: 'Call back due',
  internal_note: 'Follow-up due',
  check_in: 'Check-in due',
};

export async function remindDueTask(trx: Executor, ctx: ServiceContext, taskId: string, now: number): Promise<RemindDueTaskResult> {
  // Lock order as everywhere else (resolve → scheduleCheckIns): the conversation, then its task —
  // the other order could deadlock against a resolve on PostgreSQL.
  const peek = await getTask(trx, taskId);
  const conversationId = peek?.conversationId ?? null;
  if (conversationId !== null) await getConversationForUpdate(trx, conversationId);
  const task = await getTaskForUpdate(trx, taskId);
  if (task === null) return { outcome: 'skipped', reason: 'not_found' };
  if (task.status !== 'open') return { outcome: 'skipped', reason: 'not_open' };
  // Moved later since this timer was set: the timer of the new due time reminds.
  if (task.dueAt === null || task.dueAt > now) return { outcome: 'skipped', reason: 'not_due' };
  if (task.remindedAt !== null) return { outcome: 'skipped', reason: 'already_reminded' };
  if (task.type === 'check_in' && task.conversationId !== null) {
    return { outcome: 'check_in', result: await sendCheckIn(trx, ctx, task, now) };
  }

  const loaded = await ctx.workspace.current(trx);
  const recipients = recipientsOf(task, loaded.model);
  if (!(await markTaskReminded(trx, task.id, now))) return { outcome: 'skipped', reason: 'already_reminded' };
  if (recipients.length === 0) {
    ctx.logger.warn({ taskId: task.id }, 'a task fell due with nobody to remind (no assignee, empty team)');
    return { outcome: 'reminded', recipients };
  }
  let about = '';
  if (task.conversationId !== null) {
    const conversation = await getConversation(trx, task.conversationId);
    const contact = conversation === null ? null : await getContact(trx, conversation.contactId);
    const name = contact?.name ?? contact?.email ?? null;
    if (name !== null) about = `: ${name}`;
  }
  await enqueueNotification(trx, {
    channel: 'in_app',
    idempotencyKey: `task:${task.id}:notify.in_app:due:${task.dueAt}`,
    payload: {
      conversationId: task.conversationId,
      recipients,
      type: 'task.due',
      title: `${TITLES[task.type]}${about}`,
      body: task.note ?? `A ${task.type.replace(/_/g, ' ')} task is due now.`,
      data: { taskId: task.id, taskType: task.type, dueAt: new Date(task.dueAt).toISOString() },
    },
    now,
  });
  return { outcome: 'reminded', recipients };
}

/** The assignee; a team task, everyone of the team (its leads when it has no members). */
function recipientsOf(task: TaskRecord, model: WorkspaceModel): string[] {
  if (task.assigneeId !== null) return [task.assigneeId];
  const team = task.teamId === null ? undefined : model.teams.get(task.teamId);
  if (team === undefined) return [];
  return team.members.length > 0 ? [...team.members] : [...team.leads];
}
