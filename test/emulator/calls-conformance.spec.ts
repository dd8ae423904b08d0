// Every calling endpoint's status, body and Location against the shapes of the Graph doc examples (field names,
// @odata.type values, JSON types), Graph-style 400s for bodies outside the documented limits, 404 for unknown or
// ended calls, 409 for actions in the wrong state, and 403 for apps without the calling roles.

import assert from 'node:assert/strict';
import {
  AMARA, CALLS_APP, INITIATE_ONLY_APP, JONAS, PRIYA, SERVICE_MEDIA, answeredIncomingCall, answeredOutboundCall, prompt, startCallsHarness, userTarget,
  type CallsHarness,
} from './calls-harness.js';
import { NO_ROLES_APP } from './emulator-harness.js';

type Shape = Record<string, 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null' | 'string|null' | 'object|null'>;

function assertShape(value: Record<string, unknown>, shape: Shape, where: string): void {
  for (const [key, type] of Object.entries(shape)) {
    const v = value[key];
    const actual = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
    assert.ok(type.split('|').includes(actual), `${where}: ${key} should be ${type}, is ${actual} (${JSON.stringify(v)})`);
  }
}

describe('emulator calling: endpoint conformance', () => {
  let h: CallsHarness;
  let p2p: string;
  let group: string;

  before(async () => {
    h = await startCallsHarness();
    p2p = await answeredIncomingCall(h, AMARA);
    group = await answeredOutboundCall(h, [JONAS, PRIYA]);
  });

  after(async () => {
    await h.close();
  });

  it('POST /communications/calls: 201, Location, and the create example\'s call fields', async () => {
    const reply = await h.graph('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: h.callbackUri, targets: [userTarget(AMARA)], requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
    assert.equal(reply.status, 201);
    assert.equal(reply.headers.location, `${h.emulator.graphUrl}/communications/calls/${reply.json.id}`);
    assert.match(reply.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(reply.json['@odata.type'], '#microsoft.graph.call');
    assert.equal(reply.json.state, 'establishing');
    assert.equal(reply.json.direction, 'outgoing');
    assert.equal(reply.json.source.identity.application.id, CALLS_APP.clientId);
    assert.equal(reply.json.targets[0]['@odata.type'], '#microsoft.graph.invitationParticipantInfo');
    assertShape(reply.json, {
      id: 'string', '@odata.context': 'string', callbackUri: 'string', callChainId: 'string', myParticipantId: 'string', source: 'object', targets: 'array',
      requestedModalities: 'array', mediaConfig: 'object', subject: 'null', resultInfo: 'null', answeredBy: 'null', chatInfo: 'null', meetingInfo: 'null',
      toneInfo: 'null', transcription: 'null', ringingTimeoutInSeconds: 'null', mediaState: 'null',
    }, 'create response');
    await h.graph('DELETE', `/communications/calls/${reply.json.id}`);
  });

  it('joining a meeting by joinMeetingId fills chatInfo in the response', async () => {
    const reply = await h.graph('POST', '/communications/calls', {
      '@odata.type': '#microsoft.graph.call', callbackUri: h.callbackUri, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA,
      meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '1234567890', passcode: null },
      tenantId: h.emulator.tenantId,
    });
    assert.equal(reply.status, 201);
    assert.match(reply.json.chatInfo.threadId, /^19:meeting_.+@thread\.v2$/);
    assert.equal(reply.json.meetingInfo['@odata.type'], '#microsoft.graph.joinMeetingIdMeetingInfo');
    await h.graph('DELETE', `/communications/calls/${reply.json.id}`);
  });

  it('GET /communications/calls/{id}: 200 with the call', async () => {
    const reply = await h.graph('GET', `/communications/calls/${p2p}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.json['@odata.type'], '#microsoft.graph.call');
    assert.equal(reply.json.id, p2p);
    assert.equal(reply.json.state, 'established');
    assert.equal(reply.json.direction, 'incoming');
    assert.equal(reply.json.mediaState.audio, 'active');
  });

  it('GET participants and participants/{id}: value array of participants', async () => {
    const list = await h.graph('GET', `/communications/calls/${group}/participants`);
    assert.equal(list.status, 200);
    assert.equal(typeof list.json['@odata.context'], 'string');
    assert.equal(list.json.value.length, 3);
    for (const p of list.json.value) {
      assert.equal(p['@odata.type'], '#microsoft.graph.participant');
      assertShape(p, { id: 'string', info: 'object', mediaStreams: 'array', isMuted: 'boolean', isInLobby: 'boolean' }, 'participant');
      assert.equal(p.info['@odata.type'], '#microsoft.graph.participantInfo');
      assert.equal(p.mediaStreams[0]['@odata.type'], '#microsoft.graph.mediaStream');
    }
    const one = await h.graph('GET', `/communications/calls/${group}/participants/${list.json.value[1].id}`);
    assert.equal(one.status, 200);
    assert.equal(one.json.id, list.json.value[1].id);
  });

  // Operation-returning actions: status, @odata.type and the status the docs print in the 200 response.
  const operations: Array<{ name: string; call: () => string; path: string; body: unknown; type: string; status: string }> = [
    { name: 'playPrompt', call: () => p2p, path: 'playPrompt', body: { prompts: [prompt('https://127.0.0.1:1/none.wav')], clientContext: 'c' }, type: 'playPromptOperation', status: 'running' },
    { name: 'recordResponse', call: () => p2p, path: 'recordResponse', body: { clientContext: 'c', initialSilenceTimeoutInSeconds: 1 }, type: 'recordOperation', status: 'running' },
    { name: 'subscribeToTone', call: () => p2p, path: 'subscribeToTone', body: { clientContext: 'c' }, type: 'subscribeToToneOperation', status: 'completed' },
    { name: 'sendDtmfTones', call: () => p2p, path: 'sendDtmfTones', body: { tones: ['tone1'], clientContext: 'c' }, type: 'sendDtmfTonesOperation', status: 'running' },
    { name: 'cancelMediaProcessing', call: () => p2p, path: 'cancelMediaProcessing', body: { clientContext: 'c' }, type: 'cancelMediaProcessingOperation', status: 'completed' },
    { name: 'mute', call: () => group, path: 'mute', body: { clientContext: 'c' }, type: 'muteParticipantOperation', status: 'completed' },
    { name: 'unmute', call: () => group, path: 'unmute', body: { clientContext: 'c' }, type: 'unmuteParticipantOperation', status: 'completed' },
    { name: 'updateRecordingStatus', call: () => group, path: 'updateRecordingStatus', body: { status: 'recording', clientContext: 'c' }, type: 'updateRecordingStatusOperation', status: 'completed' },
  ];
  for (const row of operations) {
    it(`POST ${row.name}: 200, Location to the operation, #microsoft.graph.${row.type} ${row.status}`, async () => {
      const reply = await h.graph('POST', `/communications/calls/${row.call()}/${row.path}`, row.body);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.json['@odata.type'], `#microsoft.graph.${row.type}`);
      assert.equal(reply.json.status, row.status);
      assert.equal(reply.json.clientContext, 'c');
      assert.equal(reply.headers.location, `${h.emulator.graphUrl}/communications/calls/${row.call()}/operations/${reply.json.id}`);
    });
  }

  const accepted: Array<{ name: string; path: () => string; body: unknown; status: number }> = [
    { name: 'changeScreenSharingRole', path: () => `${group}/changeScreenSharingRole`, body: { role: 'sharer' }, status: 202 },
    { name: 'keepAlive', path: () => `${p2p}/keepAlive`, body: undefined, status: 200 },
  ];
  for (const row of accepted) {
    it(`POST ${row.name}: ${row.status} with no body`, async () => {
      const reply = await h.graph('POST', `/communications/calls/${row.path()}`, row.body);
      assert.equal(reply.status, row.status);
      assert.equal(reply.text, '');
    });
  }

  const invalid: Array<{ name: string; path: () => string; body: unknown }> = [
    { name: 'playPrompt with 21 prompts', path: () => `${p2p}/playPrompt`, body: { prompts: Array.from({ length: 21 }, () => prompt('https://x/a.wav')) } },
    { name: 'playPrompt with no prompts', path: () => `${p2p}/playPrompt`, body: { prompts: [] } },
    { name: 'recordResponse with 2 prompts', path: () => `${p2p}/recordResponse`, body: { prompts: [prompt('https://x/a.wav'), prompt('https://x/b.wav')] } },
    { name: 'recordResponse with maxRecordDurationInSeconds 121', path: () => `${p2p}/recordResponse`, body: { maxRecordDurationInSeconds: 121 } },
    { name: 'recordResponse with initialSilenceTimeoutInSeconds 0', path: () => `${p2p}/recordResponse`, body: { initialSilenceTimeoutInSeconds: 0 } },
    { name: 'recordResponse with a stop tone that is no tone', path: () => `${p2p}/recordResponse`, body: { stopTones: ['x'] } },
    { name: 'a clientContext of 257 characters', path: () => `${p2p}/subscribeToTone`, body: { clientContext: 'x'.repeat(257) } },
    { name: 'an unknown parameter', path: () => `${p2p}/subscribeToTone`, body: { clientContext: 'c', color: 'blue' } },
    { name: 'sendDtmfTones with a tone outside the enum', path: () => `${p2p}/sendDtmfTones`, body: { tones: ['tone10'] } },
    { name: 'invite of 6 participants', path: () => `${group}/participants/invite`, body: { participants: Array.from({ length: 6 }, () => userTarget(AMARA)) } },
    { name: 'invite of two to a group call without chatInfo', path: () => `${group}/participants/invite`, body: { participants: [userTarget(AMARA), userTarget(AMARA)] } },
    { name: 'invite of two on a P2P call', path: () => `${p2p}/participants/invite`, body: { participants: [userTarget(JONAS), userTarget(PRIYA)] } },
    { name: 'mute on a P2P call', path: () => `${p2p}/mute`, body: {} },
    { name: 'updateRecordingStatus with an unknown status', path: () => `${group}/updateRecordingStatus`, body: { status: 'paused' } },
    { name: 'changeScreenSharingRole with an unknown role', path: () => `${group}/changeScreenSharingRole`, body: { role: 'presenter' } },
    { name: 'transfer from a group call without transferee', path: () => `${group}/transfer`, body: { transferTarget: userTarget(AMARA) } },
    { name: 'a body that is not JSON', path: () => `${p2p}/subscribeToTone`, body: '{not json' },
  ];
  for (const row of invalid) {
    it(`refuses ${row.name} with 400 BadRequest in Graph's error shape`, async () => {
      const reply = typeof row.body === 'string'
        ? await h.call('POST', `/v1.0/communications/calls/${row.path()}`, { token: h.token, body: row.body, headers: { 'content-type': 'application/json' } })
        : await h.graph('POST', `/communications/calls/${row.path()}`, row.body);
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.json.error.code, 'BadRequest');
      assert.equal(typeof reply.json.error.message, 'string');
      assert.equal(reply.json.error.innerError['request-id'], reply.headers['request-id']);
    });
  }

  const invalidCreate: Array<{ name: string; body: Record<string, unknown> }> = [
    { name: 'no callbackUri', body: { targets: [userTarget(AMARA)], mediaConfig: SERVICE_MEDIA } },
    { name: 'an http callbackUri off 127.0.0.1', body: { callbackUri: 'http://bot.contoso.com/callback', targets: [userTarget(AMARA)], mediaConfig: SERVICE_MEDIA } },
    { name: 'no mediaConfig', body: { callbackUri: 'https://bot.contoso.com/callback', targets: [userTarget(AMARA)] } },
    { name: 'no targets and no meetingInfo', body: { callbackUri: 'https://bot.contoso.com/callback', mediaConfig: SERVICE_MEDIA } },
    { name: 'six targets', body: { callbackUri: 'https://bot.contoso.com/callback', mediaConfig: SERVICE_MEDIA, targets: Array.from({ length: 6 }, () => userTarget(AMARA)) } },
    { name: 'organizerMeetingInfo without chatInfo', body: { callbackUri: 'https://bot.contoso.com/callback', mediaConfig: SERVICE_MEDIA, meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: AMARA.id } } } } },
    { name: 'a property calls do not have', body: { callbackUri: 'https://bot.contoso.com/callback', mediaConfig: SERVICE_MEDIA, targets: [userTarget(AMARA)], ringtone: 'loud' } },
  ];
  for (const row of invalidCreate) {
    it(`refuses a create-call body with ${row.name} (400)`, async () => {
      const reply = await h.graph('POST', '/communications/calls', row.body);
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.json.error.code, 'BadRequest');
    });
  }

  const invalidIncoming: Array<{ name: string; action: string; body: unknown }> = [
    { name: 'answer without acceptedModalities', action: 'answer', body: { mediaConfig: SERVICE_MEDIA } },
    { name: 'answer with an http callbackUri off 127.0.0.1', action: 'answer', body: { callbackUri: 'http://bot.contoso.com/x', acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA } },
    { name: 'reject with an unknown reason', action: 'reject', body: { reason: 'sleepy' } },
    { name: 'redirect with 26 targets', action: 'redirect', body: { targets: Array.from({ length: 26 }, () => userTarget(JONAS)) } },
    { name: 'redirect with a timeout of 10 s', action: 'redirect', body: { targets: [userTarget(JONAS)], timeout: 10 } },
    { name: 'redirect with a timeout of 91 s', action: 'redirect', body: { targets: [userTarget(JONAS)], timeout: 91 } },
  ];
  for (const row of invalidIncoming) {
    it(`refuses ${row.name} (400) and leaves the call ringing`, async () => {
      const callId = (await h.control('POST', `/people/${AMARA.id}/dial`, {})).json.callId;
      const reply = await h.graph('POST', `/communications/calls/${callId}/${row.action}`, row.body);
      assert.equal(reply.status, 400, reply.text);
      assert.equal((await h.view(callId)).state, 'incoming');
      await h.graph('POST', `/communications/calls/${callId}/reject`, {});
    });
  }

  it('404 for an unknown call, and for another app\'s call', async () => {
    const unknown = await h.graph('GET', '/communications/calls/6f1a0b00-0000-4000-8000-000000000000');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'itemNotFound');
    const otherApp = await h.appToken(INITIATE_ONLY_APP.clientId, INITIATE_ONLY_APP.clientSecret);
    assert.equal((await h.graph('GET', `/communications/calls/${p2p}`, undefined, otherApp)).status, 404);
  });

  it('409 for actions in the wrong state: playPrompt while the call is still establishing', async () => {
    const created = await h.graph('POST', '/communications/calls', { callbackUri: h.callbackUri, targets: [userTarget(AMARA)], mediaConfig: SERVICE_MEDIA });
    const reply = await h.graph('POST', `/communications/calls/${created.json.id}/playPrompt`, { prompts: [prompt(h.promptUrl('beep'))] });
    assert.equal(reply.status, 409);
    await h.graph('DELETE', `/communications/calls/${created.json.id}`);
  });

  it('keepAlive and every action answer 404 once the call has ended', async () => {
    const callId = await answeredIncomingCall(h, AMARA);
    assert.equal((await h.graph('POST', `/communications/calls/${callId}/keepAlive`)).status, 200);
    assert.equal((await h.graph('DELETE', `/communications/calls/${callId}`)).status, 204);
    for (const action of ['keepAlive', 'playPrompt', 'subscribeToTone']) {
      const reply = await h.graph('POST', `/communications/calls/${callId}/${action}`, action === 'playPrompt' ? { prompts: [prompt(h.promptUrl('beep'))] } : {});
      assert.equal(reply.status, 404, action);
    }
    assert.equal((await h.graph('DELETE', `/communications/calls/${callId}`)).status, 404);
  });

  it('403 for an app without calling roles, and for a group call from an app that may only place P2P calls', async () => {
    const noRoles = await h.appToken(NO_ROLES_APP.clientId, NO_ROLES_APP.clientSecret);
    const body = { callbackUri: h.callbackUri, targets: [userTarget(AMARA)], mediaConfig: SERVICE_MEDIA };
    const denied = await h.graph('POST', '/communications/calls', body, noRoles);
    assert.equal(denied.status, 403);
    assert.equal(denied.json.error.code, 'Authorization_RequestDenied');
    assert.equal((await h.graph('GET', `/communications/calls/${p2p}`, undefined, noRoles)).status, 403);
    const p2pOnly = await h.appToken(INITIATE_ONLY_APP.clientId, INITIATE_ONLY_APP.clientSecret);
    const group2 = await h.graph('POST', '/communications/calls', { ...body, targets: [userTarget(AMARA), userTarget(JONAS)] }, p2pOnly);
    assert.equal(group2.status, 403);
    const p2pCall = await h.graph('POST', '/communications/calls', body, p2pOnly);
    assert.equal(p2pCall.status, 201, 'Calls.Initiate.All is enough for a P2P call');
    await h.graph('DELETE', `/communications/calls/${p2pCall.json.id}`, undefined, p2pOnly);
  });
});
