/**
 * CSAT 1–5 after resolution, once per resolution (core/csat.ts): a second rating of the same
 * resolution is a conflict; a conversation reopened and resolved again is rated again. The rating
 * is a row of `ratings` (the unique key (conversation, resolution) backs the decision made under
 * the row lock), the conversation's latest rating, and a `conversation.rated` event — which
 * snapshots owner, team and queue now, so the rating is credited to who handled it, not to
 * whoever holds it later (CW #14872) — carrying `handedOff` for reports (handed-off vs AI-only).
 */
import { csatGroupOf, decideRating } from '../../core/csat.js';
import type { ChannelType } from '../../contract/common.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction, type Executor } from '../../store/database.js';
import { updateConversation, type ConversationRecord } from '../../store/repositories/conversations.js';
import { appendEvent } from '../../store/repositories/events.js';
import { insertRating, type RatingSource } from '../../store/repositories/ratings.js';
import type { ServiceContext } from '../context.js';
import { lockConversation } from './lock-conversation.js';

export interface RateInput {
  readonly conversationId: string;
  readonly score: number;
  readonly comment: string | null;
  readonly actor: string;
  readonly source: RatingSource;
  /** A customer's token: only their own conversations (another's is not found). */
  readonly contactId?: string;
  /** The API: only conversations of these channel types (the others are rated by their customer elsewhere). */
  readonly channelTypes?: readonly ChannelType[];
  /** A rating link's resolution: refused when the conversation was reopened since. */
  readonly resolutionSeq?: number;
}

/** Where each channel type's customer rates, for refusals a developer reads. */
const RATED_IN: Readonly<Record<ChannelType, string>> = {
  chat: 'in the widget (POST /api/widget/conversations/{id}/rating)',
  email: 'through the link in the resolution email',
  in_app: 'through this endpoint',
  api: 'through this endpoint',
};

export async function rateConversation(ctx: ServiceContext, input: RateInput): Promise<ConversationRecord> {
  const rated = await withTransaction(ctx.database, (trx) => rateInTransaction(trx, ctx, input));
  ctx.afterCommit({ kind: 'outbox' });
  return rated;
}

/** The rating, in the caller's transaction (the rating page uses its link in the same one). */
export async function rateInTransaction(trx: Executor, ctx: ServiceContext, input: RateInput): Promise<ConversationRecord> {
  const current = await lockConversation(trx, input.conversationId);
  if (input.contactId !== undefined && current.contactId !== input.contactId) throw notFound('conversation', input.conversationId);
  if (input.channelTypes !== undefined && !input.channelTypes.includes(current.channelType)) {
    throw new BatonError('forbidden', `a ${current.channelType} conversation is rated by its customer ${RATED_IN[current.channelType]}; this endpoint rates in_app and api conversations`);
  }
  const decision = decideRating(current, input.resolutionSeq);
  switch (decision.outcome) {
    case 'not_resolved':
      throw new BatonError('conflict', 'a conversation is rated after it is resolved');
    case 'already_rated':
      throw new BatonError('conflict', 'this resolution is already rated: a conversation is rated once each time it is resolved');
    case 'stale':
      throw new BatonError('conflict', 'the conversation was reopened since; it is rated again when it is resolved again');
    case 'accept':
      break;
  }
  const now = ctx.clock.now();
  const handedOff = csatGroupOf(current) === 'handed_off';
  await insertRating(trx, {
    conversationId: current.id,
    resolutionSeq: decision.resolutionSeq,
    score: input.score,
    comment: input.comment,
    handedOff,
    source: input.source,
    actor: input.actor,
    createdAt: now,
  });
  const updated = await updateConversation(trx, current.id, { csatScore: input.score, csatComment: input.comment, csatResolutionSeq: decision.resolutionSeq }, now);
  if (updated === null) throw notFound('conversation', input.conversationId);
  await appendEvent(trx, {
    conversationId: current.id,
    type: 'conversation.rated',
    actor: input.actor,
    data: { score: input.score, comment: input.comment, handedOff, resolutionSeq: decision.resolutionSeq, source: input.source },
    now,
  });
  return updated;
}
