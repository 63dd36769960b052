/**
 * The rating page of an email conversation (`/rate/<token>`): the token of the link in the
 * resolution email authorizes it, alone — single-use, expiring, stored only as its SHA-256
 * (services/conversations/request-rating.ts). Reading the page changes nothing (mail scanners
 * open links); posting the score uses the link and rates the resolution it was sent for, in one
 * transaction. What can go wrong is a value the page explains, never an exception.
 */
import { decideRating } from '../../core/csat.js';
import { ratingTextsFor, type RatingTexts } from '../../core/rating-texts.js';
import { hashToken } from '../../platform/secrets.js';
import { withTransaction } from '../../store/database.js';
import { getConversation } from '../../store/repositories/conversations.js';
import { findRatingLinkByHash, useRatingLink, type RatingLinkRecord } from '../../store/repositories/ratings.js';
import type { ServiceContext } from '../context.js';

export type { RatingTexts };
import { lockConversation } from './lock-conversation.js';
import { rateInTransaction } from './rate-conversation.js';

/** Why a link cannot be used (now): `used` also when the resolution was rated another way. */
export type RatingLinkState = 'open' | 'used' | 'expired' | 'stale' | 'unknown';

export interface RatingPage {
  readonly state: RatingLinkState;
  readonly organisation: string;
  readonly texts: RatingTexts;
}

/** A token as a link carries it: `br_` and 43 base64url characters; anything else is not looked up. */
const TOKEN_SHAPE = /^br_[A-Za-z0-9_-]{43}$/;

async function findLink(ctx: ServiceContext, token: string): Promise<RatingLinkRecord | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  return findRatingLinkByHash(ctx.database.db, hashToken(token));
}

function stateOf(link: RatingLinkRecord, conversation: Parameters<typeof decideRating>[0], now: number): RatingLinkState {
  if (link.usedAt !== null) return 'used';
  if (link.expiresAt <= now) return 'expired';
  const decision = decideRating(conversation, link.resolutionSeq);
  switch (decision.outcome) {
    case 'accept':
      return 'open';
    case 'already_rated':
      return 'used';
    case 'stale':
    case 'not_resolved':
      return 'stale';
  }
}

/** GET: what the page shows for this token; changes nothing. */
export async function readRatingPage(ctx: ServiceContext, token: string): Promise<RatingPage> {
  const organisation = (await ctx.workspace.current()).config.workspace.name;
  const link = await findLink(ctx, token);
  const conversation = link === null ? null : await getConversation(ctx.database.db, link.conversationId);
  if (link === null || conversation === null) return { state: 'unknown', organisation, texts: ratingTextsFor(null) };
  return { state: stateOf(link, conversation, ctx.clock.now()), organisation, texts: ratingTextsFor(conversation.language) };
}

/** POST: rate with the link. `rated` once; every later post answers why not (`used`). */
export async function rateWithLink(
  ctx: ServiceContext,
  input: { readonly token: string; readonly score: number; readonly comment: string | null },
): Promise<RatingPage & { readonly rated: boolean }> {
  const organisation = (await ctx.workspace.current()).config.workspace.name;
  const link = await findLink(ctx, input.token);
  if (link === null) return { state: 'unknown', organisation, texts: ratingTextsFor(null), rated: false };
  const outcome = await withTransaction(ctx.database, async (trx) => {
    const conversation = await lockConversation(trx, link.conversationId);
    const texts = ratingTextsFor(conversation.language);
    const now = ctx.clock.now();
    // Read again under the row lock: a concurrent post of the same link waited for it.
    const fresh = (await findRatingLinkByHash(trx, hashToken(input.token))) ?? link;
    const state = stateOf(fresh, conversation, now);
    if (state !== 'open') return { state, texts, rated: false };
    if (!(await useRatingLink(trx, fresh.id, now))) return { state: 'used' as const, texts, rated: false };
    await rateInTransaction(trx, ctx, {
      conversationId: conversation.id,
      score: input.score,
      comment: input.comment,
      actor: `contact:${conversation.contactId}`,
      source: 'email',
      resolutionSeq: fresh.resolutionSeq,
    });
    return { state: 'used' as const, texts, rated: true };
  });
  if (outcome.rated) ctx.afterCommit({ kind: 'outbox' });
  return { ...outcome, organisation };
}
