import { describe, expect, it } from 'vitest';
import {
  checkInterval,
  describeHours,
  emptyScheduleForm,
  expandDayKey,
  formToSchedule,
  hoursToWeek,
  overnightText,
  scheduleFormProblems,
  scheduleToForm,
  timeZoneProblem,
  weekToHours,
} from './schedule-form.js';

describe('day keys', () => {
  it('expands single days, ranges, lists and ranges that wrap past Sunday', () => {
    expect(expandDayKey('mon')).toEqual(['mon']);
    expect(expandDayKey('mon-fri')).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(expandDayKey('sat,sun')).toEqual(['sat', 'sun']);
    expect(expandDayKey('fri-mon')).toEqual(['fri', 'sat', 'sun', 'mon']);
    expect(expandDayKey('funday')).toBeNull();
  });

  it('gives one list per weekday and compacts equal neighbours back into a range', () => {
    const hours = { 'mon-fri': ['09:00-13:00', '14:00-18:00'], sat: ['10:00-12:00'] };
    const week = hoursToWeek(hours);
    expect(week.wed).toEqual([
      { start: '09:00', end: '13:00' },
      { start: '14:00', end: '18:00' },
    ]);
    expect(week.sun).toEqual([]);
    expect(weekToHours(week)).toEqual(hours);
  });

  it('keeps a day that differs from its neighbours under its own key', () => {
    const week = hoursToWeek({ 'mon-sun': ['00:00-24:00'] });
    week.wed = [{ start: '22:00', end: '06:00' }];
    expect(weekToHours(week)).toEqual({
      'mon-tue': ['00:00-24:00'],
      wed: ['22:00-06:00'],
      'thu-sun': ['00:00-24:00'],
    });
  });
});

describe('intervals', () => {
  it('tells an overnight interval and names the day it ends on (Sunday into Monday)', () => {
    expect(checkInterval({ start: '22:00', end: '06:00' }, 'fri')).toEqual({
      kind: 'overnight',
      endsOn: 'sat',
    });
    expect(checkInterval({ start: '22:00', end: '02:00' }, 'sun')).toEqual({
      kind: 'overnight',
      endsOn: 'mon',
    });
    expect(overnightText({ start: '22:00', end: '06:00' }, 'fri')).toBe(
      'Crosses midnight: open from 22:00 on Friday until 06:00 on Saturday.',
    );
    expect(overnightText({ start: '18:00', end: '00:00' }, 'mon')).toBe(
      'Runs until midnight at the end of Monday.',
    );
  });

  it('treats 24:00 as the end of the same day and refuses it as a start', () => {
    expect(checkInterval({ start: '00:00', end: '24:00' }, 'mon')).toEqual({ kind: 'same_day' });
    expect(overnightText({ start: '09:00', end: '17:00' }, 'mon')).toBeNull();
    expect(checkInterval({ start: '24:00', end: '06:00' }, 'mon')).toMatchObject({
      kind: 'invalid',
      field: 'start',
    });
    expect(checkInterval({ start: '09:00', end: '9' }, 'mon')).toMatchObject({
      kind: 'invalid',
      field: 'end',
    });
  });
});

describe('schedules form', () => {
  it('gives back the demo office schedule, with holidays sorted and without repeats', () => {
    const office = {
      id: 'office',
      timezone: 'Europe/Madrid',
      hours: { 'mon-fri': ['09:00-13:00', '14:00-18:00'] },
      holidays: ['2026-12-25', '2027-01-01'],
    };
    expect(formToSchedule(scheduleToForm(office))).toEqual(office);
    const form = { ...scheduleToForm(office), holidays: ['2027-01-01', '2026-12-25', '2027-01-01'] };
    expect(formToSchedule(form).holidays).toEqual(['2026-12-25', '2027-01-01']);
  });

  it('lists the problems it can tell before sending, by field', () => {
    const form = emptyScheduleForm();
    form.timezone = 'Mars/Olympus';
    form.week.tue = [{ start: '9:00', end: '17:00' }];
    form.holidays = [''];
    const problems = scheduleFormProblems(form);
    expect([...problems.keys()]).toEqual(['timezone', 'week.tue[0].start', 'holidays[0]']);
    expect(timeZoneProblem('Europe/Madrid')).toBeNull();
  });

  it('describes the hours per group of days', () => {
    expect(describeHours({ 'mon-fri': ['09:00-13:00', '14:00-18:00'], sat: ['22:00-02:00'] })).toEqual([
      'Mon–Fri 09:00–13:00, 14:00–18:00',
      'Sat 22:00–02:00',
    ]);
  });
});
