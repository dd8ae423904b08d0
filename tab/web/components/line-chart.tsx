// A small SVG line chart for call quality over time: one line per series, each point a horizontal step over the
// segment it measures (Graph reports quality per segment), a dashed red line at the "poor" threshold, labelled axes
// (the y axis names its unit). Series are told apart by colour (blue, teal, grape, marigold — none near the
// threshold's red), dash and marker shape, so colour is never the only cue. The picture has a text alternative
// (role="img" with a summary) and the figures as a table for screen readers and anyone who prefers numbers.
import { Caption1, makeStyles, shorthands, tokens } from '@fluentui/react-components';
import { useId, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { formatClock } from '../format.js';

export interface ChartPoint {
  start: number;
  end: number;
  value: number;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
}

export interface LineChartProps {
  title: string;
  unit: string;
  series: ChartSeries[];
  threshold?: { value: number; label: string };
  /** Figures shown with this many decimals. */
  decimals?: number;
}

const DEFAULT_WIDTH = 360;
const HEIGHT = 180;
const PAD = { left: 44, right: 12, top: 24, bottom: 26 };
/** Series colours: none is red or orange, so no line can be read as the "poor" threshold. */
export const SERIES_COLORS = [tokens.colorBrandForeground1, tokens.colorPaletteTealForeground2, tokens.colorPaletteGrapeForeground2, tokens.colorPaletteMarigoldForeground2];
export const THRESHOLD_COLOR = tokens.colorPaletteRedForeground1;
const COLORS = SERIES_COLORS;
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];
const MARKERS = ['circle', 'square', 'diamond', 'triangle'] as const;

const useStyles = makeStyles({
  figure: { ...shorthands.margin(0), display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalXS), minWidth: 0 },
  caption: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300 },
  svg: { width: '100%', height: 'auto', display: 'block', overflow: 'visible' },
  axis: { stroke: tokens.colorNeutralStroke1, strokeWidth: 1 },
  grid: { stroke: tokens.colorNeutralStroke3, strokeWidth: 1 },
  tick: { fill: tokens.colorNeutralForeground3, fontSize: '11px', fontFamily: tokens.fontFamilyBase },
  threshold: { stroke: THRESHOLD_COLOR, strokeWidth: 1.5, strokeDasharray: '4 4' },
  thresholdLabel: { fill: THRESHOLD_COLOR, fontSize: '11px', fontFamily: tokens.fontFamilyBase },
  axisTitle: { fill: tokens.colorNeutralForeground2, fontSize: '11px', fontWeight: tokens.fontWeightSemibold, fontFamily: tokens.fontFamilyBase },
  legend: { display: 'flex', flexWrap: 'wrap', ...shorthands.gap(tokens.spacingHorizontalM), color: tokens.colorNeutralForeground2 },
  swatch: { display: 'inline-block', width: '18px', height: '0', verticalAlign: 'middle', marginRight: tokens.spacingHorizontalXS, borderTopWidth: '2px' },
  table: {
    borderCollapse: 'collapse',
    fontSize: tokens.fontSizeBase200,
    '& th': { textAlign: 'left', ...shorthands.padding('2px', '8px', '2px', '0') },
    '& td': { textAlign: 'left', ...shorthands.padding('2px', '8px', '2px', '0') },
  },
  details: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

/** A point's marker: its shape tells the series apart where colours look alike. */
function Marker({ shape, cx, cy, color }: { shape: (typeof MARKERS)[number]; cx: number; cy: number; color: string }) {
  const r = 3.5;
  if (shape === 'square') return <rect x={cx - r} y={cy - r} width={r * 2} height={r * 2} fill={color} />;
  if (shape === 'diamond') return <polygon points={`${cx},${cy - r - 1} ${cx + r + 1},${cy} ${cx},${cy + r + 1} ${cx - r - 1},${cy}`} fill={color} />;
  if (shape === 'triangle') return <polygon points={`${cx},${cy - r - 1} ${cx + r + 1},${cy + r} ${cx - r - 1},${cy + r}`} fill={color} />;
  return <circle cx={cx} cy={cy} r={r} fill={color} />;
}

