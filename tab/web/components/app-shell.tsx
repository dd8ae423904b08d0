// Every tab page's frame: the Fluent provider in the Teams theme (following Teams' theme changes), and the sign-in
// gate — starting, the local-mode person picker, "open this in Teams", or the page itself with its session.
import { Button, FluentProvider, makeStyles, shorthands, Spinner, tokens } from '@fluentui/react-components';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { devSession, forgetDevUser, startSession, type DevUser, type Session } from '../session.js';
import { createTeamsHost, type ThemeName } from '../teams-host.js';
import { browserTheme, fluentTheme } from '../theme.js';
import { StateMessage } from './state-message.js';
import { UserPicker } from './user-picker.js';

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  center: { ...shorthands.padding(tokens.spacingVerticalXXL, tokens.spacingHorizontalL) },
});

type Gate =
  | { kind: 'starting' }
  | { kind: 'pick'; users: DevUser[]; preselect?: string; error?: string }
  | { kind: 'outside-teams' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; session: Session };

export interface AppShellProps {
  children: (session: Session, switchUser: (() => void) | undefined) => ReactNode;
}

export function AppShell({ children }: AppShellProps) {
  const styles = useStyles();
  const host = useMemo(createTeamsHost, []);
  const [theme, setTheme] = useState<ThemeName>(browserTheme);
  const [gate, setGate] = useState<Gate>({ kind: 'starting' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    startSession(host).then(
      (start) => {
        if (!live) return;
        if (start.kind === 'ready') {
          if (start.theme) setTheme(start.theme);
          if (start.session.host === 'teams') host.onThemeChange(setTheme);
          setGate({ kind: 'ready', session: start.session });
        } else {
          setGate(start);
        }
      },
      (err: Error) => live && setGate({ kind: 'failed', message: err.message }),
    );
    return () => {
      live = false;
    };
  }, [host, attempt]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const choose = (user: DevUser) => {
    setGate({ kind: 'starting' });
    devSession(user).then(
      (session) => setGate({ kind: 'ready', session }),
      (err: Error) => setGate({ kind: 'failed', message: err.message }),
    );
  };
  const switchUser = () => {
    forgetDevUser();
    const url = new URL(window.location.href);
    url.searchParams.delete('user');
    window.history.replaceState(null, '', url);
    setGate({ kind: 'starting' });
    setAttempt((n) => n + 1);
  };

  let body: ReactNode;
  switch (gate.kind) {
    case 'starting':
      body = (
        <div className={styles.center}>
          <Spinner label="Signing in…" />
        </div>
      );
      break;
    case 'pick':
      body = <UserPicker users={gate.users} preselect={gate.preselect} onChoose={choose} />;
      break;
    case 'outside-teams':
      body = <StateMessage title="Open this in Microsoft Teams" message="This page is part of the Switchboard app for Teams: open it from a meeting's side panel or from the app in Teams." />;
      break;
    case 'failed':
      body = (
        <StateMessage title="Switchboard could not start" message={gate.message} intent="error">
          <Button onClick={() => setAttempt((n) => n + 1)}>Try again</Button>
        </StateMessage>
      );
      break;
    case 'ready':
      body = children(gate.session, gate.session.devUser ? switchUser : undefined);
      break;
  }
  return (
    <FluentProvider theme={fluentTheme(theme)} className={styles.root}>
      {body}
    </FluentProvider>
  );
}
