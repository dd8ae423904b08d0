// Meetings as places: the bot joins a meeting by its thread or its join meeting id and lands in that meeting's
// conversation; people in the meeting before the bot are in its first roster; people join, mute, share and leave
// through the control API; delta rosters; and a scripted 1,000-person meeting with a bounded number of roster POSTs.

import { strict as assert } from 'node:assert';
import { AMARA, JONAS, MATEO, PRIYA, SERVICE_MEDIA, startCallsHarness, type CallsHarness, type ReceivedNotification } from './calls-harness.js';

const BATCH_MS = 25;

describe('emulator meetings: people, joins and rosters', function () {
  let h: CallsHarness;
  before(async () => {
    h = await startCallsHarness({ rosterBatchMs: BATCH_MS });
  });
  after(async () => {
    await h.close();
  });

  const newMeeting = async (body: Record<string, unknown> = {}) => {
    const reply = await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'Team sync', ...body });
    assert.equal(reply.status, 201);
    return reply.json;
  };
  const joinCall = (meetingInfo: Record<string, unknown>, extra: Record<string, unknown> = {}) => h.graph('POST', '/communications/calls', {
    '@odata.type': '#microsoft.graph.call',
    callbackUri: h.callbackUri,
    requestedModalities: ['audio'],
    mediaConfig: SERVICE_MEDIA,
    meetingInfo,
    tenantId: h.emulator.tenantId,
    ...extra,
  });
  const byOrganizer = (meeting: any, extra: Record<string, unknown> = {}) => joinCall({
    '@odata.type': '#microsoft.graph.organizerMeetingInfo',
    organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: MATEO.id, tenantId: h.emulator.tenantId } },
    allowConversationWithoutHost: true,
  }, { chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: meeting.chatInfo.threadId, messageId: '0' }, ...extra });
  const rosters = (callId: string): ReceivedNotification[] => h.receiver.about(callId, (n) => String(n.item.resourceUrl).endsWith('/participants'));
  const lastRoster = (callId: string): any[] => rosters(callId).at(-1)?.item.resourceData ?? [];
  const userIds = (roster: any[]) => roster.map((p: any) => p.info.identity.user?.id).filter(Boolean).sort();

  it('joins by organizerMeetingInfo + chatInfo into that meeting\'s conversation', async () => {
    const meeting = await newMeeting();
    const created = await byOrganizer(meeting);
    assert.equal(created.status, 201);
    const callId = created.json.id;
    await h.waitForCall(callId, (c) => c.state === 'established', 'established');
    const view = (await h.control('GET', `/meetings/${encodeURIComponent(meeting.id)}`)).json;
    assert.equal(view.threadId, meeting.chatInfo.threadId);
    assert.deepEqual(view.botCallIds, [callId]);
    assert.equal(view.state, 'active');
    assert.equal((await h.view(callId)).threadId, meeting.chatInfo.threadId);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('joins by joinMeetingIdMeetingInfo (with the passcode) into the meeting\'s thread; chatInfo filled by the service', async () => {
    const meeting = await newMeeting({ joinMeetingIdSettings: { isPasscodeRequired: true } });
    const created = await joinCall({
      '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
      joinMeetingId: meeting.joinMeetingIdSettings.joinMeetingId,
      passcode: meeting.joinMeetingIdSettings.passcode,
    });
    assert.equal(created.status, 201);
    assert.equal(created.json.chatInfo.threadId, meeting.chatInfo.threadId);
    const call = await h.waitForCall(created.json.id, (c) => c.state === 'established', 'established');
    assert.equal(call.threadId, meeting.chatInfo.threadId);
    await h.graph('DELETE', `/communications/calls/${created.json.id}`);
  });

  it('an unknown joinMeetingId or a wrong passcode: 201, establishing, then deleted terminated with the failure', async () => {
    const meeting = await newMeeting({ joinMeetingIdSettings: { isPasscodeRequired: true } });
    const cases: Array<[string, Record<string, unknown>, number]> = [
      ['unknown id', { joinMeetingId: '999000111222', passcode: null }, 400],
      ['wrong passcode', { joinMeetingId: meeting.joinMeetingIdSettings.joinMeetingId, passcode: 'nope00' }, 403],
    ];
    for (const [name, info, code] of cases) {
      const created = await joinCall({ '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', ...info });
      assert.equal(created.status, 201, name);
      const callId = created.json.id;
      await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'deleted'), `${name}: deleted`);
      const states = h.receiver.about(callId).map((n) => `${n.item.changeType} ${n.item.resourceData.state}`);
      assert.deepEqual(states, ['updated establishing', 'deleted terminated'], name);
      const ended = h.receiver.about(callId).at(-1)!.item.resourceData;
      assert.equal(Number(ended.resultInfo.code), code, name);
      assert.equal((await h.view(callId)).threadId, null, `${name}: not in any meeting`);
    }
  });

  it('people in the meeting before the bot joins are in its first roster, with rosterSequenceNumber', async () => {
    const meeting = await newMeeting();
    for (const person of [AMARA.upn, JONAS.id]) {
      const joined = await h.control('POST', `/meetings/${encodeURIComponent(meeting.id)}/people`, { person });
      assert.equal(joined.status, 201);
    }
    const guest = await h.control('POST', `/meetings/${encodeURIComponent(meeting.chatInfo.threadId)}/people`, { person: { displayName: 'Visiting Auditor' } });
    assert.equal(guest.status, 201);
    assert.equal(guest.json.person.synthetic, true);
    const before = (await h.control('GET', `/meetings/${encodeURIComponent(meeting.id)}`)).json;
    assert.equal(before.peopleCount, 3);
    assert.deepEqual(before.botCallIds, []);

    const callId = (await byOrganizer(meeting)).json.id;
    await h.receiver.waitFor(() => rosters(callId).length > 0, 'first roster');
    const first = rosters(callId)[0]!.item.resourceData as any[];
    assert.equal(first.length, 4, 'three people and the bot');
    assert.deepEqual(userIds(first).filter((id: string) => id === AMARA.id || id === JONAS.id), [AMARA.id, JONAS.id].sort());
    assert.ok(first.every((p: any) => Number.isInteger(p.rosterSequenceNumber) && p.rosterSequenceNumber > 0));
    assert.ok(first.some((p: any) => p.info.identity.user?.displayName === 'Visiting Auditor'));
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('control API: people mute, share and leave (roster updates); a raised hand is emulator truth only', async () => {
    const meeting = await newMeeting();
    const callId = (await byOrganizer(meeting)).json.id;
    await h.waitForCall(callId, (c) => c.state === 'established', 'established');
    const id = encodeURIComponent(meeting.id);
    await h.control('POST', `/meetings/${id}/people`, { person: PRIYA.id });
    await h.receiver.waitFor(() => userIds(lastRoster(callId)).includes(PRIYA.id), 'Priya in the roster');

    const muted = await h.control('POST', `/meetings/${id}/people/${PRIYA.upn}/mute`, { muted: true });
    assert.equal(muted.status, 200);
    assert.equal(muted.json.person.isMuted, true);
    await h.receiver.waitFor(() => lastRoster(callId).some((p: any) => p.info.identity.user?.id === PRIYA.id && p.isMuted), 'Priya muted');

    await h.control('POST', `/meetings/${id}/people/${PRIYA.id}/share`, { sharing: true });
    await h.receiver.waitFor(() => lastRoster(callId).some((p: any) => p.info.identity.user?.id === PRIYA.id
      && p.mediaStreams.some((s: any) => s.mediaType === 'videoBasedScreenSharing' && s.direction === 'sendOnly')), 'Priya sharing');

    const hand = await h.control('POST', `/meetings/${id}/people/${PRIYA.id}/hand`, { raised: true });
    assert.equal(hand.json.person.handRaised, true);
    assert.equal((await h.control('GET', `/meetings/${id}`)).json.people[0].handRaised, true);

    const left = await h.control('DELETE', `/meetings/${id}/people/${PRIYA.id}`);
    assert.equal(left.status, 200);
    await h.receiver.waitFor(() => !userIds(lastRoster(callId)).includes(PRIYA.id), 'Priya gone from the roster');
    assert.equal((await h.control('DELETE', `/meetings/${id}/people/${PRIYA.id}`)).json.error.code, 'emulator/person-not-in-meeting');
    assert.equal((await h.control('GET', '/meetings/not-a-meeting')).json.error.code, 'emulator/unknown-meeting');
    const listed = (await h.control('GET', '/meetings')).json.value.find((m: any) => m.id === meeting.id);
    assert.equal(listed.threadId, meeting.chatInfo.threadId);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('delta roster (callOptions.isDeltaRosterEnabled): all participants first, then only changes; leavers flagged with removedState', async () => {
    const meeting = await newMeeting();
    const id = encodeURIComponent(meeting.id);
    await h.control('POST', `/meetings/${id}/people`, { person: AMARA.id });
    const callId = (await byOrganizer(meeting, { callOptions: { '@odata.type': '#microsoft.graph.outgoingCallOptions', isDeltaRosterEnabled: true } })).json.id;
    await h.receiver.waitFor(() => rosters(callId).length > 0, 'first roster');
    const first = rosters(callId)[0]!.item.resourceData;
    assert.equal(first['@odata.type'], '#microsoft.graph.deltaParticipants');
    assert.equal(first.participants.length, 2);
    assert.equal(typeof first.sequenceNumber, 'number');

    await h.control('POST', `/meetings/${id}/people`, { person: JONAS.id });
    await h.receiver.waitFor(() => rosters(callId).length > 1, 'a delta');
    const joined = rosters(callId)[1]!.item.resourceData;
    assert.deepEqual(joined.participants.map((p: any) => p.info.identity.user.id), [JONAS.id]);
    assert.ok(joined.sequenceNumber > first.sequenceNumber);

    await h.control('DELETE', `/meetings/${id}/people/${AMARA.id}`);
    await h.receiver.waitFor(() => rosters(callId).length > 2, 'a leaving delta');
    const left = rosters(callId)[2]!.item.resourceData;
    assert.equal(left.participants.length, 1);
    assert.equal(left.participants[0].info.identity.user.id, AMARA.id);
    assert.equal(typeof left.participants[0].removedState.reason, 'string');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('scripted 1,000 attendees: roster POSTs stay bounded by the batch window, and the last roster is the emulator\'s', async function () {
    this.timeout(60_000);
    const meeting = await newMeeting({ subject: 'Town hall' });
    const id = encodeURIComponent(meeting.id);
    const callId = (await byOrganizer(meeting)).json.id;
    await h.waitForCall(callId, (c) => c.state === 'established', 'established');
    const startedAt = Date.now();
    const started = await h.control('POST', `/meetings/${id}/script`, { count: 1000, overSeconds: 1, muteFraction: 0.2, leaveFraction: 0.1, seed: 'town-hall' });
    assert.equal(started.status, 201);
    assert.equal(started.json.state, 'running');
    const scriptId = started.json.id;
    let progress: any;
    for (;;) {
      progress = (await h.control('GET', `/meetings/${id}/script/${scriptId}`)).json;
      if (progress.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const elapsedMs = Date.now() - startedAt;
    assert.equal(progress.state, 'done');
    assert.deepEqual({ joined: progress.joined, muted: progress.muted, left: progress.left, skipped: progress.skipped }, { joined: 1000, muted: 200, left: 100, skipped: 0 });

    const truth = (await h.control('GET', `/meetings/${id}`)).json;
    assert.equal(truth.peopleCount, 900);
    const mutedInTruth = truth.people.filter((p: any) => p.isMuted).length;
    // The script is done when the emulator has applied every change; the roster carrying the last of them follows
    // within one batch window, so wait for the roster that matches the truth (a 901-person roster can still be one
    // batch behind on mutes).
    const matches = (r: any[]) => r.length === 901 && r.filter((p: any) => p.isMuted).length === mutedInTruth;
    await h.receiver.waitFor(() => rosters(callId).some((n) => matches(n.item.resourceData)), 'the final roster (900 people and the bot, mutes as in the emulator)', 20_000);
    const final = rosters(callId).map((n) => n.item.resourceData as any[]).find(matches)!;
    assert.equal(final.filter((p: any) => p.isMuted).length, mutedInTruth);
    assert.deepEqual(final.filter((p: any) => p.info.identity.user).map((p: any) => p.id).sort(), truth.people.map((p: any) => p.participantId).sort());

    const count = rosters(callId).length;
    assert.ok(count <= Math.ceil((elapsedMs + 1000) / BATCH_MS) + 5, `${count} roster POSTs for ${elapsedMs} ms of changes`);
    assert.ok(count < 1300 / 10, `${count} roster POSTs for 1,300 changes`);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('scripted 10,000 attendees (a town hall) all at once: one roster of 10,001 people, everyone in it once', async function () {
    this.timeout(120_000);
    const meeting = await newMeeting({ subject: 'Town hall of 10,000' });
    const id = encodeURIComponent(meeting.id);
    const callId = (await byOrganizer(meeting)).json.id;
    await h.waitForCall(callId, (c) => c.state === 'established', 'established');
    const started = await h.control('POST', `/meetings/${id}/script`, { count: 10_000, overSeconds: 0, seed: 'ten-thousand' });
    assert.equal(started.status, 201);
    const progress = (await h.control('GET', `/meetings/${id}/script/${started.json.id}`)).json;
    assert.deepEqual({ state: progress.state, joined: progress.joined, skipped: progress.skipped }, { state: 'done', joined: 10_000, skipped: 0 });
    const full = (n: ReceivedNotification) => (n.item.resourceData as unknown[]).length === 10_001;
    await h.receiver.waitFor(() => rosters(callId).some(full), 'a roster of 10,000 attendees and the bot', 60_000);
    const roster = rosters(callId).find(full)!.item.resourceData as any[];
    assert.equal(new Set(roster.map((p) => p.id)).size, 10_001);
    assert.equal(new Set(roster.filter((p) => p.info.identity.user).map((p) => p.info.identity.user.id)).size, 10_000);
    // Past the largest meeting the emulator keeps people for: refused, nothing started.
    const tooMany = await h.control('POST', `/meetings/${id}/script`, { count: 20_001, overSeconds: 0 });
    assert.equal(tooMany.status, 400);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('the same seed plans the same attendees', async () => {
    const a = await newMeeting();
    const b = await newMeeting();
    for (const m of [a, b]) {
      const s = await h.control('POST', `/meetings/${encodeURIComponent(m.id)}/script`, { count: 5, overSeconds: 0, seed: 'same', leaveFraction: 0.4 });
      assert.equal(s.status, 201);
    }
    const names = async (m: any) => {
      const view = (await h.control('GET', `/meetings/${encodeURIComponent(m.id)}`)).json;
      return view.people.map((p: any) => p.displayName).sort();
    };
    assert.deepEqual(await names(a), await names(b));
    assert.equal((await names(a)).length, 3);
  });
});
