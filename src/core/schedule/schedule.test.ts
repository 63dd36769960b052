import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ScheduleConfig } from '../../contract/config.js';
import type { Schedule } from '../model.js';
import {
  addBusinessSeconds,
  businessSecondsBetween,
  compileSchedule,
  findScheduleProblems,
  formatInstant,
  isOpenAt,
  nextClosingAfter,
  nextOpeningAfter,
  parseDayKey,
} from './schedule.js';

const HOUR = 3600;

function aSchedule(hours: ScheduleConfig['hours'], options: Partial<ScheduleConfig> = {}): Schedule {
  return compileSchedule({ id: 'office', timezone: 'Europe/Madrid', holidays: [], ...options, hours });
}

/** An ISO local time in a zone → instant. */
function local(text: string, zone = 'Europe/Madrid'): number {
  const dateTime = DateTime.fromISO(text, { zone });
  if (!dateTime.isValid) throw new Error(`bad test time ${text}`);
  return dateTime.toMillis();
}

const utc = (text: string): number => Date.parse(text);
const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

const office = aSchedule(
  { 'mon-fri': ['09:00-13:00', '14:00-18:00'] },
  { holidays: ['2026-12-25', '2027-01-01'] },
);

describe('compiling business hours', () => {
  it('reads single days, ranges, lists and ranges that wrap past Sunday', () => {
    expect(parseDayKey('mon')).toEqual([1]);
    expect(parseDayKey('mon-fri')).toEqual([1, 2, 3, 4, 5]);
    expect(parseDayKey('sat,sun')).toEqual([6, 7]);
    expect(parseDayKey('fri-mon')).toEqual([5, 6, 7, 1]);
    expect(parseDayKey('mon-wed,fri')).toEqual([1, 2, 3, 5]);
    expect(parseDayKey('funday')).toBeNull();
  });

  it('keeps several intervals a day, sorted, and merges overlapping or touching ones', () => {
    const schedule = aSchedule({
      mon: ['14:00-18:00', '09:00-12:00', '11:30-13:00'],
      tue: ['09:00-12:00', '12:00-13:00'],
      'mon-tue': ['20:00-21:00'],
    });
    expect(schedule.week[1]).toEqual([
      { start: 540, end: 780 },
      { start: 840, end: 1080 },
      { start: 1200, end: 1260 },
    ]);
    expect(schedule.week[2]).toEqual([
      { start: 540, end: 780 },
      { start: 1200, end: 1260 },
    ]);
    expect(schedule.week[3]).toEqual([]);
  });

  it('splits an overnight interval into the evening and the next morning, Sunday night into Monday', () => {
    const schedule = aSchedule({ fri: ['22:00-06:00'], sun: ['23:00-01:30'], sat: ['00:00-24:00'] });
    expect(schedule.week[5]).toEqual([{ start: 1320, end: 1440 }]);
    expect(schedule.week[6]).toEqual([{ start: 0, end: 1440 }]);
    expect(schedule.week[7]).toEqual([{ start: 1380, end: 1440 }]);
    expect(schedule.week[1]).toEqual([{ start: 0, end: 90 }]);
  });

  it('treats an interval ending at midnight as closing the day, not as overnight', () => {
    const schedule = aSchedule({ mon: ['20:00-00:00', '08:00-24:00'] });
    expect(schedule.week[1]).toEqual([{ start: 480, end: 1440 }]);
    expect(schedule.week[2]).toEqual([]);
  });

  it('refuses an empty interval, an unknown zone and an impossible holiday, listing every problem', () => {
    const config: ScheduleConfig = {
      id: 'broken',
      timezone: 'Mars/Olympus',
      hours: { mon: ['09:00-09:00', '10:00-11:00'] },
      holidays: ['2026-02-30', '2026-12-25'],
    };
    expect(findScheduleProblems(config)).toEqual([
      { path: 'timezone', message: 'unknown time zone "Mars/Olympus"' },
      { path: 'hours.mon[0]', message: '"09:00-09:00" is empty: write "00:00-24:00" for a whole day' },
      { path: 'holidays[0]', message: '"2026-02-30" is not a calendar date YYYY-MM-DD' },
    ]);
    expect(() => compileSchedule(config)).toThrow(/schedule "broken": timezone: unknown time zone/);
  });
});

