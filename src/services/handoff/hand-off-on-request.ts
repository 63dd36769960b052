/**
 * Hand off now: the handoff API (`workflow_flag` unless told otherwise; an integration or a bot
 * asks for people) and the widget's "Talk to a person" button (`customer_requested_human`).
 * A conversation already with people is re-routed by the rules, which is what an integration
 * calling the handoff API means.
 */
import type { Trigger } from '../../contract/common.js';
import type { HandoffSummary, HandoffTrace } from '../../contract/trace.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { decideAndRecordHandoff } from './decide-and-record-handoff.js';
import type { ServiceContext } from '../context.js';
import { lockConversation } from '../conversations/lock-conversation.js';
import type { TurnOutcome } from '../conversations/receive-customer-message.js';

export async function handOffOnRequest(
  ctx: ServiceContext,
  input: {
    readonly conversationId: string;
    readonly trigger: Trigger;
    readonly note: string | null;
    readonly actor: string;
    /** A customer reaches only their own conversation. */
    readonly contactId?: string;
    /** The caller's summary for the person taking over; default extractive. */
    readonly summary?: HandoffSummary;
  },
): Promise<TurnOutcome & { readonly handoff: HandoffTrace }> {
  const outcome = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    const current = await lockConversation(trx, input.conversationId);
    if (input.contactId !== undefined && current.contactId !== input.contactId) throw notFound('conversation', input.conversationId);
    if (current.status === 'closed') throw new BatonError('conflict', 'this conversation is closed');
    const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
      conversationId: current.id,
      trigger: input.trigger,
      soft: false,
      note: input.note,
      messageText: '',
      actor: input.actor,
      ...(input.summary === undefined ? {} : { summary: input.summary }),
    });
    if (handed.outcome !== 'handed_off') throw notFound('conversation', input.conversationId);
    return { conversation: handed.conversation, contact: handed.contact, messages: handed.messages, handoff: handed.trace };
  });
  ctx.afterCommit({ kind: 'outbox' });
  return outcome;
}
