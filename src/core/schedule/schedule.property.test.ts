import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ScheduleConfig } from '../../contract/config.js';
import {
  addBusinessSeconds,
  businessSecondsBetween,
  compileSchedule,
  isOpenAt,
  nextClosingAfter,
  nextOpeningAfter,
  parseDayKey,
  parseInterval,
} from './schedule.js';

/**
 * The compiled schedule and its span walker against a reference that reads the YAML-shaped
 * config directly through Luxon for every instant: no splitting, no offset memo, no spans.
 */

const ZONES = [
  'Europe/Madrid',
  'America/New_York',
  'UTC',
  'America/St_Johns', // DST changes at half past the UTC hour
  'Australia/Lord_Howe', // a 30-minute DST shift
  'Asia/Kathmandu', // +05:45
];
const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'mon-fri', 'sat,sun', 'fri-mon', 'wed,fri-sat'];

const time = fc.integer({ min: 0, max: 95 }).map((quarter) => {
  const minutes = quarter * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
});
const interval = fc.oneof(
  fc
    .tuple(time, fc.oneof(time, fc.constant('24:00')))
    .filter(([start, end]) => start !== end)
    .map(([start, end]) => `${start}-${end}`),
  // Night hours, where the DST changes happen.
  fc.constantFrom('00:00-24:00', '22:00-06:00', '01:00-05:00', '02:30-03:15', '23:45-02:15', '03:00-04:00'),
);

/** The 2026 DST changes of each zone (UTC instants); zones without DST get a plain date. */
const CHANGES: Readonly<Record<string, readonly number[]>> = Object.fromEntries(
  Object.entries({
    'Europe/Madrid': ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'],
    'America/New_York': ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'],
    UTC: ['2026-06-01T00:00:00Z'],
    'America/St_Johns': ['2026-03-08T05:30:00Z', '2026-11-01T04:30:00Z'],
    'Australia/Lord_Howe': ['2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z'],
    'Asia/Kathmandu': ['2026-06-01T00:00:00Z'],
  }).map(([zone, texts]) => [zone, texts.map((text) => Date.parse(text))]),
);
const ALL_CHANGES = Object.values(CHANGES).flat();

/** Instants around 2026, often close to a DST change. */
const instant: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-06-01T00:00:00Z') }),
  fc
    .tuple(fc.constantFrom(...ALL_CHANGES), fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }))
    .map(([change, delta]) => change + delta),
);
const minuteInstant = instant.map((at) => Math.floor(at / 60_000) * 60_000);

/** A minute up to a day before one of the zone's own DST changes. */
function minuteBeforeChangeIn(zone: string): fc.Arbitrary<number> {
  return fc
    .tuple(fc.constantFrom(...(CHANGES[zone] ?? ALL_CHANGES)), fc.integer({ min: 0, max: 1440 }))
    .map(([change, minutes]) => change - minutes * 60_000);
}

const holiday = fc
  .integer({ min: 0, max: 540 })
  .map((days) => DateTime.fromISO('2026-01-01', { zone: 'UTC' }).plus({ days }).toISODate() ?? '2026-01-01');

const scheduleConfig: fc.Arbitrary<ScheduleConfig> = fc.record({
  id: fc.constant('sched'),
  timezone: fc.constantFrom(...ZONES),
  hours: fc.dictionary(fc.constantFrom(...DAY_KEYS), fc.array(interval, { minLength: 0, maxLength: 3 }), {
    maxKeys: 4,
  }),
  holidays: fc.array(holiday, { maxLength: 40 }),
});

function referenceIsOpen(config: ScheduleConfig, at: number): boolean {
  const wall = DateTime.fromMillis(at, { zone: config.timezone });
  if (config.holidays.includes(wall.toISODate() ?? '')) return false;
  const minute = wall.hour * 60 + wall.minute + wall.second / 60 + wall.millisecond / 60_000;
  const yesterday = wall.weekday === 1 ? 7 : wall.weekday - 1;
  for (const [key, texts] of Object.entries(config.hours)) {
    const days = parseDayKey(key) ?? [];
    for (const text of texts) {
      const parsed = parseInterval(text);
      if (parsed === null) throw new Error(text);
      const { start, end } = parsed;
      if (days.includes(wall.weekday)) {
        if (end > start && minute >= start && minute < end) return true;
        if (end < start && minute >= start) return true;
      }
      if (days.includes(yesterday) && end < start && minute < end) return true;
    }
  }
  return false;
}