describe('open or closed at an instant', () => {
  it('is open in the morning and afternoon and closed over lunch', () => {
    expect(isOpenAt(office, local('2026-11-25T08:59:59'))).toBe(false);
    expect(isOpenAt(office, local('2026-11-25T09:00'))).toBe(true);
    expect(isOpenAt(office, local('2026-11-25T12:59:59.999'))).toBe(true);
    expect(isOpenAt(office, local('2026-11-25T13:00'))).toBe(false);
    expect(isOpenAt(office, local('2026-11-25T13:59'))).toBe(false);
    expect(isOpenAt(office, local('2026-11-25T14:00'))).toBe(true);
    expect(isOpenAt(office, local('2026-11-25T17:59:59.999'))).toBe(true);
    expect(isOpenAt(office, local('2026-11-25T18:00'))).toBe(false);
  });

  it('opens at 09:00 Madrid time: 08:00Z in winter and 07:00Z in summer', () => {
    expect(isOpenAt(office, utc('2026-11-25T07:59:00Z'))).toBe(false);
    expect(isOpenAt(office, utc('2026-11-25T08:00:00Z'))).toBe(true);
    expect(isOpenAt(office, utc('2026-06-24T06:59:00Z'))).toBe(false);
    expect(isOpenAt(office, utc('2026-06-24T07:00:00Z'))).toBe(true);
    expect(isOpenAt(office, utc('2026-06-24T15:59:00Z'))).toBe(true);
    expect(isOpenAt(office, utc('2026-06-24T16:00:00Z'))).toBe(false);
  });

  it('is closed at the weekend', () => {
    expect(isOpenAt(office, local('2026-11-28T10:00'))).toBe(false);
    expect(isOpenAt(office, local('2026-11-29T10:00'))).toBe(false);
  });

  it('covers Friday night into Saturday morning with an overnight interval', () => {
    const nights = aSchedule({ fri: ['22:00-06:00'] });
    expect(isOpenAt(nights, local('2026-11-27T21:59'))).toBe(false);
    expect(isOpenAt(nights, local('2026-11-27T22:00'))).toBe(true);
    expect(isOpenAt(nights, local('2026-11-28T00:00'))).toBe(true);
    expect(isOpenAt(nights, local('2026-11-28T05:59'))).toBe(true);
    expect(isOpenAt(nights, local('2026-11-28T06:00'))).toBe(false);
    expect(isOpenAt(nights, local('2026-11-28T23:00'))).toBe(false);
    expect(isOpenAt(nights, local('2026-11-27T03:00'))).toBe(false);
  });

  it('is closed all day on a holiday', () => {
    expect(isOpenAt(office, local('2026-12-24T10:00'))).toBe(true);
    expect(isOpenAt(office, local('2026-12-25T10:00'))).toBe(false);
    expect(isOpenAt(office, local('2026-12-25T15:00'))).toBe(false);
    expect(isOpenAt(office, local('2026-12-28T10:00'))).toBe(true);
  });

  it('closes an overnight shift at midnight when the next day is a holiday, and opens one at midnight after a holiday evening', () => {
    const nights = aSchedule({ 'mon-sun': ['22:00-06:00'] }, { holidays: ['2026-12-25'] });
    expect(isOpenAt(nights, local('2026-12-24T23:30'))).toBe(true);
    expect(isOpenAt(nights, local('2026-12-25T00:30'))).toBe(false);
    expect(isOpenAt(nights, local('2026-12-25T23:00'))).toBe(false);
    expect(isOpenAt(nights, local('2026-12-26T00:00'))).toBe(true);
    expect(nextOpeningAfter(nights, local('2026-12-25T12:00'))).toBe(local('2026-12-26T00:00'));
    expect(nextClosingAfter(nights, local('2026-12-24T23:00'))).toBe(local('2026-12-25T00:00'));
  });

  it('answers for a schedule built by hand, not only for compiled ones', () => {
    const handMade: Schedule = {
      id: 'hand',
      timezone: 'America/New_York',
      week: [[], [{ start: 540, end: 1020 }], [], [], [], [], [], []],
      holidays: new Set(['2026-11-30']),
    };
    expect(isOpenAt(handMade, local('2026-11-23T09:30', 'America/New_York'))).toBe(true);
    expect(isOpenAt(handMade, local('2026-11-30T09:30', 'America/New_York'))).toBe(false);
    expect(nextOpeningAfter(handMade, local('2026-11-30T09:30', 'America/New_York'))).toBe(
      local('2026-12-07T09:00', 'America/New_York'),
    );
  });
});

