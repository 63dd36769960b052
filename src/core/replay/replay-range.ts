import { DateTime, IANAZone } from 'luxon';

/**
 * Local dates (YYYY-MM-DD, both included, already checked) in an IANA zone as instants:
 * [first instant of `from`, first instant of the day after `to`).
 */
export function localDateRange(
  from: string,
  to: string,
  zoneName: string,
): { readonly fromMs: number; readonly toMs: number } {
  const zone = IANAZone.create(zoneName);
  const fromMs = DateTime.fromISO(from, { zone }).startOf('day').toMillis();
  const toMs = DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day').toMillis();
  return { fromMs, toMs };
}
