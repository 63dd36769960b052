/**
 * Business hours as immutable values and pure functions.
 *
 * - Every answer is computed from the schedule and the instant passed in, in the schedule's
 *   IANA zone: no job flips "open" flags at opening time (RC #4898, #23894, PR #24112 drifted
 *   with daylight saving) and nothing is process-global (CW set global config per call).
 * - Many intervals a day, overnight intervals and holidays (CW #5254, #14009 had one interval
 *   a day and nothing past midnight).
 *
 * Semantics:
 * - Intervals are local wall-clock times `[start, end)`. On a day-light-saving change the wall
 *   clock decides: on a spring-forward day "01:00-05:00" is open three real hours, an opening
 *   at a skipped time (02:30 in Europe/Madrid on 2026-03-29) happens at the first instant the
 *   wall clock shows a later time (03:00 CEST), and on a fall-back day the repeated hour is
 *   open (or closed) both times.
 * - An overnight interval ("22:00-06:00" on fri) is split at compile time into fri 22:00-24:00
 *   and sat 00:00-06:00.
 * - A holiday closes its whole local date, also the part of an overnight interval that began
 *   the evening before; the part of a holiday evening's overnight interval that falls on the
 *   next (working) date stays open.
 */
import type { ErrorDetail } from '../../contract/common.js';
import type { ScheduleConfig } from '../../contract/config.js';
import type { DayInterval, Instant, Schedule } from '../model.js';
import {
  DAY_MS,
  MINUTE_MS,
  isValidTimezone,
  nextOffsetChange,
  offsetMsAt,
  WEEKDAY_NAMES,
  weekdayOfDay,
  zoneClockFor,
  type ZoneClock,
} from './zone-clock.js';

export { formatInstant } from './format-instant.js';

/** How far `nextOpeningAfter` / `nextClosingAfter` look ahead. */
export const SCHEDULE_HORIZON_MS = 366 * DAY_MS;
/** How many such stretches `addBusinessSeconds` walks before giving up (null). */
export const MAX_BUSINESS_WINDOWS = 5;

const MINUTES_PER_DAY = 1440;
const NO_INTERVALS: readonly DayInterval[] = Object.freeze([]);

interface Derived {
  readonly clock: ZoneClock;
  /** Index 1..7, sorted and merged. */
  readonly week: readonly (readonly DayInterval[])[];
  /** The same as milliseconds of the local day, flat `[start0, end0, start1, end1, …]`, index 1..7. */
  readonly weekMs: readonly Float64Array[];
  /** Holidays as local day numbers (days since 1970-01-01). */
  readonly holidayDays: ReadonlySet<number>;
  /**
   * Memo of the last `isOpenAt` answer: a routing decision asks about the same instant for
   * every agent sharing this schedule (2,000 agents, a handful of schedules).
   */
  lastAt: number;
  lastOpen: boolean;
  /**
   * Closed stretches `[gapFrom[i], gapOpening[i])` learnt from `nextOpeningAfter`, sorted and
   * disjoint: the schedule is closed throughout each, and opens at its end. Every conversation
   * queued at a closed place asks for the next opening; most ask within a known stretch.
   */
  gapFrom: number[];
  gapOpening: number[];
}

function makeDerived(
  timezone: string,
  week: readonly (readonly DayInterval[])[],
  holidays: ReadonlySet<string>,
): Derived {
  return {
    clock: zoneClockFor(timezone),
    week,
    weekMs: week.map((intervals) =>
      Float64Array.from(intervals.flatMap((interval) => [interval.start * MINUTE_MS, interval.end * MINUTE_MS])),
    ),
    holidayDays: holidayDayNumbers(holidays),
    lastAt: Number.NaN,
    lastOpen: false,
    gapFrom: [],
    gapOpening: [],
  };
}

/**
 * Schedules built by `compileSchedule` carry their derived form; a schedule built by hand
 * (a test, a simulation) gets it derived once and remembered per object.
 */
const DERIVED = Symbol('baton.schedule.derived');
type CompiledSchedule = Schedule & { readonly [DERIVED]?: Derived };
const derivedByObject = new WeakMap<Schedule, Derived>();

