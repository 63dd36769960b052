import { useEffect, useMemo, useState } from 'react';
import {
  api,
  ApiError,
  call,
  type ChannelConfig,
  type MeWithStatus,
  type QueueConfig,
  type TeamConfig,
} from '../api.js';
import type { HandoffReport, ReportGroupBy, HandoffMetrics } from '../../../../src/contract/reports-api.js';
import { formatDuration } from '../format.js';
import { ScreenFrame } from './ScreenFrame.js';
import './reports/reports.css';
import { Chart, type ChartSeries } from './reports/Chart.js';
import {
  GROUP_BY_LABELS,
  RANGE_PRESETS,
  dailySeries,
  datesOf,
  formatCsat,
  formatRate,
  presetRange,
  reportQuery,
  type RangePreset,
} from './reports/report-range.js';

const COLORS = {
  handoffs: '#3461c1',
  rate: '#c1572f',
  median: '#2f8f5b',
  p90: '#8a4fb8',
  breaches: '#c13451',
};

type Range = { preset: RangePreset } | { preset: 'custom'; from: string; to: string };

interface Query {
  from: string;
  to: string;
  groupBy: ReportGroupBy;
  channel: string;
  team: string;
  queue: string;
  includeTest: boolean;
}

const seconds = (value: number | null): string => (value === null ? '–' : formatDuration(value));

/**
 * Handoff reports (docs/api.md "Reports"): over a date range, grouped by channel, team, queue,
 * agent, rule, trigger, day or week — charts of the days and of the groups, the table, and the
 * same as CSV. Two reads of the same range: grouped by day for the charts over time, and by the
 * chosen grouping for the bars and the table. Agents see their own row only (the API decides).
 */
