// The meeting commands: join, leave, roster, mute (one person or everyone), invite, and meeting (create one).
import type { TurnContext } from 'botbuilder';
import { CallError, type CallTarget } from '../../comms/calls/index.js';
import { isJoinLink, MEETING_CHATS_COLLECTION, type MeetingChatInfo, type MeetingService, type MuteAllResult } from '../../comms/meetings/index.js';
import { lookupUser } from '../../comms/people/index.js';
import { asAttachment } from '../cards/card-template.js';
import { meetingCard } from '../cards/meeting-card.js';
import { progressCard, type ProgressCardInput } from '../cards/progress-card.js';
import { viewerClock } from '../cards/viewer-clock.js';
import { rosterCard } from '../cards/roster-card.js';
import { canControlMeeting, isMeetingChat, meetingKeyFor, rememberChatMeeting } from '../meeting-context.js';
import { fromName, resolvePeople } from '../people.js';
import { explainLookups } from './call.js';
import type { BotServices, Command, CommandTurn } from './command.js';
import { tenantRefusal } from './guards.js';
import { splitTrailingTime } from './remind-parse.js';
import { sendCard, sendFailure, sendText, sendUsage, typing } from './reply.js';
import { ringOutcome } from './outcome-words.js';
import { failureCard } from './reply.js';
import { unknownChatterNotice } from './who-am-i.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_MEETING = 'I am not in a meeting for this chat. Use **join ‹meeting link›** (or **join** in the meeting\'s own chat).';

function meetingsOf(services: BotServices): MeetingService {
  if (!services.meetings) throw new Error('meetings are not available');
  return services.meetings;
}

/** The meeting this chat means; says so and returns undefined when there is none. */
async function currentMeeting(context: TurnContext, services: BotServices, meetings: MeetingService): Promise<string | undefined> {
  const key = await meetingKeyFor(context, services.store, meetings);
  if (!key) await context.sendActivity(NO_MEETING);
  return key;
}

function requester(context: TurnContext): string | undefined {
  return context.activity.from?.aadObjectId;
}

export function joinCommand(): Command {
  const command: Command = {
    name: 'join',
    usage: 'join <Teams meeting link>  ·  join (in a meeting chat)',
    summary: 'Bring me into a meeting: I then keep its roster and can mute, invite and announce.',
    example: 'join https://teams.microsoft.com/l/meetup-join/…',
    async run({ context, args, services }) {
      const meetings = meetingsOf(services);
      const link = args.replace(/<[^>]+>/g, '').trim().split(/\s+/).find((w) => /^https:\/\//i.test(w));
      let input: Parameters<MeetingService['join']>[0] | undefined;
      if (link) input = { link };
      else if (isMeetingChat(context)) {
        const info = await services.store.get<MeetingChatInfo>(MEETING_CHATS_COLLECTION, context.activity.conversation.id.split(';')[0]!);
        if (info?.joinUrl) input = { link: info.joinUrl };
      }
      if (!input) return sendUsage(context, command, isMeetingChat(context) ? 'I don\'t know this meeting\'s link yet (Teams tells me when the meeting starts).' : 'Which meeting?');
      await typing(context);
      try {
        const joined = await meetings.join(input);
        await rememberChatMeeting(context, services.store, joined.meetingKey);
        await context.sendActivity(joined.alreadyJoined ? 'I am already in that meeting.' : 'Joining the meeting… I will keep its roster; try **roster**.');
      } catch (err) {
        await sendFailure(context, 'join that meeting', err);
      }
    },
  };
  return command;
}

export function leaveCommand(): Command {
  return {
    name: 'leave',
    usage: 'leave',
    summary: 'Take me out of the meeting.',
    async run({ context, services }) {
      const meetings = meetingsOf(services);
      const key = await meetingKeyFor(context, services.store, meetings);
      const record = key ? await meetings.getRecord(key) : undefined;
      if (!key || !record || record.state === 'left') {
        await context.sendActivity(NO_MEETING);
        return;
      }
      try {
        await meetings.leave(key);
        await context.sendActivity('Leaving the meeting.');
      } catch (err) {
        await sendFailure(context, 'leave the meeting', err);
      }
    },
  };
}

export function rosterCommand(): Command {
  return {
    name: 'roster',
    aliases: ['who', 'participants'],
    usage: 'roster',
    summary: 'Who is in the meeting right now.',
    async run({ context, services }) {
      const meetings = meetingsOf(services);
      const key = await currentMeeting(context, services, meetings);
      if (!key) return;
      try {
        const roster = await meetings.roster(key);
        const record = await meetings.getRecord(key);
        const canControl = await canControlMeeting(meetings, key, requester(context));
        await sendCard(context, rosterCard(record?.subject ? `In "${record.subject}"` : 'In the meeting', roster.entries, { canControl, meetingKey: key }));
      } catch (err) {
        await sendFailure(context, 'read the roster', err);
      }
    },
  };
}

export function muteCommand(): Command {
  const command: Command = {
    name: 'mute',
    usage: 'mute <person>  ·  mute all',
    summary: 'Mute someone in the meeting, or everyone (organizers and presenters only). Graph cannot unmute others: they unmute themselves.',
    example: 'mute all',
    async run(turn) {
      const { context, args, services } = turn;
      const meetings = meetingsOf(services);
      const key = await currentMeeting(context, services, meetings);
      if (!key) return;
      if (!(await canControlMeeting(meetings, key, requester(context)))) {
        await context.sendActivity('Only the meeting\'s organizer and presenters can mute other people.');
        return;
      }
      if (/^all$/i.test(args.trim())) return muteAll(turn, meetings, key);
      if (args.trim() === '' && !(context.activity.entities ?? []).some((e) => e.type === 'mention')) return sendUsage(context, command);
      try {
        const people = await resolvePeople(context, services.graph, args);
        if (await explainLookups(turn, people, 'mute')) return;
        const roster = await meetings.roster(key);
        const results: string[] = [];
        for (const person of people) {
          if (person.kind !== 'found') continue;
          const entry = roster.entries.find((p) => p.userId?.toLowerCase() === person.user.id.toLowerCase() && !p.id.startsWith('user:'));
          if (!entry) results.push(`${person.user.displayName} is not in the meeting.`);
          else if (entry.isMuted) results.push(`${person.user.displayName} is already muted.`);
          else {
            await meetings.mute(key, entry.id);
            results.push(`Muted ${person.user.displayName}.`);
          }
        }
        await context.sendActivity(`${results.join(' ')} (They can unmute themselves; Graph cannot unmute others.)`);
      } catch (err) {
        await sendFailure(context, 'mute them', err);
      }
    },
  };
  return command;
}

async function muteAll(turn: CommandTurn, meetings: MeetingService, key: string): Promise<void> {
  const { context } = turn;
  const me = requester(context);
  const count = (await meetings.roster(key).catch(() => undefined))?.entries.filter((e) => !e.isBot && e.userId !== me).length ?? 0;
  // Paced at five a second (Graph has no mute-all): a thousand people take minutes, so the card comes first. The
  // card's address goes with the job: if this instance dies, the one that finishes the job updates the card.
  await longRunning(turn, { title: `Muting everyone (${count} ${count === 1 ? 'person' : 'people'})`, state: 'running', lines: count > 25 ? [`About ${Math.ceil(count / 5)} seconds: Graph mutes one person at a time.`] : [] }, async (card) => {
    const results = await meetings.muteAll(key, { except: me ? [me] : [], ...(card ? { report: card } : {}) });
    return muteAllOutcome(results);
  }, 'mute everyone');
}

/** The card a finished mute-all shows: the tally and who could not be muted. */
export function muteAllOutcome(results: MuteAllResult[]): ProgressCardInput {
  const tally = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
  const failed = results.filter((r) => r.outcome === 'failed');
  const lines = [`Muted ${tally('muted')}; ${tally('already-muted')} already muted${tally('skipped') ? `; ${tally('skipped')} had left or were not in the call` : ''}.`];
  if (failed.length > 0) lines.push(`Could not mute ${failed.slice(0, 10).map((f) => f.displayName).join(', ')}${failed.length > 10 ? ` and ${failed.length - 10} more` : ''}.`);
  return { title: 'Muted everyone', state: failed.length > 0 && tally('muted') === 0 ? 'failed' : 'done', lines, note: 'Graph cannot unmute others: people unmute themselves.' };
}

/**
 * Sends the card at once, then does the work and replaces the card with its outcome. Without a conversation to
 * update later (a chat the bot cannot message proactively) it does the work within the turn and sends the outcome.
 */
async function longRunning(turn: CommandTurn, first: ProgressCardInput, work: (card?: { conversationKey: string; activityId: string }) => Promise<ProgressCardInput>, action: string): Promise<void> {
  const { context, services, conversationKey } = turn;
  const activityId = conversationKey ? await sendCard(context, progressCard(first)) : undefined;
  const finish = async () => {
    let card;
    try {
      card = progressCard(await work(activityId && conversationKey ? { conversationKey, activityId } : undefined));
    } catch (err) {
      card = failureCard(action, err);
    }
    if (activityId && conversationKey) await services.conversations.update(conversationKey, activityId, { attachments: [asAttachment(card)] });
    else await sendCard(context, card);
  };
  if (!activityId) return finish();
  void finish().catch(() => undefined); // the card update itself failing leaves the "under way" card: nothing to crash
}

export function inviteCommand(): Command {
  const command: Command = {
    name: 'invite',
    aliases: ['add'],
    usage: 'invite <person>[, <person>…]',
    summary: 'Call people into the meeting I am in.',
    example: 'invite Priya Raman',
    async run(turn) {
      const { context, args, services } = turn;
      const meetings = meetingsOf(services);
      const key = await currentMeeting(context, services, meetings);
      if (!key) return;
      if (args.trim() === '' && !(context.activity.entities ?? []).some((e) => e.type === 'mention')) return sendUsage(context, command, 'Who should I invite?');
      const refusal = tenantRefusal(context, services);
      if (refusal) {
        await context.sendActivity(refusal);
        return;
      }
      try {
        const people = await resolvePeople(context, services.graph, args);
        if (await explainLookups(turn, people, 'invite')) return;
        const found = people.flatMap((p) => (p.kind === 'found' ? [p.user] : []));
        const names = found.map((u) => u.displayName).join(', ');
        // Ringing takes up to a minute: the card says so at once and then shows each answer.
        await longRunning(turn, { title: `Inviting ${names} to the meeting`, state: 'running', lines: ['Ringing them now…'] }, async () => {
          // One invite per person, all at once: each answer is reported on its own.
          const lines = await Promise.all(
            found.map(async (user) => {
              const target: CallTarget = { kind: 'user', id: user.id, displayName: user.displayName };
              try {
                const [op] = await meetings.invite(key, [target]);
                return op?.status === 'failed' ? ringOutcome(user.displayName, op.resultInfo) : `${user.displayName} joined.`;
              } catch (err) {
                if (!(err instanceof CallError) || !err.resultInfo) throw err;
                return ringOutcome(user.displayName, err.resultInfo);
              }
            }),
          );
          const joined = lines.filter((l) => l.endsWith(' joined.')).length;
          return { title: `Invited ${names}`, state: joined > 0 ? 'done' : 'failed', lines };
        }, 'invite them');
      } catch (err) {
        await sendFailure(context, 'invite them', err);
      }
    },
  };
  return command;
}

export function meetingCommand(sidePanelUrl: (joinWebUrl: string) => string | undefined): Command {
  const command: Command = {
    name: 'meeting',
    aliases: ['meet'],
    usage: 'meeting <subject> [at <HH:MM> | in <n> minutes] [with <person>, …]',
    summary: 'Create a Teams meeting you organize, with its join link and a button to bring me in.',
    example: 'meeting Design review in 30 minutes with Priya Raman, Jonas Lindqvist',
    async run(turn) {
      const { context, args, services } = turn;
      const meetings = meetingsOf(services);
      const [what, withWhom] = args.split(/\s+with\s+/i);
      if (!what?.trim()) return sendUsage(context, command, 'What is the meeting about?');
      const timed = splitTrailingTime(what, services.now(), services.timeZone);
      const subject = timed?.rest ?? what.trim();
      const start = timed?.at ?? services.now();
      try {
        await typing(context);
        const organizerId = requester(context);
        const organizer = organizerId && GUID.test(organizerId) ? await lookupUser(services.graph, organizerId) : undefined;
        if (!organizer) {
          await sendText(context, unknownChatterNotice(context, services, 'make you the organizer of a meeting'));
          return;
        }
        const names = new Map<string, string>([[organizer.id.toLowerCase(), organizer.displayName], [organizer.userPrincipalName.toLowerCase(), organizer.displayName]]);
        const attendees = [];
        for (const name of (withWhom ?? '').split(/,|\band\b/i).map((s) => s.trim()).filter(Boolean)) {
          const found = await fromName(services.graph, name);
          if (await explainLookups(turn, [found], 'meeting')) return;
          if (found.kind === 'found') {
            attendees.push({ userId: found.user.id, upn: found.user.userPrincipalName });
            names.set(found.user.id.toLowerCase(), found.user.displayName).set(found.user.userPrincipalName.toLowerCase(), found.user.displayName);
          }
        }
        const meeting = await meetings.create({ organizerId: organizer.id, subject, start: start.toISOString(), end: new Date(start.getTime() + 3600_000).toISOString(), attendees });
        await sendCard(context, meetingCard(meeting, { clock: viewerClock(context.activity, services.timeZone), names, sidePanelUrl: meeting.joinWebUrl ? sidePanelUrl(meeting.joinWebUrl) : undefined }));
      } catch (err) {
        await sendFailure(context, 'create the meeting', err);
      }
    },
  };
  return command;
}

export { isJoinLink };
