// Which meeting a chat means: in a meeting's own chat, that meeting (the chat id is the meeting thread); elsewhere,
// the meeting this chat last asked the bot to join. Also what Teams told the bot about a meeting chat's meeting.
import type { TurnContext } from 'botbuilder';
import type { MeetingService, RosterEntry } from '../comms/meetings/index.js';
import type { Store } from '../comms/store/index.js';

export const MEETING_CHATS = 'meeting-chats';
export const CHAT_MEETINGS = 'chat-meetings';

export interface MeetingChatInfo {
  joinUrl?: string;
  title?: string;
  meetingId?: string;
}

export function isMeetingChat(context: TurnContext): boolean {
  return /^19:meeting_/.test(context.activity.conversation?.id ?? '');
}

export async function meetingKeyFor(context: TurnContext, store: Store, meetings: MeetingService): Promise<string | undefined> {
  const conversationId = context.activity.conversation?.id;
  if (!conversationId) return undefined;
  if (isMeetingChat(context)) return conversationId.split(';')[0];
  const remembered = await store.get<{ meetingKey: string }>(CHAT_MEETINGS, conversationId);
  if (!remembered) return undefined;
  const record = await meetings.getRecord(remembered.meetingKey);
  return record ? remembered.meetingKey : undefined;
}

export async function rememberChatMeeting(context: TurnContext, store: Store, meetingKey: string): Promise<void> {
  const conversationId = context.activity.conversation?.id;
  if (conversationId && !isMeetingChat(context)) await store.put(CHAT_MEETINGS, conversationId, { meetingKey });
}

/** Organizer or presenter of the meeting, by the roster's roles (from Teams meeting events) or the organizer id. */
export async function canControlMeeting(meetings: MeetingService, meetingKey: string, userId: string | undefined): Promise<boolean> {
  if (!userId) return false;
  const record = await meetings.getRecord(meetingKey);
  if (record?.organizerId?.toLowerCase() === userId.toLowerCase()) return true;
  const roster = await meetings.roster(meetingKey).catch(() => undefined);
  const me = roster?.entries.find((p: RosterEntry) => p.userId?.toLowerCase() === userId.toLowerCase());
  return /^(organizer|presenter|coorganizer)$/i.test(me?.role ?? '');
}