export function Reports({ me }: { me: MeWithStatus }) {
  const [timezone, setTimezone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [range, setRange] = useState<Range>({ preset: '7d' });
  const [groupBy, setGroupBy] = useState<ReportGroupBy>('queue');
  const [filters, setFilters] = useState({ channel: '', team: '', queue: '' });
  const [includeTest, setIncludeTest] = useState(false);
  const [options, setOptions] = useState<{
    channels: ChannelConfig[];
    teams: TeamConfig[];
    queues: QueueConfig[];
  }>({ channels: [], teams: [], queues: [] });
  const [reports, setReports] = useState<{ byDay: HandoffReport; byGroup: HandoffReport } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const dates =
    range.preset === 'custom'
      ? { from: range.from, to: range.to }
      : presetRange(range.preset, timezone, Date.now());
  const query: Query = { ...dates, groupBy, ...filters, includeTest };
  const key = JSON.stringify(query);

  useEffect(() => {
    Promise.all([api.channels(), api.teams(), api.queues()])
      .then(([channels, teams, queues]) =>
        setOptions({ channels: channels.items, teams: teams.items, queues: queues.items }),
      )
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    if (query.from > query.to) {
      setError('The start of the range is after its end.');
      return;
    }
    let live = true;
    setLoading(true);
    setError(null);
    Promise.all([
      call<HandoffReport>('GET', reportQuery({ ...query, groupBy: 'day' })),
      call<HandoffReport>('GET', reportQuery(query)),
    ])
      .then(([byDay, byGroup]) => {
        if (!live) return;
        setReports({ byDay, byGroup });
        // Presets are days in the workspace's time zone: read again if it is not the browser's.
        if (byDay.timezone !== timezone) setTimezone(byDay.timezone);
      })
      .catch(
        (e: unknown) =>
          live &&
          setError(e instanceof ApiError ? e.message : 'Could not load the report; check your connection.'),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [key]); // `key` is the query, written out

  return (
    <ScreenFrame me={me} title="Handoff reports">
      <form
        className="report-filters"
        aria-label="Report range and grouping"
        onSubmit={(event) => event.preventDefault()}
      >
        <div className="segmented" role="group" aria-label="Date range">
          {RANGE_PRESETS.map((preset) => (
            <button
              key={preset.id}
              type="button"
              aria-pressed={range.preset === preset.id}
              onClick={() => setRange({ preset: preset.id })}
            >
              {preset.label}
            </button>
          ))}
        </div>
        <label>
          From
          <input
            type="date"
            value={query.from}
            max={query.to}
            onChange={(e) =>
              e.target.value !== '' && setRange({ preset: 'custom', from: e.target.value, to: query.to })
            }
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={query.to}
            min={query.from}
            onChange={(e) =>
              e.target.value !== '' && setRange({ preset: 'custom', from: query.from, to: e.target.value })
            }
          />
        </label>
        <label>
          Group by
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as ReportGroupBy)}>
            {Object.entries(GROUP_BY_LABELS).map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Channel
          <select
            value={filters.channel}
            onChange={(e) => setFilters({ ...filters, channel: e.target.value })}
          >
            <option value="">All</option>
            {options.channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name ?? c.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Team
          <select value={filters.team} onChange={(e) => setFilters({ ...filters, team: e.target.value })}>
            <option value="">All</option>
            {options.teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name ?? t.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Queue
          <select value={filters.queue} onChange={(e) => setFilters({ ...filters, queue: e.target.value })}>
            <option value="">All</option>
            {options.queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name ?? q.id}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={includeTest} onChange={(e) => setIncludeTest(e.target.checked)} />
          Include test contacts
        </label>
        <a className="button" href={reportQuery({ ...query, format: 'csv' })} download>
          Download CSV
        </a>
      </form>

      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {reports === null ? (
        error === null && (
          <p className="muted" role="status">
            Loading the report…
          </p>
        )
      ) : (
        <ReportBody byDay={reports.byDay} byGroup={reports.byGroup} busy={loading} />
      )}
    </ScreenFrame>
  );
}

function ReportBody({
  byDay,
  byGroup,
  busy,
}: {
  byDay: HandoffReport;
  byGroup: HandoffReport;
  busy: boolean;
}) {
  const { totals } = byGroup;
  const dates = useMemo(() => datesOf(byDay.from, byDay.to), [byDay.from, byDay.to]);
  const daily = useMemo(
    () => ({
      handoffs: dailySeries(dates, byDay.groups, (m) => m.handoffs, 0),
      rate: dailySeries<number | null>(dates, byDay.groups, (m) => m.handoffRate, null),
      median: dailySeries<number | null>(
        dates,
        byDay.groups,
        (m) => m.firstHumanResponseSeconds.median,
        null,
      ),
      p90: dailySeries<number | null>(dates, byDay.groups, (m) => m.firstHumanResponseSeconds.p90, null),
      breaches: dailySeries(dates, byDay.groups, (m) => m.slaBreaches, 0),
    }),
    [dates, byDay],
  );
  const series = useMemo(() => {
    const percent = (v: number) => `${Math.round(v * 100)} %`;
    const handoffs: ChartSeries[] = [
      { label: 'Handoffs', values: daily.handoffs, color: COLORS.handoffs, kind: 'bars' },
      { label: 'Handoff rate', values: daily.rate, color: COLORS.rate, axis: 'right', format: percent },
    ];
    const response: ChartSeries[] = [
      { label: 'Median', values: daily.median, color: COLORS.median, format: formatDuration },
      { label: 'p90', values: daily.p90, color: COLORS.p90, format: formatDuration },
    ];
    const breaches: ChartSeries[] = [
      { label: 'SLA breaches', values: daily.breaches, color: COLORS.breaches, kind: 'bars' },
    ];
    const groups: ChartSeries[] = [
      {
        label: 'Handoffs',
        values: byGroup.groups.map((g) => g.handoffs),
        color: COLORS.handoffs,
        kind: 'bars',
      },
    ];
    return { handoffs, response, breaches, groups };
  }, [daily, byGroup]);
  const busiest = daily.handoffs.reduce(
    (best, value, index) => (value > (daily.handoffs[best] ?? 0) ? index : best),
    0,
  );
  const breachDays = daily.breaches.filter((v) => v > 0).length;
  const groupLabel = GROUP_BY_LABELS[byGroup.groupBy].toLowerCase();

  return (
    <div className="report" aria-busy={busy}>
      <p className="muted">
        {byGroup.from === byGroup.to ? byGroup.from : `${byGroup.from} to ${byGroup.to}`}, days in{' '}
        {byGroup.timezone}.
      </p>
      <dl className="report-tiles" data-testid="report-totals">
        <Tile name="Conversations" value={String(totals.conversations)} />
        <Tile name="Handoffs" value={String(totals.handoffs)} />
        <Tile name="Handoff rate" value={formatRate(totals.handoffRate)} />
        <Tile name="Resolved by the AI agent" value={String(totals.aiResolved)} />
        <Tile
          name="First human response"
          value={`${seconds(totals.firstHumanResponseSeconds.median)} median · ${seconds(totals.firstHumanResponseSeconds.p90)} p90`}
        />
        <Tile
          name="Queue wait"
          value={`${seconds(totals.queueWaitSeconds.median)} median · ${seconds(totals.queueWaitSeconds.p90)} p90`}
        />
        <Tile name="Reassignments" value={String(totals.reassignments)} />
        <Tile name="SLA breaches" value={String(totals.slaBreaches)} />
        <Tile name="CSAT, handed off" value={formatCsat(totals.csat.handedOff)} />
        <Tile name="CSAT, AI only" value={formatCsat(totals.csat.aiOnly)} />
      </dl>

      <div className="report-charts">
        <Chart
          testId="chart-handoffs"
          title="Handoffs and handoff rate per day"
          summary={
            totals.handoffs === 0
              ? 'No handoffs in this range.'
              : `${totals.handoffs} handoffs in all, ${formatRate(totals.handoffRate)} of conversations; most on ${dates[busiest] ?? ''} (${daily.handoffs[busiest] ?? 0}).`
          }
          x={dates}
          series={series.handoffs}
          table={
            <DailyTable
              dates={dates}
              columns={[
                ['Handoffs', daily.handoffs.map(String)],
                ['Handoff rate', daily.rate.map(formatRate)],
              ]}
            />
          }
        />
        <Chart
          testId="chart-response"
          title="First human response after handoff, per day"
          summary={`Median ${seconds(totals.firstHumanResponseSeconds.median)}, p90 ${seconds(totals.firstHumanResponseSeconds.p90)} over the range (${totals.firstHumanResponseSeconds.count} responses).`}
          x={dates}
          series={series.response}
          table={
            <DailyTable
              dates={dates}
              columns={[
                ['Median', daily.median.map(seconds)],
                ['p90', daily.p90.map(seconds)],
              ]}
            />
          }
        />
        <Chart
          testId="chart-breaches"
          title="SLA breaches per day"
          summary={
            totals.slaBreaches === 0
              ? 'No SLA breaches in this range.'
              : `${totals.slaBreaches} breaches on ${breachDays} ${breachDays === 1 ? 'day' : 'days'}.`
          }
          x={dates}
          series={series.breaches}
          table={<DailyTable dates={dates} columns={[['SLA breaches', daily.breaches.map(String)]]} />}
        />
        {byGroup.groupBy !== 'day' && (
          <Chart
            testId="chart-groups"
            title={`Handoffs by ${groupLabel}`}
            summary={
              byGroup.groups.length === 0
                ? 'Nothing to show.'
                : byGroup.groups.map((g) => `${g.label}: ${g.handoffs}`).join('; ') + '.'
            }
            x={byGroup.groups.map((g) => g.label)}
            categorical
            series={series.groups}
            table={<p className="muted">The table below has every figure by {groupLabel}.</p>}
          />
        )}
      </div>

      <div className="table-scroll">
        <table className="report-table" data-testid="report-table">
          <caption>Handoffs by {groupLabel}</caption>
          <thead>
            <tr>
              <th scope="col">{GROUP_BY_LABELS[byGroup.groupBy]}</th>
              <th scope="col">Conversations</th>
              <th scope="col">AI resolved</th>
              <th scope="col">Handoffs</th>
              <th scope="col">Rate</th>
              <th scope="col">First response (median / p90)</th>
              <th scope="col">Queue wait (median / p90)</th>
              <th scope="col">Reassignments</th>
              <th scope="col">SLA breaches</th>
              <th scope="col">Resolution (median / p90)</th>
              <th scope="col">CSAT handed off</th>
              <th scope="col">CSAT AI only</th>
            </tr>
          </thead>
          <tbody>
            {byGroup.groups.map((group) => (
              <MetricsRow
                key={group.key ?? '(none)'}
                header={group.label}
                metrics={group}
                groupKey={group.key ?? '(none)'}
              />
            ))}
          </tbody>
          <tfoot>
            <MetricsRow header="All" metrics={totals} groupKey="(totals)" />
          </tfoot>
        </table>
      </div>
    </div>
  );
}

function Tile({ name, value }: { name: string; value: string }) {
  return (
    <div className="report-tile">
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function MetricsRow({
  header,
  metrics,
  groupKey,
}: {
  header: string;
  metrics: HandoffMetrics;
  groupKey: string;
}) {
  return (
    <tr data-group={groupKey}>
      <th scope="row">{header}</th>
      <td data-metric="conversations">{metrics.conversations}</td>
      <td data-metric="aiResolved">{metrics.aiResolved}</td>
      <td data-metric="handoffs">{metrics.handoffs}</td>
      <td data-metric="handoffRate">{formatRate(metrics.handoffRate)}</td>
      <td data-metric="firstHumanResponse">
        {seconds(metrics.firstHumanResponseSeconds.median)} / {seconds(metrics.firstHumanResponseSeconds.p90)}
      </td>
      <td data-metric="queueWait">
        {seconds(metrics.queueWaitSeconds.median)} / {seconds(metrics.queueWaitSeconds.p90)}
      </td>
      <td data-metric="reassignments">{metrics.reassignments}</td>
      <td data-metric="slaBreaches">{metrics.slaBreaches}</td>
      <td data-metric="resolution">
        {seconds(metrics.resolutionSeconds.median)} / {seconds(metrics.resolutionSeconds.p90)}
      </td>
      <td data-metric="csatHandedOff">{formatCsat(metrics.csat.handedOff)}</td>
      <td data-metric="csatAiOnly">{formatCsat(metrics.csat.aiOnly)}</td>
    </tr>
  );
}

function DailyTable({
  dates,
  columns,
}: {
  dates: readonly string[];
  columns: ReadonlyArray<readonly [string, readonly string[]]>;
}) {
  return (
    <table className="report-daily">
      <thead>
        <tr>
          <th scope="col">Day</th>
          {columns.map(([name]) => (
            <th key={name} scope="col">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {dates.map((date, index) => (
          <tr key={date}>
            <th scope="row">{date}</th>
            {columns.map(([name, values]) => (
              <td key={name}>{values[index]}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
