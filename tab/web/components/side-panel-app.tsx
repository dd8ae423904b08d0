// The meeting side panel: loads the meeting once, then follows the roster live by applying the stream's diffs (a
// skipped version or a `reset` reloads the snapshot; a dropped connection shows "Reconnecting…" and resumes with
// nothing missed). People see the roster; organizers and presenters also get the controls.
import {
  Button,
  Caption1,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  SearchBox,
  shorthands,
  Spinner,
  Tab,
  TabList,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, isAuthError } from '../api-client.js';
import type { PresenceView } from '../presence.js';
import { describeDiff, rosterCounts, RosterModel, type RosterDiff, type RosterEntry } from '../roster-model.js';
import { RosterStream, type StreamStatus } from '../roster-stream.js';
import type { Session } from '../session.js';
import { MeetingHeader, type BotState, type MeetingInfo } from './meeting-header.js';
import { MeetingControls } from './meeting-controls.js';
import { RosterList } from './roster-list.js';
import { StateMessage } from './state-message.js';

interface MeetingView {
  meeting: MeetingInfo;
  roster: { version: number; count: number; entries: RosterEntry[] };
  presence: Record<string, PresenceView>;
  permissions: { role?: string; canControl: boolean };
  me: { userId: string; displayName?: string };
  stream: { lastEventId: string };
}

const PRESENCE_REFRESH_MS = 120_000;
/** After people join, their presence is read once things settle (and never more often than this). */
const PRESENCE_AFTER_JOIN_MS = 2_000;
const PRESENCE_MIN_GAP_MS = 10_000;
const ANNOUNCE_DELAY_MS = 1_000;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', height: '100vh', maxWidth: '100%', overflow: 'hidden' },
  tabs: { ...shorthands.padding(0, tokens.spacingHorizontalS) },
  search: { ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM) },
  searchBox: { width: '100%', maxWidth: '100%' },
  people: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0 },
  bar: { ...shorthands.margin(tokens.spacingVerticalXS, tokens.spacingHorizontalM, 0) },
  footer: {
    ...shorthands.padding(tokens.spacingVerticalXS, tokens.spacingHorizontalM),
    ...shorthands.borderTop(tokens.strokeWidthThin, 'solid', tokens.colorNeutralStroke2),
    color: tokens.colorNeutralForeground3,
  },
  visuallyHidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
});

type Load = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; error: ApiError };

