/**
 * A report's dates in the workspace's time zone as instants, and the local day of an instant as
 * integer arithmetic the databases can do: within a stretch of constant UTC offset, the local day
 * number (days since 1970-01-01, local) is floor((t + offset) / 86 400 000). A year has at most a
 * few such stretches (daylight-saving changes), found here once per request.
 */
import { DateTime, IANAZone } from 'luxon';

export const DAY_MS = 86_400_000;
const STEP_MS = 7 * DAY_MS;

/** A stretch [fromMs, untilMs) of one UTC offset. */
export interface OffsetStretch {
  readonly fromMs: number;
  readonly untilMs: number;
  readonly offsetMs: number;
}

export interface ReportRange {
  /** The first instant of `from`, local. */
  readonly fromMs: number;
  /** The first instant of the day after `to`, local (exclusive). */
  readonly toMs: number;
  readonly stretches: readonly OffsetStretch[];
}

function offsetMsAt(zone: IANAZone, at: number): number {
  return zone.offset(at) * 60_000;
}

/** `from`/`to` are YYYY-MM-DD (inclusive), already checked; `zone` an IANA zone name. */
export function reportRange(from: string, to: string, zoneName: string): ReportRange {
  const zone = IANAZone.create(zoneName);
  const fromMs = DateTime.fromISO(from, { zone }).startOf('day').toMillis();
  const toMs = DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day').toMillis();
  const stretches: OffsetStretch[] = [];
  let start = fromMs;
  let offset = offsetMsAt(zone, start);
  let probe = start;
  // Step a week at a time (an offset lookup costs ~35 µs; zones change offset months apart, never
  // there and back within a week); where the offset differs, find the change to the millisecond.
  while (start < toMs) {
    const next = Math.min(probe + STEP_MS, toMs);
    const last = next === toMs ? toMs - 1 : next;
    if (offsetMsAt(zone, last) === offset) {
      if (next === toMs) {
        stretches.push({ fromMs: start, untilMs: toMs, offsetMs: offset });
        break;
      }
      probe = next;
      continue;
    }
    let lo = probe;
    let hi = last;
    // lo has the stretch's offset, hi another: halve to the first instant of the new one.
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetMsAt(zone, mid) === offset) lo = mid;
      else hi = mid;
    }
    stretches.push({ fromMs: start, untilMs: hi, offsetMs: offset });
    start = hi;
    probe = hi;
    offset = offsetMsAt(zone, hi);
  }
  return { fromMs, toMs, stretches };
}

/** The local day number of an instant (the same arithmetic as the SQL). */
export function localDayNumber(range: ReportRange, at: number): number {
  const stretch = range.stretches.find((s) => at < s.untilMs) ?? range.stretches[range.stretches.length - 1];
  return Math.floor((at + (stretch?.offsetMs ?? 0)) / DAY_MS);
}

/** Day number → YYYY-MM-DD. */
export function dayLabel(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday that starts an ISO week of a day number (1970-01-01 was a Thursday). */
export function weekStartDay(dayNumber: number): number {
  return dayNumber - ((dayNumber + 3) % 7);
}
