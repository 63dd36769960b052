import type { Updateable } from 'kysely';
import { sql } from 'kysely';
import type { TaskStatus, TaskType } from '../../contract/common.js';
import type { Executor } from '../database.js';
import { withTransaction } from '../database.js';
import type { TaskRow, TaskTable } from '../schema.js';
import { enqueue } from './outbox.js';
import { createId } from '../../platform/runtime.js';

/** Follow-ups created by rules or people. */
export interface TaskRecord {
  readonly id: string;
  readonly conversationId: string | null;
  readonly type: TaskType;
  readonly assigneeId: string | null;
  readonly teamId: string | null;
  /** null for a `check_in` until its conversation is resolved. */
  readonly dueAt: number | null;
  readonly dueAfterResolutionSeconds: number | null;
  readonly status: TaskStatus;
  readonly note: string | null;
  readonly createdBy: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly remindedAt: number | null;
}

export function rowToTask(row: TaskRow): TaskRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    type: row.type as TaskType,
    assigneeId: row.assignee_id,
    teamId: row.team_id,
    dueAt: row.due_at,
    dueAfterResolutionSeconds: row.due_after_resolution_seconds,
    status: row.status as TaskStatus,
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    remindedAt: row.reminded_at,
  };
}

export interface NewTask {
  readonly id?: string;
  readonly conversationId?: string | null;
  readonly type: TaskType;
  readonly assigneeId?: string | null;
  readonly teamId?: string | null;
  readonly dueAt?: number | null;
  readonly dueAfterResolutionSeconds?: number | null;
  readonly note?: string | null;
  readonly createdBy?: string | null;
  readonly now: number;
}

export async function createTask(ex: Executor, input: NewTask): Promise<TaskRecord> {
  return withTransaction(ex, async (trx) => {
    const task = await insertTask(trx, input);
    await scheduleTaskTimer(trx, task, input.now);
    return task;
  });
}

async function insertTask(ex: Executor, input: NewTask): Promise<TaskRecord> {
  const row = await ex
    .insertInto('tasks')
    .values({
      id: input.id ?? createId(),
      conversation_id: input.conversationId ?? null,
      type: input.type,
      assignee_id: input.assigneeId ?? null,
      team_id: input.teamId ?? null,
      due_at: input.dueAt ?? null,
      due_after_resolution_seconds: input.dueAfterResolutionSeconds ?? null,
      status: 'open',
      note: input.note ?? null,
      created_by: input.createdBy ?? null,
      created_at: input.now,
      updated_at: input.now,
      reminded_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToTask(row);
}

export async function getTask(ex: Executor, id: string): Promise<TaskRecord | null> {
  const row = await ex.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : rowToTask(row);
}

export interface TaskFilter {
  readonly assigneeId?: string;
  /** Tasks of these teams (a team-assigned task is everyone's in the team). */
  readonly teamIds?: readonly string[];
  readonly status?: TaskStatus;
  /** Due strictly before this instant. */
  readonly dueBefore?: number;
  readonly conversationId?: string;
  readonly limit?: number;
}

/** Soonest due first; tasks without a due time last. */
export async function listTasks(ex: Executor, filter: TaskFilter = {}): Promise<TaskRecord[]> {
  let q = ex
    .selectFrom('tasks')
    .selectAll()
    .orderBy((eb) => eb.case().when('due_at', 'is', null).then(1).else(0).end())
    .orderBy('due_at')
    .orderBy('created_at')
    .orderBy('id')
    .limit(Math.max(1, Math.min(filter.limit ?? 100, 1_000)));
  const { assigneeId, teamIds } = filter;
  if (assigneeId !== undefined && teamIds !== undefined && teamIds.length > 0) {
    q = q.where((eb) => eb.or([eb('assignee_id', '=', assigneeId), eb('team_id', 'in', teamIds)]));
  } else if (assigneeId !== undefined) {
    q = q.where('assignee_id', '=', assigneeId);
  } else if (teamIds !== undefined) {
    if (teamIds.length === 0) return [];
    q = q.where('team_id', 'in', teamIds);
  }
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.dueBefore !== undefined) q = q.where('due_at', '<', filter.dueBefore);
  if (filter.conversationId !== undefined) q = q.where('conversation_id', '=', filter.conversationId);
  return (await q.execute()).map(rowToTask);
}

export interface TaskPatch {
  readonly status?: TaskStatus;
  readonly assigneeId?: string | null;
  readonly teamId?: string | null;
  readonly dueAt?: number | null;
  readonly note?: string | null;
}

export async function updateTask(ex: Executor, id: string, patch: TaskPatch, now: number): Promise<TaskRecord | null> {
  const set: Updateable<TaskTable> = { updated_at: now };
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.assigneeId !== undefined) set.assignee_id = patch.assigneeId;
  if (patch.teamId !== undefined) set.team_id = patch.teamId;
  if (patch.dueAt !== undefined) {
    set.due_at = patch.dueAt;
    // A new due time deserves a new reminder.
    set.reminded_at = null;
  }
  if (patch.note !== undefined) set.note = patch.note;
  return withTransaction(ex, async (trx) => {
    const row = await trx.updateTable('tasks').set(set).where('id', '=', id).returningAll().executeTakeFirst();
    if (row === undefined) return null;
    const task = rowToTask(row);
    // A new due time, or a task reopened: its timer (the old one found it closed or early).
    if (patch.dueAt !== undefined || patch.status === 'open') await scheduleTaskTimer(trx, task, now);
    return task;
  });
}

