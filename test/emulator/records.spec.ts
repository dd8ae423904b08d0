// Call records: one appears callRecordDelayMs after a call or meeting ends (id = the call's callChainId), with
// organizer and participants, sessions → segments → media with plausible, deterministic stream figures, session paging
// (Prefer: odata.maxpagesize, sessions@odata.nextLink) and the list with its $filter.

import { strict as assert } from 'node:assert';
import { AMARA, CALLS_APP, INITIATE_ONLY_APP, MATEO, SERVICE_MEDIA, answeredIncomingCall, startCallsHarness, type CallsHarness } from './calls-harness.js';

const DURATION = /^PT\d+(\.\d+)?S$/;

async function waitForRecord(h: CallsHarness, id: string, query = '', headers: Record<string, string> = {}): Promise<any> {
  const until = Date.now() + 10_000;
  for (;;) {
    const reply = await h.call('GET', `/v1.0/communications/callRecords/${id}${query}`, { token: h.token, headers });
    if (reply.status === 200) return reply;
    if (Date.now() > until) throw new Error(`no call record ${id}: ${reply.status} ${reply.text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('emulator call records', function () {
  let h: CallsHarness;
  before(async () => {
    h = await startCallsHarness({ callRecordDelayMs: 30, rosterBatchMs: 10 });
  });
  after(async () => {
    await h.close();
  });

  it('a P2P call: a peerToPeer record with id = callChainId, organizer_v2 the caller, participants_v2 both ends', async () => {
    const startedAt = new Date().toISOString();
    const callId = await answeredIncomingCall(h, AMARA);
    const chainId = (await h.view(callId)).callChainId;
    await h.control('POST', `/calls/${callId}/hangup`, { person: AMARA.id });
    const reply = await waitForRecord(h, chainId, '?$expand=participants_v2');
    const r = reply.json;
    assert.equal(r.id, chainId);
    assert.equal(r['@odata.context'], `${h.emulator.graphUrl}/$metadata#communications/callRecords(participants_v2())/$entity`);
    assert.equal(r.version, 1);
    assert.equal(r.type, 'peerToPeer');
    assert.deepEqual(r.modalities, ['audio']);
    assert.ok(Date.parse(r.startDateTime) >= Date.parse(startedAt) - 1000 && Date.parse(r.endDateTime) >= Date.parse(r.startDateTime));
    assert.equal(r.organizer_v2.id, AMARA.id);
    assert.equal(r.organizer_v2.identity.user.id, AMARA.id);
    assert.deepEqual(r.participants_v2.map((p: any) => p.id).sort(), [AMARA.id, CALLS_APP.clientId].sort());
    assert.equal(r.participants_v2.find((p: any) => p.id === CALLS_APP.clientId).identity.application.id, CALLS_APP.clientId);
    assert.equal(r.joinWebUrl, null);
  });

  it('$expand=sessions($expand=segments): media with networks, devices and streams whose figures are ISO-8601 durations and fractions, the same on every read', async () => {
    const callId = await answeredIncomingCall(h, AMARA);
    const chainId = (await h.view(callId)).callChainId;
    await h.control('POST', `/calls/${callId}/hangup`, { person: AMARA.id });
    const reply = await waitForRecord(h, chainId, '?$expand=sessions($expand=segments)');
    assert.equal(reply.json['@odata.context'], `${h.emulator.graphUrl}/$metadata#communications/callRecords(sessions(segments()))/$entity`);
    const [session] = reply.json.sessions;
    assert.equal(session.caller['@odata.type'], '#microsoft.graph.callRecords.participantEndpoint');
    assert.equal(session.caller.associatedIdentity.id, AMARA.id);
    assert.equal(session.callee['@odata.type'], '#microsoft.graph.callRecords.serviceEndpoint');
    const media = session.segments[0].media[0];
    assert.equal(media.label, 'main-audio');
    for (const network of [media.callerNetwork, media.calleeNetwork]) {
      assert.match(network.ipAddress, /^\d+\.\d+\.\d+\.\d+$/);
      assert.ok(['wired', 'wifi'].includes(network.connectionType));
    }
    assert.equal(typeof media.callerDevice.captureDeviceName, 'string');
    assert.deepEqual(media.streams.map((s: any) => s.streamDirection), ['callerToCallee', 'calleeToCaller']);
    for (const s of media.streams) {
      for (const key of ['averageJitter', 'maxJitter', 'averageRoundTripTime', 'maxRoundTripTime']) assert.match(s[key], DURATION, key);
      for (const key of ['averagePacketLossRate', 'maxPacketLossRate']) assert.ok(s[key] >= 0 && s[key] <= 1, key);
    }
    const again = await waitForRecord(h, chainId, '?$expand=sessions($expand=segments)');
    assert.deepEqual(again.json.sessions, reply.json.sessions);
    const plain = await waitForRecord(h, chainId);
    assert.equal(plain.json.sessions, undefined, 'no sessions without $expand');
    assert.equal(typeof plain.json['organizer_v2@odata.context'], 'string');
  });

  it('a meeting: a groupCall record when the meeting empties, one session per participant, paged by Prefer: odata.maxpagesize', async function () {
    this.timeout(30_000);
    const meeting = (await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'Records' })).json;
    const created = await h.graph('POST', '/communications/calls', {
      '@odata.type': '#microsoft.graph.call',
      callbackUri: h.callbackUri,
      requestedModalities: ['audio'],
      mediaConfig: SERVICE_MEDIA,
      meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: meeting.joinMeetingIdSettings.joinMeetingId, passcode: null },
      tenantId: h.emulator.tenantId,
    });
    const callId = created.json.id;
    await h.waitForCall(callId, (c) => c.state === 'established', 'established');
    const chainId = (await h.view(callId)).callChainId;
    const script = (await h.control('POST', `/meetings/${encodeURIComponent(meeting.id)}/script`, { count: 70, overSeconds: 0.2, leaveFraction: 1, seed: 'records' })).json;
    for (;;) {
      const p = (await h.control('GET', `/meetings/${encodeURIComponent(meeting.id)}/script/${script.id}`)).json;
      if (p.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await h.graph('DELETE', `/communications/calls/${callId}`);

    const first = await waitForRecord(h, chainId, '?$expand=sessions', { prefer: 'odata.maxpagesize=25' });
    assert.equal(first.json.type, 'groupCall');
    assert.equal(first.json.joinWebUrl, meeting.joinWebUrl);
    assert.equal(first.json.organizer_v2.id, MATEO.id);
    assert.equal(first.headers['preference-applied'], 'odata.maxpagesize=25');
    assert.equal(first.json.sessions.length, 25);
    assert.equal(first.json.sessions[0].segments, undefined, 'segments only with $expand=segments');
    const sessions = [...first.json.sessions];
    let next: string | undefined = first.json['sessions@odata.nextLink'];
    assert.ok(next?.startsWith(`${h.emulator.graphUrl}/communications/callRecords/${chainId}/sessions?`));
    while (next) {
      const page = await h.call('GET', next.slice(h.emulator.url.length), { token: h.token, headers: { prefer: 'odata.maxpagesize=25' } });
      assert.equal(page.status, 200);
      sessions.push(...page.json.value);
      next = page.json['@odata.nextLink'];
    }
    assert.equal(sessions.length, 71, '70 people and the bot');
    assert.equal(new Set(sessions.map((s: any) => s.id)).size, 71);
    const byDefault = await waitForRecord(h, chainId, '?$expand=sessions($expand=segments)');
    assert.equal(byDefault.json.sessions.length, 60);
    assert.match(byDefault.json['sessions@odata.nextLink'], /\/sessions\?\$expand=segments&\$skiptoken=/);
  });

  it('a call the bot placed that was declined: a record with a callSetup failure and no media', async () => {
    await h.control('PUT', `/people/${AMARA.id}/behavior`, { onCall: 'decline', answerDelayMs: 0 });
    try {
      const created = await h.graph('POST', '/communications/calls', {
        '@odata.type': '#microsoft.graph.call', callbackUri: h.callbackUri, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA,
        targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: AMARA.id } } }],
      });
      const callId = created.json.id;
      await h.waitForCall(callId, (c) => c.state === 'terminated', 'declined');
      const chainId = (await h.view(callId)).callChainId;
      const r = (await waitForRecord(h, chainId, '?$expand=sessions($expand=segments)')).json;
      assert.equal(r.type, 'peerToPeer');
      assert.equal(r.organizer_v2.id, CALLS_APP.clientId, 'the bot called');
      assert.equal(r.sessions[0].failureInfo.stage, 'callSetup');
      assert.deepEqual(r.sessions[0].segments[0].media, []);
      const participants = (await waitForRecord(h, chainId, '?$expand=participants_v2')).json.participants_v2;
      assert.deepEqual(participants.map((p: any) => p.id).sort(), [AMARA.id, CALLS_APP.clientId].sort());
    } finally {
      await h.control('PUT', `/people/${AMARA.id}/behavior`, { onCall: 'manual' });
    }
  });

  it('GET /communications/callRecords: $filter on startDateTime and participants_v2; other filters 400', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const callId = await answeredIncomingCall(h, AMARA);
    const chainId = (await h.view(callId)).callChainId;
    await h.control('POST', `/calls/${callId}/hangup`, { person: AMARA.id });
    await waitForRecord(h, chainId);
    const recent = await h.graph('GET', `/communications/callRecords?$filter=${encodeURIComponent(`startDateTime ge ${since}`)}`);
    assert.equal(recent.status, 200);
    assert.equal(recent.json['@odata.context'], `${h.emulator.graphUrl}/$metadata#communications/callRecords`);
    assert.ok(recent.json.value.some((r: any) => r.id === chainId));
    assert.equal(recent.json.value[0].sessions, undefined);
    const old = await h.graph('GET', `/communications/callRecords?$filter=${encodeURIComponent(`startDateTime lt ${since}`)}`);
    assert.ok(!old.json.value.some((r: any) => r.id === chainId));
    const amaras = await h.graph('GET', `/communications/callRecords?$filter=${encodeURIComponent(`participants_v2/any(p:p/id eq '${AMARA.id}')`)}`);
    assert.ok(amaras.json.value.some((r: any) => r.id === chainId));
    const bad = await h.graph('GET', `/communications/callRecords?$filter=${encodeURIComponent("type eq 'peerToPeer'")}`);
    assert.equal(bad.status, 400);
  });

  it('unknown id: 404; an app without CallRecords.Read.All: 403', async () => {
    assert.equal((await h.graph('GET', '/communications/callRecords/3cf3bbc8-b21d-4f2e-bfd0-b13603ae6c65')).status, 404);
    const token = await h.appToken(INITIATE_ONLY_APP.clientId, INITIATE_ONLY_APP.clientSecret);
    assert.equal((await h.graph('GET', '/communications/callRecords', undefined, token)).status, 403);
  });
});

describe('emulator call records: the delay', function () {
  let h: CallsHarness;
  before(async () => {
    h = await startCallsHarness({ callRecordDelayMs: 600_000 });
  });
  after(async () => {
    await h.close();
  });

  it('no record exists until callRecordDelayMs after the call ends (it is pending meanwhile)', async () => {
    const callId = await answeredIncomingCall(h, AMARA);
    const chainId = (await h.view(callId)).callChainId;
    assert.deepEqual((await h.control('GET', '/call-records')).json.ongoing, [chainId]);
    await h.control('POST', `/calls/${callId}/hangup`, { person: AMARA.id });
    assert.equal((await h.graph('GET', `/communications/callRecords/${chainId}`)).status, 404);
    const control = (await h.control('GET', '/call-records')).json;
    assert.equal(control.pending, 1);
    assert.deepEqual(control.value, []);
  });
});
