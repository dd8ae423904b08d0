// The personal tab: your recent calls (who, when, how long, how the audio was) and your reminders; a call opens its
// detail with audio quality charts. Call records reach Switchboard a little after a call ends, which the empty state
// says. The open call is kept in the address (#call=<id>) so it survives a reload.
import { Badge, Button, Caption1, Link, makeStyles, MessageBar, MessageBarBody, shorthands, Spinner, Subtitle1, Subtitle2, Text, tokens } from '@fluentui/react-components';
import { ArrowLeft20Regular, Call20Regular, People20Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, isAuthError } from '../api-client.js';
import { formatDuration, formatWhen } from '../format.js';
import type { Session } from '../session.js';
import { CallDetailView, type CallDetail } from './call-detail.js';
import { ReminderList, type ReminderItem } from './reminder-list.js';
import { StateMessage } from './state-message.js';

export interface CallListItem {
  id: string;
  type: string;
  kind: 'one-to-one' | 'group' | 'meeting';
  /** Who or what the call was (the server words it: "Call with Jonas Lindqvist", "Call to the front desk"…). */
  title: string;
  direction?: 'outgoing' | 'incoming';
  start?: string;
  end?: string;
  durationSeconds?: number;
  with: string[];
  organizer?: string;
  participantCount: number;
  result: 'connected' | 'not-connected';
  outcome: 'connected' | 'missed' | 'not-answered';
  quality: 'good' | 'poor' | 'unknown';
}

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalL), ...shorthands.padding(tokens.spacingVerticalL, tokens.spacingHorizontalXL), maxWidth: '980px', width: '100%', boxSizing: 'border-box' },
  section: { display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalS) },
  head: { display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', flexWrap: 'wrap', ...shorthands.gap(tokens.spacingHorizontalM) },
  list: { listStyleType: 'none', ...shorthands.margin(0), ...shorthands.padding(0), display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalXS) },
  call: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr auto',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalM,
    width: '100%',
    textAlign: 'left',
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM),
    ...shorthands.border(tokens.strokeWidthThin, 'solid', tokens.colorNeutralStroke2),
    ...shorthands.borderRadius(tokens.borderRadiusMedium),
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    cursor: 'pointer',
    fontFamily: tokens.fontFamilyBase,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outlineStyle: 'solid', outlineWidth: '2px', outlineColor: tokens.colorStrokeFocus2 },
  },
  icon: { color: tokens.colorBrandForeground1 },
  who: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  name: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', fontWeight: tokens.fontWeightSemibold },
  meta: { color: tokens.colorNeutralForeground3 },
  footer: { color: tokens.colorNeutralForeground3 },
});

export function qualityBadge(item: Pick<CallListItem, 'result' | 'quality' | 'outcome'>) {
  if (item.outcome === 'missed') return <Badge appearance="tint" color="warning">Missed</Badge>;
  if (item.outcome === 'not-answered' || item.result === 'not-connected') return <Badge appearance="tint" color="informative">Not answered</Badge>;
  if (item.quality === 'poor') return <Badge appearance="tint" color="danger">Poor audio</Badge>;
  return <Badge appearance="tint" color="success">Good audio</Badge>;
}

export function callTitle(item: Pick<CallListItem, 'title'>): string {
  return item.title;
}

/** "4 min 10 s", or for a call that never connected how long it rang. */
export function callLength(item: Pick<CallListItem, 'outcome' | 'durationSeconds'>): string {
  return item.outcome === 'connected' ? formatDuration(item.durationSeconds) : `rang ${formatDuration(item.durationSeconds)}`;
}

function callIdFromHash(): string | undefined {
  const match = /^#call=([A-Za-z0-9-]{1,64})$/.exec(window.location.hash);
  return match?.[1];
}

type Load<T> = { kind: 'loading' } | { kind: 'ready'; value: T } | { kind: 'error'; error: ApiError };

