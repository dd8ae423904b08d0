// "calls" in chat (issue 18, item 9): the asker's own calls only, each titled by who or what it was, with its real
// length ("10 s", "1 min 19 s"), missed calls marked, and the audio quality help promises; "calls all" is for the
// people HISTORY_ADMINS names, by object id or UPN.
import assert from 'node:assert/strict';
import type { CallRecordSummary, RecordPerson } from '../../comms/records/index.js';
import { botHarness, PEOPLE, repliesTo, type Harness } from './bot-harness.js';

const [AMARA, JONAS] = [PEOPLE[0]!, PEOPLE[1]!];
const person = (p: { id: string; displayName: string }): RecordPerson => ({ key: `user:${p.id}`, kind: 'user', id: p.id, displayName: p.displayName });
const BOT: RecordPerson = { key: 'application:bot', kind: 'application', id: '8b2f6f0e-3c1d-4e5a-9f7b-2a6c4d8e0f13', displayName: 'Switchboard (local)' };
const good = (p: RecordPerson) => ({ person: p, streamCount: 2, averageJitterMs: 10, averagePacketLossRate: 0.001, averageRoundTripTimeMs: 30, poor: false });

function record(id: string, start: string, seconds: number, fields: Partial<CallRecordSummary>): CallRecordSummary {
  const end = new Date(Date.parse(start) + seconds * 1000).toISOString();
  return { id, type: 'peerToPeer', modalities: ['audio'], start, end, durationSeconds: seconds, participants: [], quality: [], poorQuality: false, sessionCount: 1, segmentCount: 1, summarizedAt: end, ...fields };
}

const RECORDS: CallRecordSummary[] = [
  // Newest first, as listSummaries returns them.
  record('00000000-0000-4000-8000-000000000004', '2026-12-01T09:50:00Z', 19, { organizer: person(JONAS), participants: [person(JONAS), BOT] }),
  record('00000000-0000-4000-8000-000000000003', '2026-12-01T09:40:00Z', 30, { organizer: BOT, participants: [BOT, person(AMARA)] }),
  record('00000000-0000-4000-8000-000000000002', '2026-12-01T09:30:00Z', 79, {
    organizer: person(AMARA), participants: [person(AMARA), person(JONAS)], poorQuality: true,
    quality: [{ person: person(AMARA), streamCount: 2, averageJitterMs: 48, averagePacketLossRate: 0.13, averageRoundTripTimeMs: 40, poor: true }, good(person(JONAS))],
  }),
  record('00000000-0000-4000-8000-000000000001', '2026-12-01T09:20:00Z', 10, { organizer: person(AMARA), participants: [person(AMARA), BOT], quality: [good(person(AMARA))] }),
];

describe('bot: calls (history in chat)', () => {
  let harness: Harness;
  const start = (historyAdmins: string[] = []) => {
    harness = botHarness({
      records: { listSummaries: async ({ limit }: { limit?: number } = {}) => RECORDS.slice(0, limit) },
      calls: { listCalls: async () => [{ id: 'x', callChainId: '00000000-0000-4000-8000-000000000001', purpose: 'front-desk' }], getCall: async () => undefined },
      historyAdmins,
    } as never);
  };
  afterEach(() => harness.close());

  it('lists only your own calls, titled by who or what, with real lengths, missed calls marked and your audio', async () => {
    start();
    const [reply] = await repliesTo(harness, 'calls');
    const text = reply?.text ?? '';
    const lines = text.split('\n\n').slice(1);
    assert.equal(lines.length, 3, `Jonas's call with the bot is not Amara's:\n${text}`);
    assert.match(lines[0]!, /Call from Switchboard \(local\) · ✗ missed \(rang 30 s\)/);
    assert.match(lines[1]!, /Call with Jonas Lindqvist · 1 min 19 s · ⚠ poor audio \(jitter 48 ms, packet loss 13 %, round trip 40 ms\)/);
    assert.match(lines[2]!, /Call to the front desk · 10 s · good audio/);
    assert.doesNotMatch(text, /· 1 min ·/, 'no call is rounded to "1 min"');
  });

  it('"calls all" is refused unless HISTORY_ADMINS names you', async () => {
    start(['grace.whitfield@switchboard.test']);
    const [reply] = await repliesTo(harness, 'calls all');
    assert.match(reply?.text ?? '', /Only the people named in HISTORY_ADMINS/);
  });

  it('"calls all" lists everyone\'s for an admin named by UPN (looked up from the asker\'s object id)', async () => {
    start([AMARA.userPrincipalName.toUpperCase()]);
    const [reply] = await repliesTo(harness, 'calls all');
    const text = reply?.text ?? '';
    assert.match(text, /^Everyone's recent calls/);
    assert.equal(text.split('\n\n').length - 1, 4, 'Jonas\'s call too');
  });
});