function derived(schedule: Schedule): Derived {
  const own = (schedule as CompiledSchedule)[DERIVED];
  if (own !== undefined) return own;
  let found = derivedByObject.get(schedule);
  if (found === undefined) {
    const week: (readonly DayInterval[])[] = [NO_INTERVALS];
    for (let day = 1; day <= 7; day += 1) week.push(mergeIntervals([...(schedule.week[day] ?? NO_INTERVALS)]));
    found = makeDerived(schedule.timezone, week, schedule.holidays);
    derivedByObject.set(schedule, found);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Compiling

/** Weekdays (1 = Monday … 7 = Sunday) of a day key: `mon`, `mon-fri`, `sat,sun`, `fri-mon` (wraps). */
export function parseDayKey(key: string): number[] | null {
  const days: number[] = [];
  for (const part of key.split(',')) {
    const [from, to, extra] = part.trim().split('-');
    if (extra !== undefined || from === undefined) return null;
    const first = WEEKDAY_NAMES.indexOf(from as (typeof WEEKDAY_NAMES)[number]) + 1;
    if (first === 0) return null;
    if (to === undefined) {
      days.push(first);
      continue;
    }
    const last = WEEKDAY_NAMES.indexOf(to as (typeof WEEKDAY_NAMES)[number]) + 1;
    if (last === 0) return null;
    for (let day = first; ; day = (day % 7) + 1) {
      days.push(day);
      if (day === last) break;
    }
  }
  return [...new Set(days)];
}

/** `"09:00-13:00"` → minutes `[540, 780]`; the end may be `24:00` (1440) or earlier than the start (overnight). */
export function parseInterval(text: string): { start: number; end: number } | null {
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const start = Number(match[1]) * 60 + Number(match[2]);
  const end = Number(match[3]) * 60 + Number(match[4]);
  if (Number(match[1]) > 23 || Number(match[2]) > 59 || Number(match[4]) > 59) return null;
  if (end > MINUTES_PER_DAY) return null;
  return { start, end };
}

function parseIsoDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

function holidayDayNumbers(holidays: ReadonlySet<string>): ReadonlySet<number> {
  const days = new Set<number>();
  for (const date of holidays) {
    const day = parseIsoDate(date);
    if (day !== null) days.add(day);
  }
  return days;
}

function mergeIntervals(intervals: DayInterval[]): readonly DayInterval[] {
  const sorted = intervals
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: DayInterval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) {
      merged[merged.length - 1] = Object.freeze({ start: last.start, end: Math.max(last.end, interval.end) });
    } else {
      merged.push(Object.freeze({ start: interval.start, end: interval.end }));
    }
  }
  return Object.freeze(merged);
}

/**
 * Every problem of a schedule that the zod schema does not catch (paths relative to the
 * schedule): unknown zone, impossible day keys, times or dates, empty intervals ("09:00-09:00"
 * could mean nothing or all day, so we refuse to guess).
 */
export function findScheduleProblems(config: ScheduleConfig): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!isValidTimezone(config.timezone)) {
    problems.push({ path: 'timezone', message: `unknown time zone "${config.timezone}"` });
  }
  for (const [key, intervals] of Object.entries(config.hours)) {
    if (parseDayKey(key) === null) {
      problems.push({ path: `hours.${key}`, message: `"${key}" is not days such as mon, mon-fri or sat,sun` });
    }
    intervals.forEach((text, index) => {
      const interval = parseInterval(text);
      if (interval === null) {
        problems.push({ path: `hours.${key}[${index}]`, message: `"${text}" is not an interval "HH:MM-HH:MM"` });
      } else if (interval.start === interval.end) {
        problems.push({
          path: `hours.${key}[${index}]`,
          message: `"${text}" is empty: write "00:00-24:00" for a whole day`,
        });
      }
    });
  }
  (config.holidays ?? []).forEach((date, index) => {
    if (parseIsoDate(date) === null) {
      problems.push({ path: `holidays[${index}]`, message: `"${date}" is not a calendar date YYYY-MM-DD` });
    }
  });
  return problems;
}

