import { describe, expect, it } from 'vitest';
import { metricsOf } from '../../core/reports/handoff-metrics.js';
import { handoffReportCsv, handoffReportFileName } from './handoff-report-csv.js';

const empty = metricsOf([]);

describe('the handoff report as CSV', () => {
  it('quotes per RFC 4180 and keeps a name from being read as a formula', () => {
    const csv = handoffReportCsv({
      from: '2026-11-01',
      to: '2026-11-30',
      timezone: 'Europe/Madrid',
      groupBy: 'team',
      totals: empty,
      groups: [
        { key: 'eu', label: 'Billing, "EU"', ...empty },
        { key: 'x', label: '=HYPERLINK("http://evil.test")', ...empty },
        { key: 'n', label: 'two\nlines', ...empty },
      ],
    });
    const lines = csv.split('\r\n');
    expect(lines[0]!.startsWith('key,label,conversations,')).toBe(true);
    expect(lines[1]).toBe('eu,"Billing, ""EU""",0,0,0,0,,,0,,,0,0,0,,,0,,0,,0');
    expect(lines[2]!.startsWith(`x,"'=HYPERLINK(""http://evil.test"")",`)).toBe(true);
    // The line break stays inside its quoted field: records end with CRLF only.
    expect(lines[3]).toBe('n,"two\nlines",0,0,0,0,,,0,,,0,0,0,,,0,,0,,0');
    expect(lines[4]).toBe(',Total,0,0,0,0,,,0,,,0,0,0,,,0,,0,,0');
    expect(lines[5]).toBe('');
    expect(handoffReportFileName({ from: '2026-11-01', to: '2026-11-30', timezone: 'UTC', groupBy: 'team', totals: empty, groups: [] })).toBe(
      'handoffs-by-team-2026-11-01-to-2026-11-30.csv',
    );
  });
});
