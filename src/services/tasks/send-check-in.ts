/**
 * A `check_in` task fell due N days after its conversation was resolved: the
 * customer gets a message from the system in their language and the task is done. Called by
 * remind-due-task.ts inside the timer's transaction, with the task row locked.
 */
import { checkInText, decideCheckIn, textLanguage } from '../../core/decide-timer.js';
import type { Executor } from '../../store/database.js';
import { getContact } from '../../store/repositories/contacts.js';
import { getConversationForUpdate } from '../../store/repositories/conversations.js';
import { appendEvent } from '../../store/repositories/events.js';
import { appendMessage } from '../../store/repositories/messages.js';
import { updateTask, type TaskRecord } from '../../store/repositories/tasks.js';
import type { ServiceContext } from '../context.js';

export type SendCheckInResult =
  | { readonly outcome: 'sent'; readonly messageSeq: number | null }
  /** Reopened meanwhile: the check-in waits for the next resolution. */
  | { readonly outcome: 'deferred' }
  | { readonly outcome: 'cancelled' };

export async function sendCheckIn(trx: Executor, ctx: ServiceContext, task: TaskRecord, now: number): Promise<SendCheckInResult> {
  const conversation = task.conversationId === null ? null : await getConversationForUpdate(trx, task.conversationId);
  const decision = conversation === null ? 'cancel' : decideCheckIn(conversation.status);
  if (conversation === null || decision === 'cancel') {
    await updateTask(trx, task.id, { status: 'cancelled' }, now);
    return { outcome: 'cancelled' };
  }
  if (decision === 'defer') {
    // No due time: scheduleCheckIns gives it one again when the conversation is next resolved.
    await updateTask(trx, task.id, { dueAt: null }, now);
    return { outcome: 'deferred' };
  }
  const loaded = await ctx.workspace.current(trx);
  const contact = await getContact(trx, conversation.contactId);
  const language = textLanguage(conversation.language ?? contact?.language ?? loaded.model.language);
  const message = await appendMessage(trx, {
    conversationId: conversation.id,
    author: 'system',
    body: checkInText(language, contact?.name ?? null),
    data: { kind: 'check_in', taskId: task.id, language },
    now,
  });
  await appendEvent(trx, {
    conversationId: conversation.id,
    type: 'task.completed',
    actor: 'system',
    data: { taskId: task.id, taskType: task.type, outcome: 'check_in_sent' },
    now,
  });
  await updateTask(trx, task.id, { status: 'done' }, now);
  return { outcome: 'sent', messageSeq: message?.seq ?? null };
}
