// The side panel's one initial load: the meeting (subject, times, organizer, join link, the bot in or out), the roster
// snapshot with its version, presence per person (best effort), the user's permissions, and the stream position to
// resume live diffs from.
import type { GraphClient } from '../../comms/graph/index.js';
import type { MeetingCallState, MeetingState, RosterEntry } from '../../comms/meetings/index.js';
import { getPresences } from '../../comms/presence/index.js';
import type { MeetingAccess } from '../../comms/meetings/index.js';
import type { MeetingFacts } from './meeting-facts.js';
import type { TabUser } from './user-token.js';

export interface PresenceView {
  availability: string;
  activity: string;
}

export interface TabMeetingView {
  meeting: {
    meetingKey: string;
    subject?: string;
    start?: string;
    end?: string;
    organizer?: { id?: string; displayName?: string };
    joinWebUrl?: string;
    bot: { state: MeetingState | 'absent'; inMeeting: boolean };
    /** The meeting's own call as its call events said (started or ended, and when): known even when the bot is not in it. */
    call?: MeetingCallState;
    /** Roles from the invitation (organizer, presenters) by user id: the call's roster itself carries none. */
    roles: Record<string, 'organizer' | 'presenter'>;
  };
  roster: { version: number; count: number; entries: RosterEntry[] };
  presence: Record<string, PresenceView>;
  permissions: { role?: string; canControl: boolean };
  me: { userId: string; displayName?: string };
  stream: { lastEventId: string };
}

export function meetingHeader(facts: MeetingFacts): TabMeetingView['meeting'] {
  const { record, online, chat } = facts;
  const subject = online?.subject ?? record?.subject ?? chat?.title;
  const joinWebUrl = online?.joinWebUrl ?? record?.joinWebUrl ?? chat?.joinUrl;
  const organizerId = record?.organizerId ?? online?.organizer?.userId;
  const state = record?.state ?? 'absent';
  const roles: Record<string, 'organizer' | 'presenter'> = {};
  for (const attendee of online?.attendees ?? []) {
    if (attendee.userId && attendee.role && /^(presenter|coorganizer|producer)$/i.test(attendee.role)) roles[attendee.userId] = 'presenter';
  }
  if (organizerId) roles[organizerId] = 'organizer';
  return {
    meetingKey: facts.meetingKey,
    ...(subject ? { subject } : {}),
    ...(online?.start ? { start: online.start } : {}),
    ...(online?.end ? { end: online.end } : {}),
    ...(organizerId || facts.organizerName ? { organizer: { ...(organizerId ? { id: organizerId } : {}), ...(facts.organizerName ? { displayName: facts.organizerName } : {}) } } : {}),
    ...(joinWebUrl ? { joinWebUrl } : {}),
    bot: { state, inMeeting: state === 'joined' },
    ...(facts.roster?.meetingCall ? { call: facts.roster.meetingCall } : {}),
    roles,
  };
}

/** Presence.Read.All · cloudcommunications-getpresencesbyuserid — a failure leaves presence out, never the roster. */
export async function presenceFor(graph: GraphClient, entries: RosterEntry[], log: { warn(obj: object, msg?: string): void }): Promise<Record<string, PresenceView>> {
  const ids = [...new Set(entries.filter((e) => !e.isBot && e.userId).map((e) => e.userId!))];
  if (ids.length === 0) return {};
  try {
    const out: Record<string, PresenceView> = {};
    for (const p of await getPresences(graph, ids)) out[p.id] = { availability: p.availability, activity: p.activity };
    return out;
  } catch (err) {
    log.warn({ code: (err as { code?: string }).code, count: ids.length }, 'tab: presence could not be read; the roster is shown without it');
    return {};
  }
}

export async function meetingView(input: {
  facts: MeetingFacts;
  access: MeetingAccess;
  user: TabUser;
  graph: GraphClient;
  lastEventId: string;
  log: { warn(obj: object, msg?: string): void };
}): Promise<TabMeetingView> {
  const { facts, access, user } = input;
  const roster = facts.roster ?? { version: 0, count: 0, entries: [] };
  return {
    meeting: meetingHeader(facts),
    roster: { version: roster.version, count: roster.count, entries: roster.entries },
    presence: await presenceFor(input.graph, roster.entries, input.log),
    permissions: { ...(access.role ? { role: access.role } : {}), canControl: access.canControl },
    me: { userId: user.userId, ...(user.name ? { displayName: user.name } : {}) },
    stream: { lastEventId: input.lastEventId },
  };
}
