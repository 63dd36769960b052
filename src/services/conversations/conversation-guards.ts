/** Checks shared by the agent actions: the conversation exists, and who is acting. */
import type { Principal } from '../auth/principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import type { Executor } from '../../store/database.js';
import { getConversationForUpdate, type ConversationRecord } from '../../store/repositories/conversations.js';

export async function lockConversation(trx: Executor, id: string): Promise<ConversationRecord> {
  const conversation = await getConversationForUpdate(trx, id);
  if (conversation === null) throw notFound('conversation', id);
  return conversation;
}

/** The acting user's id; the bootstrap admin token acts as `admin-token` and owns nothing. */
export function actingUser(principal: Principal): { readonly userId: string | null; readonly isAdmin: boolean } {
  switch (principal.kind) {
    case 'user':
      return { userId: principal.userId, isAdmin: principal.role === 'admin' };
    case 'admin_token':
      return { userId: null, isAdmin: true };
    case 'customer':
      throw new BatonError('forbidden', 'customer tokens cannot act on conversations as an agent');
  }
}
