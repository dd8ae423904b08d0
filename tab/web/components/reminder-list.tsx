// The reminders on the personal tab: what the bot will say (or said), when, to whom, and how it went.
import { Badge, Body1, Caption1, makeStyles, shorthands, tokens } from '@fluentui/react-components';
import { formatWhen } from '../format.js';

export interface ReminderItem {
  id: string;
  message: string;
  dueAt: string;
  status: string;
  pending: boolean;
  person: { displayName?: string; isYou: boolean };
  scheduledByYou: boolean;
  attempts: number;
  outcome?: string;
}

const useStyles = makeStyles({
  list: { listStyleType: 'none', ...shorthands.margin(0), ...shorthands.padding(0), display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalXS) },
  item: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    ...shorthands.gap(tokens.spacingHorizontalM),
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM),
    ...shorthands.border(tokens.strokeWidthThin, 'solid', tokens.colorNeutralStroke2),
    ...shorthands.borderRadius(tokens.borderRadiusMedium),
  },
  text: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  meta: { color: tokens.colorNeutralForeground3 },
  empty: { color: tokens.colorNeutralForeground2 },
});

const STATUS: Record<string, { label: string; color: 'brand' | 'success' | 'warning' | 'danger' | 'informative' }> = {
  scheduled: { label: 'Scheduled', color: 'brand' },
  calling: { label: 'Calling now', color: 'warning' },
  snoozed: { label: 'Snoozed', color: 'warning' },
  confirmed: { label: 'Confirmed', color: 'success' },
  delivered: { label: 'Delivered', color: 'success' },
  unanswered: { label: 'Not answered', color: 'danger' },
  declined: { label: 'Declined', color: 'danger' },
  failed: { label: 'Failed', color: 'danger' },
  cancelled: { label: 'Cancelled', color: 'informative' },
};

export function ReminderList({ reminders }: { reminders: ReminderItem[] }) {
  const styles = useStyles();
  if (reminders.length === 0) {
    return <Body1 className={styles.empty}>No reminders. Ask the bot in chat: "remind Jonas in 10 minutes to join the stand-up".</Body1>;
  }
  return (
    <ul className={styles.list} aria-label="Reminders" id="reminder-list">
      {reminders.map((r) => {
        const status = STATUS[r.status] ?? { label: r.status, color: 'informative' as const };
        const who = r.person.isYou ? 'you' : r.person.displayName ?? 'someone';
        return (
          <li key={r.id} className={styles.item} data-reminder-id={r.id}>
            <span className={styles.text}>
              <Body1>“{r.message}”</Body1>
              <Caption1 className={styles.meta}>
                Call {who} · {formatWhen(r.dueAt)}
                {r.scheduledByYou && !r.person.isYou ? ' · scheduled by you' : ''}
                {r.outcome ? ` · ${r.outcome}` : ''}
              </Caption1>
            </span>
            <Badge appearance="tint" color={status.color}>
              {status.label}
            </Badge>
          </li>
        );
      })}
    </ul>
  );
}
