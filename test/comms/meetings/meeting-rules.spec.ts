// The meeting rules the faces share (comms/meetings): how to join a meeting from what the app knows of it, whether
// the bot is in, and who may be muted by someone else. The tab's side panel and the chat follow these, never copies.
import assert from 'node:assert/strict';
import { botCallIn, joinInputFor, whyNotMutable, type JoinInput, type MeetingRecord } from '../../../comms/meetings/index.js';

const THREAD = '19:meeting_NDRiZjRiMmUtODI5OC00MzRlLTk1ZWEtMGY1MDAwMDAwMDAw@thread.v2';
const OID = '550fae72-d251-43ec-868c-373732c2704f';
const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const LINK = 'https://teams.microsoft.com/meet/123456789?p=abc';

const record = (fields: Partial<MeetingRecord>): MeetingRecord => ({ meetingKey: THREAD, state: 'joined', updatedAt: '2026-01-01T00:00:00.000Z', ...fields });

describe('comms/meetings shared meeting rules', () => {
  describe('joinInputFor: the best way to join from what is known', () => {
    const cases: Array<{ name: string; known: Parameters<typeof joinInputFor>[0]; expected: JoinInput | undefined }> = [
      { name: 'the online meeting, when the record names it and its organizer', known: { record: record({ onlineMeetingId: 'm-1', organizerId: OID, threadId: THREAD, tenantId: TID }) }, expected: { meetingId: 'm-1', organizerId: OID } },
      { name: 'else the meeting chat, with its message id', known: { record: record({ threadId: THREAD, organizerId: OID, tenantId: TID, messageId: '17' }) }, expected: { threadId: THREAD, organizerId: OID, tenantId: TID, messageId: '17' } },
      { name: 'else the record\'s link before any other link', known: { record: record({ joinWebUrl: LINK }), joinLinks: ['https://teams.microsoft.com/meet/999999999'] }, expected: { link: LINK } },
      { name: 'else the first link known elsewhere (online meeting, then chat)', known: { joinLinks: [undefined, LINK] }, expected: { link: LINK } },
      { name: 'else the join meeting id', known: { record: record({ joinMeetingId: '123456789' }) }, expected: { joinMeetingId: '123456789' } },
      { name: 'nothing known: no way to join', known: {}, expected: undefined },
      { name: 'a chat without its organizer is not enough', known: { record: record({ threadId: THREAD, tenantId: TID }) }, expected: undefined },
    ];
    for (const c of cases) it(c.name, () => assert.deepEqual(joinInputFor(c.known), c.expected));
  });

  describe('botCallIn: is the bot in', () => {
    it('names the call while the record has not left', () => {
      assert.equal(botCallIn(record({ callId: 'c-1', state: 'joining' })), 'c-1');
      assert.equal(botCallIn(record({ callId: 'c-1', state: 'leaving' })), 'c-1');
    });
    it('is undefined once left, without a call, or without a record', () => {
      assert.equal(botCallIn(record({ callId: 'c-1', state: 'left' })), undefined);
      assert.equal(botCallIn(record({})), undefined);
      assert.equal(botCallIn(undefined), undefined);
    });
  });

  describe('whyNotMutable: who may be muted by someone else', () => {
    const cases = [
      { entry: { id: 'p-1', isBot: false }, expected: undefined },
      { entry: { id: 'p-bot', isBot: true }, expected: 'bot' },
      { entry: { id: `user:${OID}`, isBot: false }, expected: 'not-in-call-roster' },
    ] as const;
    for (const c of cases) it(`${c.entry.id} → ${c.expected ?? 'may be muted'}`, () => assert.equal(whyNotMutable(c.entry), c.expected));
  });
});
