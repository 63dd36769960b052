import { joinedText } from '../../core/routing/customer-texts.js';
import type { Executor } from '../../store/database.js';
import { appendMessage, type MessageRecord } from '../../store/repositories/messages.js';
import type { LoadedWorkspace } from '../workspace/workspace-cache.js';

/**
 * "Ana joined the conversation" in the customer's language, a
 * stored system message written in the transaction that made Ana the owner — so a reload and a
 * catch-up with `after=` show it, exactly once per join. Every path that gives a conversation a
 * new owner calls it once: a claim, a transfer to a user, a handoff that assigns (including a
 * transfer to a team), the waiting line's assignment.
 */
export async function announceJoin(
  trx: Executor,
  loaded: LoadedWorkspace,
  input: { readonly conversationId: string; readonly userId: string; readonly language: string | null; readonly now: number },
): Promise<MessageRecord | null> {
  const user = loaded.model.users.get(input.userId);
  if (user === undefined) return null;
  return appendMessage(trx, {
    conversationId: input.conversationId,
    author: 'system',
    body: joinedText(input.language ?? loaded.model.language, user.name),
    data: { kind: 'joined', user: user.id },
    now: input.now,
  });
}
