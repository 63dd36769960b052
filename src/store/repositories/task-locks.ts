import type { Executor } from '../database.js';
import { rowToTask, type TaskRecord } from './tasks.js';

/**
 * The task, row-locked for the rest of the transaction (PostgreSQL; SQLite's single writer needs
 * no lock): a change decided on what was read — "who may edit", "reassigned from whom" for the
 * audit — is not raced by a concurrent edit of the same task.
 */
export async function getTaskForUpdate(ex: Executor, id: string): Promise<TaskRecord | null> {
  const row = await ex.selectFrom('tasks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row === undefined ? null : rowToTask(row);
}
