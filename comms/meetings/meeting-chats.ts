// What Teams told the app about a meeting chat's meeting (from the meetingStart event): kept per meeting chat id,
// written by the bot and read by the bot's "join" and the tab's meeting view.

export const MEETING_CHATS_COLLECTION = 'meeting-chats';

export interface MeetingChatInfo {
  joinUrl?: string;
  title?: string;
  meetingId?: string;
}
