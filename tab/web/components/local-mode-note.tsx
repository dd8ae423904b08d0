// The line at the foot of a tab page in local mode: who you are signed in as, and a link to be someone else.
import { Caption1, Link, makeStyles, tokens } from '@fluentui/react-components';
import type { Session } from '../session.js';

const useStyles = makeStyles({ note: { color: tokens.colorNeutralForeground3 } });

export function LocalModeNote({ session, switchUser }: { session: Session; switchUser?: (() => void) | undefined }) {
  const styles = useStyles();
  if (!session.devUser) return null;
  return (
    <Caption1 className={styles.note}>
      Local mode: you are {session.devUser.displayName}.{' '}
      {switchUser && (
        <Link as="button" onClick={switchUser}>
          Switch person
        </Link>
      )}
    </Caption1>
  );
}
