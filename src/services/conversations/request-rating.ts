/**
 * The rating link of an email conversation's resolution (issue 18): a single-use link to a small
 * rating page, sent to the customer through the outbox in the resolution's own transaction. Only
 * the SHA-256 of its 256-bit token is stored (`rating_links`, as invitations do); the outbox row
 * holds the link until the mail is sent and drops it then (`redactWhenDone`), the one copy of the
 * token the database sees. Chat customers are asked in the widget and in-app ones by their app
 * (POST /api/conversations/{id}/rating), so only email conversations get a link.
 */
import { hashToken } from '../../platform/secrets.js';
import type { Executor } from '../../store/database.js';
import type { ConversationRecord } from '../../store/repositories/conversations.js';
import { enqueue } from '../../store/repositories/outbox.js';
import { createRatingLink } from '../../store/repositories/ratings.js';
import type { ServiceContext } from '../context.js';

/** A rating link works for 30 days after the resolution. */
export const RATING_LINK_TTL_MS = 30 * 24 * 3_600_000;

/** The outbox kind that emails the link (delivery/rating-request-job.ts); a `deliver.*` kind, listed with the deliveries. */
export const RATING_REQUEST_JOB = 'deliver.rating_request';

/** The rating page of a token (`BATON_PUBLIC_URL`, default http://localhost:3000). */
export function ratingUrl(ctx: ServiceContext, token: string): string {
  const base = (ctx.env.BATON_PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  return `${base}/rate/${token}`;
}

/**
 * In the resolution's transaction. `token` is made by the caller before the transaction opens (a
 * transaction's body may run twice: it must write the same both times).
 */
export async function requestRating(
  trx: Executor,
  ctx: ServiceContext,
  input: { readonly conversation: ConversationRecord; readonly resolutionSeq: number; readonly token: string; readonly now: number },
): Promise<boolean> {
  if (input.conversation.channelType !== 'email') return false;
  const conversationId = input.conversation.id;
  await createRatingLink(trx, {
    conversationId,
    resolutionSeq: input.resolutionSeq,
    tokenHash: hashToken(input.token),
    now: input.now,
    expiresAt: input.now + RATING_LINK_TTL_MS,
  });
  await enqueue(trx, {
    kind: RATING_REQUEST_JOB,
    idempotencyKey: `${conversationId}:${RATING_REQUEST_JOB}:${input.resolutionSeq}`,
    payload: { conversationId, resolutionSeq: input.resolutionSeq, link: ratingUrl(ctx, input.token) },
    now: input.now,
  });
  return true;
}
