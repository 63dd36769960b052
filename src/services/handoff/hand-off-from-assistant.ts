/**
 * An automated assistant hands the conversation to people: a webhook bot through the handoff API,
 * the language model's `handoff_to_human` tool, or Baton itself when the bot or the model failed
 * (delivery/bot-jobs.ts) — so the customer is never left waiting on an assistant that is gone.
 *
 * Only from `bot`, checked under the row lock: a conversation a person already has is not
 * re-routed by an assistant that was late (the API turns `not_bot` into 409; a job drops it).
 * A hard handoff (`soft: false`): an explicit rule for the trigger wins, else the fallback takes it.
 */
import type { Trigger } from '../../contract/common.js';
import type { ConversationStatus } from '../../contract/common.js';
import type { HandoffSummary, HandoffTrace } from '../../contract/trace.js';
import { notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import type { ConversationRecord } from '../../store/repositories/conversations.js';
import { decideAndRecordHandoff } from './decide-and-record-handoff.js';
import type { ServiceContext } from '../context.js';
import { lockConversation } from '../conversations/lock-conversation.js';

export type AssistantHandoffOutcome =
  | { readonly outcome: 'handed_off'; readonly conversation: ConversationRecord; readonly trace: HandoffTrace }
  | { readonly outcome: 'not_bot'; readonly status: ConversationStatus };

export async function handOffFromAssistant(
  ctx: ServiceContext,
  input: {
    readonly conversationId: string;
    readonly trigger: Trigger;
    readonly note: string | null;
    readonly summary?: HandoffSummary;
    /** Default `assistant`. */
    readonly actor?: string;
  },
): Promise<AssistantHandoffOutcome> {
  const outcome = await withTransaction(ctx.database, async (trx): Promise<AssistantHandoffOutcome> => {
    const loaded = await ctx.workspace.current(trx);
    const current = await lockConversation(trx, input.conversationId);
    if (current.status !== 'bot') return { outcome: 'not_bot', status: current.status };
    const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
      conversationId: current.id,
      trigger: input.trigger,
      soft: false,
      note: input.note,
      messageText: '',
      actor: input.actor ?? 'assistant',
      ...(input.summary === undefined ? {} : { summary: input.summary }),
    });
    if (handed.outcome !== 'handed_off') throw notFound('conversation', input.conversationId);
    return { outcome: 'handed_off', conversation: handed.conversation, trace: handed.trace };
  });
  if (outcome.outcome === 'handed_off') ctx.afterCommit({ kind: 'outbox' });
  return outcome;
}
