// Who a person is in a meeting (the one rule the bot and the tab share), from what the app knows (never from what the browser says): the organizer
// (the bot's record or Graph's online meeting), an invited attendee (with the role the organizer gave), or someone
// present in the live roster (with the role Teams' meeting events carry). Only organizers and presenters control.
import type { MeetingRosterView } from './meeting-service.js';
import type { MeetingRecord } from './meeting-records.js';
import type { Meeting } from './online-meetings.js';

/** What the app knows about a meeting (any of it may be missing). */
export interface MeetingAccessFacts {
  record?: Pick<MeetingRecord, 'organizerId'>;
  online?: Pick<Meeting, 'organizer' | 'attendees'>;
  roster?: Pick<MeetingRosterView, 'entries'>;
}

/** Who is asking: their Entra object id (from a validated token or an authenticated activity), and UPN if known. */
export interface MeetingAccessUser {
  userId: string;
  upn?: string;
}

export type MeetingRoleName = 'organizer' | 'presenter' | 'attendee';

export interface MeetingAccess {
  member: boolean;
  role?: MeetingRoleName;
  canControl: boolean;
}

const PRESENTER_ROLES = /^(presenter|coorganizer|producer)$/i;

function same(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

function roleFromName(name: string | undefined): MeetingRoleName | undefined {
  if (!name) return undefined;
  if (/^organizer$/i.test(name)) return 'organizer';
  if (PRESENTER_ROLES.test(name)) return 'presenter';
  return 'attendee';
}

const RANK: Record<MeetingRoleName, number> = { attendee: 1, presenter: 2, organizer: 3 };

export function meetingAccess(facts: MeetingAccessFacts, user: MeetingAccessUser): MeetingAccess {
  let role: MeetingRoleName | undefined;
  const raise = (next: MeetingRoleName | undefined) => {
    if (next && (!role || RANK[next] > RANK[role])) role = next;
  };
  if (same(facts.record?.organizerId, user.userId) || same(facts.online?.organizer?.userId, user.userId)) raise('organizer');
  for (const attendee of facts.online?.attendees ?? []) {
    if (same(attendee.userId, user.userId) || same(attendee.upn, user.upn)) raise(roleFromName(attendee.role) ?? 'attendee');
  }
  for (const entry of facts.roster?.entries ?? []) {
    if (!entry.isBot && same(entry.userId, user.userId)) raise(roleFromName(entry.role) ?? 'attendee');
  }
  return { member: role !== undefined, ...(role ? { role } : {}), canControl: role === 'organizer' || role === 'presenter' };
}