/** Open tasks that fell due and whose assignee has not been reminded yet (oldest due first). */
export async function listDueTasks(ex: Executor, options: { readonly now: number; readonly limit?: number }): Promise<TaskRecord[]> {
  const rows = await ex
    .selectFrom('tasks')
    .selectAll()
    .where('status', '=', 'open')
    .where('due_at', '<=', options.now)
    .where('reminded_at', 'is', null)
    .orderBy('due_at')
    .orderBy('id')
    .limit(Math.max(1, options.limit ?? 100))
    .execute();
  return rows.map(rowToTask);
}

/** True when this call recorded the reminder (false: someone else did, or the task closed). */
export async function markTaskReminded(ex: Executor, id: string, now: number): Promise<boolean> {
  const result = await ex
    .updateTable('tasks')
    .set({ reminded_at: now, updated_at: now })
    .where('id', '=', id)
    .where('reminded_at', 'is', null)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The conversation was resolved at `resolvedAt`: open `check_in` tasks waiting for that fall due
 * `due_after_resolution_seconds` later. Returns the tasks that got a due time.
 */
export async function scheduleCheckIns(ex: Executor, conversationId: string, resolvedAt: number): Promise<TaskRecord[]> {
  return withTransaction(ex, async (trx) => {
    const rows = await trx
      .updateTable('tasks')
      .set({
        due_at: sql<number>`cast(${resolvedAt} as bigint) + due_after_resolution_seconds * 1000`,
        updated_at: resolvedAt,
      })
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'open')
      .where('due_at', 'is', null)
      .where('due_after_resolution_seconds', 'is not', null)
      .returningAll()
      .execute();
    const tasks = rows.map(rowToTask);
    for (const task of tasks) await scheduleTaskTimer(trx, task, resolvedAt);
    return tasks;
  });
}

/** The outbox kind of the timer that fires when a task falls due (delivery/timer-jobs.ts). */
export const TASK_DUE_TIMER = 'timer.task.due';

/**
 * Work that happens later is a row first: every due time a task gets — at creation,
 * moved by a person, set by a resolution for a check-in — enqueues its timer in the same
 * transaction, so a restart loses no reminder and no sweep has to poll for them. The key holds
 * the due time and the instant it was set: a moved task gets a new timer, and the job re-reads
 * the task, so a stale timer (moved later, closed, reminded) does nothing.
 */
export async function scheduleTaskTimer(ex: Executor, task: TaskRecord, now: number): Promise<void> {
  if (task.dueAt === null || task.status !== 'open') return;
  await enqueue(ex, {
    kind: TASK_DUE_TIMER,
    idempotencyKey: `task:${task.id}:${TASK_DUE_TIMER}:${task.dueAt}:${now}`,
    payload: { taskId: task.id },
    availableAt: task.dueAt,
    now,
  });
}
