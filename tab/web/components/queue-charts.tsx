// Today's figures of one queue as two small charts, each with its data table (the table is the data; the picture is
// an image with a text alternative): callers by outcome as one stacked bar, and the average and longest waits against
// the service-level target. Each outcome has a colour and a pattern, so the bar still reads where every colour is the
// same (Teams' high-contrast theme) or for someone who does not tell red from orange.
import { makeStyles, shorthands, tokens } from '@fluentui/react-components';
import { useId } from 'react';
import { formatWait, isoDuration, outcomeRows, outcomeSummary, type ChartRow, type QueueDayStats } from '../queue-model.js';

const FILL: Record<ChartRow['key'], string> = {
  within: tokens.colorPaletteGreenForeground1,
  later: tokens.colorBrandForeground1,
  abandoned: tokens.colorPaletteRedForeground1,
  'timed-out': tokens.colorPaletteDarkOrangeForeground1,
  overflowed: tokens.colorPaletteBerryForeground1,
};

const useStyles = makeStyles({
  figure: { ...shorthands.margin(0), display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalS), minWidth: 0 },
  caption: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300 },
  bar: { display: 'block', width: '100%', height: '28px', overflow: 'visible' },
  track: { fill: tokens.colorNeutralBackground3, stroke: tokens.colorNeutralStroke1, strokeWidth: 1 },
  nothing: { fill: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, fontFamily: tokens.fontFamilyBase },
  target: { stroke: tokens.colorNeutralForeground1, strokeWidth: 2, strokeDasharray: '4 3' },
  table: {
    borderCollapse: 'collapse',
    fontSize: tokens.fontSizeBase200,
    width: '100%',
    '& th, & td': { textAlign: 'left', ...shorthands.padding('3px', '8px', '3px', '0'), ...shorthands.borderBottom(tokens.strokeWidthThin, 'solid', tokens.colorNeutralStroke2) },
    '& td.num, & th.num': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  },
  tableCaption: { textAlign: 'left', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, ...shorthands.padding(0, 0, tokens.spacingVerticalXXS) },
  swatch: { display: 'inline-block', width: '14px', height: '14px', verticalAlign: 'middle', marginRight: tokens.spacingHorizontalS },
  waitRow: { display: 'grid', gridTemplateColumns: '9em 1fr', alignItems: 'center', columnGap: tokens.spacingHorizontalS, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
});

/** The SVG patterns of each outcome, defined once per chart (ids are per chart: several queues share a page); the table's
 * swatches use the same ones. */
function Patterns({ prefix }: { prefix: string }) {
  const size = 6;
  return (
    <defs>
      {(Object.keys(FILL) as ChartRow['key'][]).map((key) => (
        <pattern key={key} id={`${prefix}-${key}`} patternUnits="userSpaceOnUse" width={size} height={size}>
          <rect width={size} height={size} style={{ fill: key === 'within' ? FILL[key] : tokens.colorNeutralBackground1 }} />
          {key === 'later' && <path d={`M0,${size} L${size},0`} style={{ stroke: FILL[key], strokeWidth: 2.5 }} />}
          {key === 'abandoned' && <circle cx={size / 2} cy={size / 2} r={1.8} style={{ fill: FILL[key] }} />}
          {key === 'timed-out' && <path d={`M0,${size / 2} H${size}`} style={{ stroke: FILL[key], strokeWidth: 2.5 }} />}
          {key === 'overflowed' && <path d={`M0,0 L${size},${size} M${size},0 L0,${size}`} style={{ stroke: FILL[key], strokeWidth: 1.5 }} />}
        </pattern>
      ))}
    </defs>
  );
}

function Swatch({ prefix, which }: { prefix: string; which: ChartRow['key'] }) {
  const styles = useStyles();
  return (
    <svg className={styles.swatch} aria-hidden focusable="false">
      <rect x="0.5" y="0.5" width="13" height="13" style={{ fill: `url(#${prefix}-${which})`, stroke: FILL[which], strokeWidth: 1 }} />
    </svg>
  );
}

