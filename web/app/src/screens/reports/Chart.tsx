import { useEffect, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  readonly label: string;
  readonly values: ReadonlyArray<number | null>;
  readonly color: string;
  /** `right`: drawn against the second axis (rates beside counts). */
  readonly axis?: 'left' | 'right';
  readonly kind?: 'line' | 'bars';
  readonly format?: (value: number) => string;
}

/**
 * A chart drawn with uPlot on a canvas, with what it shows said in words (`summary`) and as a
 * table (`table`) for people who do not see it. The canvas is hidden from assistive technology:
 * the caption and the table carry the same figures.
 *
 * `x` is a date per point (`YYYY-MM-DD`, a time axis) or a label per point (categories, bars).
 */
export function Chart({
  title,
  summary,
  x,
  series,
  categorical = false,
  table,
  testId,
}: {
  title: string;
  summary: string;
  x: readonly string[];
  series: readonly ChartSeries[];
  categorical?: boolean;
  table: ReactNode;
  testId: string;
}) {
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = holder.current;
    if (element === null) return;
    const xs = categorical
      ? x.map((_, index) => index)
      : x.map((date) => Date.parse(`${date}T00:00:00Z`) / 1000);
    const hasRight = series.some((s) => s.axis === 'right');
    const rightFormat = series.find((s) => s.axis === 'right')?.format;
    const leftFormat = series.find((s) => s.axis !== 'right')?.format;
    const bars = uPlot.paths.bars?.({ size: [0.6, 48] });
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth),
      height: 220,
      legend: { show: true, live: false },
      cursor: { show: true, points: { show: false } },
      scales: {
        x: categorical ? { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] } : { time: true },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        ...(hasRight ? { right: { range: (_u, _min, max) => [0, Math.max(max, 0.0001) * 1.1] } } : {}),
      },
      axes: [
        categorical
          ? { values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (x[i] ?? '') : '')), gap: 6 }
          : {
              values: (_u, splits) =>
                splits.map((s) =>
                  new Date(s * 1000).toLocaleDateString(undefined, {
                    day: 'numeric',
                    month: 'short',
                    timeZone: 'UTC',
                  }),
                ),
            },
        {
          scale: 'y',
          ...(leftFormat === undefined
            ? {}
            : { values: (_u: uPlot, splits: number[]) => splits.map(leftFormat) }),
          size: 56,
        },
        ...(hasRight
          ? [
              {
                scale: 'right',
                side: 1,
                grid: { show: false },
                ...(rightFormat === undefined
                  ? {}
                  : { values: (_u: uPlot, splits: number[]) => splits.map(rightFormat) }),
              },
            ]
          : []),
      ],
      series: [
        {},
        ...series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          scale: s.axis === 'right' ? 'right' : 'y',
          ...(s.kind === 'bars' && bars !== undefined
            ? { paths: bars, fill: `${s.color}cc`, points: { show: false } }
            : { points: { show: x.length <= 45 } }),
          ...(s.format === undefined
            ? {}
            : { value: (_u: uPlot, v: number | null) => (v === null ? '–' : s.format!(v)) }),
        })),
      ],
    };
    const data = [xs, ...series.map((s) => [...s.values])] as uPlot.AlignedData;
    const chart = new uPlot(options, data, element);
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(280, element.clientWidth), height: 220 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [x, series, categorical]);

  return (
    <figure className="report-chart" data-testid={testId}>
      <figcaption>
        <strong>{title}</strong>
        <span className="muted"> {summary}</span>
      </figcaption>
      <div ref={holder} className="report-canvas" aria-hidden="true" />
      <details>
        <summary>Show as a table</summary>
        {table}
      </details>
    </figure>
  );
}
