// One person's call history (issue 18, item 9): whose a call is (caller, callee or participant, by object id — never
// by name), what it is called (who or what it was, never just the bot's name), whether it connected (missed / not
// answered), the person's own audio, and who may see everyone's calls.
import assert from 'node:assert/strict';
import { isHistoryAdmin, personalCall, tookPart, type CallRecordSummary, type RecordPerson } from '../../../comms/records/index.js';

const AMARA = 'bff4498d-477a-4f74-90d4-d940c6663180';
const JONAS = 'b6b18e27-b13c-4356-8d3b-e1b8e4ff07c2';
const user = (id: string, displayName: string): RecordPerson => ({ key: `user:${id}`, kind: 'user', id, displayName });
const BOT: RecordPerson = { key: 'application:app', kind: 'application', id: '8b2f6f0e-3c1d-4e5a-9f7b-2a6c4d8e0f13', displayName: 'Switchboard (local)' };
const amara = user(AMARA, 'Amara Okafor');
const jonas = user(JONAS, 'Jonas Lindqvist');

function summary(fields: Partial<CallRecordSummary>): CallRecordSummary {
  return {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    type: 'peerToPeer',
    modalities: ['audio'],
    start: '2026-12-01T10:00:00Z',
    end: '2026-12-01T10:01:19Z',
    durationSeconds: 79,
    participants: [],
    quality: [],
    poorQuality: false,
    sessionCount: 1,
    segmentCount: 1,
    summarizedAt: '2026-12-01T10:02:00Z',
    ...fields,
  };
}
const heard = (person: RecordPerson, poor = false) => ({ person, streamCount: 2, averageJitterMs: poor ? 45 : 12, averagePacketLossRate: poor ? 0.12 : 0.004, averageRoundTripTimeMs: 40, poor });

describe('comms/records: one person\'s call history', () => {
  it('a call is yours when you called, were called or took part — by object id, not by a name that looks like yours', () => {
    const rows: Array<[string, CallRecordSummary, boolean]> = [
      ['organizer (caller)', summary({ organizer: amara, participants: [amara, BOT] }), true],
      ['callee', summary({ organizer: BOT, participants: [BOT, amara] }), true],
      ['participant', summary({ type: 'groupCall', organizer: jonas, participants: [jonas, amara, BOT] }), true],
      ['someone else\'s call', summary({ organizer: jonas, participants: [jonas, BOT] }), false],
      ['same name, other id', summary({ organizer: jonas, participants: [jonas, user('00000000-0000-4000-8000-00000000abcd', 'Amara Okafor')] }), false],
      ['an app with your id is not you', summary({ participants: [{ ...BOT, id: AMARA }] }), false],
    ];
    for (const [name, s, expected] of rows) assert.equal(tookPart(s, AMARA), expected, name);
  });

  it('titles say who or what the call was, never just the bot\'s name', () => {
    const rows: Array<[string, CallRecordSummary, Parameters<typeof personalCall>[2], string]> = [
      ['you called the bot\'s front desk', summary({ organizer: amara, participants: [amara, BOT] }), { purpose: 'front-desk' }, 'Call to the front desk'],
      ['a reminder the bot placed', summary({ organizer: BOT, participants: [BOT, amara] }), { purpose: 'reminder' }, 'Reminder call'],
      ['the bot called you, purpose unknown', summary({ organizer: BOT, participants: [BOT, amara] }), {}, 'Call from Switchboard (local)'],
      ['you called the bot, purpose unknown', summary({ organizer: amara, participants: [amara, BOT] }), {}, 'Call to Switchboard (local)'],
      ['a call with a person', summary({ organizer: jonas, participants: [jonas, amara] }), {}, 'Call with Jonas Lindqvist'],
      ['a group call', summary({ type: 'groupCall', organizer: BOT, participants: [BOT, amara, jonas, user('1040f954-ed84-4781-8ae8-c5be0cff9a25', 'Priya Raman')] }), {}, 'Group call with Jonas Lindqvist and Priya Raman'],
      ['a meeting the app knows', summary({ type: 'groupCall', joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/x', participants: [amara, BOT] }), { meetingSubject: 'Design review' }, 'Meeting: Design review'],
      ['a meeting it does not', summary({ type: 'groupCall', joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/x', participants: [amara] }), {}, 'Teams meeting'],
    ];
    for (const [name, s, context, title] of rows) {
      const call = personalCall(s, AMARA, context);
      assert.equal(call.title, title, name);
      assert.ok(!call.others.includes('Switchboard (local)'), `${name}: the bot is not one of the people`);
    }
  });

  it('a call that never connected is missed (you were called) or not answered (you called); a connected one keeps its length', () => {
    const missed = personalCall(summary({ organizer: BOT, participants: [BOT, amara], durationSeconds: 30 }), AMARA);
    assert.equal(missed.outcome, 'missed');
    assert.equal(missed.quality, 'unknown');
    assert.equal(personalCall(summary({ organizer: amara, participants: [amara, jonas] }), AMARA).outcome, 'not-answered');
    const connected = personalCall(summary({ organizer: amara, participants: [amara, BOT], quality: [heard(amara)] }), AMARA);
    assert.equal(connected.outcome, 'connected');
    assert.equal(connected.durationSeconds, 79);
    assert.equal(connected.quality, 'good');
  });

  it('quality is your own stream\'s, with its figures', () => {
    const call = personalCall(summary({ organizer: amara, participants: [amara, jonas], quality: [heard(jonas), heard(amara, true)], poorQuality: true }), AMARA);
    assert.equal(call.quality, 'poor');
    assert.deepEqual(call.audio, { jitterMs: 45, packetLossPercent: 12, roundTripMs: 40 });
    const jonasView = personalCall(summary({ organizer: amara, participants: [amara, jonas], quality: [heard(jonas), heard(amara, true)], poorQuality: true }), JONAS);
    assert.equal(jonasView.quality, 'good', 'Jonas\'s own audio was fine');
  });

  it('HISTORY_ADMINS names who may see everyone\'s calls, by object id or UPN, case-insensitively', () => {
    const admins = [AMARA.toUpperCase(), 'Grace.Whitfield@switchboard.test'];
    assert.equal(isHistoryAdmin(admins, { userId: AMARA }), true);
    assert.equal(isHistoryAdmin(admins, { userId: JONAS, upn: 'grace.whitfield@switchboard.test' }), true);
    assert.equal(isHistoryAdmin(admins, { userId: JONAS, upn: 'jonas.lindqvist@switchboard.test' }), false);
    assert.equal(isHistoryAdmin([], { userId: AMARA }), false, 'nobody by default');
  });
});
