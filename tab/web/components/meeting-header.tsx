// The top of the side panel: what the meeting is (subject, when, who organizes it, its join link), whether the
// Switchboard bot is in it, whether the meeting's own call is going (from its call events, bot or no bot), and how many
// people are there.
import { Badge, Caption1, Link, makeStyles, shorthands, Subtitle2, tokens } from '@fluentui/react-components';
import type { MeetingCallState } from '../../../comms/meetings/meeting-events.js';
import { formatSpan, formatWhen } from '../format.js';
import type { RosterCounts } from '../roster-model.js';

export type BotState = 'joining' | 'joined' | 'leaving' | 'left' | 'absent';

export interface MeetingInfo {
  meetingKey: string;
  subject?: string;
  start?: string;
  end?: string;
  organizer?: { id?: string; displayName?: string };
  joinWebUrl?: string;
  bot: { state: BotState; inMeeting: boolean };
  /** The meeting's own call, from its call events (absent: none heard). */
  call?: MeetingCallState;
  /** Roles from the invitation by user id (the call's roster carries none). */
  roles?: Record<string, string>;
}

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    ...shorthands.gap(tokens.spacingVerticalXXS),
    ...shorthands.padding(tokens.spacingVerticalM, tokens.spacingHorizontalM, tokens.spacingVerticalS),
    ...shorthands.borderBottom(tokens.strokeWidthThin, 'solid', tokens.colorNeutralStroke2),
  },
  title: { overflowWrap: 'anywhere' },
  line: { color: tokens.colorNeutralForeground2, display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXXS },
  badges: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', ...shorthands.gap(tokens.spacingHorizontalS), marginTop: tokens.spacingVerticalXS },
});

const BOT_BADGE: Record<BotState, { label: string; color: 'success' | 'warning' | 'informative' }> = {
  joined: { label: 'Bot in the meeting', color: 'success' },
  joining: { label: 'Bot joining…', color: 'warning' },
  leaving: { label: 'Bot leaving…', color: 'warning' },
  left: { label: 'Bot not in the meeting', color: 'informative' },
  absent: { label: 'Bot not in the meeting', color: 'informative' },
};

export function countsText(c: RosterCounts): string {
  const parts = [`${c.people} ${c.people === 1 ? 'person' : 'people'}`];
  if (c.muted) parts.push(`${c.muted} muted`);
  if (c.lobby) parts.push(`${c.lobby} in the lobby`);
  if (c.sharing) parts.push(`${c.sharing} sharing`);
  return parts.join(' · ');
}

export function MeetingHeader({ meeting, counts }: { meeting: MeetingInfo; counts: RosterCounts }) {
  const styles = useStyles();
  const span = formatSpan(meeting.start, meeting.end);
  const bot = BOT_BADGE[meeting.bot.state];
  return (
    <header className={styles.root}>
      <Subtitle2 as="h1" className={styles.title} id="meeting-subject">
        {meeting.subject ?? 'Meeting'}
      </Subtitle2>
      {span && <Caption1 className={styles.line}>{span}</Caption1>}
      <Caption1 className={styles.line}>
        {meeting.organizer?.displayName && <span>Organized by {meeting.organizer.displayName}</span>}
        {meeting.joinWebUrl && (
          <Link href={meeting.joinWebUrl} target="_blank" rel="noopener noreferrer">
            Join link
          </Link>
        )}
      </Caption1>
      <div className={styles.badges}>
        <Badge appearance="tint" color={bot.color} id="bot-state" data-bot-state={meeting.bot.state}>
          {bot.label}
        </Badge>
        {meeting.call && (
          <Badge appearance="tint" color={meeting.call.state === 'started' ? 'success' : 'informative'} id="meeting-call" data-call-state={meeting.call.state} title={formatWhen(meeting.call.at)}>
            {meeting.call.state === 'started' ? 'Meeting call in progress' : 'Meeting call ended'}
          </Badge>
        )}
        <Caption1 id="roster-counts" aria-live="off">
          {countsText(counts)}
        </Caption1>
      </div>
    </header>
  );
}
