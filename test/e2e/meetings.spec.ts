// Meetings end to end in local mode: online meetings created and found by join link, the bot joining, one roster per
// meeting kept equal to the emulator's truth as people join, mute and leave (also under duplicated and reordered
// roster notifications), participant control with per-person results, and the meeting's call record arriving
// through the change-notification subscription.
import assert from 'node:assert/strict';
import type { Meeting } from '../../comms/meetings/index.js';
import { isEventOf, type CommsEventOf } from '../../comms/store/index.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { directoryIds, UPN, type PersonName } from './people.js';

describe('meetings end to end (local mode)', function () {
  this.timeout(90_000);
  let app: LocalSwitchboard;
  let ids: Record<PersonName, string>;

  before(async () => {
    app = await startLocalSwitchboard({ emulatorOptions: { callRecordDelayMs: 300, rosterBatchMs: 50 } });
    ids = await directoryIds(app);
  });
  after(async () => app?.stop());

  const newMeeting = (subject: string): Promise<Meeting> =>
    app.meetings.create({ organizerId: ids.amara, subject, attendees: [{ userId: ids.jonas, upn: UPN.jonas }] });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await app.emulatorJson(method, path, body);
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** Who the emulator says is in the meeting, and muted: the truth. */
  const truth = async (meetingId: string) =>
    ((await control('GET', `/emulator/meetings/${encodeURIComponent(meetingId)}`)).people as Array<{ participantId: string; isMuted: boolean }>)
      .map((p) => `${p.participantId}:${p.isMuted ? 'muted' : 'open'}`)
      .sort();
  /** Who the app's roster says is in the meeting (people, not bots). */
  const seen = async (meetingKey: string) =>
    (await app.meetings.roster(meetingKey)).entries
      .filter((e) => !e.isBot)
      .map((e) => `${e.id}:${e.isMuted ? 'muted' : 'open'}`)
      .sort();
  const agree = async (meeting: Meeting, meetingKey: string, what: string) => {
    const expected = await eventually(async () => {
      const [t, s] = await Promise.all([truth(meeting.id), seen(meetingKey)]);
      return JSON.stringify(t) === JSON.stringify(s) && t;
    }, `the app's roster to match the emulator's ${what}`, 20_000).catch(async (err) => {
      assert.deepEqual(await seen(meetingKey), await truth(meeting.id), String(err));
      throw err;
    });
    return expected;
  };

  it('creates a meeting, finds it again by its join link, and the bot joins it', async () => {
    const meeting = await newMeeting('Planning');
    assert.match(meeting.joinWebUrl ?? '', /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const found = await app.meetings.lookupByLink(meeting.joinWebUrl!);
    assert.equal(found?.id, meeting.id);
    const joined = await app.meetings.join({ link: meeting.joinWebUrl! });
    assert.equal(joined.meetingKey, meeting.chatInfo?.threadId);
    await eventually(async () => (await app.meetings.getRecord(joined.meetingKey))?.state === 'joined', 'the bot in the meeting');
    const emulated = await control('GET', `/emulator/meetings/${encodeURIComponent(meeting.id)}`);
    assert.ok(emulated.botCallIds.includes(joined.callId), 'the emulator has the bot in that meeting');
    assert.equal((await app.meetings.join({ link: meeting.joinWebUrl! })).alreadyJoined, true, 'joining twice places no second call');
    await app.meetings.leave(joined.meetingKey);
  });

  it('keeps one roster equal to the emulator at every step, including people who were there before the bot', async () => {
    const meeting = await newMeeting('Stand-up');
    for (const person of ['jonas', 'priya'] as const) await control('POST', `/emulator/meetings/${meeting.id}/people`, { person: UPN[person] });
    const { meetingKey } = await app.meetings.join({ link: meeting.joinWebUrl! });
    assert.equal((await agree(meeting, meetingKey, 'people present before the bot joined')).length, 2);

    const script = await control('POST', `/emulator/meetings/${meeting.id}/script`, { count: 20, overSeconds: 2, muteFraction: 0.3, leaveFraction: 0.2, seed: 11, people: 'synthetic' });
    await eventually(async () => (await control('GET', `/emulator/meetings/${meeting.id}/script/${script.id}`)).state === 'done', 'the 20 scripted attendees', 20_000);
    await agree(meeting, meetingKey, '20 attendees joining, muting and leaving');

    await control('POST', `/emulator/meetings/${meeting.id}/people/${UPN.jonas}/mute`, { muted: true });
    await agree(meeting, meetingKey, 'Jonas muting himself');
    await control('DELETE', `/emulator/meetings/${meeting.id}/people/${UPN.priya}`);
    const final = await agree(meeting, meetingKey, 'Priya leaving');
    assert.ok(final.length >= 2 + 20 * 0.8 - 1, `most people are still there (${final.length})`);
    const diffs = app.events.filter(isEventOf('meeting.roster')).filter((e) => e.meetingKey === meetingKey);
    assert.ok(diffs.length > 0 && diffs.every((d) => Array.isArray(d.joined) && Array.isArray(d.left) && Array.isArray(d.changed)), 'the roster is published as diffs');
    await app.meetings.leave(meetingKey);
  });

  it('ends with the same roster when roster notifications are duplicated and reordered', async () => {
    const meeting = await newMeeting('Noisy network');
    const { meetingKey, callId } = await app.meetings.join({ link: meeting.joinWebUrl! });
    await eventually(async () => (await app.meetings.getRecord(meetingKey))?.state === 'joined', 'joined');
    await control('POST', '/emulator/notification-faults', { match: { callId, resource: '/participants' }, action: 'duplicate', count: 15 });
    await control('POST', '/emulator/notification-faults', { match: { callId, resource: '/participants' }, action: 'reorder', count: 8 });
    const script = await control('POST', `/emulator/meetings/${meeting.id}/script`, { count: 15, overSeconds: 1.5, muteFraction: 0.4, leaveFraction: 0.3, seed: 5, people: 'synthetic' });
    await eventually(async () => (await control('GET', `/emulator/meetings/${meeting.id}/script/${script.id}`)).state === 'done', 'the script', 20_000);
    await control('DELETE', '/emulator/notification-faults');
    // Full rosters carry no roster-level version: a reordered one can be ambiguous, and the periodic repair settles it.
    await app.meetings.repair(meetingKey);
    await agree(meeting, meetingKey, 'a faulty notification stream, after repair');
    await app.meetings.leave(meetingKey);
  });

  it('mutes one person, then everyone, reporting a result per person', async () => {
    const meeting = await newMeeting('All hands');
    for (const person of ['jonas', 'priya', 'mateo'] as const) await control('POST', `/emulator/meetings/${meeting.id}/people`, { person: UPN[person] });
    await control('POST', `/emulator/meetings/${meeting.id}/people/${UPN.mateo}/mute`, { muted: true });
    const { meetingKey } = await app.meetings.join({ link: meeting.joinWebUrl! });
    await agree(meeting, meetingKey, 'three people, one muted');
    const jonas = (await app.meetings.roster(meetingKey)).entries.find((e) => e.userId === ids.jonas)!;
    await app.meetings.mute(meetingKey, jonas.id);
    await eventually(async () => (await truth(meeting.id)).includes(`${jonas.id}:muted`), 'Jonas muted in the emulator');
    await agree(meeting, meetingKey, 'Jonas muted by the bot');
    const results = await app.meetings.muteAll(meetingKey, { pacingMs: 200 });
    const byName = Object.fromEntries(results.map((r) => [r.displayName, r.outcome]));
    assert.deepEqual(byName, { 'Jonas Lindqvist': 'already-muted', 'Priya Raman': 'muted', 'Mateo Alvarez': 'already-muted' });
    await eventually(async () => (await truth(meeting.id)).every((p) => p.endsWith(':muted')), 'everyone muted in the emulator');
    await app.meetings.leave(meetingKey);
  });

  it('receives the meeting\'s call record through the subscription once it ends, and reduces it to a summary', async () => {
    const subscription = (await control('GET', '/emulator/subscriptions')).value as Array<{ resource: string }>;
    assert.ok(subscription.some((s) => s.resource.includes('callRecords')), 'the app subscribed to call records at start (validation handshake passed)');
    const meeting = await newMeeting('Retro');
    for (const person of ['hana', 'elif'] as const) await control('POST', `/emulator/meetings/${meeting.id}/people`, { person: UPN[person] });
    const { meetingKey } = await app.meetings.join({ link: meeting.joinWebUrl! });
    await agree(meeting, meetingKey, 'two people');
    await app.meetings.leave(meetingKey);
    for (const person of ['hana', 'elif'] as const) await control('DELETE', `/emulator/meetings/${meeting.id}/people/${UPN[person]}`);
    const ready = await app.waitForEvent<CommsEventOf<'record.ready'>>((e) => e.type === 'record.ready' && e.joinWebUrl === meeting.joinWebUrl, 'the call record', 20_000);
    const summary = await app.records.getSummary(ready.recordId);
    assert.ok(summary, 'the summary is stored');
    assert.equal(summary.type, 'groupCall');
    const names = summary.participants.map((p) => p.displayName);
    for (const name of ['Hana Sato', 'Elif Demir']) assert.ok(names.includes(name), `${name} is in the record (${names.join(', ')})`);
    assert.ok((summary.durationSeconds ?? 0) >= 0);
    assert.ok(summary.quality.length > 0, 'audio quality per participant');
  });
});
