// One queue on the dashboard: its headline figures, the callers waiting now (in line order, their waits ticking), the
// agents with their presence and state, and today's figures as charts with tables. Pure display: the dashboard
// passes the status and the clock.
import { Avatar, Badge, Body1, Caption1, makeStyles, shorthands, Subtitle1, Subtitle2, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { presenceLabel, presenceStatus } from '../presence.js';
import {
  agentState,
  availableAgents,
  callerName,
  callerState,
  formatWait,
  hearingLabel,
  isoDuration,
  longestWait,
  secondsSince,
  serviceLevelPercent,
  serviceLevelText,
  type QueueStatus,
} from '../queue-model.js';
import { OutcomeChart, WaitChart } from './queue-charts.js';

const ROUTING: Record<string, string> = {
  attendant: 'rings every free agent at once',
  serial: 'rings agents in order',
  'round-robin': 'takes agents in turn',
  'longest-idle': 'rings the agent idle longest',
};

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    ...shorthands.gap(tokens.spacingVerticalM),
    ...shorthands.padding(tokens.spacingVerticalL, tokens.spacingHorizontalL),
    ...shorthands.border(tokens.strokeWidthThin, 'solid', tokens.colorNeutralStroke2),
    ...shorthands.borderRadius(tokens.borderRadiusLarge),
    backgroundColor: tokens.colorNeutralBackground1,
  },
  head: { display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalXXS) },
  heading: { ...shorthands.margin(0) },
  meta: { color: tokens.colorNeutralForeground3 },
  figures: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(150px, 1fr))', ...shorthands.gap(tokens.spacingHorizontalM), ...shorthands.margin(0) },
  figure: {
    display: 'flex',
    flexDirection: 'column-reverse',
    justifyContent: 'flex-end',
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM),
    ...shorthands.borderRadius(tokens.borderRadiusMedium),
    ...shorthands.border(tokens.strokeWidthThin, 'solid', tokens.colorNeutralStroke2),
    backgroundColor: tokens.colorNeutralBackground3,
  },
  figureLabel: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  figureValue: { ...shorthands.margin(0), fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums', lineHeight: tokens.lineHeightBase500 },
  columns: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(360px, 1fr))', ...shorthands.gap(tokens.spacingHorizontalXL, tokens.spacingVerticalL), alignItems: 'start' },
  block: { display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalS), minWidth: 0, overflowX: 'auto' },
  table: {
    borderCollapse: 'collapse',
    width: '100%',
    fontSize: tokens.fontSizeBase300,
    '& th': { textAlign: 'left', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
    '& th, & td': { ...shorthands.padding('6px', '8px', '6px', '0'), ...shorthands.borderBottom(tokens.strokeWidthThin, 'solid', tokens.colorNeutralStroke2), verticalAlign: 'middle' },
    '& .num': { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  },
  who: { display: 'flex', alignItems: 'center', ...shorthands.gap(tokens.spacingHorizontalS), minWidth: 0 },
  stack: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', ...shorthands.gap('2px') },
  detail: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  empty: { color: tokens.colorNeutralForeground2, ...shorthands.padding(tokens.spacingVerticalS, 0) },
  charts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(300px, 1fr))', ...shorthands.gap(tokens.spacingHorizontalXL, tokens.spacingVerticalL) },
});

export interface QueuePanelProps {
  queue: QueueStatus;
  nowMs: number;
  skewMs: number;
}