/** Compile a schedule of baton.yaml (day keys, intervals incl. overnight, holidays) into a value. */
export function compileSchedule(config: ScheduleConfig): Schedule {
  const problems = findScheduleProblems(config);
  if (problems.length > 0) {
    throw new Error(
      `schedule "${config.id}": ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
    );
  }
  const raw: DayInterval[][] = [[], [], [], [], [], [], [], []];
  for (const [key, texts] of Object.entries(config.hours)) {
    const days = parseDayKey(key) ?? [];
    for (const text of texts) {
      const interval = parseInterval(text);
      if (interval === null) continue;
      for (const day of days) {
        if (interval.end > interval.start) {
          raw[day]?.push(interval);
        } else {
          // Overnight: the part after midnight belongs to the next weekday (sun → mon).
          raw[day]?.push({ start: interval.start, end: MINUTES_PER_DAY });
          if (interval.end > 0) raw[(day % 7) + 1]?.push({ start: 0, end: interval.end });
        }
      }
    }
  }
  const week = Object.freeze(raw.map((intervals, day) => (day === 0 ? NO_INTERVALS : mergeIntervals(intervals))));
  const holidays: ReadonlySet<string> = new Set(config.holidays ?? []);
  const schedule: CompiledSchedule = {
    id: config.id,
    timezone: config.timezone,
    week,
    holidays,
    [DERIVED]: makeDerived(config.timezone, week, holidays),
  };
  return Object.freeze(schedule);
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Is the schedule open at this instant (in its own IANA zone, DST-correct)? */
export function isOpenAt(schedule: Schedule, at: Instant): boolean {
  // Hot path (per agent per decision): a memo hit, or one memoised offset and integer maths;
  // no allocation either way.
  const memo = derived(schedule);
  if (memo.lastAt === at) return memo.lastOpen;
  const open = computeIsOpenAt(memo, at);
  memo.lastAt = at;
  memo.lastOpen = open;
  return open;
}

function computeIsOpenAt(memo: Derived, at: Instant): boolean {
  const wall = at + offsetMsAt(memo.clock, at);
  if (!Number.isFinite(wall)) return false;
  const day = Math.floor(wall / DAY_MS);
  if (memo.holidayDays.size !== 0 && memo.holidayDays.has(day)) return false;
  const bounds = memo.weekMs[weekdayOfDay(day)];
  if (bounds === undefined) return false;
  const msOfDay = wall - day * DAY_MS;
  for (let index = 0; index < bounds.length; index += 2) {
    if (msOfDay < (bounds[index] ?? 0)) return false;
    if (msOfDay < (bounds[index + 1] ?? 0)) return true;
  }
  return false;
}

/**
 * Visits the open spans `[start, end)` (UTC instants) within `[from, to)` in order, stopping at
 * the first visit that returns a value. Adjacent spans (midnight, a DST change) are not merged.
 *
 * Time is cut into pieces of constant UTC offset; inside one piece the wall clock is UTC shifted
 * by the offset, so wall-clock intervals map back to instants by subtracting it. This is what
 * makes openings DST-correct: a 09:00 opening in Europe/Madrid is 08:00Z in winter, 07:00Z in
 * summer.
 */
/** Longest piece `findInOpenSpans` reads at once (see there). */
const PIECE_MAX_MS = 7 * DAY_MS;

function findInOpenSpans<T>(
  schedule: Schedule,
  from: Instant,
  to: Instant,
  visit: (start: Instant, end: Instant) => T | null,
): T | null {
  const { clock, week, holidayDays } = derived(schedule);
  let pieceStart = from;
  while (pieceStart < to) {
    const offset = offsetMsAt(clock, pieceStart);
    if (!Number.isFinite(offset)) return null;
    // A piece ends at the next offset change or a week on, whichever is first: the walk for the
    // change ahead costs a look-up per day up to it (months away: a visible share of a routing
    // decision whose SLA runs in business hours, bench/results/routing-profile.md), and most
    // visits stop within the first day or two. A
    // shorter piece has the same offset, so the spans are the same, only cut at its end; every
    // visitor here reads cut spans as it reads spans cut at midnight.
    const pieceEnd = nextOffsetChange(clock, pieceStart, Math.min(to, pieceStart + PIECE_MAX_MS));
    const wallFrom = pieceStart + offset;
    const wallTo = pieceEnd + offset;
    for (let day = Math.floor(wallFrom / DAY_MS); day * DAY_MS < wallTo; day += 1) {
      if (holidayDays.has(day)) continue;
      const dayStart = day * DAY_MS;
      for (const interval of week[weekdayOfDay(day)] ?? NO_INTERVALS) {
        const start = Math.max(dayStart + interval.start * MINUTE_MS, wallFrom);
        const end = Math.min(dayStart + interval.end * MINUTE_MS, wallTo);
        if (start < end) {
          const found = visit(start - offset, end - offset);
          if (found !== null) return found;
        }
      }
    }
    pieceStart = pieceEnd;
  }
  return null;
}

/** The first instant ≥ `at` at which the schedule is open; `at` itself when open now; null if never within 366 days. */
export function nextOpeningAfter(schedule: Schedule, at: Instant): Instant | null {
  if (!Number.isFinite(at)) return null;
  if (isOpenAt(schedule, at)) return at;
  const memo = derived(schedule);
  const known = knownOpening(memo, at);
  if (known !== null) return known;
  const opening = findInOpenSpans(schedule, at, at + SCHEDULE_HORIZON_MS, (start) => start);
  if (opening !== null) learnGap(memo, at, opening);
  return opening;
}

/** Bound on remembered closed stretches per schedule; the memo restarts when full. */
const MAX_GAPS = 512;

/**
 * The opening that ends a known closed stretch holding `at`, or null. Exact: when the first open
 * span found from `from` starts at `opening`, the spans found from any later `at` before it are
 * the same spans cut at `at` (the same pieces, days and intervals, in the same order), so the
 * first one still starts at `opening`.
 */
function knownOpening(memo: Derived, at: Instant): Instant | null {
  const openings = memo.gapOpening;
  // The first stretch whose opening is after `at`.
  let lo = 0;
  let hi = openings.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (openings[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  if (lo < openings.length && memo.gapFrom[lo]! <= at) return openings[lo]!;
  return null;
}

function learnGap(memo: Derived, from: Instant, opening: Instant): void {
  const openings = memo.gapOpening;
  let lo = 0;
  let hi = openings.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (openings[mid]! < opening) lo = mid + 1;
    else hi = mid;
  }
  if (lo < openings.length && openings[lo] === opening) {
    // The same stretch seen from earlier: it is closed from `from` on as well.
    if (from < memo.gapFrom[lo]!) memo.gapFrom[lo] = from;
    return;
  }
  if (openings.length >= MAX_GAPS) {
    memo.gapFrom = [];
    memo.gapOpening = [];
    lo = 0;
  }
  memo.gapFrom.splice(lo, 0, from);
  memo.gapOpening.splice(lo, 0, opening);
}

/**
 * The first instant ≥ `at` at which the schedule is closed: `at` itself when closed now; the end
 * of the current opening otherwise (an overnight opening closes in the morning); null when it
 * stays open for the next 366 days (a 24/7 schedule).
 */
export function nextClosingAfter(schedule: Schedule, at: Instant): Instant | null {
  if (!Number.isFinite(at)) return null;
  if (!isOpenAt(schedule, at)) return at;
  const horizon = at + SCHEDULE_HORIZON_MS;
  let openUntil = at;
  const closing = findInOpenSpans(schedule, at, horizon, (start, end) => {
    if (start > openUntil) return openUntil;
    openUntil = Math.max(openUntil, end);
    return null;
  });
  if (closing !== null) return closing;
  return openUntil < horizon ? openUntil : null;
}

/**
 * Open seconds between two instants (0 when `to` is not after `from`). Instants are
 * milliseconds, so the result has millisecond precision.
 */
export function businessSecondsBetween(schedule: Schedule, from: Instant, to: Instant): number {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return 0;
  let openMs = 0;
  findInOpenSpans(schedule, from, to, (start, end) => {
    openMs += end - start;
    return null;
  });
  return openMs / 1000;
}

/**
 * The instant when `seconds` of open time have passed after `from` (SLA due times in business
 * time): the earliest `t` with `businessSecondsBetween(from, t) === seconds`, so a due time never
 * lands in closed hours except exactly at a closing. `from` itself for seconds ≤ 0; null when
 * the schedule has no open time within a 366-day stretch, or not enough within
 * MAX_BUSINESS_WINDOWS of them (a schedule open minutes a week and a target of months would
 * otherwise walk thousands of years, holding the event loop).
 */
export function addBusinessSeconds(schedule: Schedule, from: Instant, seconds: number): Instant | null {
  if (!Number.isFinite(from) || !Number.isFinite(seconds)) return null;
  if (seconds <= 0) return from;
  let remainingMs = seconds * 1000;
  const giveUpAt = from + MAX_BUSINESS_WINDOWS * SCHEDULE_HORIZON_MS;
  for (let windowStart = from; windowStart < giveUpAt; windowStart += SCHEDULE_HORIZON_MS) {
    let openInWindow = 0;
    const due = findInOpenSpans(schedule, windowStart, windowStart + SCHEDULE_HORIZON_MS, (start, end) => {
      const length = end - start;
      if (length >= remainingMs) return start + remainingMs;
      remainingMs -= length;
      openInWindow += length;
      return null;
    });
    if (due !== null) return due;
    if (openInWindow === 0) return null;
  }
  return null;
}