describe('daylight saving changes', () => {
  it('Madrid spring forward: a night shift is an hour shorter and an opening at a skipped time happens at 03:00', () => {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00Z).
    const early = aSchedule({ sun: ['01:00-05:00'] });
    expect(businessSecondsBetween(early, utc('2026-03-28T12:00:00Z'), utc('2026-03-30T00:00:00Z'))).toBe(3 * HOUR);
    expect(nextOpeningAfter(early, utc('2026-03-28T12:00:00Z'))).toBe(utc('2026-03-29T00:00:00Z'));
    expect(nextClosingAfter(early, utc('2026-03-29T00:30:00Z'))).toBe(utc('2026-03-29T03:00:00Z'));

    const skipped = aSchedule({ sun: ['02:30-04:00'] });
    expect(isOpenAt(skipped, utc('2026-03-29T00:59:59Z'))).toBe(false);
    expect(isOpenAt(skipped, utc('2026-03-29T01:00:00Z'))).toBe(true);
    expect(nextOpeningAfter(skipped, utc('2026-03-28T12:00:00Z'))).toBe(utc('2026-03-29T01:00:00Z'));
    expect(businessSecondsBetween(skipped, utc('2026-03-29T00:00:00Z'), utc('2026-03-30T00:00:00Z'))).toBe(HOUR);
  });

  it('Madrid fall back: the repeated hour is open both times and a 24-hour schedule counts 25 hours', () => {
    // 2026-10-25: 03:00 CEST goes back to 02:00 CET (01:00Z).
    const repeated = aSchedule({ sun: ['02:00-03:00'] });
    expect(isOpenAt(repeated, utc('2026-10-24T23:59:00Z'))).toBe(false);
    expect(isOpenAt(repeated, utc('2026-10-25T00:30:00Z'))).toBe(true);
    expect(isOpenAt(repeated, utc('2026-10-25T01:30:00Z'))).toBe(true);
    expect(isOpenAt(repeated, utc('2026-10-25T02:00:00Z'))).toBe(false);
    expect(nextClosingAfter(repeated, utc('2026-10-25T00:30:00Z'))).toBe(utc('2026-10-25T02:00:00Z'));
    expect(businessSecondsBetween(repeated, utc('2026-10-24T00:00:00Z'), utc('2026-10-26T00:00:00Z'))).toBe(2 * HOUR);

    const allDay = aSchedule({ sun: ['00:00-24:00'] });
    const sundayStart = local('2026-10-25T00:00');
    const mondayStart = local('2026-10-26T00:00');
    expect(businessSecondsBetween(allDay, sundayStart, mondayStart)).toBe(25 * HOUR);
    expect(nextClosingAfter(allDay, sundayStart)).toBe(mondayStart);
  });

  it('Madrid office hours keep opening at 09:00 local across both changes', () => {
    expect(nextOpeningAfter(office, local('2026-03-27T18:30'))).toBe(utc('2026-03-30T07:00:00Z'));
    expect(nextOpeningAfter(office, local('2026-10-23T18:30'))).toBe(utc('2026-10-26T08:00:00Z'));
    // Friday 17:00 → Monday 10:00 over the spring-forward weekend is 2 business hours.
    expect(businessSecondsBetween(office, local('2026-03-27T17:00'), local('2026-03-30T10:00'))).toBe(2 * HOUR);
  });

  it('New York: the weekend of a change moves the opening from 14:00Z to 13:00Z and back', () => {
    const newYork = aSchedule({ 'mon-fri': ['09:00-17:00'] }, { timezone: 'America/New_York' });
    // 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
    expect(nextOpeningAfter(newYork, utc('2026-03-06T22:00:00Z'))).toBe(utc('2026-03-09T13:00:00Z'));
    expect(nextOpeningAfter(newYork, utc('2026-10-30T21:00:00Z'))).toBe(utc('2026-11-02T14:00:00Z'));
    expect(isOpenAt(newYork, utc('2026-03-06T14:00:00Z'))).toBe(true);
    expect(isOpenAt(newYork, utc('2026-03-09T13:00:00Z'))).toBe(true);
    expect(isOpenAt(newYork, utc('2026-03-09T12:59:00Z'))).toBe(false);
    expect(isOpenAt(newYork, utc('2026-11-02T13:30:00Z'))).toBe(false);

    const always = aSchedule({ 'mon-sun': ['00:00-24:00'] }, { timezone: 'America/New_York' });
    const day = (date: string) => {
      const start = DateTime.fromISO(date, { zone: 'America/New_York' }).startOf('day');
      return businessSecondsBetween(always, start.toMillis(), start.plus({ days: 1 }).toMillis());
    };
    expect(day('2026-03-08')).toBe(23 * HOUR);
    expect(day('2026-11-01')).toBe(25 * HOUR);
    expect(day('2026-11-02')).toBe(24 * HOUR);
  });

  it('a night shift across the New York fall-back night is open an hour longer', () => {
    const nights = aSchedule({ sat: ['22:00-06:00'] }, { timezone: 'America/New_York' });
    const from = local('2026-10-31T22:00', 'America/New_York');
    expect(nextClosingAfter(nights, from)).toBe(local('2026-11-01T06:00', 'America/New_York'));
    expect(businessSecondsBetween(nights, from - 1000, from + 20 * 3_600_000)).toBe(9 * HOUR);
  });
});

