// Who a user is in a meeting, from what the app knows: organizer by the bot's record or Graph's meeting, invited
// attendees with their roles, people present with the roles Teams' events give; nobody else. Ids compare without case.
import assert from 'node:assert/strict';
import { meetingAccess, type MeetingAccessFacts } from '../../../comms/meetings/index.js';

const ME = { userId: 'AAAAAAAA-0000-0000-0000-000000000001', tenantId: 't', upn: 'me@contoso.com' };
const OTHER = 'bbbbbbbb-0000-0000-0000-000000000002';
const key = '19:meeting_x@thread.v2';
const entry = (userId: string | undefined, extra: Record<string, unknown> = {}) => ({ id: `p-${userId ?? 'guest'}`, displayName: 'x', isMuted: false, screenSharing: false, inLobby: false, isBot: false, joinedAt: '', ...(userId ? { userId } : {}), ...extra });
const online = (organizer: string, attendees: Array<{ userId?: string; upn?: string; role?: string }>) => ({ id: 'm', organizer: { userId: organizer }, attendees });
const roster = (...entries: ReturnType<typeof entry>[]) => ({ meetingKey: key, version: 1, count: entries.length, entries });

describe('comms/meetings meeting access (the rule the bot and the tab share)', () => {
  const cases: Array<[string, MeetingAccessFacts, { member: boolean; role?: string; canControl: boolean }]> = [
    ['organizer by the bot\'s record (id case differs)', { record: { organizerId: ME.userId.toLowerCase() } }, { member: true, role: 'organizer', canControl: true }],
    ['organizer by Graph\'s meeting', { online: online(ME.userId, []) }, { member: true, role: 'organizer', canControl: true }],
    ['invited presenter', { online: online(OTHER, [{ userId: ME.userId, role: 'presenter' }]) }, { member: true, role: 'presenter', canControl: true }],
    ['invited co-organizer', { online: online(OTHER, [{ userId: ME.userId, role: 'coorganizer' }]) }, { member: true, role: 'presenter', canControl: true }],
    ['invited attendee', { online: online(OTHER, [{ userId: ME.userId, role: 'attendee' }]) }, { member: true, role: 'attendee', canControl: false }],
    ['invited by UPN only', { online: online(OTHER, [{ upn: 'ME@contoso.com' }]) }, { member: true, role: 'attendee', canControl: false }],
    ['present, no role', { roster: roster(entry(ME.userId)) }, { member: true, role: 'attendee', canControl: false }],
    ['present as Presenter (Teams event)', { roster: roster(entry(ME.userId, { role: 'Presenter' })) }, { member: true, role: 'presenter', canControl: true }],
    ['invited attendee, present as Organizer (Teams event): the higher role', { online: online(OTHER, [{ userId: ME.userId }]), roster: roster(entry(ME.userId, { role: 'Organizer' })) }, { member: true, role: 'organizer', canControl: true }],
    ['a bot entry with my id does not count', { roster: roster(entry(ME.userId, { isBot: true })) }, { member: false, canControl: false }],
    ['someone else\'s meeting', { record: { organizerId: OTHER }, online: online(OTHER, [{ userId: OTHER }]), roster: roster(entry(OTHER), entry(undefined)) }, { member: false, canControl: false }],
    ['nothing known', {}, { member: false, canControl: false }],
  ];
  for (const [name, facts, expected] of cases) {
    it(name, () => {
      assert.deepEqual(meetingAccess(facts, ME), expected);
    });
  }
});
