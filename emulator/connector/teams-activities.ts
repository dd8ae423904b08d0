// The Bot Framework activities Teams sends a bot, in Teams' shapes (channelId msteams, Teams ids, channelData with
// tenant and meeting): chat messages (with an @mention of the bot in group chats), and the meeting events
// application/vnd.microsoft.meetingStart|meetingEnd (PascalCase value) and meetingParticipantJoin|Leave
// (value.members[] of { user, meeting: { inMeeting, role } }) — meeting-apps-apis.

import type { Json } from '../calls/call-model.js';
import type { EmulatedUser } from '../emulator-options.js';
import { teamsMeetingId } from '../meetings/join-link.js';
import type { ChatConversation } from './connector-store.js';
import { botAccountId, teamsUserId } from './teams-ids.js';

export interface ActivityContext {
  serviceUrl: string;
  tenantId: string;
  appId: string;
  appName: string;
}

export const MEETING_EVENTS = {
  start: 'application/vnd.microsoft.meetingStart',
  end: 'application/vnd.microsoft.meetingEnd',
  participantJoin: 'application/vnd.microsoft.meetingParticipantJoin',
  participantLeave: 'application/vnd.microsoft.meetingParticipantLeave',
} as const;

export interface MeetingFacts {
  threadId: string;
  title: string;
  joinUrl: string;
  meetingType: string;
}

export function userAccount(user: EmulatedUser): Json {
  return { id: teamsUserId(user.id), name: user.displayName, aadObjectId: user.id };
}

/** A TeamsChannelAccount (conversation members, meeting participants). */
export function teamsChannelAccount(user: EmulatedUser, tenantId: string): Json {
  return {
    id: teamsUserId(user.id),
    name: user.displayName,
    aadObjectId: user.id,
    givenName: user.givenName,
    surname: user.surname,
    email: user.mail,
    userPrincipalName: user.userPrincipalName,
    tenantId,
    userRole: 'user',
  };
}

export function meetingConversationAccount(threadId: string, tenantId: string): Json {
  return { isGroup: true, conversationType: 'groupChat', tenantId, id: threadId };
}

function clientInfo(): Json {
  return { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Lisbon' };
}

function base(ctx: ActivityContext, id: string): Json {
  const now = new Date();
  return {
    id,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    localTimezone: 'Europe/Lisbon',
    serviceUrl: ctx.serviceUrl,
    channelId: 'msteams',
  };
}

/** meetingStart / meetingEnd: value { Id, MeetingType, JoinUrl, Title, StartTime | EndTime } (PascalCase, as Teams sends). */
export function meetingLifecycleActivity(ctx: ActivityContext, id: string, which: 'start' | 'end', meeting: MeetingFacts, from: EmulatedUser | undefined, at: string): Json {
  return {
    ...base(ctx, id),
    type: 'event',
    name: which === 'start' ? MEETING_EVENTS.start : MEETING_EVENTS.end,
    from: from ? { id: teamsUserId(from.id), aadObjectId: from.id } : { id: botAccountId(ctx.appId) },
    conversation: meetingConversationAccount(meeting.threadId, ctx.tenantId),
    recipient: { id: botAccountId(ctx.appId), name: ctx.appName },
    entities: [clientInfo()],
    channelData: { tenant: { id: ctx.tenantId }, source: null, meeting: { id: teamsMeetingId(meeting.threadId) } },
    value: {
      Id: meeting.threadId,
      MeetingType: meeting.meetingType,
      JoinUrl: meeting.joinUrl,
      Title: meeting.title,
      ...(which === 'start' ? { StartTime: at } : { EndTime: at }),
    },
    locale: 'en-US',
  };
}

export interface MeetingMember {
  user: EmulatedUser;
  role: string;
}

/** meetingParticipantJoin / meetingParticipantLeave: value.members[] of { user, meeting: { inMeeting, role } }. */
export function meetingParticipantsActivity(ctx: ActivityContext, id: string, joined: boolean, meeting: MeetingFacts, members: MeetingMember[]): Json {
  const first = members[0]?.user;
  return {
    ...base(ctx, id),
    type: 'event',
    name: joined ? MEETING_EVENTS.participantJoin : MEETING_EVENTS.participantLeave,
    from: first ? userAccount(first) : { id: botAccountId(ctx.appId) },
    conversation: meetingConversationAccount(meeting.threadId, ctx.tenantId),
    recipient: { id: botAccountId(ctx.appId), name: ctx.appName },
    entities: [clientInfo()],
    channelData: { tenant: { id: ctx.tenantId }, source: null, meeting: { id: teamsMeetingId(meeting.threadId) } },
    value: {
      members: members.map((m) => ({
        user: { ...teamsChannelAccount(m.user, ctx.tenantId) },
        meeting: { inMeeting: joined, role: m.role },
      })),
    },
    locale: 'en-US',
  };
}

/** A person's chat message to the bot; in a group or meeting chat it @mentions the bot, as Teams requires. */
export function messageActivity(ctx: ActivityContext, id: string, conversation: ChatConversation, from: EmulatedUser, text: string): Json {
  const group = conversation.kind !== 'personal';
  const mentionText = `<at>${ctx.appName}</at>`;
  const entities: Json[] = [clientInfo()];
  if (group) entities.push({ type: 'mention', mentioned: { id: botAccountId(ctx.appId), name: ctx.appName }, text: mentionText });
  return {
    ...base(ctx, id),
    type: 'message',
    text: group ? `${mentionText} ${text}` : text,
    textFormat: 'plain',
    attachments: [],
    from: userAccount(from),
    conversation: group
      ? { isGroup: true, conversationType: 'groupChat', tenantId: ctx.tenantId, id: conversation.id }
      : { conversationType: 'personal', tenantId: ctx.tenantId, id: conversation.id },
    recipient: { id: botAccountId(ctx.appId), name: ctx.appName },
    entities,
    channelData: {
      tenant: { id: ctx.tenantId },
      ...(conversation.threadId ? { meeting: { id: teamsMeetingId(conversation.threadId) } } : {}),
    },
    locale: 'en-US',
  };
}
