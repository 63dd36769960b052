/**
 * The handoff report as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, a
 * quote or a line break, quotes doubled): a header row, one row per group, then the totals.
 * Written by csv-stringify rather than by joining strings, so a team or rule name with a comma
 * or a quote cannot shift the columns; `escape_formulas` prefixes a cell starting with = + - @
 * (or a tab or carriage return) with a quote, so a spreadsheet never runs a name as a formula
 * (OWASP "CSV injection").
 */
import { stringify } from 'csv-stringify/sync';
import type { HandoffMetrics, HandoffReport } from '../../contract/reports-api.js';

const COLUMNS = [
  'key',
  'label',
  'conversations',
  'aiResolved',
  'handoffs',
  'handoffRate',
  'firstHumanResponseMedianSeconds',
  'firstHumanResponseP90Seconds',
  'firstHumanResponseCount',
  'queueWaitMedianSeconds',
  'queueWaitP90Seconds',
  'queueWaitCount',
  'reassignments',
  'slaBreaches',
  'resolutionMedianSeconds',
  'resolutionP90Seconds',
  'resolutionCount',
  'csatHandedOffAverage',
  'csatHandedOffCount',
  'csatAiOnlyAverage',
  'csatAiOnlyCount',
] as const;

type CsvRow = Record<(typeof COLUMNS)[number], string | number | null>;

function row(key: string | null, label: string, m: HandoffMetrics): CsvRow {
  return {
    key,
    label,
    conversations: m.conversations,
    aiResolved: m.aiResolved,
    handoffs: m.handoffs,
    handoffRate: m.handoffRate,
    firstHumanResponseMedianSeconds: m.firstHumanResponseSeconds.median,
    firstHumanResponseP90Seconds: m.firstHumanResponseSeconds.p90,
    firstHumanResponseCount: m.firstHumanResponseSeconds.count,
    queueWaitMedianSeconds: m.queueWaitSeconds.median,
    queueWaitP90Seconds: m.queueWaitSeconds.p90,
    queueWaitCount: m.queueWaitSeconds.count,
    reassignments: m.reassignments,
    slaBreaches: m.slaBreaches,
    resolutionMedianSeconds: m.resolutionSeconds.median,
    resolutionP90Seconds: m.resolutionSeconds.p90,
    resolutionCount: m.resolutionSeconds.count,
    csatHandedOffAverage: m.csat.handedOff.average,
    csatHandedOffCount: m.csat.handedOff.count,
    csatAiOnlyAverage: m.csat.aiOnly.average,
    csatAiOnlyCount: m.csat.aiOnly.count,
  };
}

/** Empty cells for null (no value: a group without a key, a percentile of nothing). */
export function handoffReportCsv(report: HandoffReport): string {
  const rows = [...report.groups.map((g) => row(g.key, g.label, g)), row('', 'Total', report.totals)];
  // With CRLF records, csv-stringify quotes a field holding CRLF but not a lone LF or CR, which
  // RFC 4180 wants quoted too (a name with a line break would start a new row): quoted_match.
  return stringify(rows, { header: true, columns: [...COLUMNS], record_delimiter: 'windows', escape_formulas: true, quoted_match: /[\r\n]/ });
}

/** The download's file name: handoffs-by-<groupBy>-<from>-to-<to>.csv. */
export function handoffReportFileName(report: HandoffReport): string {
  return `handoffs-by-${report.groupBy}-${report.from}-to-${report.to}.csv`;
}
