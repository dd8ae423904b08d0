// Which meeting a chat means: in a meeting's own chat, that meeting (the chat id is the meeting thread); elsewhere,
// the meeting this chat last asked the bot to join.
import type { TurnContext } from 'botbuilder';
import { meetingAccess, type MeetingService } from '../comms/meetings/index.js';
import type { Store } from '../comms/store/index.js';

export const CHAT_MEETINGS = 'chat-meetings';

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

/** Organizer or presenter of the meeting (the rule comms/meetings keeps for the bot and the tab alike). */
export async function canControlMeeting(meetings: MeetingService, meetingKey: string, userId: string | undefined): Promise<boolean> {
  if (!userId) return false;
  const [record, roster] = await Promise.all([meetings.getRecord(meetingKey), meetings.roster(meetingKey).catch(() => undefined)]);
  return meetingAccess({ record, roster }, { userId }).canControl;
}
