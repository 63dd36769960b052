/**
 * The cursor of a ranked result list: how many results the pages before have shown. Ranked
 * lists have no stable key to seek from (a score changes as messages arrive), so they page by
 * position, bounded: nobody reads past the 10,000th result, and a deeper offset costs the
 * database the rows it skips.
 */
import { BatonError } from '../../platform/errors.js';

export const MAX_RESULT_OFFSET = 10_000;

export function encodeOffsetCursor(offset: number): string {
  return Buffer.from(JSON.stringify(['s', offset]), 'utf8').toString('base64url');
}

/** The offset, or a 422 naming `cursor`. */
export function decodeOffsetCursor(text: string): number {
  let value: unknown = null;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (Array.isArray(value) && value.length === 2 && value[0] === 's') {
    const offset: unknown = value[1];
    if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 && offset <= MAX_RESULT_OFFSET) return offset;
  }
  throw new BatonError('invalid', 'cursor is not one this API returned for this search', { details: [{ path: 'cursor', message: 'unknown cursor' }] });
}
