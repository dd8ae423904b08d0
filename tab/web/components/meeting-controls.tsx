// The organizer's and presenters' controls: bring the bot in or out, invite people, mute everyone (Graph can mute
// but never unmute someone else), and speak an announcement into the meeting. Each shows its own progress and result.
import {
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  shorthands,
  Spinner,
  Subtitle2,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ApiClient } from '../api-client.js';
import type { MeetingInfo } from './meeting-header.js';

export const MAX_ANNOUNCEMENT = 300;
export const UNMUTE_NOTE = 'Graph cannot unmute others: they unmute themselves.';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0, ...shorthands.gap(tokens.spacingVerticalL), ...shorthands.padding(tokens.spacingVerticalM, tokens.spacingHorizontalM), overflowY: 'auto' },
  section: { display: 'flex', flexDirection: 'column', ...shorthands.gap(tokens.spacingVerticalS) },
  row: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', ...shorthands.gap(tokens.spacingHorizontalS) },
  note: { color: tokens.colorNeutralForeground3 },
  results: { maxHeight: '160px', overflowY: 'auto', ...shorthands.margin(0), ...shorthands.padding(0, 0, 0, tokens.spacingHorizontalL) },
});

interface MuteAllResult {
  id: string;
  displayName: string;
  outcome: 'muted' | 'already-muted' | 'skipped' | 'failed';
  code?: string;
}

type Outcome = { intent: 'success' | 'error' | 'info'; text: ReactNode } | undefined;

function Result({ outcome, id }: { outcome: Outcome; id: string }) {
  if (!outcome) return null;
  return (
    <MessageBar intent={outcome.intent} id={id}>
      <MessageBarBody>{outcome.text}</MessageBarBody>
    </MessageBar>
  );
}

