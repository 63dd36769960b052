import { BatonError } from '../../platform/errors.js';

/** Where a newest-first page ends: the `createdAt` and id of its last item (the next page starts after it). */
export interface CreatedAtPosition {
  readonly createdAt: number;
  readonly id: string;
}

/** The opaque `nextCursor` of a newest-first list (audit log, deliveries). */
export function encodeCreatedAtCursor(item: CreatedAtPosition): string {
  return Buffer.from(`${item.createdAt}:${item.id}`, 'utf8').toString('base64url');
}

/** A `cursor` query parameter back to its position; `invalid` when it is not one this API wrote. */
export function decodeCreatedAtCursor(cursor: string): CreatedAtPosition {
  const match = /^(\d+):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BatonError('invalid', 'invalid cursor', { details: [{ path: 'query.cursor', message: 'not a cursor from this endpoint' }] });
  return { createdAt: Number(match[1]), id: match[2] ?? '' };
}