export function PersonalApp({ session, switchUser }: { session: Session; switchUser?: () => void }) {
  const styles = useStyles();
  const [calls, setCalls] = useState<Load<CallListItem[]>>({ kind: 'loading' });
  const [reminders, setReminders] = useState<Load<ReminderItem[]>>({ kind: 'loading' });
  const [openId, setOpenId] = useState<string | undefined>(callIdFromHash);
  const [detail, setDetail] = useState<Load<CallDetail> | undefined>(undefined);

  const refresh = useCallback(() => {
    const fail = (err: unknown) => ({ kind: 'error' as const, error: err instanceof ApiError ? err : new ApiError('tab/internal', String(err), 0) });
    session.api.get<{ calls: CallListItem[] }>('/api/tab/calls').then((r) => setCalls({ kind: 'ready', value: r.calls }), (e) => setCalls(fail(e)));
    session.api.get<{ reminders: ReminderItem[] }>('/api/tab/reminders').then((r) => setReminders({ kind: 'ready', value: r.reminders }), (e) => setReminders(fail(e)));
  }, [session]);

  useEffect(refresh, [refresh]);
  useEffect(() => {
    const onHash = () => setOpenId(callIdFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (!openId) {
      setDetail(undefined);
      return;
    }
    setDetail({ kind: 'loading' });
    session.api.get<CallDetail>(`/api/tab/calls/${encodeURIComponent(openId)}`).then(
      (value) => setDetail({ kind: 'ready', value }),
      (error: ApiError) => setDetail({ kind: 'error', error }),
    );
  }, [openId, session]);

  const open = (id: string | undefined) => {
    window.location.hash = id ? `call=${id}` : '';
    setOpenId(id);
  };

  const footer = session.devUser && (
    <Caption1 className={styles.footer}>
      Local mode: you are {session.devUser.displayName}.{' '}
      {switchUser && (
        <Link as="button" onClick={switchUser}>
          Switch person
        </Link>
      )}
    </Caption1>
  );

  const authError = [calls, reminders].find((l) => l.kind === 'error' && isAuthError(l.error));
  if (authError && authError.kind === 'error') {
    return (
      <main className={styles.root}>
        <StateMessage title="Sign in again" message={authError.error.message} intent="error">
          <Button appearance="primary" onClick={() => session.token(true).then(refresh, () => undefined)}>
            Sign in again
          </Button>
        </StateMessage>
        {footer}
      </main>
    );
  }

  if (openId) {
    return (
      <main className={styles.root} data-view="call">
        <div>
          <Button appearance="subtle" icon={<ArrowLeft20Regular />} onClick={() => open(undefined)}>
            Back to your calls
          </Button>
        </div>
        {(!detail || detail.kind === 'loading') && <Spinner size="small" label="Loading the call…" />}
        {detail?.kind === 'error' && <StateMessage title={detail.error.code === 'tab/not-found' ? 'No such call' : 'The call could not be loaded'} message={detail.error.message} intent="error" />}
        {detail?.kind === 'ready' && <CallDetailView call={detail.value} />}
        {footer}
      </main>
    );
  }

  return (
    <main className={styles.root} data-view="list">
      <section className={styles.section} aria-labelledby="calls-title">
        <div className={styles.head}>
          <Subtitle1 as="h1" id="calls-title">
            Your calls
          </Subtitle1>
          <Button appearance="subtle" size="small" onClick={refresh}>
            Refresh
          </Button>
        </div>
        {calls.kind === 'loading' && <Spinner size="small" label="Loading your calls…" />}
        {calls.kind === 'error' && (
          <MessageBar intent="error">
            <MessageBarBody>{calls.error.message}</MessageBarBody>
          </MessageBar>
        )}
        {calls.kind === 'ready' && calls.value.length === 0 && (
          <StateMessage
            title="No calls yet"
            message="Calls you make or take with Switchboard show here. A call's record arrives a little after the call ends (in Teams, usually within a few minutes), so a call that just finished may take a moment to appear."
            intent="empty"
          />
        )}
        {calls.kind === 'ready' && calls.value.length > 0 && (
          <ul className={styles.list} aria-label="Recent calls" id="call-list">
            {calls.value.map((c) => (
              <li key={c.id}>
                <button type="button" className={styles.call} onClick={() => open(c.id)} data-call-id={c.id}>
                  {c.kind === 'one-to-one' ? <Call20Regular className={styles.icon} aria-hidden /> : <People20Regular className={styles.icon} aria-hidden />}
                  <span className={styles.who}>
                    <Text className={styles.name}>{callTitle(c)}</Text>
                    <Caption1 className={styles.meta}>
                      {formatWhen(c.start)} · {callLength(c)}
                    </Caption1>
                  </span>
                  {qualityBadge(c)}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className={styles.section} aria-labelledby="reminders-title">
        <Subtitle2 as="h2" id="reminders-title">
          Your reminders
        </Subtitle2>
        {reminders.kind === 'loading' && <Spinner size="small" label="Loading your reminders…" />}
        {reminders.kind === 'error' && (
          <MessageBar intent="error">
            <MessageBarBody>{reminders.error.message}</MessageBarBody>
          </MessageBar>
        )}
        {reminders.kind === 'ready' && <ReminderList reminders={reminders.value} />}
      </section>
      {footer}
    </main>
  );
}