describe('next opening and closing', () => {
  it('returns the instant itself while open', () => {
    const at = local('2026-11-25T10:15');
    expect(nextOpeningAfter(office, at)).toBe(at);
    expect(nextClosingAfter(office, at)).toBe(local('2026-11-25T13:00'));
    expect(nextClosingAfter(office, local('2026-11-25T13:30'))).toBe(local('2026-11-25T13:30'));
  });

  it('skips lunch, the night and the weekend', () => {
    expect(nextOpeningAfter(office, local('2026-11-25T13:10'))).toBe(local('2026-11-25T14:00'));
    expect(nextOpeningAfter(office, local('2026-11-25T19:00'))).toBe(local('2026-11-26T09:00'));
    expect(nextOpeningAfter(office, local('2026-11-27T18:00'))).toBe(local('2026-11-30T09:00'));
    expect(nextOpeningAfter(office, local('2026-11-29T23:59'))).toBe(local('2026-11-30T09:00'));
  });

  it('skips a holiday after the weekend and a holiday before it', () => {
    // Thu 24 Dec evening → Fri 25 (holiday) → weekend → Mon 28.
    expect(iso(nextOpeningAfter(office, local('2026-12-24T18:30')))).toBe(iso(local('2026-12-28T09:00')));
    // Thu 31 Dec evening → Fri 1 Jan (holiday) → Mon 4 Jan.
    expect(nextOpeningAfter(office, local('2026-12-31T18:30'))).toBe(local('2027-01-04T09:00'));
  });

  it('is never open for a schedule without hours, and never closes for a 24/7 one', () => {
    const never = aSchedule({});
    const always = compileSchedule({ id: 'always', timezone: 'UTC', hours: { 'mon-sun': ['00:00-24:00'] }, holidays: [] });
    const at = utc('2026-11-25T10:00:00Z');
    expect(isOpenAt(never, at)).toBe(false);
    expect(nextOpeningAfter(never, at)).toBeNull();
    expect(addBusinessSeconds(never, at, 60)).toBeNull();
    expect(isOpenAt(always, at)).toBe(true);
    expect(nextOpeningAfter(always, at)).toBe(at);
    expect(nextClosingAfter(always, at)).toBeNull();
    expect(businessSecondsBetween(always, at, at + 3 * 86_400_000)).toBe(3 * 24 * HOUR);
    expect(addBusinessSeconds(always, at, 90)).toBe(at + 90_000);
  });

  it('gives up on business time it cannot reach within five years instead of walking on', () => {
    // Open one minute a week: 366 days of open time would be some ten thousand years away.
    const sparse = aSchedule({ mon: ['09:00-09:01'] });
    const at = local('2026-11-25T10:00');
    expect(addBusinessSeconds(sparse, at, 366 * 24 * HOUR)).toBeNull();
    // Within reach, still found: 3 open minutes = the third Monday's minute.
    expect(addBusinessSeconds(sparse, at, 180)).toBe(local('2026-12-14T09:01'));
  });

  it('finds an opening that is months away, and none beyond 366 days', () => {
    const yearly = compileSchedule({
      id: 'yearly',
      timezone: 'Europe/Madrid',
      hours: { mon: ['09:00-10:00'] },
      holidays: Array.from({ length: 50 }, (_, week) =>
        DateTime.fromISO('2026-11-30', { zone: 'Europe/Madrid' }).plus({ weeks: week }).toISODate() ?? '',
      ),
    });
    // 50 Mondays closed from 2026-11-30: the next opening is Monday 2027-11-15, 355 days later.
    expect(nextOpeningAfter(yearly, local('2026-11-25T12:00'))).toBe(local('2027-11-15T09:00'));
    const longer = compileSchedule({
      id: 'closed-for-a-year',
      timezone: 'Europe/Madrid',
      hours: { mon: ['09:00-10:00'] },
      holidays: Array.from({ length: 54 }, (_, week) =>
        DateTime.fromISO('2026-11-30', { zone: 'Europe/Madrid' }).plus({ weeks: week }).toISODate() ?? '',
      ),
    });
    expect(nextOpeningAfter(longer, local('2026-11-25T12:00'))).toBeNull();
  });
});

