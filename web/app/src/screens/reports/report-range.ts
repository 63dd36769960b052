/**
 * The reports screen's date ranges and figures, pure so they are unit-tested
 * (report-range.test.ts). Dates are `YYYY-MM-DD` in the workspace's time zone, as the reports
 * API reads them (both ends inclusive).
 */
import type { ReportGroupBy, HandoffMetrics } from '../../../../../src/contract/reports-api.js';

export type RangePreset = 'today' | '7d' | '30d' | 'quarter';

export const RANGE_PRESETS: ReadonlyArray<{ readonly id: RangePreset; readonly label: string }> = [
  { id: 'today', label: 'Today' },
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: 'quarter', label: 'This quarter' },
];

export const GROUP_BY_LABELS: Record<ReportGroupBy, string> = {
  channel: 'Channel',
  team: 'Team',
  queue: 'Queue',
  agent: 'Agent',
  rule: 'Rule',
  trigger: 'Trigger',
  day: 'Day',
  week: 'Week',
};

/** The calendar date of an instant in a time zone, as `YYYY-MM-DD`. */
export function dateIn(timeZone: string, at: number): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** `YYYY-MM-DD` moved by whole days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The inclusive range a preset names, on the day it is today in the workspace's time zone. */
export function presetRange(
  preset: RangePreset,
  timeZone: string,
  now: number,
): { from: string; to: string } {
  const today = dateIn(timeZone, now);
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'quarter': {
      const [y, m] = today.split('-').map(Number) as [number, number];
      const firstMonth = Math.floor((m - 1) / 3) * 3 + 1;
      return { from: `${y}-${String(firstMonth).padStart(2, '0')}-01`, to: today };
    }
  }
}

/** Every date of an inclusive range, so days without traffic are drawn as zero, not skipped. */
export function datesOf(from: string, to: string, limit = 400): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to && dates.length < limit; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/** One value per date of the range from a report grouped by day; days with no group read `empty`. */
export function dailySeries<T>(
  dates: readonly string[],
  groups: ReadonlyArray<{ key: string | null } & HandoffMetrics>,
  pick: (metrics: HandoffMetrics) => T,
  empty: T,
): T[] {
  const byDay = new Map(groups.map((g) => [g.key, g]));
  return dates.map((date) => {
    const group = byDay.get(date);
    return group === undefined ? empty : pick(group);
  });
}

/** `42 %` (a rate between 0 and 1), or an en dash when there is nothing to divide. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)} %`;
}

/** A CSAT average to one decimal, with how many ratings it rests on. */
export function formatCsat(rating: { average: number | null; count: number }): string {
  return rating.average === null ? '–' : `${rating.average.toFixed(1)} (${rating.count})`;
}

/** The URL of the same report as CSV (the link downloads with the session cookie). */
export function reportQuery(params: {
  from: string;
  to: string;
  groupBy: ReportGroupBy;
  channel?: string | undefined;
  team?: string | undefined;
  queue?: string | undefined;
  includeTest?: boolean | undefined;
  format?: 'csv' | undefined;
}): string {
  const query = new URLSearchParams({ from: params.from, to: params.to, groupBy: params.groupBy });
  for (const key of ['channel', 'team', 'queue'] as const) {
    const value = params[key];
    if (value !== undefined && value !== '') query.set(key, value);
  }
  if (params.includeTest === true) query.set('includeTest', 'true');
  if (params.format !== undefined) query.set('format', params.format);
  return `/api/reports/handoffs?${query.toString()}`;
}