function useAction() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(undefined);
  const run = async (work: () => Promise<Outcome>) => {
    setBusy(true);
    setOutcome(undefined);
    try {
      setOutcome(await work());
    } catch (err) {
      setOutcome({ intent: 'error', text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, run };
}

const OUTCOME_WORDS: Record<MuteAllResult['outcome'], string> = { muted: 'muted', 'already-muted': 'already muted', skipped: 'skipped', failed: 'failed' };

export function MeetingControls({ api, meeting }: { api: ApiClient; meeting: MeetingInfo }) {
  const styles = useStyles();
  const base = `/api/tab/meetings/${encodeURIComponent(meeting.meetingKey)}`;
  const inMeeting = meeting.bot.inMeeting;
  const moving = meeting.bot.state === 'joining' || meeting.bot.state === 'leaving';
  const bot = useAction();
  const invite = useAction();
  const muteAll = useAction();
  const announce = useAction();
  const [people, setPeople] = useState('');
  const [text, setText] = useState('');
  const [results, setResults] = useState<MuteAllResult[] | undefined>(undefined);
  const needsBot = inMeeting ? undefined : 'Bring the bot into the meeting first.';

  const onInvite = (e: FormEvent) => {
    e.preventDefault();
    const list = people.split(/[\s,;]+/).filter(Boolean);
    if (list.length === 0) return;
    void invite.run(async () => {
      const r = await api.post<{ invited: Array<{ displayName: string }>; unknown: string[] }>(`${base}/invite`, { people: list });
      setPeople('');
      const parts: string[] = [];
      if (r.invited.length) parts.push(`Calling ${r.invited.map((p) => p.displayName).join(', ')}: they appear here when they answer.`);
      if (r.unknown.length) parts.push(`Not found: ${r.unknown.join(', ')}.`);
      return { intent: r.unknown.length ? 'info' : 'success', text: parts.join(' ') };
    });
  };

  const onMuteAll = () =>
    void muteAll.run(async () => {
      setResults(undefined);
      const r = await api.post<{ results: MuteAllResult[] }>(`${base}/mute-all`);
      setResults(r.results);
      const muted = r.results.filter((x) => x.outcome === 'muted').length;
      const failed = r.results.filter((x) => x.outcome === 'failed').length;
      return { intent: failed ? 'error' : 'success', text: `${muted} muted${failed ? `, ${failed} failed` : ''}. ${UNMUTE_NOTE}` };
    });

  const onAnnounce = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    void announce.run(async () => {
      const r = await api.post<{ fallback: boolean }>(`${base}/announce`, { text });
      return r.fallback
        ? { intent: 'info', text: 'Speech is not available here: a standard prompt was played instead.' }
        : { intent: 'success', text: 'The announcement was played.' };
    });
  };

  return (
    <div className={styles.root} id="meeting-controls">
      <section className={styles.section} aria-labelledby="controls-bot">
        <Subtitle2 as="h2" id="controls-bot">
          Switchboard bot
        </Subtitle2>
        <Body1>{inMeeting ? 'The bot is in the meeting: it keeps the roster and runs these controls.' : 'The bot is not in the meeting. Bring it in to keep the roster live and use the controls.'}</Body1>
        <div className={styles.row}>
          <Button
            appearance={inMeeting ? 'secondary' : 'primary'}
            disabled={bot.busy || moving}
            icon={bot.busy || moving ? <Spinner size="tiny" /> : undefined}
            data-action={inMeeting ? 'leave' : 'join'}
            onClick={() =>
              void bot.run(async () => {
                await api.post(`${base}/${inMeeting ? 'leave' : 'join'}`);
                return undefined;
              })
            }
          >
            {inMeeting ? 'Take the bot out' : 'Bring the bot in'}
          </Button>
        </div>
        <Result outcome={bot.outcome} id="bot-result" />
      </section>

      <section className={styles.section} aria-labelledby="controls-invite">
        <Subtitle2 as="h2" id="controls-invite">
          Invite people
        </Subtitle2>
        <form className={styles.section} onSubmit={onInvite}>
          <Field label="Their sign-in names (UPNs), separated by commas" hint={needsBot}>
            <Input id="invite-people" value={people} onChange={(_e, d) => setPeople(d.value)} placeholder="jonas@contoso.com" disabled={!inMeeting} />
          </Field>
          <div className={styles.row}>
            <Button type="submit" disabled={!inMeeting || invite.busy || !people.trim()} icon={invite.busy ? <Spinner size="tiny" /> : undefined}>
              Invite
            </Button>
          </div>
        </form>
        <Result outcome={invite.outcome} id="invite-result" />
      </section>

      <section className={styles.section} aria-labelledby="controls-mute">
        <Subtitle2 as="h2" id="controls-mute">
          Mute everyone
        </Subtitle2>
        <Caption1 className={styles.note}>{UNMUTE_NOTE}</Caption1>
        <div className={styles.row}>
          <Dialog>
            <DialogTrigger disableButtonEnhancement>
              <Button disabled={!inMeeting || muteAll.busy} icon={muteAll.busy ? <Spinner size="tiny" /> : undefined} data-action="mute-all">
                {muteAll.busy ? 'Muting everyone…' : 'Mute everyone'}
              </Button>
            </DialogTrigger>
            <DialogSurface>
              <DialogBody>
                <DialogTitle>Mute everyone?</DialogTitle>
                <DialogContent>
                  Everyone but you is muted, one person at a time. {UNMUTE_NOTE}
                </DialogContent>
                <DialogActions>
                  <DialogTrigger disableButtonEnhancement>
                    <Button appearance="secondary">Cancel</Button>
                  </DialogTrigger>
                  <DialogTrigger disableButtonEnhancement>
                    <Button appearance="primary" onClick={onMuteAll} data-action="confirm-mute-all">
                      Mute everyone
                    </Button>
                  </DialogTrigger>
                </DialogActions>
              </DialogBody>
            </DialogSurface>
          </Dialog>
        </div>
        {!inMeeting && <Caption1 className={styles.note}>{needsBot}</Caption1>}
        <Result outcome={muteAll.outcome} id="mute-all-result" />
        {results && results.length > 0 && (
          <ul className={styles.results} aria-label="Mute results per person" id="mute-all-results">
            {results.map((r) => (
              <li key={r.id} data-outcome={r.outcome}>
                <Caption1>
                  {r.displayName}: {OUTCOME_WORDS[r.outcome]}
                  {r.code ? ` (${r.code})` : ''}
                </Caption1>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className={styles.section} aria-labelledby="controls-announce">
        <Subtitle2 as="h2" id="controls-announce">
          Play an announcement
        </Subtitle2>
        <form className={styles.section} onSubmit={onAnnounce}>
          <Field label="What the bot says to everyone" hint={needsBot ?? `${text.length} / ${MAX_ANNOUNCEMENT} characters`}>
            <Textarea id="announcement" value={text} maxLength={MAX_ANNOUNCEMENT} onChange={(_e, d) => setText(d.value)} disabled={!inMeeting} resize="vertical" />
          </Field>
          <div className={styles.row}>
            <Button type="submit" disabled={!inMeeting || announce.busy || !text.trim()} icon={announce.busy ? <Spinner size="tiny" /> : undefined}>
              {announce.busy ? 'Playing…' : 'Play announcement'}
            </Button>
          </div>
        </form>
        <Result outcome={announce.outcome} id="announce-result" />
      </section>
    </div>
  );
}
