// An onlineMeeting as the emulator keeps it: its coordinates (thread, join link, join meeting id and passcode), the
// organizer, attendees and the settings PATCH may change. Its live roster is the calling service's meeting
// conversation for the same thread.

import type { Json } from '../calls/call-model.js';
import type { Graph } from '../../graph-models/index.js';

export interface MeetingAttendee {
  userId: string;
  upn: string | null;
  role: Graph.OnlineMeetingRole | null;
}

export interface OnlineMeetingRecord {
  id: string;
  organizerId: string;
  organizerUpn: string | null;
  externalId?: string;
  subject: string | null;
  creationDateTime: string;
  startDateTime: string;
  endDateTime: string;
  threadId: string;
  joinWebUrl: string;
  joinMeetingId: string;
  passcode: string | null;
  isPasscodeRequired: boolean;
  conferenceId: string;
  attendees: MeetingAttendee[];
  /** The documented updatable settings (allowedPresenters, lobbyBypassSettings, allowMeetingChat, …). */
  settings: Json;
}
