/**
 * Schedules as a form (docs/configuration.md "schedules"): the document's day keys (`mon-fri`, `sat,sun`,
 * `fri-mon` wraps) become one list of intervals per weekday, and back, compacted into ranges.
 * An interval whose end is not after its start runs past midnight into the next day, as
 * src/core/schedule/schedule.ts compiles it; `24:00` closes a day.
 */
import type { z } from 'zod';
import type { ScheduleConfig } from '../../../../../../src/contract/config.js';
import type { ApiObject } from './forms.js';

export type ScheduleItem = z.input<typeof ScheduleConfig>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export interface IntervalForm {
  start: string;
  end: string;
}
export type WeekForm = Record<Weekday, IntervalForm[]>;

export interface ScheduleForm {
  id: string;
  name: string;
  timezone: string;
  week: WeekForm;
  holidays: string[];
}

const isWeekday = (text: string): text is Weekday => (WEEKDAYS as readonly string[]).includes(text);
const nextDay = (day: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(day) + 1) % 7] ?? 'mon';
export const emptyWeek = (): WeekForm => ({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] });

/** The weekdays of a day key, in the key's order; null when it is not one. */
export function expandDayKey(key: string): Weekday[] | null {
  const days: Weekday[] = [];
  for (const part of key.split(',')) {
    const [from, to, extra] = part.trim().split('-');
    if (extra !== undefined || from === undefined || !isWeekday(from)) return null;
    if (to === undefined) {
      days.push(from);
      continue;
    }
    if (!isWeekday(to)) return null;
    for (let day = from; ; day = nextDay(day)) {
      days.push(day);
      if (day === to) break;
    }
  }
  return [...new Set(days)];
}

/** `"22:00-06:00"` → `{start: '22:00', end: '06:00'}`; text without a dash keeps it as the start. */
export function splitInterval(text: string): IntervalForm {
  const dash = text.indexOf('-');
  return dash < 0 ? { start: text, end: '' } : { start: text.slice(0, dash), end: text.slice(dash + 1) };
}

export function hoursToWeek(hours: Readonly<Record<string, readonly string[]>>): WeekForm {
  const week = emptyWeek();
  for (const [key, intervals] of Object.entries(hours)) {
    for (const day of expandDayKey(key) ?? []) week[day].push(...intervals.map(splitInterval));
  }
  return week;
}

/** The week as day keys: consecutive days with the same intervals share one key (`mon-fri`). */
export function weekToHours(week: Readonly<WeekForm>): Record<string, string[]> {
  const hours: Record<string, string[]> = {};
  const texts = WEEKDAYS.map((day) => week[day].map((i) => `${i.start.trim()}-${i.end.trim()}`));
  let runStart = 0;
  for (let i = 1; i <= WEEKDAYS.length; i++) {
    const current = texts[runStart] ?? [];
    if (i < WEEKDAYS.length && JSON.stringify(texts[i]) === JSON.stringify(current)) continue;
    if (current.length > 0) {
      const first = WEEKDAYS[runStart] ?? 'mon';
      const last = WEEKDAYS[i - 1] ?? first;
      hours[first === last ? first : `${first}-${last}`] = current;
    }
    runStart = i;
  }
  return hours;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes after midnight of `HH:MM` (`24:00` = 1440 when `allowEndOfDay`), or null. */
export function minutesOf(text: string, allowEndOfDay = false): number | null {
  const trimmed = text.trim();
  if (allowEndOfDay && trimmed === '24:00') return 1440;
  if (!TIME.test(trimmed)) return null;
  return Number(trimmed.slice(0, 2)) * 60 + Number(trimmed.slice(3, 5));
}

export type IntervalCheck =
  | { kind: 'invalid'; field: 'start' | 'end'; message: string }
  | { kind: 'same_day' }
  | { kind: 'overnight'; endsOn: Weekday };

/** What an interval on `day` means: within the day, past midnight into the next one, or a typing problem. */
export function checkInterval(interval: IntervalForm, day: Weekday): IntervalCheck {
  const start = minutesOf(interval.start);
  if (start === null)
    return { kind: 'invalid', field: 'start', message: 'Write the start as HH:MM, from 00:00 to 23:59.' };
  const end = minutesOf(interval.end, true);
  if (end === null)
    return {
      kind: 'invalid',
      field: 'end',
      message: 'Write the end as HH:MM, from 00:00 to 23:59, or 24:00 for midnight.',
    };
  return end > start ? { kind: 'same_day' } : { kind: 'overnight', endsOn: nextDay(day) };
}

/** The plain sentence the form shows beside an interval that crosses midnight. */
export function overnightText(interval: IntervalForm, day: Weekday): string | null {
  const check = checkInterval(interval, day);
  if (check.kind !== 'overnight') return null;
  const end = interval.end.trim();
  return end === '00:00'
    ? `Runs until midnight at the end of ${WEEKDAY_NAMES[day]}.`
    : `Crosses midnight: open from ${interval.start.trim()} on ${WEEKDAY_NAMES[day]} until ${end} on ${WEEKDAY_NAMES[check.endsOn]}.`;
}

/** A time zone the browser knows by its IANA name (the server checks the same way), or a problem. */
export function timeZoneProblem(zone: string): string | null {
  if (zone.trim() === '') return 'Choose a time zone, such as Europe/Madrid.';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone.trim() });
    return null;
  } catch {
    return `"${zone.trim()}" is not an IANA time zone; use one such as Europe/Madrid or UTC.`;
  }
}

export const emptyScheduleForm = (): ScheduleForm => ({
  id: '',
  name: '',
  timezone: 'UTC',
  week: emptyWeek(),
  holidays: [],
});

export const scheduleToForm = (s: ScheduleItem): ScheduleForm => ({
  id: s.id,
  name: s.name ?? '',
  timezone: s.timezone,
  week: hoursToWeek(s.hours),
  holidays: [...(s.holidays ?? [])],
});

export function formToSchedule(f: ScheduleForm): ApiObject {
  const schedule: ApiObject = { id: f.id.trim() };
  if (f.name.trim() !== '') schedule.name = f.name.trim();
  schedule.timezone = f.timezone.trim();
  schedule.hours = weekToHours(f.week);
  schedule.holidays = [...new Set(f.holidays.map((d) => d.trim()).filter((d) => d !== ''))].sort();
  return schedule;
}

/** Problems the form can tell before sending: `week.mon[1].end` → message. */
export function scheduleFormProblems(f: ScheduleForm): Map<string, string> {
  const problems = new Map<string, string>();
  const zone = timeZoneProblem(f.timezone);
  if (zone !== null) problems.set('timezone', zone);
  for (const day of WEEKDAYS) {
    f.week[day].forEach((interval, index) => {
      const check = checkInterval(interval, day);
      if (check.kind === 'invalid') problems.set(`week.${day}[${index}].${check.field}`, check.message);
    });
  }
  f.holidays.forEach((date, index) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) problems.set(`holidays[${index}]`, 'Choose a date.');
  });
  return problems;
}

/** One line per open day for the list: `Mon–Fri 09:00–13:00, 14:00–18:00`. */
export function describeHours(hours: Readonly<Record<string, readonly string[]>>): string[] {
  return Object.entries(weekToHours(hoursToWeek(hours))).map(([key, intervals]) => {
    const days = key
      .split('-')
      .map((d) => (isWeekday(d) ? WEEKDAY_NAMES[d].slice(0, 3) : d))
      .join('–');
    return `${days} ${intervals.map((i) => i.replace('-', '–')).join(', ')}`;
  });
}
