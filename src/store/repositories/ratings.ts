import type { Executor } from '../database.js';
import type { RatingLinkRow, RatingRow } from '../schema.js';
import { toIntBool } from '../json.js';
import { createId } from '../../platform/runtime.js';

/**
 * CSAT, one rating per resolution: a conversation resolved, reopened and resolved again is rated
 * again. A resolution is named by the seq of the `conversation.status_changed` event that made it
 * (`conversations.resolution_seq`); the unique key (conversation, resolution) refuses a second
 * rating even past a caller that forgot the row lock. And the rating page's links: single-use,
 * expiring, only the SHA-256 of their token stored (hashing is the caller's, src/platform/secrets).
 */

export type RatingSource = 'widget' | 'email' | 'api';

export interface RatingRecord {
  readonly id: string;
  readonly conversationId: string;
  readonly resolutionSeq: number;
  readonly score: number;
  readonly comment: string | null;
  readonly handedOff: boolean;
  readonly source: RatingSource;
  readonly actor: string | null;
  readonly createdAt: number;
}

function rowToRating(row: RatingRow): RatingRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    resolutionSeq: Number(row.resolution_seq),
    score: Number(row.score),
    comment: row.comment,
    handedOff: Number(row.handed_off) === 1,
    source: row.source as RatingSource,
    actor: row.actor,
    createdAt: Number(row.created_at),
  };
}

export async function insertRating(ex: Executor, input: Omit<RatingRecord, 'id'> & { readonly id?: string }): Promise<RatingRecord> {
  const row = await ex
    .insertInto('ratings')
    .values({
      id: input.id ?? createId(),
      conversation_id: input.conversationId,
      resolution_seq: input.resolutionSeq,
      score: input.score,
      comment: input.comment,
      handed_off: toIntBool(input.handedOff),
      source: input.source,
      actor: input.actor,
      created_at: input.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToRating(row);
}

/** Every rating of a conversation, oldest resolution first. */
export async function listRatings(ex: Executor, conversationId: string): Promise<RatingRecord[]> {
  const rows = await ex.selectFrom('ratings').selectAll().where('conversation_id', '=', conversationId).orderBy('resolution_seq').execute();
  return rows.map(rowToRating);
}

export interface RatingLinkRecord {
  readonly id: string;
  readonly conversationId: string;
  readonly resolutionSeq: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
}

function rowToRatingLink(row: RatingLinkRow): RatingLinkRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    resolutionSeq: Number(row.resolution_seq),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: row.used_at === null ? null : Number(row.used_at),
  };
}

/** The link of a resolution (one per resolution: a second resolve is a new resolution). */
export async function createRatingLink(
  ex: Executor,
  input: { readonly conversationId: string; readonly resolutionSeq: number; readonly tokenHash: string; readonly now: number; readonly expiresAt: number },
): Promise<RatingLinkRecord> {
  const row = await ex
    .insertInto('rating_links')
    .values({
      id: createId(),
      conversation_id: input.conversationId,
      resolution_seq: input.resolutionSeq,
      token_hash: input.tokenHash,
      created_at: input.now,
      expires_at: input.expiresAt,
      used_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToRatingLink(row);
}

/** The link with this token hash, whatever its state (the caller explains why it cannot be used). */
export async function findRatingLinkByHash(ex: Executor, tokenHash: string): Promise<RatingLinkRecord | null> {
  const row = await ex.selectFrom('rating_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row === undefined ? null : rowToRatingLink(row);
}

/**
 * Use the link: a conditional UPDATE (unused, unexpired), so of two concurrent posts of one link
 * exactly one changes a row. True when this call used it.
 */
export async function useRatingLink(ex: Executor, id: string, now: number): Promise<boolean> {
  const result = await ex
    .updateTable('rating_links')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