describe('business time', () => {
  it('counts only open seconds across a closed night and lunch', () => {
    expect(businessSecondsBetween(office, local('2026-11-25T17:00'), local('2026-11-26T10:00'))).toBe(2 * HOUR);
    expect(businessSecondsBetween(office, local('2026-11-25T12:30'), local('2026-11-25T14:30'))).toBe(HOUR);
    expect(businessSecondsBetween(office, local('2026-11-25T09:00'), local('2026-11-25T18:00'))).toBe(8 * HOUR);
    expect(businessSecondsBetween(office, local('2026-11-25T10:00'), local('2026-11-25T10:00:00.500'))).toBe(0.5);
  });

  it('is zero when the end is not after the start', () => {
    expect(businessSecondsBetween(office, local('2026-11-26T10:00'), local('2026-11-25T10:00'))).toBe(0);
  });

  it('counts a week as forty hours and skips a holiday', () => {
    expect(businessSecondsBetween(office, local('2026-11-23T00:00'), local('2026-11-30T00:00'))).toBe(40 * HOUR);
    expect(businessSecondsBetween(office, local('2026-12-21T00:00'), local('2026-12-28T00:00'))).toBe(32 * HOUR);
  });

  it('adds business seconds across lunch, the night and the weekend', () => {
    expect(addBusinessSeconds(office, local('2026-11-25T12:30'), HOUR)).toBe(local('2026-11-25T14:30'));
    expect(addBusinessSeconds(office, local('2026-11-27T17:00'), 2 * HOUR)).toBe(local('2026-11-30T10:00'));
    expect(addBusinessSeconds(office, local('2026-11-28T12:00'), 300)).toBe(local('2026-11-30T09:05'));
    expect(addBusinessSeconds(office, local('2026-12-24T17:30'), HOUR)).toBe(local('2026-12-28T09:30'));
  });

  it('lands on the closing instant when the time runs out exactly then, and on the start for zero', () => {
    expect(addBusinessSeconds(office, local('2026-11-27T17:00'), HOUR)).toBe(local('2026-11-27T18:00'));
    expect(addBusinessSeconds(office, local('2026-11-28T12:00'), 0)).toBe(local('2026-11-28T12:00'));
  });

  it('adds hours across the spring-forward weekend in wall-clock terms', () => {
    // Fri 27 Mar 17:00 CET + 3 h → Fri 1 h, Mon 2 h → Mon 30 Mar 11:00 CEST (09:00Z).
    expect(addBusinessSeconds(office, local('2026-03-27T17:00'), 3 * HOUR)).toBe(utc('2026-03-30T09:00:00Z'));
  });
});

describe('showing an instant to a customer', () => {
  const mondayNine = utc('2026-11-30T08:00:00Z');

  it('formats in the customer zone and language', () => {
    expect(formatInstant(mondayNine, 'Europe/Madrid', 'en')).toBe('Mon, Nov 30, 9:00 AM');
    expect(formatInstant(mondayNine, 'Europe/Madrid', 'es')).toBe('lun, 30 nov, 9:00');
    expect(formatInstant(mondayNine, 'America/New_York', 'en')).toBe('Mon, Nov 30, 3:00 AM');
  });

  it('falls back to UTC, said so, for an unknown zone and to English for a malformed language', () => {
    expect(formatInstant(mondayNine, 'Nowhere/City', 'en')).toBe('Mon, Nov 30, 8:00 AM UTC');
    expect(formatInstant(mondayNine, 'Europe/Madrid', 'en_US')).toBe('Mon, Nov 30, 9:00 AM');
  });
});
