/**
 * What a realtime socket reads: where it starts (its admission) and the stored frames after a
 * seq for its audiences, in the contract's frame shape.
 */
import type { RealtimeFrame } from '../../contract/realtime.js';
import { firstStreamSeq, lastStreamSeq, readStream, streamAudiencesBetween } from '../../store/repositories/stream.js';
import type { ServiceContext } from '../context.js';

export interface StreamAdmission {
  /** Send stored frames with seq greater than this. */
  readonly after: number;
  /** Frames between `after` and the oldest one kept were pruned (BATON_STREAM_RETENTION_HOURS): reload over REST. */
  readonly truncated: boolean;
}

/**
 * Without `after`: live from now. The last seq is read before the socket registers with the hub,
 * and the connection reads once right after registering, so a row committed in between is sent,
 * not lost.
 */
export async function admitToStream(ctx: ServiceContext, after: number | undefined): Promise<StreamAdmission> {
  if (after === undefined) return { after: await lastStreamSeq(ctx.database.db), truncated: false };
  const first = await firstStreamSeq(ctx.database.db);
  return { after, truncated: first !== null && after < first - 1 };
}

/** Stored frames of `audiences` with seq greater than `after`, oldest first, at most `limit`. */
export async function readStreamFrames(ctx: ServiceContext, audiences: readonly string[], after: number, limit: number): Promise<RealtimeFrame[]> {
  const rows = await readStream(ctx.database.db, { audiences, after, limit });
  return rows.map((row) => ({ seq: row.seq, type: row.type as RealtimeFrame['type'], conversationId: row.conversationId, data: { ...row.data } }));
}

/** How far the stream has gone: its highest seq (0 when empty). */
export function streamHead(ctx: ServiceContext): Promise<number> {
  return lastStreamSeq(ctx.database.db);
}

/** The audiences that got frames with `after` < seq ≤ `upTo`, at most `limit` of them. */
export function audiencesMovedBetween(ctx: ServiceContext, after: number, upTo: number, limit: number): Promise<string[]> {
  return streamAudiencesBetween(ctx.database.db, after, upTo, limit);
}
