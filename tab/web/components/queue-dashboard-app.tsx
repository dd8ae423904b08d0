// The queue dashboard (/tab/queues): loads the queues the user may see, then follows them live over the queue stream
// (a snapshot on every (re)connect, then one queue's whole status per change). Wait times tick every second on the
// server's clock; a new caller is announced politely to screen readers, the ticking never is.
import { Button, Caption1, makeStyles, MessageBar, MessageBarBody, shorthands, Spinner, Subtitle1, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, isAuthError } from '../api-client.js';
import { describeNewCallers, QueueBoard, type NewCaller, type QueueSnapshot, type QueueStatus } from '../queue-model.js';
import { RosterStream, type StreamStatus } from '../roster-stream.js';
import type { Session } from '../session.js';
import { LocalModeNote } from './local-mode-note.js';
import { QueuePanel } from './queue-panel.js';
import { StateMessage } from './state-message.js';

const TICK_MS = 1_000;
const ANNOUNCE_DELAY_MS = 1_000;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalL), ...shorthands.padding(tokens.spacingVerticalL, tokens.spacingHorizontalXL), maxWidth: '1280px', width: '100%', boxSizing: 'border-box' },
  head: { display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', flexWrap: 'wrap', ...shorthands.gap(tokens.spacingHorizontalM) },
  status: { color: tokens.colorNeutralForeground2 },
  visuallyHidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
});

type Load = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; error: ApiError };

const STATUS_WORDS: Record<StreamStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Not live',
};

export function QueueDashboardApp({ session, switchUser }: { session: Session; switchUser?: () => void }) {
  const styles = useStyles();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const board = useRef<QueueBoard | undefined>(undefined);
  const [, setRevision] = useState(0);
  const [streamStatus, setStreamStatus] = useState<StreamStatus>('connecting');
  const [now, setNow] = useState(() => Date.now());
  const [liveText, setLiveText] = useState('');
  const stream = useRef<RosterStream | undefined>(undefined);
  const pending = useRef<NewCaller[]>([]);
  const speakTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  /** New callers are gathered for a moment and said in one sentence per queue. */
  const announce = useCallback((fresh: NewCaller[]) => {
    if (fresh.length === 0) return;
    pending.current.push(...fresh);
    if (speakTimer.current) return;
    speakTimer.current = setTimeout(() => {
      speakTimer.current = undefined;
      setLiveText(describeNewCallers(pending.current));
      pending.current = [];
    }, ANNOUNCE_DELAY_MS);
  }, []);

  const start = useCallback(async () => {
    stream.current?.stop();
    stream.current = undefined;
    try {
      const snapshot = await session.api.get<QueueSnapshot>('/api/tab/queues');
      board.current = new QueueBoard(snapshot, Date.now());
      setRevision((n) => n + 1);
      setLoad({ kind: 'ready' });
      const next: RosterStream = new RosterStream({
        url: '/api/tab/queues/stream',
        lastEventId: '',
        token: session.token,
        onStatus: setStreamStatus,
        onFatal: (error) => setLoad({ kind: 'error', error }),
        onMessage: (type, payload) => {
          if (stream.current !== next || !board.current) return;
          if (type === 'snapshot') announce(board.current.replace(payload as QueueSnapshot, Date.now()));
          else if (type === 'queue') announce(board.current.update(payload as QueueStatus, Date.now()));
          else return;
          setRevision((n) => n + 1);
        },
      });
      stream.current = next;
      next.start();
    } catch (err) {
      setLoad({ kind: 'error', error: err instanceof ApiError ? err : new ApiError('tab/internal', (err as Error).message, 0) });
    }
  }, [session, announce]);

  useEffect(() => {
    void start();
    return () => {
      stream.current?.stop();
      stream.current = undefined;
      clearTimeout(speakTimer.current);
      speakTimer.current = undefined;
    };
  }, [start]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    const online = () => stream.current?.retryNow();
    window.addEventListener('online', online);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', online);
    };
  }, []);

  let body;
  if (load.kind === 'loading') {
    body = <Spinner size="small" label="Loading the queues…" />;
  } else if (load.kind === 'error') {
    const { error } = load;
    body = isAuthError(error) ? (
      <StateMessage title="Sign in again" message={error.message} intent="error">
        <Button appearance="primary" onClick={() => session.token(true).then(() => start(), () => undefined)}>
          Sign in again
        </Button>
      </StateMessage>
    ) : (
      <StateMessage title={error.code === 'tab/unavailable' ? 'No call queues here' : 'The queues could not be loaded'} message={error.message} intent="error">
        <Button onClick={() => void start()}>Try again</Button>
      </StateMessage>
    );
  } else {
    const current = board.current!;
    const queues = current.queues;
    if (current.total === 0) {
      body = (
        <StateMessage
          title="No queues in the front desk"
          message="Add one under queues in the front-desk file (README › Call queues), with its agents, and point a menu option or rule at it with enqueue. Each queue shows here for its agents."
          intent="empty"
        />
      );
    } else if (queues.length === 0) {
      body = (
        <StateMessage
          title="You are not an agent of any queue"
          message={`The front desk has ${current.total} ${current.total === 1 ? 'queue' : 'queues'}; each shows here for the people it lists as agents. Ask whoever keeps the front-desk file to add you.`}
          intent="empty"
        />
      );
    } else {
      body = queues.map((q) => <QueuePanel key={q.name} queue={q} nowMs={now} skewMs={current.skewMs} />);
    }
  }

  return (
    <main className={styles.root} data-state={load.kind} data-stream={streamStatus}>
      <div className={styles.head}>
        <Subtitle1 as="h1">Call queues</Subtitle1>
        {load.kind === 'ready' && (
          <Caption1 className={styles.status} id="queue-stream-status">
            {STATUS_WORDS[streamStatus]}
          </Caption1>
        )}
      </div>
      {load.kind === 'ready' && streamStatus === 'reconnecting' && (
        <MessageBar intent="warning">
          <MessageBarBody>The live connection dropped: reconnecting. The figures shown may be out of date until it is back.</MessageBarBody>
        </MessageBar>
      )}
      {body}
      <div aria-live="polite" role="status" className={styles.visuallyHidden} id="queue-live">
        {liveText}
      </div>
      <LocalModeNote session={session} switchUser={switchUser} />
    </main>
  );
}
