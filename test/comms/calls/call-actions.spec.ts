// Every call operation against a local fake Graph: the request method, path and body match the documented examples
// field by field, results are typed, and invalid arguments are refused before anything is sent.
import assert from 'node:assert/strict';
import { CallError, callActions, mediaActions, participantActions } from '../../../comms/calls/index.js';
import { GraphError, type GraphClient } from '../../../comms/graph/index.js';
import { FakeGraph } from './support/fake-graph.js';

const CB = 'https://bot.contoso.com/api/calling';
const USER = { kind: 'user' as const, id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' };
const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const C = 'call-x';

describe('comms/calls operations (against a fake Graph)', () => {
  let fake: FakeGraph;
  let graph: GraphClient;

  before(async () => {
    fake = await FakeGraph.start();
    graph = fake.client();
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  function last(): { method: string; path: string; body: any } {
    const r = fake.requests.at(-1);
    assert.ok(r, 'a request was sent');
    return r;
  }

  async function refusedBeforeSending(promise: Promise<unknown>): Promise<void> {
    await assert.rejects(promise, (err: unknown) => err instanceof CallError && err.code === 'calls/invalid-argument');
    assert.equal(fake.requests.length, 0, 'nothing was sent');
  }

  describe('create', () => {
    it('a peer-to-peer call (application-post-calls example shape)', async () => {
      const call = await callActions.createPeerToPeerCall(graph, { callbackUri: CB, target: USER, source: { kind: 'application', id: 'app-1', displayName: 'Switchboard' } });
      const req = last();
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/v1.0/communications/calls');
      assert.equal(req.body['@odata.type'], '#microsoft.graph.call');
      assert.equal(req.body.callbackUri, CB);
      assert.deepEqual(req.body.requestedModalities, ['audio']);
      assert.deepEqual(req.body.mediaConfig, { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' });
      assert.deepEqual(req.body.targets, [
        {
          '@odata.type': '#microsoft.graph.invitationParticipantInfo',
          identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: USER.id, displayName: 'Heidi Steen' } },
        },
      ]);
      assert.deepEqual(req.body.source, {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: { '@odata.type': '#microsoft.graph.identitySet', application: { '@odata.type': '#microsoft.graph.identity', id: 'app-1', displayName: 'Switchboard' } },
      });
      assert.equal(call.id, 'call-1');
      assert.equal(call.state, 'establishing');
      assert.equal(call.direction, 'outgoing');
      assert.equal(call.myParticipantId, 'me-call-1');
      assert.equal(call.callChainId, 'chain-call-1');
    });

    it('a call to a phone number from the PSTN resource account, with tenantId and preFetchMedia', async () => {
      await callActions.createPeerToPeerCall(graph, {
        callbackUri: CB,
        target: { kind: 'phone', number: '+14255550101' },
        source: { kind: 'applicationInstance', id: '7629bdce-046c-4903-86b4-a8f718277e1a', tenantId: TENANT },
        tenantId: TENANT,
        preFetchMedia: [{ uri: 'https://cdn.contoso.com/beep.wav', resourceId: 'beep' }],
      });
      const body = last().body;
      assert.deepEqual(body.targets[0].identity.phone, { '@odata.type': '#microsoft.graph.identity', id: '+14255550101' });
      assert.equal(body.source.identity.applicationInstance.tenantId, TENANT);
      assert.equal(body.tenantId, TENANT);
      assert.deepEqual(body.mediaConfig.preFetchMedia, [{ '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.contoso.com/beep.wav', resourceId: 'beep' }]);
    });

    it('a group call with several users', async () => {
      await callActions.createGroupCall(graph, { callbackUri: CB, targets: [USER, { kind: 'user', id: 'u-2' }, { kind: 'user', id: 'u-3', tenantId: TENANT }] });
      assert.deepEqual(last().body.targets.map((t: any) => t.identity.user.id), [USER.id, 'u-2', 'u-3']);
    });

    it('joins a meeting by organizer + chatInfo', async () => {
      await callActions.joinMeeting(graph, {
        callbackUri: CB,
        meeting: { kind: 'organizer', organizerId: '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96', tenantId: TENANT, threadId: '19:meeting_abc@thread.v2', allowConversationWithoutHost: true },
      });
      const body = last().body;
      assert.deepEqual(body.chatInfo, { '@odata.type': '#microsoft.graph.chatInfo', threadId: '19:meeting_abc@thread.v2', messageId: '0' });
      assert.deepEqual(body.meetingInfo, {
        '@odata.type': '#microsoft.graph.organizerMeetingInfo',
        organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96', tenantId: TENANT } },
        allowConversationWithoutHost: true,
      });
      assert.equal(body.tenantId, TENANT);
      assert.equal(body.targets, undefined);
    });

    it('joins a meeting by join meeting id and passcode', async () => {
      await callActions.joinMeeting(graph, { callbackUri: CB, meeting: { kind: 'joinMeetingId', joinMeetingId: '1234567', passcode: 'psw123', tenantId: TENANT } });
      assert.deepEqual(last().body.meetingInfo, { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '1234567', passcode: 'psw123' });
      assert.equal(last().body.chatInfo, undefined);
    });

    it('never repeats a create after a 503 (not idempotent)', async () => {
      fake.on('POST', /^\/v1\.0\/communications\/calls$/, () => ({ status: 503, headers: { 'retry-after': '1' } }));
      await assert.rejects(callActions.createPeerToPeerCall(graph, { callbackUri: CB, target: USER }), (err: GraphError) => err.code === 'graph/unavailable');
      assert.equal(fake.requests.length, 1);
    });

    const badCreates: Array<[string, () => Promise<unknown>]> = [
      ['six group targets', () => callActions.createGroupCall(graph, { callbackUri: CB, targets: Array.from({ length: 6 }, (_, i) => ({ kind: 'user' as const, id: `u-${i}` })) })],
      ['no group targets', () => callActions.createGroupCall(graph, { callbackUri: CB, targets: [] })],
      ['a phone number in a group call', () => callActions.createGroupCall(graph, { callbackUri: CB, targets: [USER, { kind: 'phone', number: '+14255550101' }] })],
      ['a phone number not in E.164', () => callActions.createPeerToPeerCall(graph, { callbackUri: CB, target: { kind: 'phone', number: '425-555-0101' } })],
      ['a user id with a slash', () => callActions.createPeerToPeerCall(graph, { callbackUri: CB, target: { kind: 'user', id: '../users/x' } })],
      ['a callbackUri that is not a URL', () => callActions.createPeerToPeerCall(graph, { callbackUri: 'not a url', target: USER })],
      ['a javascript: callbackUri', () => callActions.createPeerToPeerCall(graph, { callbackUri: 'javascript:alert(1)', target: USER })],
      ['an unknown modality', () => callActions.createPeerToPeerCall(graph, { callbackUri: CB, target: USER, requestedModalities: ['smell' as never] })],
      ['a meeting without a kind', () => callActions.joinMeeting(graph, { callbackUri: CB, meeting: {} as never })],
      ['a join meeting id with letters', () => callActions.joinMeeting(graph, { callbackUri: CB, meeting: { kind: 'joinMeetingId', joinMeetingId: 'abc', tenantId: TENANT } })],
    ];
    for (const [name, run] of badCreates) it(`refuses ${name} before sending`, () => refusedBeforeSending(run()));
  });

  describe('call control', () => {
    it('get, hang up (DELETE), keepAlive (no body)', async () => {
      const call = await callActions.getCall(graph, C);
      assert.equal(call.state, 'established');
      await callActions.hangUp(graph, C);
      assert.deepEqual([last().method, last().path], ['DELETE', `/v1.0/communications/calls/${C}`]);
      await callActions.keepAlive(graph, C);
      assert.deepEqual([last().method, last().path, last().body], ['POST', `/v1.0/communications/calls/${C}/keepAlive`, undefined]);
    });

    it('keepAlive is retried on 503 (idempotent)', async () => {
      fake.on('POST', /keepAlive$/, () => ({ status: 503 }), 1);
      await callActions.keepAlive(graph, C);
      assert.equal(fake.find('POST', '/keepAlive').length, 2);
    });

    it('answer (call-answer example shape)', async () => {
      await callActions.answer(graph, C, { callbackUri: CB, preFetchMedia: [{ uri: 'https://cdn.contoso.com/hello.wav', resourceId: 'hello' }] });
      const req = last();
      assert.equal(req.path, `/v1.0/communications/calls/${C}/answer`);
      assert.deepEqual(req.body, {
        callbackUri: CB,
        mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [{ '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.contoso.com/hello.wav', resourceId: 'hello' }] },
        acceptedModalities: ['audio'],
      });
    });

    it('reject with a reason', async () => {
      await callActions.reject(graph, C, { reason: 'busy' });
      assert.deepEqual([last().path, last().body], [`/v1.0/communications/calls/${C}/reject`, { reason: 'busy' }]);
      await callActions.reject(graph, C);
      assert.deepEqual(last().body, { reason: 'none' });
    });

    it('redirect to several targets with a timeout (call-redirect simulring shape)', async () => {
      await callActions.redirect(graph, C, { targets: [USER, { kind: 'user', id: 'u-2', displayName: 'test user 2' }], timeoutSeconds: 60, callbackUri: CB });
      const body = last().body;
      assert.equal(last().path, `/v1.0/communications/calls/${C}/redirect`);
      assert.equal(body.timeout, 60);
      assert.equal(body.callbackUri, CB);
      assert.deepEqual(body.targets[1], {
        '@odata.type': '#microsoft.graph.invitationParticipantInfo',
        identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: 'u-2', displayName: 'test user 2' } },
      });
    });

    it('redirect to voicemail marks the target endpointType voicemail', async () => {
      await callActions.redirect(graph, C, { targets: [USER], voicemail: true });
      assert.equal(last().body.targets[0].endpointType, 'voicemail');
      assert.equal(last().body.targets[0].identity.user.id, USER.id);
    });

    it('redirect to a PSTN number', async () => {
      await callActions.redirect(graph, C, { targets: [{ kind: 'phone', number: '+12345678901' }] });
      assert.deepEqual(last().body.targets[0].identity.phone, { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' });
    });

    it('blind transfer (call-transfer example 1 shape)', async () => {
      await callActions.transfer(graph, C, { target: USER });
      assert.equal(last().path, `/v1.0/communications/calls/${C}/transfer`);
      const target = last().body.transferTarget;
      assert.equal(target.endpointType, 'default');
      assert.deepEqual(target.identity.user, { '@odata.type': '#microsoft.graph.identity', id: USER.id, displayName: 'Heidi Steen' });
      assert.equal(target.replacesCallId, undefined);
      assert.equal(last().body.transferee, undefined);
    });

    it('consultative transfer carries replacesCallId, a group transfer the transferee', async () => {
      await callActions.transfer(graph, C, { target: USER, replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d', clientContext: 'ctx-1' });
      assert.equal(last().body.transferTarget.replacesCallId, 'e5d39592-99bd-4db8-bca8-30fb894ec51d');
      assert.equal(last().body.clientContext, 'ctx-1');
      await callActions.transfer(graph, C, { target: USER, transferee: { target: { kind: 'user', id: '751f6800-3180-414d-bd94-333364659951', tenantId: TENANT }, participantId: '909c6581-5130-43e9-88f3-fcb3582cde37' } });
      const transferee = last().body.transferee;
      assert.deepEqual(transferee.identity.user, { '@odata.type': '#microsoft.graph.identity', id: '751f6800-3180-414d-bd94-333364659951', tenantId: TENANT });
      assert.equal(transferee.participantId, '909c6581-5130-43e9-88f3-fcb3582cde37');
    });

    it('changeScreenSharingRole', async () => {
      await callActions.changeScreenSharingRole(graph, C, 'viewer');
      assert.deepEqual([last().path, last().body], [`/v1.0/communications/calls/${C}/changeScreenSharingRole`, { role: 'viewer' }]);
    });

    const bad: Array<[string, () => Promise<unknown>]> = [
      ['a redirect timeout of 14 s', () => callActions.redirect(graph, C, { targets: [USER], timeoutSeconds: 14 })],
      ['a redirect timeout of 91 s', () => callActions.redirect(graph, C, { targets: [USER], timeoutSeconds: 91 })],
      ['a fractional redirect timeout', () => callActions.redirect(graph, C, { targets: [USER], timeoutSeconds: 20.5 })],
      ['26 redirect targets', () => callActions.redirect(graph, C, { targets: Array.from({ length: 26 }, (_, i) => ({ kind: 'user' as const, id: `u-${i}` })) })],
      ['no redirect targets', () => callActions.redirect(graph, C, { targets: [] })],
      ['voicemail for two targets', () => callActions.redirect(graph, C, { targets: [USER, USER], voicemail: true })],
      ['voicemail for a phone number', () => callActions.redirect(graph, C, { targets: [{ kind: 'phone', number: '+12345678901' }], voicemail: true })],
      ['an unknown reject reason', () => callActions.reject(graph, C, { reason: 'maybe' as never })],
      ['a clientContext of 257 characters', () => callActions.transfer(graph, C, { target: USER, clientContext: 'x'.repeat(257) })],
      ['an unknown screen sharing role', () => callActions.changeScreenSharingRole(graph, C, 'boss' as never)],
      ['a call id with a path', () => callActions.hangUp(graph, '../../users')],
      ['a dot-segment call id', () => callActions.keepAlive(graph, '..')],
      ['an empty call id', () => callActions.answer(graph, '', { callbackUri: CB })],
    ];
    for (const [name, run] of bad) it(`refuses ${name} before sending`, () => refusedBeforeSending(run()));
  });

  describe('media', () => {
    it('playPrompt (call-playprompt example shape) answers a running playPromptOperation', async () => {
      const op = await mediaActions.playPrompt(graph, C, [{ uri: 'https://cdn.contoso.com/beep.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088E' }], { clientContext: 'd45324c1' });
      assert.equal(last().path, `/v1.0/communications/calls/${C}/playPrompt`);
      assert.deepEqual(last().body, {
        prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.contoso.com/beep.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088E' } }],
        clientContext: 'd45324c1',
      });
      assert.equal(op.type, 'playPromptOperation');
      assert.equal(op.status, 'running');
      assert.equal(op.clientContext, 'd45324c1');
      assert.match(op.id, /^op-\d+$/);
    });

    it('playPrompt is never repeated after a 503', async () => {
      fake.on('POST', /playPrompt$/, () => ({ status: 503 }));
      await assert.rejects(mediaActions.playPrompt(graph, C, [{ uri: 'https://cdn.contoso.com/a.wav' }]));
      assert.equal(fake.requests.length, 1);
    });

    it('takes the operation id from Location when the body has none', async () => {
      fake.on('POST', /playPrompt$/, () => ({ status: 200, headers: { location: `${fake.baseUrl}/communications/calls/${C}/operations/from-location` }, body: { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'Running' } }), 1);
      const op = await mediaActions.playPrompt(graph, C, [{ uri: 'https://cdn.contoso.com/a.wav' }]);
      assert.equal(op.id, 'from-location');
      assert.equal(op.status, 'running');
    });

    it('refuses an operation answer without any id as calls/invalid-response', async () => {
      fake.on('POST', /playPrompt$/, () => ({ status: 200, body: { status: 'running' } }), 1);
      await assert.rejects(mediaActions.playPrompt(graph, C, [{ uri: 'https://cdn.contoso.com/a.wav' }]), (err: CallError) => err.code === 'calls/invalid-response');
    });

    it('recordResponse (call-record example shape)', async () => {
      const op = await mediaActions.recordResponse(graph, C, {
        bargeInAllowed: true,
        clientContext: 'd45324c1',
        prompts: [{ uri: 'https://cdn.contoso.com/beep.wav', resourceId: 'beep' }],
        maxRecordDurationInSeconds: 10,
        initialSilenceTimeoutInSeconds: 5,
        maxSilenceTimeoutInSeconds: 2,
        playBeep: true,
        stopTones: ['#', '1', '*'],
      });
      const body = last().body;
      assert.equal(last().path, `/v1.0/communications/calls/${C}/recordResponse`);
      assert.equal(body.bargeInAllowed, true);
      assert.equal(body.maxRecordDurationInSeconds, 10);
      assert.equal(body.initialSilenceTimeoutInSeconds, 5);
      assert.equal(body.maxSilenceTimeoutInSeconds, 2);
      assert.equal(body.playBeep, true);
      assert.deepEqual(body.stopTones, ['#', '1', '*']);
      assert.equal(body.prompts[0]['@odata.type'], '#microsoft.graph.mediaPrompt');
      assert.equal(op.type, 'recordOperation');
      assert.equal(op.recordingLocation, undefined);
    });

    it('subscribeToTone answers a completed operation; sendDtmfTones a running one', async () => {
      const sub = await mediaActions.subscribeToTone(graph, C, { clientContext: 'c' });
      assert.deepEqual([last().path, last().body], [`/v1.0/communications/calls/${C}/subscribeToTone`, { clientContext: 'c' }]);
      assert.equal(sub.status, 'completed');
      const dtmf = await mediaActions.sendDtmfTones(graph, C, ['tone1', 'tone2', 'pound'], { delayBetweenTonesMs: 200 });
      assert.deepEqual(last().body, { tones: ['tone1', 'tone2', 'pound'], delayBetweenTonesMs: 200 });
      assert.equal(dtmf.status, 'running');
    });

    it('cancelMediaProcessing, mute, unmute, updateRecordingStatus', async () => {
      assert.equal((await mediaActions.cancelMediaProcessing(graph, C, { clientContext: 'x' })).type, 'cancelMediaProcessingOperation');
      assert.equal(last().path, `/v1.0/communications/calls/${C}/cancelMediaProcessing`);
      assert.equal((await mediaActions.muteSelf(graph, C)).type, 'muteParticipantOperation');
      assert.equal(last().path, `/v1.0/communications/calls/${C}/mute`);
      assert.equal((await mediaActions.unmuteSelf(graph, C)).type, 'unmuteParticipantOperation');
      assert.equal(last().path, `/v1.0/communications/calls/${C}/unmute`);
      const rec = await mediaActions.updateRecordingStatus(graph, C, 'recording', { clientContext: 'r' });
      assert.deepEqual(last().body, { status: 'recording', clientContext: 'r' });
      assert.equal(rec.status, 'completed');
    });

    const bad: Array<[string, () => Promise<unknown>]> = [
      ['no prompts', () => mediaActions.playPrompt(graph, C, [])],
      ['21 prompts', () => mediaActions.playPrompt(graph, C, Array.from({ length: 21 }, () => ({ uri: 'https://cdn.contoso.com/a.wav' })))],
      ['a prompt with a file: URI', () => mediaActions.playPrompt(graph, C, [{ uri: 'file:///etc/passwd' }])],
      ['a prompt without a uri', () => mediaActions.playPrompt(graph, C, [{} as never])],
      ['a clientContext over 256 characters', () => mediaActions.playPrompt(graph, C, [{ uri: 'https://cdn.contoso.com/a.wav' }], { clientContext: 'y'.repeat(300) })],
      ['a non-string clientContext', () => mediaActions.subscribeToTone(graph, C, { clientContext: 42 as never })],
      ['two record prompts', () => mediaActions.recordResponse(graph, C, { prompts: [{ uri: 'https://a.example/a.wav' }, { uri: 'https://a.example/b.wav' }] })],
      ['a record duration of 0 s', () => mediaActions.recordResponse(graph, C, { maxRecordDurationInSeconds: 0 })],
      ['a record duration of 121 s', () => mediaActions.recordResponse(graph, C, { maxRecordDurationInSeconds: 121 })],
      ['an initial silence of 121 s', () => mediaActions.recordResponse(graph, C, { initialSilenceTimeoutInSeconds: 121 })],
      ['a max silence of -1 s', () => mediaActions.recordResponse(graph, C, { maxSilenceTimeoutInSeconds: -1 })],
      ['an unknown stop tone', () => mediaActions.recordResponse(graph, C, { stopTones: ['x'] })],
      ['an unknown DTMF tone', () => mediaActions.sendDtmfTones(graph, C, ['tone10' as never])],
      ['no DTMF tones', () => mediaActions.sendDtmfTones(graph, C, [])],
      ['an unknown recording status', () => mediaActions.updateRecordingStatus(graph, C, 'paused' as never)],
    ];
    for (const [name, run] of bad) it(`refuses ${name} before sending`, () => refusedBeforeSending(run()));
  });

  describe('participants', () => {
    it('lists and gets participants', async () => {
      const list = await participantActions.listParticipants(graph, C);
      assert.deepEqual(list.map((p) => p.id), ['p-1']);
      const one = await participantActions.getParticipant(graph, C, 'p-1');
      assert.equal(one.id, 'p-1');
      assert.equal(last().path, `/v1.0/communications/calls/${C}/participants/p-1`);
    });

    it('invite (participant-invite example shape) with replacesCallId; status "Running" is normalized', async () => {
      const op = await participantActions.inviteParticipants(graph, C, [{ target: { kind: 'user', id: '278405a3-f568-4b3e-b684-009193463064' }, replacesCallId: 'a7ebfb2d-871e-419c-87af-27290b22e8db' }], { clientContext: 'f2fa86af' });
      assert.equal(last().path, `/v1.0/communications/calls/${C}/participants/invite`);
      assert.deepEqual(last().body, {
        participants: [
          {
            '@odata.type': '#microsoft.graph.invitationParticipantInfo',
            identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: '278405a3-f568-4b3e-b684-009193463064' } },
            replacesCallId: 'a7ebfb2d-871e-419c-87af-27290b22e8db',
          },
        ],
        clientContext: 'f2fa86af',
      });
      assert.equal(op.status, 'running');
      assert.equal(op.type, 'inviteParticipantsOperation');
    });

    it('mute and remove a participant, start and stop hold music (202)', async () => {
      assert.equal((await participantActions.muteParticipant(graph, C, 'p-1', { clientContext: 'm' })).status, 'completed');
      assert.deepEqual([last().path, last().body], [`/v1.0/communications/calls/${C}/participants/p-1/mute`, { clientContext: 'm' }]);
      await participantActions.removeParticipant(graph, C, 'p-1');
      assert.deepEqual([last().method, last().path], ['DELETE', `/v1.0/communications/calls/${C}/participants/p-1`]);
      const hold = await participantActions.startHoldMusic(graph, C, 'p-1', { customPrompt: { uri: 'https://cdn.contoso.com/hold.wav' } });
      assert.equal(last().body.customPrompt['@odata.type'], '#microsoft.graph.mediaPrompt');
      assert.equal(hold.type, 'startHoldMusicOperation');
      assert.equal((await participantActions.stopHoldMusic(graph, C, 'p-1')).type, 'stopHoldMusicOperation');
    });

    const bad: Array<[string, () => Promise<unknown>]> = [
      ['six invitees', () => participantActions.inviteParticipants(graph, C, Array.from({ length: 6 }, (_, i) => ({ target: { kind: 'user' as const, id: `u-${i}` } })))],
      ['no invitees', () => participantActions.inviteParticipants(graph, C, [])],
      ['replacesCallId with two invitees', () => participantActions.inviteParticipants(graph, C, [{ target: USER, replacesCallId: 'c-1' }, { target: { kind: 'user', id: 'u-2' } }])],
      ['a participant id with a slash', () => participantActions.muteParticipant(graph, C, 'p-1/../../x')],
      ['an empty participant id', () => participantActions.removeParticipant(graph, C, '')],
    ];
    for (const [name, run] of bad) it(`refuses ${name} before sending`, () => refusedBeforeSending(run()));
  });
});
