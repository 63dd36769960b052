import { notFound } from '../../platform/errors.js';
import type { Executor } from '../../store/database.js';
import { getConversationForUpdate, type ConversationRecord } from '../../store/repositories/conversations.js';

/** The conversation's row, locked for the rest of the transaction; not_found when there is none. */
export async function lockConversation(trx: Executor, id: string): Promise<ConversationRecord> {
  const conversation = await getConversationForUpdate(trx, id);
  if (conversation === null) throw notFound('conversation', id);
  return conversation;
}