export function OutcomeChart({ today, queue }: { today: QueueDayStats; queue: string }) {
  const styles = useStyles();
  const id = useId().replace(/:/g, '');
  const rows = outcomeRows(today);
  const done = rows.reduce((n, r) => n + r.value, 0);
  let x = 0;
  const segments = rows
    .filter((r) => r.value > 0)
    .map((r) => {
      const seg = { row: r, x, width: (r.value / done) * 100 };
      x += seg.width;
      return seg;
    });
  return (
    <figure className={styles.figure} data-chart="outcomes">
      <figcaption className={styles.caption} id={`${id}-title`}>
        Callers today by outcome
      </figcaption>
      <svg className={styles.bar} role="img" aria-labelledby={`${id}-title ${id}-desc`} focusable="false">
        <desc id={`${id}-desc`}>{outcomeSummary(today)}</desc>
        <Patterns prefix={id} />
        <rect className={styles.track} x="0.5" y="0.5" width="99.5%" height="27" rx="3" />
        {done === 0 && (
          <text x="50%" y="18" textAnchor="middle" className={styles.nothing}>
            Nobody has finished yet today
          </text>
        )}
        {segments.map((s) => (
          <rect
            key={s.row.key}
            data-segment={s.row.key}
            x={`${s.x}%`}
            y="1"
            width={`${s.width}%`}
            height="26"
            style={{ fill: `url(#${id}-${s.row.key})`, stroke: tokens.colorNeutralBackground1, strokeWidth: 2 }}
          />
        ))}
      </svg>
      <table className={styles.table}>
        <caption className={styles.tableCaption}>
          {queue}: {today.entered} {today.entered === 1 ? 'caller' : 'callers'} entered today
          {today.callbacksRequested > 0 ? `, ${today.callbacksRequested} asked to be called back` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Outcome</th>
            <th scope="col" className="num">
              Callers
            </th>
            <th scope="col" className="num">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-outcome={r.key}>
              <th scope="row" style={{ fontWeight: 'normal' }}>
                <Swatch prefix={id} which={r.key} />
                {r.label}
              </th>
              <td className="num">{r.value}</td>
              <td className="num">{done > 0 ? `${Math.round((r.value / done) * 100)}%` : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** `longestNowSeconds`: the longest wait of those waiting now (today's longest counts them too). */
export function WaitChart({ today, longestNowSeconds }: { today: QueueDayStats; longestNowSeconds: number }) {
  const styles = useStyles();
  const id = useId().replace(/:/g, '');
  const target = today.serviceLevelSeconds;
  const average = today.averageWaitSeconds;
  const longest = Math.max(today.longestWaitSeconds, longestNowSeconds);
  const max = Math.max(target * 1.25, average ?? 0, longest, 1);
  const pct = (v: number) => `${Math.min(100, (v / max) * 100)}%`;
  const summary = `${average === null ? 'No answered callers yet, so no average wait' : `Average wait of answered callers ${formatWait(average)}`}; longest wait today ${formatWait(longest)}; service-level target ${formatWait(target)}.`;
  const bars: Array<{ key: string; label: string; value: number | null; fill: string }> = [
    { key: 'average', label: 'Average wait', value: average, fill: tokens.colorBrandForeground1 },
    { key: 'longest', label: 'Longest wait', value: longest, fill: tokens.colorPaletteDarkOrangeForeground1 },
  ];
  return (
    <figure className={styles.figure} data-chart="waits">
      <figcaption className={styles.caption} id={`${id}-title`}>
        Waits today
      </figcaption>
      <div role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <span id={`${id}-desc`} hidden>
          {summary}
        </span>
        {bars.map((b) => (
          <div key={b.key} className={styles.waitRow} aria-hidden>
            <span>{b.label}</span>
            <svg className={styles.bar} focusable="false">
              <rect className={styles.track} x="0.5" y="4.5" width="99.5%" height="19" rx="3" />
              {b.value !== null && b.value > 0 && <rect x="1" y="5" width={pct(b.value)} height="18" rx="2" style={{ fill: b.fill }} />}
              <line className={styles.target} x1={pct(target)} x2={pct(target)} y1="0" y2="28" />
            </svg>
          </div>
        ))}
      </div>
      <table className={styles.table}>
        <caption className={styles.tableCaption}>The dashed line is the service-level target ({target} s).</caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col" className="num">
              Time
            </th>
          </tr>
        </thead>
        <tbody>
          <tr data-measure="average">
            <th scope="row" style={{ fontWeight: 'normal' }}>
              Average wait (answered callers)
            </th>
            <td className="num">{average === null ? 'None answered yet' : <time dateTime={isoDuration(average)}>{formatWait(average)}</time>}</td>
          </tr>
          <tr data-measure="longest">
            <th scope="row" style={{ fontWeight: 'normal' }}>
              Longest wait today (waiting now included)
            </th>
            <td className="num">
              <time dateTime={isoDuration(longest)}>{formatWait(longest)}</time>
            </td>
          </tr>
          <tr data-measure="target">
            <th scope="row" style={{ fontWeight: 'normal' }}>
              Service-level target
            </th>
            <td className="num">
              <time dateTime={isoDuration(target)}>{formatWait(target)}</time>
            </td>
          </tr>
        </tbody>
      </table>
    </figure>
  );
}
