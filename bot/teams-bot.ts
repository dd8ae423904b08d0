// The Teams bot: chat messages go to commands from one table (unknown words get suggestions, never silence, and a
// greeting gets a greeting), card buttons (Action.Execute) come back here as invokes that answer with the refreshed
// card, and an install (personal, team, group or meeting chat) gets one welcome card.
import {
  MessageFactory,
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import { asAttachment } from './cards/card-template.js';
import { callCard } from './cards/call-card.js';
import { errorCard } from './cards/error-card.js';
import { reminderCard } from './cards/reminder-card.js';
import { rosterCard } from './cards/roster-card.js';
import { shown } from './cards/shown-text.js';
import { viewerClock } from './cards/viewer-clock.js';
import { welcomeCard, type WelcomeScope } from './cards/welcome-card.js';
import { lookupUser } from '../comms/people/index.js';
import { canControlMeeting } from './meeting-context.js';
import { MEETING_CHATS_COLLECTION, type MeetingChatInfo } from '../comms/meetings/index.js';
import { CALL_CARDS, type CardLink } from './call-cards.js';
import { queueOfferCard } from './cards/queue-card.js';
import { QUEUE_OFFER_CARDS, offerCardKey, type OfferCardLink } from './queue-offer-cards.js';
import type { BotServices, Command } from './commands/command.js';
import { helpCommand, sendHelp } from './commands/help.js';
import { splitCommand, suggest } from './commands/parse.js';
import { failureCard, sendCard } from './commands/reply.js';
import { unknownChatterNotice } from './commands/who-am-i.js';

/** Words people open a chat with: answered with a greeting and the help card, not "I don't know". */
const GREETINGS = new Set(['hi', 'hello', 'hey', 'hallo', 'hiya', 'howdy', 'yo', 'morning', 'hej', 'hola', 'ciao', 'bonjour']);
const GREETING_PHRASE = /^(good (morning|afternoon|evening|day)|hi there|hello there)\b/i;

/** Teams sends both installationUpdate and conversationUpdate for one install: one welcome per chat in this window. */
const WELCOME_DEDUPE_MS = 10 * 60_000;
const WELCOMES_COLLECTION = 'welcomes';

const actionData = z.object({
  callId: z.string().max(128).optional(),
  reminderId: z.string().max(128).optional(),
  command: z.string().max(500).optional(),
  link: z.string().max(2048).optional(),
  meetingKey: z.string().max(256).optional(),
  entryId: z.string().max(200).optional(),
});

export class TeamsBot extends TeamsActivityHandler {
  private readonly commands: Command[];

  constructor(
    private readonly services?: BotServices,
    extraCommands: Command[] = [],
  ) {
    super();
    this.commands = [helpCommand(() => this.commands), ...extraCommands];
    this.onMessage(async (context, next) => {
      await this.dispatch(context, context.activity.text ?? '');
      await next();
    });
    // Installed: the bot itself was added to the chat, or Teams reports the installation.
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id === botId)) await this.welcome(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.welcome(context);
      await next();
    });
    // Teams meeting events (need the RSC permissions and the bot's meeting event subscription in the manifest).
    this.onTeamsMeetingStartEvent(async (meeting, context, next) => {
      const chatId = context.activity.conversation?.id?.split(';')[0];
      if (chatId && this.services) {
        await this.services.store.put<MeetingChatInfo>(MEETING_CHATS_COLLECTION, chatId, { joinUrl: meeting.joinUrl, title: meeting.title, meetingId: meeting.id });
        // Its call events are followed from now on (the call going now is not seen: Graph sends only later calls').
        if (meeting.joinUrl) this.services.meetings?.noteMeeting(chatId, meeting.joinUrl);
      }
      await next();
    });
    this.onTeamsMeetingParticipantsJoinEvent(async (event, context, next) => {
      this.applyParticipants(context, event.members, 'join');
      await next();
    });
    this.onTeamsMeetingParticipantsLeaveEvent(async (event, context, next) => {
      this.applyParticipants(context, event.members, 'leave');
      await next();
    });
  }

  private applyParticipants(context: TurnContext, members: Array<{ user?: { aadObjectId?: string; name?: string }; meeting?: { role?: string } }>, kind: 'join' | 'leave'): void {
    const meetingKey = context.activity.conversation?.id?.split(';')[0];
    const meetings = this.services?.meetings;
    if (!meetingKey || !meetings) return;
    for (const member of members ?? []) {
      if (!member.user?.aadObjectId) continue;
      meetings.applyMeetingEvent(meetingKey, { kind, userId: member.user.aadObjectId, displayName: member.user.name, role: member.meeting?.role });
    }
  }

  private find(word: string): Command | undefined {
    return this.commands.find((c) => c.name === word || c.aliases?.includes(word));
  }

  private async dispatch(context: TurnContext, text: string): Promise<void> {
    const { word, args } = splitCommand(text);
    if (word === '') {
      if (context.activity.value === undefined) await this.runCommand(context, this.find('help')!, '');
      return;
    }
    const command = this.find(word);
    if (command) return this.runCommand(context, command, args);
    const bare = word.replace(/[!.,?]+$/, '');
    if (GREETINGS.has(bare) || GREETING_PHRASE.test(`${word} ${args}`)) return this.greet(context);
    const close = suggest(word, this.commands.map((c) => c.name));
    const hint = close.length > 0 ? `Did you mean **${close.slice(0, 3).join('**, **')}**? ` : '';
    await context.sendActivity(MessageFactory.text(shown(`I don't know "${word}". ${hint}Type **help** to see what I can do.`)));
  }

  private async greet(context: TurnContext): Promise<void> {
    const first = context.activity.from?.name?.trim().split(/\s+/)[0];
    const intro = `Hi${first ? ` ${first}` : ''}! I put calls and meetings into Teams. Type one of these:`;
    await sendHelp(context, this.commands, intro);
  }

  /** One welcome card per chat (see WELCOME_DEDUPE_MS); in local mode it says so when the chatter is not an emulated person. */
  private async welcome(context: TurnContext): Promise<void> {
    const chatId = context.activity.conversation?.id;
    if (!chatId) return;
    const now = this.services?.now() ?? new Date();
    if (this.services) {
      const last = await this.services.store.get<{ at: string }>(WELCOMES_COLLECTION, chatId);
      if (last && now.getTime() - Date.parse(last.at) < WELCOME_DEDUPE_MS) return;
      await this.services.store.put(WELCOMES_COLLECTION, chatId, { at: now.toISOString() });
      await this.services.conversations.remember(context);
    }
    const scope = welcomeScope(context);
    const chatter = await this.chatter(context);
    // In local mode a personal chat as someone who is not an emulated person is told so at once (meetings would fail).
    const notice = this.services && !this.services.enforceTenant && scope === 'personal' && !chatter ? shown(unknownChatterNotice(context, this.services, 'make you the organizer of meetings')) : undefined;
    await sendCard(context, welcomeCard(scope, { name: context.activity.from?.name ?? chatter?.displayName, notice }));
  }

  /** The person chatting, from the directory (undefined when it does not know them, or there is no directory). */
  private async chatter(context: TurnContext): Promise<{ displayName: string } | undefined> {
    const id = context.activity.from?.aadObjectId;
    if (!this.services || !id || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    return lookupUser(this.services.graph, id).catch(() => undefined);
  }

  private async runCommand(context: TurnContext, command: Command, args: string): Promise<void> {
    const conversationKey = this.services ? await this.services.conversations.remember(context) : undefined;
    await command.run({ context, args, services: this.services!, conversationKey });
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const verb = invokeValue.action?.verb;
    const parsed = actionData.safeParse(invokeValue.action?.data ?? {});
    const services = this.services;
    if (!parsed.success || !services) return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Unknown card action.' } as never };
    const data = parsed.data;
    try {
      if (verb === 'call.hangup' && data.callId) {
        const link = await services.store.get<CardLink>(CALL_CARDS, data.callId);
        const call = await services.calls.hangUp(data.callId);
        return cardResponse(callCard({ call, who: link?.who ?? 'them', connectedAt: link?.connectedAt }));
      }
      if (verb === 'reminder.cancel' && data.reminderId) {
        return cardResponse(reminderCard(await services.reminders.cancel(data.reminderId), viewerClock(context.activity, services.timeZone)));
      }
      if (verb === 'meeting.join' && data.link) {
        await this.dispatch(context, `join ${data.link}`);
        return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Joining…' as never };
      }
      if ((verb === 'meeting.roster' || verb === 'meeting.muteAll') && data.meetingKey && services.meetings) {
        const allowed = await canControlMeeting(services.meetings, data.meetingKey, context.activity.from?.aadObjectId);
        if (verb === 'meeting.muteAll') {
          if (!allowed) return cardResponse(errorCard({ title: 'Only organizers and presenters can mute everyone', cause: 'You are not an organizer or presenter of this meeting.' }));
          await services.meetings.muteAll(data.meetingKey, { except: context.activity.from?.aadObjectId ? [context.activity.from.aadObjectId] : [] });
        }
        const roster = await services.meetings.roster(data.meetingKey);
        return cardResponse(rosterCard('In the meeting', roster.entries, { canControl: allowed, meetingKey: data.meetingKey }));
      }
      if (verb === 'queue.accept' && data.entryId && services.queues) {
        const agentId = context.activity.from?.aadObjectId;
        const link = agentId ? await services.store.get<OfferCardLink>(QUEUE_OFFER_CARDS, offerCardKey(data.entryId, agentId)) : undefined;
        if (!agentId || !link) return cardResponse(errorCard({ title: 'That offer is not yours', cause: 'Only the agent the caller was offered to can accept it.' }));
        await services.queues.accept(data.entryId, agentId);
        return cardResponse(queueOfferCard({ ...link.view, state: 'accepted' }));
      }
      if (verb === 'command.run' && data.command) {
        await this.dispatch(context, data.command);
        return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Working on it…' as never };
      }
    } catch (err) {
      return cardResponse(failureCard(verb === 'call.hangup' ? 'hang up' : verb === 'queue.accept' ? 'put that caller through to you' : 'do that', err));
    }
    return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: `Unknown action "${verb}".` } as never };
  }
}

function cardResponse(card: Record<string, unknown>): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: asAttachment(card).content };
}

function welcomeScope(context: TurnContext): WelcomeScope {
  const type = context.activity.conversation?.conversationType;
  const channelData = context.activity.channelData as { meeting?: unknown; team?: unknown } | undefined;
  if (channelData?.meeting || context.activity.conversation?.id?.includes('meeting_')) return 'meeting';
  if (type === 'channel' || channelData?.team) return 'team';
  if (type === 'groupChat') return 'groupChat';
  return 'personal';
}
