// Local mode in a plain browser: pick which emulated person you are. Their token comes from the emulator's issuer
// and is checked by the server exactly like a Teams SSO token.
import { Body1, Button, Caption1, Field, makeStyles, Select, shorthands, Subtitle1, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { DevUser } from '../session.js';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    ...shorthands.gap(tokens.spacingVerticalM),
    ...shorthands.padding(tokens.spacingVerticalXL, tokens.spacingHorizontalL),
    maxWidth: '420px',
    width: '100%',
    boxSizing: 'border-box',
  },
  hint: { color: tokens.colorNeutralForeground3 },
  select: { width: '100%', minWidth: 0, maxWidth: '100%' },
});

export function UserPicker({ users, preselect, onChoose }: { users: DevUser[]; preselect?: string; onChoose(user: DevUser): void }) {
  const styles = useStyles();
  const [chosen, setChosen] = useState(preselect ?? users[0]?.id ?? '');
  const user = users.find((u) => u.id === chosen);
  return (
    <main>
      <form
        className={styles.root}
        onSubmit={(e) => {
          e.preventDefault();
          if (user) onChoose(user);
        }}
      >
        <Subtitle1 as="h1">Who are you?</Subtitle1>
        <Body1>Local mode runs without Teams: pick an emulated person to use the tab as them.</Body1>
        <Field label="Emulated person">
          <Select id="dev-user" className={styles.select} value={chosen} onChange={(_e, data) => setChosen(data.value)}>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName}
                {u.jobTitle ? ` — ${u.jobTitle}` : ''}
              </option>
            ))}
          </Select>
        </Field>
        <div>
          <Button appearance="primary" type="submit" disabled={!user}>
            Continue as {user?.displayName ?? '…'}
          </Button>
        </div>
        <Caption1 className={styles.hint}>In Teams, the tab signs you in with Teams instead.</Caption1>
      </form>
    </main>
  );
}
