import { IANAZone } from 'luxon';
import type { Instant } from '../model.js';

/**
 * UTC offsets of one IANA zone, memoised per UTC hour.
 *
 * Luxon (like any Intl-based code) is slow per offset look-up, and `isOpenAt` runs per agent
 * per routing decision (bench/results/routing-profile.md), so offsets are cached per UTC hour
 * ("bucket").
 * An hour is assumed to hold at most one offset change, and a UTC day to never change the
 * offset and change it back: true of every zone in the tz database since 1970. A bucket that
 * holds a change stores the exact instant of the change (found once by bisection), so answers
 * are exact — including zones whose changes fall on the half hour (America/St_Johns).
 *
 * The cache is a memo of a pure function, not state: the same inputs always give the same
 * answer (RC #23894: open/closed was derived from cached flags that drifted; we derive it
 * from the clock each time and only memoise the zone arithmetic).
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

interface OffsetBucket {
  /** Offset (ms) at the start of the bucket. */
  readonly before: number;
  /** Offset (ms) from `switchAt` to the end of the bucket; equals `before` when constant. */
  readonly after: number;
  /** Instant of the offset change inside the bucket, or +Infinity when there is none. */
  readonly switchAt: number;
}

export interface ZoneClock {
  readonly timezone: string;
  readonly zone: IANAZone;
  lastBucket: number;
  lastEntry: OffsetBucket;
  readonly buckets: Map<number, OffsetBucket>;
}

/** Bound on memoised hours per zone (~11 years of hours); the memo restarts when full. */
const MAX_BUCKETS = 100_000;

const clocks = new Map<string, ZoneClock>();

const NO_ENTRY: OffsetBucket = { before: Number.NaN, after: Number.NaN, switchAt: Number.POSITIVE_INFINITY };

/**
 * Luxon answers by constructing an `Intl.DateTimeFormat` each time, too slow to ask per decision
 * (bench/results/routing-profile.md). Zones come from customers too, so the memo is bounded and
 * restarts when full rather than growing with whatever strings arrive.
 */
const validZones = new Map<string, boolean>();
const MAX_VALID_ZONES = 1_000;

export function isValidTimezone(timezone: string): boolean {
  let valid = validZones.get(timezone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(timezone);
    if (validZones.size >= MAX_VALID_ZONES) validZones.clear();
    validZones.set(timezone, valid);
  }
  return valid;
}

/** The (shared) clock of a zone. Throws on a zone the runtime does not know. */
export function zoneClockFor(timezone: string): ZoneClock {
  let clock = clocks.get(timezone);
  if (clock === undefined) {
    if (!isValidTimezone(timezone)) throw new Error(`unknown time zone "${timezone}"`);
    clock = { timezone, zone: IANAZone.create(timezone), lastBucket: Number.NaN, lastEntry: NO_ENTRY, buckets: new Map() };
    clocks.set(timezone, clock);
  }
  return clock;
}

function luxonOffsetMs(clock: ZoneClock, at: number): number {
  return clock.zone.offset(at) * MINUTE_MS;
}

function computeBucket(clock: ZoneClock, bucket: number): OffsetBucket {
  const start = bucket * HOUR_MS;
  const before = luxonOffsetMs(clock, start);
  const after = luxonOffsetMs(clock, start + HOUR_MS - 1);
  if (before === after || Number.isNaN(before) || Number.isNaN(after)) {
    return { before, after: before, switchAt: Number.POSITIVE_INFINITY };
  }
  // Luxon resolves offsets per whole second, so bisect on seconds: lo has `before`, hi has `after`.
  let lo = Math.floor(start / 1000);
  let hi = Math.floor((start + HOUR_MS - 1) / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (luxonOffsetMs(clock, mid * 1000) === before) lo = mid;
    else hi = mid;
  }
  return { before, after, switchAt: hi * 1000 };
}

/** From 1970 to 2100 a UTC day whose first and last instants share an offset has it throughout. */
const WHOLE_DAYS_FROM = 0;
const WHOLE_DAYS_UNTIL = Date.UTC(2100, 0, 1) / DAY_MS;

