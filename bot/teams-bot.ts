// The Teams bot: chat messages go to commands from one table (unknown words get suggestions, never silence), and
// card buttons (Action.Execute) come back here as invokes that answer with the refreshed card.
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
import { canControlMeeting } from './meeting-context.js';
import { MEETING_CHATS_COLLECTION, type MeetingChatInfo } from '../comms/meetings/index.js';
import { CALL_CARDS, type CardLink } from './call-cards.js';
import type { BotServices, Command } from './commands/command.js';
import { helpCommand } from './commands/help.js';
import { splitCommand, suggest } from './commands/parse.js';
import { failureCard } from './commands/reply.js';

const actionData = z.object({
  callId: z.string().max(128).optional(),
  reminderId: z.string().max(128).optional(),
  command: z.string().max(500).optional(),
  link: z.string().max(2048).optional(),
  meetingKey: z.string().max(256).optional(),
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
    // Teams meeting events (need the RSC permissions and the bot's meeting event subscription in the manifest).
    this.onTeamsMeetingStartEvent(async (meeting, context, next) => {
      const chatId = context.activity.conversation?.id?.split(';')[0];
      if (chatId && this.services) {
        await this.services.store.put<MeetingChatInfo>(MEETING_CHATS_COLLECTION, chatId, { joinUrl: meeting.joinUrl, title: meeting.title, meetingId: meeting.id });
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
    const close = suggest(word, this.commands.map((c) => c.name));
    const hint = close.length > 0 ? `Did you mean **${close.slice(0, 3).join('**, **')}**? ` : '';
    await context.sendActivity(MessageFactory.text(`I don't know "${word}". ${hint}Type **help** to see what I can do.`));
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
        return cardResponse(reminderCard(await services.reminders.cancel(data.reminderId), services.timeZone));
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
      if (verb === 'command.run' && data.command) {
        await this.dispatch(context, data.command);
        return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Working on it…' as never };
      }
    } catch (err) {
      return cardResponse(failureCard(verb === 'call.hangup' ? 'hang up' : 'do that', err));
    }
    return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: `Unknown action "${verb}".` } as never };
  }
}

function cardResponse(card: Record<string, unknown>): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: asAttachment(card).content };
}
