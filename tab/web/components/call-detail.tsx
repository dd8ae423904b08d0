// One call on the personal tab: who was in it, when and how long, and per person the audio quality over the call —
// jitter, packet loss and round-trip time for what they sent and what they received — against the Call Quality
// Dashboard's "poor" thresholds.
import { Body1, Caption1, makeStyles, MessageBar, MessageBarBody, shorthands, Subtitle1, Subtitle2, tokens } from '@fluentui/react-components';
import { formatWhen } from '../format.js';
import { LineChart, type ChartSeries } from './line-chart.js';
import { callLength, callTitle, qualityBadge, type CallListItem } from './personal-app.js';

export interface QualityPoint {
  start: string;
  end: string;
  jitterMs?: number;
  packetLossPercent?: number;
  roundTripMs?: number;
}

export interface PersonSeries {
  person: { key: string; displayName?: string; id?: string };
  streams: Array<{ direction: 'sent' | 'received'; label: string; points: QualityPoint[] }>;
}

export interface CallDetail extends CallListItem {
  modalities: string[];
  participants: Array<{ key: string; kind: string; displayName?: string; isYou: boolean }>;
  people: Array<{ key: string; displayName?: string; jitterMs?: number; packetLossPercent?: number; roundTripMs?: number; poor: boolean }>;
  series: PersonSeries[];
  seriesError?: string;
}

/** Poor-stream thresholds (Call Quality Dashboard), as comms/records judges them. */
const POOR = { jitterMs: 30, packetLossPercent: 10, roundTripMs: 500 };

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalL) },
  head: { display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalXS) },
  line: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', ...shorthands.gap(tokens.spacingHorizontalS), color: tokens.colorNeutralForeground2 },
  person: { display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalS), ...shorthands.padding(tokens.spacingVerticalM, 0), ...shorthands.borderTop(tokens.strokeWidthThin, 'solid', tokens.colorNeutralStroke2) },
  charts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))', ...shorthands.gap(tokens.spacingHorizontalXL, tokens.spacingVerticalL) },
  meta: { color: tokens.colorNeutralForeground3 },
});

function seriesOf(person: PersonSeries, metric: keyof Omit<QualityPoint, 'start' | 'end'>): ChartSeries[] {
  return person.streams
    .map((s) => ({
      name: `${s.direction === 'sent' ? 'Sent' : 'Received'}${s.label && s.label !== 'main-audio' && s.label !== 'audio' ? ` (${s.label})` : ''}`,
      points: s.points.filter((p) => p[metric] !== undefined).map((p) => ({ start: Date.parse(p.start), end: Date.parse(p.end), value: p[metric]! })),
    }))
    .filter((s) => s.points.length > 0);
}

export function CallDetailView({ call }: { call: CallDetail }) {
  const styles = useStyles();
  const averages = new Map(call.people.map((p) => [p.key, p]));
  return (
    <article className={styles.root} id="call-detail" data-call-id={call.id}>
      <header className={styles.head}>
        <Subtitle1 as="h1">{callTitle(call)}</Subtitle1>
        <div className={styles.line}>
          <Body1>{formatWhen(call.start)}</Body1>
          <Body1>· {callLength(call)}</Body1>
          {qualityBadge(call)}
        </div>
        <Caption1 className={styles.meta}>
          {call.kind === 'meeting' ? 'Meeting' : call.kind === 'group' ? 'Group call' : 'One-to-one call'} with {call.participants.map((p) => (p.isYou ? 'you' : p.displayName ?? 'someone')).join(', ')}
        </Caption1>
      </header>
      {call.seriesError && (
        <MessageBar intent="warning">
          <MessageBarBody>The figures over time could not be read from Microsoft Graph just now ({call.seriesError}); the averages below are from the call record.</MessageBarBody>
        </MessageBar>
      )}
      {call.series.length === 0 && !call.seriesError && <Body1>No audio quality was reported for this call (it may not have connected).</Body1>}
      {call.series.map((person) => {
        const avg = averages.get(person.person.key);
        const name = person.person.displayName ?? 'Someone';
        return (
          <section key={person.person.key} className={styles.person} aria-label={`Audio quality for ${name}`} data-person={name}>
            <Subtitle2 as="h2">{name}</Subtitle2>
            {avg && (
              <Caption1 className={styles.meta}>
                Averages: jitter {avg.jitterMs ?? '–'} ms · packet loss {avg.packetLossPercent ?? '–'} % · round trip {avg.roundTripMs ?? '–'} ms{avg.poor ? ' · poor' : ''}
              </Caption1>
            )}
            <div className={styles.charts}>
              <LineChart title={`Jitter — ${name}`} unit="ms" series={seriesOf(person, 'jitterMs')} threshold={{ value: POOR.jitterMs, label: 'poor' }} />
              <LineChart title={`Packet loss — ${name}`} unit="%" decimals={2} series={seriesOf(person, 'packetLossPercent')} threshold={{ value: POOR.packetLossPercent, label: 'poor' }} />
              <LineChart title={`Round trip — ${name}`} unit="ms" series={seriesOf(person, 'roundTripMs')} threshold={{ value: POOR.roundTripMs, label: 'poor' }} />
            </div>
          </section>
        );
      })}
    </article>
  );
}