export function QueuePanel({ queue, nowMs, skewMs }: QueuePanelProps) {
  const styles = useStyles();
  const id = `queue-${queue.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const longest = longestWait(queue, nowMs, skewMs);
  const free = availableAgents(queue);
  const signedIn = queue.agents.filter((a) => a.signedIn).length;
  const pct = serviceLevelPercent(queue.today);
  const meta = [
    ROUTING[queue.routing] ?? queue.routing,
    queue.presenceBased ? 'offers calls by presence' : 'offers calls whatever the presence',
    `rings for ${queue.alertSeconds} s`,
    `${queue.wrapUpSeconds} s wrap-up`,
    `at most ${queue.maxCallers} callers, ${formatWait(queue.maxWaitSeconds)} wait`,
  ].join(' · ');

  const duration = (seconds: number | null) => (seconds === null ? '–' : <time dateTime={isoDuration(seconds)}>{formatWait(seconds)}</time>);
  const figures: Array<{ key: string; label: string; value: ReactNode; title?: string }> = [
    { key: 'waiting', label: 'Waiting now', value: queue.waiting.length },
    { key: 'longest', label: 'Longest wait now', value: duration(longest) },
    { key: 'free', label: `Agents free (of ${signedIn} signed in)`, value: free },
    { key: 'service-level', label: `Service level today (within ${queue.today.serviceLevelSeconds} s)`, value: pct === undefined ? '–' : `${pct}%`, title: serviceLevelText(queue.today) },
    { key: 'abandoned', label: 'Abandoned today', value: queue.today.abandoned },
    { key: 'average-wait', label: 'Average wait today', value: duration(queue.today.averageWaitSeconds) },
  ];

  return (
    <section className={styles.root} aria-labelledby={`${id}-title`} data-queue={queue.name}>
      <div className={styles.head}>
        <Subtitle1 as="h2" id={`${id}-title`} className={styles.heading}>
          {queue.name}
        </Subtitle1>
        <Caption1 className={styles.meta}>{meta}</Caption1>
      </div>

      <dl className={styles.figures} aria-label={`${queue.name} now and today`}>
        {figures.map((f) => (
          <div key={f.key} className={styles.figure} title={f.title}>
            <dt className={styles.figureLabel}>{f.label}</dt>
            <dd className={styles.figureValue} data-figure={f.key}>
              {f.value}
            </dd>
          </div>
        ))}
      </dl>

      <div className={styles.columns}>
        <div className={styles.block}>
          <Subtitle2 as="h3" id={`${id}-waiting`} className={styles.heading}>
            Waiting callers
          </Subtitle2>
          {queue.waiting.length === 0 ? (
            <Body1 className={styles.empty} data-empty="waiting">
              Nobody waiting. New callers appear here as they join the queue.
            </Body1>
          ) : (
            <table className={styles.table} aria-labelledby={`${id}-waiting`} data-table="waiting">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">Caller</th>
                  <th scope="col" className="num">
                    Waiting
                  </th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {queue.waiting.map((w) => {
                  const state = callerState(w, queue.agents);
                  const waited = secondsSince(w.waitedSince, nowMs, skewMs);
                  const hearing = hearingLabel(w.hearing);
                  return (
                    <tr key={w.entryId} data-entry={w.entryId} data-caller={callerName(w)} data-state={w.state}>
                      <td className="num">{w.position}</td>
                      <th scope="row" style={{ fontWeight: 'normal' }}>
                        <span className={styles.stack}>
                          <Text>{callerName(w)}</Text>
                          {hearing && <span className={styles.detail}>hearing {hearing}</span>}
                        </span>
                      </th>
                      <td className="num">
                        <time dateTime={isoDuration(waited)}>{formatWait(waited)}</time>
                      </td>
                      <td>
                        <span className={styles.stack}>
                          <Badge appearance="tint" color={state.tone} shape="rounded">
                            {state.label}
                          </Badge>
                          {state.detail && <span className={styles.detail}>{state.detail}</span>}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>

        <div className={styles.block}>
          <Subtitle2 as="h3" id={`${id}-agents`} className={styles.heading}>
            Agents
          </Subtitle2>
          {queue.agents.length === 0 ? (
            <Body1 className={styles.empty}>This queue has no agents: list them under its agents (or group) in the front desk.</Body1>
          ) : (
            <table className={styles.table} aria-labelledby={`${id}-agents`} data-table="agents">
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">State</th>
                  <th scope="col" className="num">
                    In this state
                  </th>
                  <th scope="col" className="num">
                    Today
                  </th>
                </tr>
              </thead>
              <tbody>
                {queue.agents.map((a) => {
                  const state = agentState(a, queue);
                  const since = secondsSince(a.since, nowMs, skewMs);
                  return (
                    <tr key={a.userId} data-agent={a.displayName} data-agent-state={a.signedIn ? a.state : 'signed-out'}>
                      <th scope="row" style={{ fontWeight: 'normal' }}>
                        <span className={styles.who}>
                          <Avatar name={a.displayName} size={28} badge={{ status: presenceStatus(a.presence) }} aria-hidden />
                          <span className={styles.stack}>
                            <Text>{a.displayName}</Text>
                            <span className={styles.detail}>{presenceLabel(a.presence)}</span>
                          </span>
                        </span>
                      </th>
                      <td>
                        <span className={styles.stack}>
                          <Badge appearance="tint" color={state.tone} shape="rounded">
                            {state.label}
                          </Badge>
                          {state.detail && <span className={styles.detail}>{state.detail}</span>}
                        </span>
                      </td>
                      <td className="num">
                        <time dateTime={isoDuration(since)}>{formatWait(since)}</time>
                      </td>
                      <td className="num">
                        <span className={styles.stack} style={{ alignItems: 'flex-end' }}>
                          <span>{a.today.answered} answered</span>
                          {(a.today.missed > 0 || a.today.declined > 0) && (
                            <span className={styles.detail}>
                              {a.today.missed} missed · {a.today.declined} declined
                            </span>
                          )}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
      </div>

      <div className={styles.charts}>
        <OutcomeChart today={queue.today} queue={queue.name} />
        <WaitChart today={queue.today} longestNowSeconds={longest} />
      </div>
    </section>
  );
}
