// Entry: the configurable tab's configuration page (/tab/config). Teams shows it when the tab is added to a meeting;
// saving points the tab at the side panel. Opened outside Teams it only explains itself.
import { Body1, FluentProvider, makeStyles, shorthands, Spinner, Subtitle1, tokens } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createTeamsHost, type ThemeName } from './teams-host.js';
import { browserTheme, fluentTheme } from './theme.js';

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    display: 'flex',
    flexDirection: 'column',
    ...shorthands.gap(tokens.spacingVerticalM),
    ...shorthands.padding(tokens.spacingVerticalXL, tokens.spacingHorizontalXL),
    backgroundColor: tokens.colorNeutralBackground1,
    boxSizing: 'border-box',
  },
});

function ConfigPage() {
  const styles = useStyles();
  const host = useMemo(createTeamsHost, []);
  const [state, setState] = useState<'starting' | 'teams' | 'browser'>('starting');
  const [theme, setTheme] = useState<ThemeName>(browserTheme);
  const contentUrl = `${window.location.origin}/tab/side-panel`;

  useEffect(() => {
    void host.initialize().then(async (inTeams) => {
      if (!inTeams) return setState('browser');
      setTheme((await host.getContext()).theme);
      host.onThemeChange(setTheme);
      host.enableSave({ contentUrl, websiteUrl: contentUrl, entityId: 'switchboard-meeting', suggestedDisplayName: 'Switchboard' });
      setState('teams');
    });
  }, [host, contentUrl]);

  return (
    <FluentProvider theme={fluentTheme(theme)} className={styles.root}>
      <Subtitle1 as="h1">Switchboard for this meeting</Subtitle1>
      {state === 'starting' && <Spinner size="small" label="Connecting to Teams…" />}
      {state === 'teams' && <Body1>Select Save to add Switchboard: the meeting's live roster and controls open in the side panel.</Body1>}
      {state === 'browser' && (
        <Body1>
          Teams shows this page when Switchboard is added to a meeting. Saving it sets the tab to <code>{contentUrl}</code>.
        </Body1>
      )}
    </FluentProvider>
  );
}

createRoot(document.getElementById('root')!).render(<ConfigPage />);