describe('business hours agree with a direct reading of the schedule', () => {
  it('is open exactly when the local wall clock is inside an interval of a working day', () => {
    fc.assert(
      fc.property(scheduleConfig, fc.array(instant, { minLength: 1, maxLength: 20 }), (config, instants) => {
        const schedule = compileSchedule(config);
        for (const at of instants) expect(isOpenAt(schedule, at)).toBe(referenceIsOpen(config, at));
      }),
      { numRuns: 300 },
    );
  });

  it('counts business seconds as the open minutes one by one, also across DST changes', () => {
    const case_ = scheduleConfig.chain((config) =>
      fc.tuple(
        fc.constant(config),
        fc.oneof(minuteInstant, minuteBeforeChangeIn(config.timezone)),
        fc.integer({ min: 0, max: 2 * 1440 }),
      ),
    );
    fc.assert(
      fc.property(case_, ([config, from, minutes]) => {
        const schedule = compileSchedule(config);
        let open = 0;
        for (let minute = 0; minute < minutes; minute += 1) {
          if (referenceIsOpen(config, from + minute * 60_000)) open += 60;
        }
        expect(businessSecondsBetween(schedule, from, from + minutes * 60_000)).toBe(open);
      }),
      { numRuns: 80 },
    );
  });

  it('finds the next opening: open then, closed just before, no business time in between', () => {
    fc.assert(
      fc.property(scheduleConfig, instant, (config, at) => {
        const schedule = compileSchedule(config);
        const opening = nextOpeningAfter(schedule, at);
        if (opening === null) {
          expect(businessSecondsBetween(schedule, at, at + 366 * 86_400_000)).toBe(0);
          return;
        }
        expect(opening).toBeGreaterThanOrEqual(at);
        expect(referenceIsOpen(config, opening)).toBe(true);
        if (opening > at) {
          expect(referenceIsOpen(config, opening - 1)).toBe(false);
          expect(referenceIsOpen(config, at)).toBe(false);
          expect(referenceIsOpen(config, Math.floor((at + opening) / 2))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  /**
   * `nextOpeningAfter` remembers the closed stretches it has walked (per schedule object). A
   * schedule asked many times, in any order, often inside a stretch it knows or next to one,
   * must answer what a freshly compiled schedule (empty memo) answers.
   */
  it('remembers closed stretches without changing any next opening', () => {
    const asked = fc.oneof(
      instant,
      // Several asks inside one stretch and around its ends: the memo's hits and its edges.
      fc.tuple(instant, fc.array(fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }), { minLength: 1, maxLength: 6 })).map(([at, deltas]) => [at, ...deltas.map((delta) => at + delta)]),
      // Dense asks over three days in random order: just before, inside and after stretches the
      // memo has learnt from earlier asks.
      fc.tuple(minuteInstant, fc.array(fc.integer({ min: 0, max: 3 * 1440 }), { minLength: 20, maxLength: 80 })).map(([at, minutes]) => minutes.map((minute) => at + minute * 60_000)),
    );
    fc.assert(
      fc.property(scheduleConfig, fc.array(asked, { minLength: 1, maxLength: 4 }), (config, groups) => {
        const remembering = compileSchedule(config);
        const instants = groups.flat();
        for (const at of instants) {
          const expected = nextOpeningAfter(compileSchedule(config), at);
          expect(nextOpeningAfter(remembering, at)).toBe(expected);
          // Right before an opening it knows, and at the opening itself.
          if (expected !== null && expected > at) {
            expect(nextOpeningAfter(remembering, expected - 1)).toBe(nextOpeningAfter(compileSchedule(config), expected - 1));
            expect(nextOpeningAfter(remembering, expected)).toBe(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('finds the next closing: open the whole time until then, closed then', () => {
    fc.assert(
      fc.property(scheduleConfig, instant, (config, at) => {
        const schedule = compileSchedule(config);
        const closing = nextClosingAfter(schedule, at);
        if (closing === null) {
          expect(referenceIsOpen(config, at)).toBe(true);
          return;
        }
        expect(closing).toBeGreaterThanOrEqual(at);
        expect(referenceIsOpen(config, closing)).toBe(false);
        expect(businessSecondsBetween(schedule, at, closing)).toBe((closing - at) / 1000);
      }),
      { numRuns: 300 },
    );
  });

  it('adding business seconds is the inverse of counting them, and lands as early as possible', () => {
    fc.assert(
      fc.property(scheduleConfig, instant, fc.integer({ min: 1, max: 5 * 86_400 }), (config, from, seconds) => {
        const schedule = compileSchedule(config);
        const due = addBusinessSeconds(schedule, from, seconds);
        if (due === null) {
          expect(nextOpeningAfter(schedule, from)).toBeNull();
          return;
        }
        expect(businessSecondsBetween(schedule, from, due)).toBe(seconds);
        expect(businessSecondsBetween(schedule, from, due - 1)).toBeLessThan(seconds);
      }),
      { numRuns: 200 },
    );
  });

  it('business time is additive over consecutive stretches', () => {
    fc.assert(
      fc.property(scheduleConfig, instant, fc.nat(10 * 86_400_000), fc.nat(10 * 86_400_000), (config, a, x, y) => {
        const schedule = compileSchedule(config);
        const whole = businessSecondsBetween(schedule, a, a + x + y);
        const parts = businessSecondsBetween(schedule, a, a + x) + businessSecondsBetween(schedule, a + x, a + x + y);
        expect(whole).toBeCloseTo(parts, 6);
      }),
      { numRuns: 200 },
    );
  });
});
