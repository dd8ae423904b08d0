// A whole-area message: loading, empty and error states share one look (title, plain explanation, an action).
import { Body1, makeStyles, shorthands, Subtitle2, tokens } from '@fluentui/react-components';
import { ErrorCircle24Regular, Info24Regular, PeopleCommunity24Regular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    ...shorthands.gap(tokens.spacingVerticalS),
    ...shorthands.padding(tokens.spacingVerticalXL, tokens.spacingHorizontalL),
    maxWidth: '520px',
  },
  icon: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
  message: { color: tokens.colorNeutralForeground2 },
});

export interface StateMessageProps {
  title: string;
  message?: string;
  intent?: 'info' | 'error' | 'empty';
  children?: ReactNode;
}

export function StateMessage({ title, message, intent = 'info', children }: StateMessageProps) {
  const styles = useStyles();
  const Icon = intent === 'error' ? ErrorCircle24Regular : intent === 'empty' ? PeopleCommunity24Regular : Info24Regular;
  return (
    <div className={styles.root} role={intent === 'error' ? 'alert' : 'status'} data-state={intent}>
      <Icon className={intent === 'error' ? styles.error : styles.icon} aria-hidden />
      <Subtitle2 as="h2">{title}</Subtitle2>
      {message && <Body1 className={styles.message}>{message}</Body1>}
      {children}
    </div>
  );
}