/** The smallest "round" number (1, 2, 2.5, 5 × a power of ten) at or above `value`. */
function niceStep(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** The chart is drawn at its real width, so its text keeps its size whatever the layout. */
function useWidth(): [RefObject<HTMLElement | null>, number] {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(240, Math.round(el.clientWidth || DEFAULT_WIDTH)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function LineChart({ title, unit, series, threshold, decimals = 0 }: LineChartProps) {
  const styles = useStyles();
  const id = useId();
  const [figureRef, WIDTH] = useWidth();
  const all = series.flatMap((s) => s.points);
  const fmt = (v: number) => `${v.toFixed(decimals)} ${unit}`;
  /** The threshold as the dashboard states it (10 %, not 10.00 %). */
  const fmtLimit = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(decimals)} ${unit}`;
  if (all.length === 0) {
    return (
      <figure className={styles.figure} ref={figureRef}>
        <figcaption className={styles.caption}>{title}</figcaption>
        <Caption1>No figures were reported for this.</Caption1>
      </figure>
    );
  }
  let x0 = Math.min(...all.map((p) => p.start));
  let x1 = Math.max(...all.map((p) => p.end));
  if (x1 <= x0) {
    x0 -= 30_000;
    x1 += 30_000;
  }
  const step = niceStep((Math.max(...all.map((p) => p.value), threshold?.value ?? 0) * 1.1) / 4);
  const yMax = step * 4;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + ((t - x0) / (x1 - x0)) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const yTicks = [0, 1, 2, 3, 4].map((n) => n * step);
  const tickCount = WIDTH < 360 ? 3 : 4;
  const xTicks = Array.from({ length: tickCount }, (_v, i) => x0 + (i / (tickCount - 1)) * (x1 - x0)).filter(
    (t, i, ticks) => i === 0 || formatClock(t) !== formatClock(ticks[i - 1]!),
  );
  const summary = series
    .map((s) => {
      const values = s.points.map((p) => p.value);
      return `${s.name}: from ${fmt(Math.min(...values))} to ${fmt(Math.max(...values))}`;
    })
    .join('; ');

  return (
    <figure className={styles.figure} data-chart={title} ref={figureRef}>
      <figcaption className={styles.caption} id={`${id}-title`}>
        {title}
      </figcaption>
      <svg className={styles.svg} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <desc id={`${id}-desc`}>
          {summary}
          {threshold ? `. Poor above ${fmtLimit(threshold.value)}.` : '.'}
        </desc>
        <text className={styles.axisTitle} x={PAD.left - 6} y={PAD.top - 10} textAnchor="end" data-axis="y">
          {unit}
        </text>
        {yTicks.map((v) => (
          <g key={`y${v}`}>
            <line className={styles.grid} x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} />
            <text className={styles.tick} x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
              {Number.isInteger(v) ? v : v.toFixed(1)}
            </text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          <text key={`x${i}`} className={styles.tick} x={x(t)} y={HEIGHT - 8} textAnchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}>
            {formatClock(t)}
          </text>
        ))}
        <line className={styles.axis} x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} />
        <line className={styles.axis} x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} />
        {threshold && threshold.value <= yMax && (
          <g>
            <line className={styles.threshold} data-threshold x1={PAD.left} x2={WIDTH - PAD.right} y1={y(threshold.value)} y2={y(threshold.value)} />
            <text className={styles.thresholdLabel} x={WIDTH - PAD.right} y={y(threshold.value) - 4} textAnchor="end">
              {threshold.label} above {fmtLimit(threshold.value)}
            </text>
          </g>
        )}
        {series.map((s, i) => {
          const points = [...s.points].sort((a, b) => a.start - b.start);
          const d = points.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.start).toFixed(1)},${y(p.value).toFixed(1)} L${x(p.end).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
          const color = COLORS[i % COLORS.length];
          return (
            <g key={s.name} data-series={s.name}>
              <path d={d} fill="none" stroke={color} strokeWidth={2} strokeDasharray={DASHES[i % DASHES.length] || undefined} />
              {points.map((p, j) => (
                <Marker key={j} shape={MARKERS[i % MARKERS.length]!} cx={x((p.start + p.end) / 2)} cy={y(p.value)} color={color!} />
              ))}
            </g>
          );
        })}
      </svg>
      <div className={styles.legend} aria-hidden>
        {series.map((s, i) => (
          <Caption1 key={s.name}>
            <span className={styles.swatch} style={{ borderTopColor: COLORS[i % COLORS.length], borderTopStyle: DASHES[i % DASHES.length] ? 'dashed' : 'solid' }} />
            {s.name}
          </Caption1>
        ))}
        {threshold && (
          <Caption1>
            <span className={styles.swatch} style={{ borderTopColor: THRESHOLD_COLOR, borderTopStyle: 'dashed' }} />
            {threshold.label} (above {fmtLimit(threshold.value)})
          </Caption1>
        )}
      </div>
      <details className={styles.details}>
        <summary>Show the figures as a table</summary>
        <table className={styles.table}>
          <caption className={styles.details}>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Average</th>
            </tr>
          </thead>
          <tbody>
            {series.flatMap((s) =>
              s.points.map((p, j) => (
                <tr key={`${s.name}-${j}`}>
                  <td>{s.name}</td>
                  <td>{formatClock(p.start)}</td>
                  <td>{formatClock(p.end)}</td>
                  <td>{fmt(p.value)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
