// The one table of event names comms/meetings publishes on the bus, and the payload each carries.
// Rosters travel as diffs only: a client loads MeetingService.roster() once, then applies `meeting.roster` events
// whose `version` is exactly one more than the version it holds (a gap means: load the snapshot again).
import type { MeetingEventInput } from './meeting-roster.js';
import type { MuteAllReport, MuteAllResult } from './mute-all.js';

export const MEETING_EVENTS = {
  /** Who joined, who left, what changed for whom — never the whole roster. */
  roster: 'meeting.roster',
  /** The bot's presence in a meeting: joining → joined → leaving → left. */
  state: 'meeting.state',
  /** Cluster only: a Teams meeting event handed to the instance that keeps the meeting's roster. */
  input: 'meeting.input',
  /** A mute-all ended (on the instance that started it, or on the one that took it over): one result per person. */
  muteAll: 'meeting.mute-all',
  /** The app met a meeting (created it, joined it, or Teams told the bot about it): its call events can be followed. */
  seen: 'meeting.seen',
  /** The meeting's call started or ended (meetingCallEvents), whether or not the bot is in it. */
  call: 'meeting.call',
} as const;

export type MeetingState = 'joining' | 'joined' | 'leaving' | 'left';

export interface RosterEntry {
  /** Graph participant id; `user:<userId>` for someone known only from Teams meeting events so far. */
  id: string;
  userId?: string;
  displayName: string;
  isMuted: boolean;
  /** From Teams meeting events (Organizer / Presenter / Attendee): the Graph participant carries no role. */
  role?: string;
  /** Neither the Graph participant (v1.0 or beta) nor the join/leave events expose a raised hand: unset for now. */
  handRaised?: boolean;
  screenSharing: boolean;
  inLobby: boolean;
  isBot: boolean;
  /** Dialled in from (or called at) a phone number: displayName is the caller ID name or the masked number. */
  viaPhone?: boolean;
  /** When this roster first saw the person (people present before the bot joined: when the bot found them). */
  joinedAt: string;
}

/** Changed fields only; an optional field that was cleared is `null`. */
export type RosterChangeFields = { [K in Exclude<keyof RosterEntry, 'id' | 'joinedAt'>]?: RosterEntry[K] | null };

export interface RosterLeft {
  id: string;
  userId?: string;
  displayName: string;
}

export interface RosterDiff {
  meetingKey: string;
  joined: RosterEntry[];
  left: RosterLeft[];
  changed: Array<{ id: string; fields: RosterChangeFields }>;
  /** Size of the roster after the change. */
  count: number;
  /** Version of the roster after the change; each diff is exactly one version. */
  version: number;
}

export type MeetingRosterEvent = { type: 'meeting.roster' } & RosterDiff;

export type MeetingStateEvent = {
  type: 'meeting.state';
  meetingKey: string;
  state: MeetingState;
  callId?: string;
};

export type MeetingInputEvent = { type: 'meeting.input'; meetingKey: string; owner: string; input: MeetingEventInput };

export type MeetingMuteAllEvent = {
  type: 'meeting.mute-all';
  meetingKey: string;
  jobId: string;
  results: MuteAllResult[];
  /** Finished by another run than the one that started it (an instance gone, or the app restarted). */
  takenOver: boolean;
  /** What the starter asked the outcome to be reported to (the chat card). */
  report?: MuteAllReport;
};

export type MeetingSeenEvent = { type: 'meeting.seen'; meetingKey: string; joinWebUrl: string };

/** The meeting's own call (not the bot's leg), as its call events report it. */
export interface MeetingCallState {
  state: 'started' | 'ended';
  /** When Graph says it happened (eventDateTime). */
  at: string;
}

export type MeetingCallEvent = { type: 'meeting.call'; meetingKey: string } & MeetingCallState;

export type MeetingEvent = MeetingRosterEvent | MeetingStateEvent | MeetingInputEvent | MeetingMuteAllEvent | MeetingSeenEvent | MeetingCallEvent;
