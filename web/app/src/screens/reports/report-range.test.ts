import { describe, expect, it } from 'vitest';
import {
  addDays,
  dailySeries,
  dateIn,
  datesOf,
  formatCsat,
  formatRate,
  presetRange,
  reportQuery,
} from './report-range.js';
import type { HandoffMetrics } from '../../../../../src/contract/reports-api.js';

describe('report ranges', () => {
  // 2026-03-31 23:30 UTC is already April 1st in Madrid (UTC+2 in summer time).
  const lateMarch = Date.parse('2026-03-31T23:30:00Z');

  it('reads today in the workspace time zone, not the browser’s', () => {
    expect(dateIn('Europe/Madrid', lateMarch)).toBe('2026-04-01');
    expect(dateIn('America/New_York', lateMarch)).toBe('2026-03-31');
  });

  it('gives each preset as an inclusive range ending today', () => {
    expect(presetRange('today', 'UTC', lateMarch)).toEqual({ from: '2026-03-31', to: '2026-03-31' });
    expect(presetRange('7d', 'UTC', lateMarch)).toEqual({ from: '2026-03-25', to: '2026-03-31' });
    expect(presetRange('30d', 'UTC', lateMarch)).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(presetRange('quarter', 'UTC', lateMarch)).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(presetRange('quarter', 'Europe/Madrid', lateMarch)).toEqual({
      from: '2026-04-01',
      to: '2026-04-01',
    });
    expect(presetRange('quarter', 'UTC', Date.parse('2026-12-07T12:00:00Z'))).toEqual({
      from: '2026-10-01',
      to: '2026-12-07',
    });
  });

  it('moves dates across months, years and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(datesOf('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(datesOf('2026-01-02', '2026-01-01')).toEqual([]);
  });

  it('fills the days without traffic', () => {
    const metrics = (handoffs: number) => ({ handoffs }) as unknown as HandoffMetrics;
    const groups = [{ key: '2026-12-02', label: '', ...metrics(3) }];
    expect(dailySeries(['2026-12-01', '2026-12-02', '2026-12-03'], groups, (m) => m.handoffs, 0)).toEqual([
      0, 3, 0,
    ]);
  });

  it('formats rates and ratings, with a dash for nothing', () => {
    expect(formatRate(0.4249)).toBe('42 %');
    expect(formatRate(null)).toBe('–');
    expect(formatCsat({ average: 4.25, count: 8 })).toBe('4.3 (8)');
    expect(formatCsat({ average: null, count: 0 })).toBe('–');
  });

  it('builds the report URL with only the filters set', () => {
    expect(
      reportQuery({
        from: '2026-12-01',
        to: '2026-12-07',
        groupBy: 'queue',
        channel: '',
        team: 'billing',
        format: 'csv',
      }),
    ).toBe('/api/reports/handoffs?from=2026-12-01&to=2026-12-07&groupBy=queue&team=billing&format=csv');
    expect(reportQuery({ from: '2026-12-01', to: '2026-12-07', groupBy: 'day', includeTest: true })).toBe(
      '/api/reports/handoffs?from=2026-12-01&to=2026-12-07&groupBy=day&includeTest=true',
    );
  });
});