/**
 * A missing hour's offsets. A UTC day never changes the offset and changes it back (see the
 * header), so a day whose two ends share one offset has it in all 24 hours: one look-up at each
 * end fills the day, where each new hour cost two, and first-time hours set the routing
 * benchmark's tail (bench/results/routing-profile.md). A day with a change is filled hour by
 * hour, as before.
 */
function fillBucket(clock: ZoneClock, bucket: number): OffsetBucket {
  const day = Math.floor(bucket / 24);
  if (day >= WHOLE_DAYS_FROM && day < WHOLE_DAYS_UNTIL) {
    const start = day * DAY_MS;
    const before = luxonOffsetMs(clock, start);
    if (!Number.isNaN(before) && luxonOffsetMs(clock, start + DAY_MS - 1) === before) {
      const entry: OffsetBucket = { before, after: before, switchAt: Number.POSITIVE_INFINITY };
      if (clock.buckets.size + 24 > MAX_BUCKETS) clock.buckets.clear();
      for (let hour = day * 24; hour < day * 24 + 24; hour += 1) clock.buckets.set(hour, entry);
      return entry;
    }
  }
  if (clock.buckets.size >= MAX_BUCKETS) clock.buckets.clear();
  const entry = computeBucket(clock, bucket);
  clock.buckets.set(bucket, entry);
  return entry;
}

function bucketEntry(clock: ZoneClock, bucket: number): OffsetBucket {
  if (clock.lastBucket === bucket) return clock.lastEntry;
  let entry = clock.buckets.get(bucket);
  if (entry === undefined) entry = fillBucket(clock, bucket);
  clock.lastBucket = bucket;
  clock.lastEntry = entry;
  return entry;
}

/** Offset of the zone at `at`, in milliseconds (local wall time = at + offset). NaN out of range. */
export function offsetMsAt(clock: ZoneClock, at: Instant): number {
  const entry = bucketEntry(clock, Math.floor(at / HOUR_MS));
  return at < entry.switchAt ? entry.before : entry.after;
}

/**
 * The first instant after `at` at which the offset differs from the offset at `at`,
 * or `limit` when there is none before `limit`.
 */
export function nextOffsetChange(clock: ZoneClock, at: Instant, limit: Instant): Instant {
  let bucket = Math.floor(at / HOUR_MS);
  const first = bucketEntry(clock, bucket);
  const offset = at < first.switchAt ? first.before : first.after;
  if (at < first.switchAt && first.switchAt !== Number.POSITIVE_INFINITY) return Math.min(first.switchAt, limit);
  bucket += 1;
  while (bucket * HOUR_MS < limit) {
    const entry = bucketEntry(clock, bucket);
    if (entry.before !== offset) return Math.min(bucket * HOUR_MS, limit);
    if (entry.switchAt !== Number.POSITIVE_INFINITY) return Math.min(entry.switchAt, limit);
    // Skip to the next UTC midnight when the offset there is unchanged (see the header).
    const nextDay = (Math.floor(bucket / 24) + 1) * 24;
    if (nextDay - bucket > 1 && bucketEntry(clock, nextDay).before === offset) bucket = nextDay;
    else bucket += 1;
  }
  return limit;
}

/** Days since 1970-01-01 of a local wall time expressed as epoch-like milliseconds. */
export function localDayNumber(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS);
}

/** Weekday names as configuration and conditions write them; `WEEKDAY_NAMES[weekday - 1]` for a Luxon weekday. */
export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Luxon weekday (1 = Monday … 7 = Sunday) of a local day number; day 0 (1970-01-01) was a Thursday. */
export function weekdayOfDay(day: number): number {
  // `| 0` keeps this integer maths: `%` on a double is a slow fmod call in V8
  // (bench/results/routing-profile.md), and this runs per agent per decision. Day numbers are
  // far inside int32 for any real date.
  const remainder = ((day | 0) + 3) % 7;
  return (remainder < 0 ? remainder + 7 : remainder) + 1;
}
