import type { Executor } from '../database.js';
import { rowToEvent, type ConversationEventRecord } from './events.js';

/**
 * The conversation's latest event of a type (highest seq), or null. Timers compare it with the
 * handoff they were set for: a newer `handoff.completed` means the timer is stale.
 */
export async function latestEventOfType(ex: Executor, conversationId: string, type: string): Promise<ConversationEventRecord | null> {
  const row = await ex
    .selectFrom('conversation_events')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('type', '=', type)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : rowToEvent(row);
}
