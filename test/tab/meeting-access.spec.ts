// Who a user is in a meeting, from what the app knows: organizer by the bot's record or Graph's meeting, invited
// attendees with their roles, people present with the roles Teams' events give; nobody else. Ids compare without case.
import assert from 'node:assert/strict';
import type { MeetingFacts } from '../../tab/server/meeting-facts.js';
import { meetingAccess } from '../../tab/server/meeting-access.js';

const ME = { userId: 'AAAAAAAA-0000-0000-0000-000000000001', tenantId: 't', upn: 'me@contoso.com' };
const OTHER = 'bbbbbbbb-0000-0000-0000-000000000002';
const key = '19:meeting_x@thread.v2';
const entry = (userId: string | undefined, extra: Record<string, unknown> = {}) => ({ id: `p-${userId ?? 'guest'}`, displayName: 'x', isMuted: false, screenSharing: false, inLobby: false, isBot: false, joinedAt: '', ...(userId ? { userId } : {}), ...extra });
const online = (organizer: string, attendees: Array<{ userId?: string; upn?: string; role?: string }>) => ({ id: 'm', organizer: { userId: organizer }, attendees });
const roster = (...entries: ReturnType<typeof entry>[]) => ({ meetingKey: key, version: 1, count: entries.length, entries });

describe('tab/server meeting access', () => {
  const cases: Array<[string, Partial<MeetingFacts>, { member: boolean; role?: string; canControl: boolean }]> = [
    ['organizer by the bot\'s record (id case differs)', { record: { meetingKey: key, state: 'joined', organizerId: ME.userId.toLowerCase(), updatedAt: '' } }, { member: true, role: 'organizer', canControl: true }],
    ['organizer by Graph\'s meeting', { online: online(ME.userId, []) }, { member: true, role: 'organizer', canControl: true }],
    ['invited presenter', { online: online(OTHER, [{ userId: ME.userId, role: 'presenter' }]) }, { member: true, role: 'presenter', canControl: true }],
    ['invited co-organizer', { online: online(OTHER, [{ userId: ME.userId, role: 'coorganizer' }]) }, { member: true, role: 'presenter', canControl: true }],
    ['invited attendee', { online: online(OTHER, [{ userId: ME.userId, role: 'attendee' }]) }, { member: true, role: 'attendee', canControl: false }],
    ['invited by UPN only', { online: online(OTHER, [{ upn: 'ME@contoso.com' }]) }, { member: true, role: 'attendee', canControl: false }],
    ['present, no role', { roster: roster(entry(ME.userId)) }, { member: true, role: 'attendee', canControl: false }],
    ['present as Presenter (Teams event)', { roster: roster(entry(ME.userId, { role: 'Presenter' })) }, { member: true, role: 'presenter', canControl: true }],
    ['invited attendee, present as Organizer (Teams event): the higher role', { online: online(OTHER, [{ userId: ME.userId }]), roster: roster(entry(ME.userId, { role: 'Organizer' })) }, { member: true, role: 'organizer', canControl: true }],
    ['a bot entry with my id does not count', { roster: roster(entry(ME.userId, { isBot: true })) }, { member: false, canControl: false }],
    ['someone else\'s meeting', { record: { meetingKey: key, state: 'joined', organizerId: OTHER, updatedAt: '' }, online: online(OTHER, [{ userId: OTHER }]), roster: roster(entry(OTHER), entry(undefined)) }, { member: false, canControl: false }],
    ['nothing known', {}, { member: false, canControl: false }],
  ];
  for (const [name, facts, expected] of cases) {
    it(name, () => {
      assert.deepEqual(meetingAccess({ meetingKey: key, ...facts } as MeetingFacts, ME), expected);
    });
  }
});