export function SidePanelApp({ session, switchUser }: { session: Session; switchUser?: () => void }) {
  const styles = useStyles();
  const key = session.meetingKey;
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [view, setView] = useState<Omit<MeetingView, 'roster'> | undefined>(undefined);
  const model = useRef<RosterModel | undefined>(undefined);
  const [revision, setRevision] = useState(0);
  const [streamStatus, setStreamStatus] = useState<StreamStatus>('connecting');
  const [query, setQuery] = useState('');
  const [tab, setTab] = useState<'people' | 'controls'>('people');
  const [pendingMutes, setPendingMutes] = useState<ReadonlySet<string>>(new Set());
  const [muteError, setMuteError] = useState<string | undefined>(undefined);
  const [liveText, setLiveText] = useState('');
  const stream = useRef<RosterStream | undefined>(undefined);
  const spoken = useRef<string[]>([]);
  const speakTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const snapshots = useRef(0);
  const presenceTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const presenceReadAt = useRef(0);
  const knownPresence = useRef<Record<string, PresenceView>>({});

  const say = useCallback((text: string) => {
    if (!text) return;
    spoken.current.push(text);
    if (speakTimer.current) return;
    speakTimer.current = setTimeout(() => {
      speakTimer.current = undefined;
      setLiveText(spoken.current.join(' '));
      spoken.current = [];
    }, ANNOUNCE_DELAY_MS);
  }, []);

  const refreshPresence = useCallback(async () => {
    if (!key) return;
    presenceReadAt.current = Date.now();
    try {
      const r = await session.api.get<{ presence: Record<string, PresenceView> }>(`/api/tab/meetings/${encodeURIComponent(key)}/presence`);
      knownPresence.current = r.presence;
      setView((v) => (v ? { ...v, presence: r.presence } : v));
    } catch {
      // presence is a nicety: keep what is shown
    }
  }, [key, session]);

  /** Someone whose presence is not known joined: read it soon (coalesced, at most every PRESENCE_MIN_GAP_MS). */
  const presenceSoon = useCallback(() => {
    if (presenceTimer.current) return;
    const wait = Math.max(PRESENCE_AFTER_JOIN_MS, presenceReadAt.current + PRESENCE_MIN_GAP_MS - Date.now());
    presenceTimer.current = setTimeout(() => {
      presenceTimer.current = undefined;
      void refreshPresence();
    }, wait);
  }, [refreshPresence]);

  const loadSnapshot = useCallback(async () => {
    if (!key) return;
    stream.current?.stop();
    stream.current = undefined;
    try {
      snapshots.current += 1;
      const data = await session.api.get<MeetingView>(`/api/tab/meetings/${encodeURIComponent(key)}`);
      model.current = new RosterModel(data.roster);
      knownPresence.current = data.presence;
      presenceReadAt.current = Date.now();
      const { roster: _roster, ...rest } = data;
      setView(rest);
      setRevision((n) => n + 1);
      setLoad({ kind: 'ready' });
      const next: RosterStream = new RosterStream({
        url: `/api/tab/meetings/${encodeURIComponent(data.meeting.meetingKey)}/stream`,
        lastEventId: data.stream.lastEventId,
        token: session.token,
        onStatus: setStreamStatus,
        onFatal: (error) => setLoad({ kind: 'error', error }),
        onMessage: (type, payload) => {
          if (stream.current !== next) return;
          if (type === 'roster') {
            const diff = payload as RosterDiff;
            const current = model.current;
            if (!current) return;
            const words = diff.version === current.version + 1 ? describeDiff(diff, current.entries) : '';
            const outcome = current.apply(diff);
            if (outcome === 'gap') {
              void loadSnapshot();
              return;
            }
            if (outcome === 'applied') {
              setRevision((n) => n + 1);
              say(words);
              if (diff.joined.some((e) => e.userId && !knownPresence.current[e.userId])) presenceSoon();
            }
          } else if (type === 'state') {
            const state = (payload as { state: BotState }).state;
            setView((v) => (v ? { ...v, meeting: { ...v.meeting, bot: { state, inMeeting: state === 'joined' } } } : v));
          } else if (type === 'call') {
            // The meeting's own call started or ended (its call events): the roster follows through 'roster' diffs.
            const call = payload as { state?: unknown; at?: unknown };
            if ((call.state !== 'started' && call.state !== 'ended') || typeof call.at !== 'string') return;
            const next = { state: call.state, at: call.at } as const;
            setView((v) => (v ? { ...v, meeting: { ...v.meeting, call: next } } : v));
          } else if (type === 'presence') {
            // Live presence (the viewer's encrypted presence subscription): one person's new presence.
            const p = payload as { userId?: unknown; availability?: unknown; activity?: unknown };
            if (typeof p.userId !== 'string' || typeof p.availability !== 'string' || typeof p.activity !== 'string') return;
            const next = { ...knownPresence.current, [p.userId]: { availability: p.availability, activity: p.activity } };
            knownPresence.current = next;
            setView((v) => (v ? { ...v, presence: next } : v));
          } else if (type === 'reset') {
            void loadSnapshot();
          }
        },
      });
      stream.current = next;
      next.start();
    } catch (err) {
      setLoad({ kind: 'error', error: err instanceof ApiError ? err : new ApiError('tab/internal', (err as Error).message, 0) });
    }
  }, [key, session, say, presenceSoon]);

  useEffect(() => {
    void loadSnapshot();
    return () => {
      stream.current?.stop();
      stream.current = undefined;
      clearTimeout(speakTimer.current);
      clearTimeout(presenceTimer.current);
      presenceTimer.current = undefined;
    };
  }, [loadSnapshot]);

  // Presence is streamed live once the viewer's subscription exists; until then (and if it lapses) it is polled.
  useEffect(() => {
    if (!key || load.kind !== 'ready') return;
    const timer = setInterval(() => void refreshPresence(), PRESENCE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [key, load.kind, refreshPresence]);

  useEffect(() => {
    const online = () => stream.current?.retryNow();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, []);

  const entries = model.current?.entries;
  const roles = view?.meeting.roles;
  // The model keeps the people sorted between diffs (a diff moves only whom it names).
  const items = useMemo(() => (model.current ? model.current.items(query, roles) : []), [entries, revision, query, roles]);
  const counts = useMemo(() => rosterCounts(entries?.values() ?? []), [entries, revision]);

  // A pending mute is done once the roster says so.
  useEffect(() => {
    if (pendingMutes.size === 0 || !entries) return;
    const still = new Set([...pendingMutes].filter((id) => entries.get(id) && !entries.get(id)!.isMuted));
    if (still.size !== pendingMutes.size) setPendingMutes(still);
  }, [revision, entries, pendingMutes]);

  const mute = (entry: RosterEntry) => {
    if (!key) return;
    setMuteError(undefined);
    setPendingMutes((s) => new Set(s).add(entry.id));
    session.api.post(`/api/tab/meetings/${encodeURIComponent(key)}/mute`, { participantId: entry.id }).catch((err: Error) => {
      setPendingMutes((s) => {
        const next = new Set(s);
        next.delete(entry.id);
        return next;
      });
      setMuteError(`${entry.displayName} could not be muted: ${err.message}`);
    });
  };

  const footer = session.devUser && (
    <footer className={styles.footer}>
      <Caption1>
        Local mode: you are {session.devUser.displayName}.{' '}
        {switchUser && (
          <Link as="button" onClick={switchUser}>
            Switch person
          </Link>
        )}
      </Caption1>
    </footer>
  );

  if (!key) {
    return (
      <main className={styles.root}>
        <StateMessage title="Which meeting?" message="Open this panel from a Teams meeting. In local mode, add ?meeting=<the meeting chat id> to the address." />
        {footer}
      </main>
    );
  }
  if (load.kind === 'loading') {
    return (
      <main className={styles.root} data-state="loading">
        <StateMessage title="Loading the meeting…">
          <Spinner size="small" />
        </StateMessage>
      </main>
    );
  }
  if (load.kind === 'error') {
    const { error } = load;
    let body;
    if (isAuthError(error)) {
      body = (
        <StateMessage title="Sign in again" message={error.message} intent="error">
          <Button appearance="primary" onClick={() => session.token(true).then(() => loadSnapshot(), () => undefined)}>
            Sign in again
          </Button>
        </StateMessage>
      );
    } else if (error.code === 'tab/not-a-participant') {
      body = <StateMessage title="You are not in this meeting" message={error.message} intent="error" />;
    } else if (error.code === 'tab/meeting-unknown') {
      body = <StateMessage title="Switchboard does not know this meeting yet" message={error.message} />;
    } else {
      body = (
        <StateMessage title="Something went wrong" message={error.message} intent="error">
          <Button onClick={() => void loadSnapshot()}>Try again</Button>
        </StateMessage>
      );
    }
    return (
      <main className={styles.root} data-state="error" data-error-code={error.code}>
        {body}
        {footer}
      </main>
    );
  }
  if (!view || !entries) return null;
  const canControl = view.permissions.canControl;
  const searching = query.trim().length > 0;
  return (
    <main className={styles.root} data-state="ready" data-stream={streamStatus} data-roster-version={model.current?.version} data-snapshots={snapshots.current}>
      <MeetingHeader meeting={view.meeting} counts={counts} />
      {streamStatus === 'reconnecting' && (
        <MessageBar intent="warning" className={styles.bar} id="stream-status">
          <MessageBarBody>Reconnecting… the roster may be behind for a moment.</MessageBarBody>
        </MessageBar>
      )}
      {canControl && (
        <TabList className={styles.tabs} selectedValue={tab} onTabSelect={(_e, d) => setTab(d.value as 'people' | 'controls')} size="small" aria-label="Side panel sections">
          <Tab value="people" id="tab-people">
            People ({counts.people})
          </Tab>
          <Tab value="controls" id="tab-controls">
            Controls
          </Tab>
        </TabList>
      )}
      {tab === 'controls' && canControl ? (
        <MeetingControls api={session.api} meeting={view.meeting} />
      ) : (
        <div className={styles.people}>
          <div className={styles.search}>
            <SearchBox className={styles.searchBox} placeholder="Search people" aria-label="Search people in the meeting" value={query} onChange={(_e, d) => setQuery(d.value)} size="small" id="roster-search" />
          </div>
          {muteError && (
            <MessageBar intent="error" className={styles.bar}>
              <MessageBarBody>{muteError}</MessageBarBody>
            </MessageBar>
          )}
          {items.length === 0 ? (
            searching ? (
              <StateMessage title="Nobody by that name" message="Nobody in the meeting matches your search." intent="empty" />
            ) : (
              <StateMessage title="Nobody is here yet" message={view.meeting.bot.inMeeting ? 'People appear here as they join.' : 'People appear here as they join. Bring the Switchboard bot in to see everyone who is in the call.'} intent="empty" />
            )
          ) : (
            <RosterList
              items={items}
              presence={view.presence}
              canMute={canControl && view.meeting.bot.inMeeting}
              meUserId={view.me.userId}
              pendingMutes={pendingMutes}
              onMute={mute}
              label={`People in the meeting: ${counts.people}`}
            />
          )}
        </div>
      )}
      <div className={styles.visuallyHidden} aria-live="polite" role="status" id="roster-live">
        {liveText}
      </div>
      {footer}
    </main>
  );
}
