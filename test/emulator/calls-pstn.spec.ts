// PSTN through an application instance, by the documented examples: application-post-calls Example 9 (a P2P call
// from the instance to a phone number: request and response shapes, refused without an instance or with one linked
// to another app), the incoming call from a phone to the instance (beta call-redirect Example 3's target shape),
// redirect and transfer to a phone (call-redirect Example 3, call-transfer Example 3: only for an application
// instance), phone participants in the roster, and the emulated phone network's control routes.

import assert from 'node:assert/strict';
import { DEV_APPLICATION_INSTANCE_ID, DEV_APPLICATION_INSTANCE_NUMBER } from '../../emulator/index.js';
import { AMARA, CALLS_APP, INITIATE_ONLY_APP, SERVICE_MEDIA, answeredIncomingCall, joinedMeeting, startCallsHarness, summarise, userTarget, type CallsHarness } from './calls-harness.js';

const PHONE = '+14255550143';
const NAMED_PHONE = '+14255550142';
const TENANT = '6e1f2a0c-4b7d-4f0e-9c3a-2d5b8e7f1a90';

const instanceSource = (id = DEV_APPLICATION_INSTANCE_ID) => ({
  '@odata.type': '#microsoft.graph.participantInfo',
  identity: { '@odata.type': '#microsoft.graph.identitySet', applicationInstance: { '@odata.type': '#microsoft.graph.identity', displayName: 'Calling Bot', id } },
  countryCode: null,
  endpointType: null,
  region: null,
  languageId: null,
});
const phoneTarget = (number: string) => ({
  '@odata.type': '#microsoft.graph.invitationParticipantInfo',
  identity: { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: number } },
});

describe('emulator calling: PSTN through an application instance', () => {
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness({ ringTimeoutMs: 1_000 });
  });

  afterEach(async () => {
    for (const number of [PHONE, NAMED_PHONE]) await h.control('PUT', `/phones/${number}/behavior`, { onCall: 'manual' });
  });

  after(async () => {
    await h.close();
  });

  /** Example 9's request, with this tenant's instance and a number on the emulated phone network. */
  const example9 = (overrides: Record<string, unknown> = {}, token?: string) => h.graph('POST', '/communications/calls', {
    '@odata.type': '#microsoft.graph.call',
    callbackUri: h.callbackUri,
    source: instanceSource(),
    targets: [phoneTarget(PHONE)],
    requestedModalities: ['audio'],
    mediaConfig: SERVICE_MEDIA,
    tenantId: TENANT,
    ...overrides,
  }, token);
  const deletedOf = (callId: string) => h.receiver.about(callId).find((n) => n.item.changeType === 'deleted' && !n.item.resourceUrl.includes('/operations/'));

  it('Example 9: 201 with the source applicationInstance and the phone target echoed as printed; the phone rings, answers, presses keys', async () => {
    const created = await example9();
    assert.equal(created.status, 201);
    const call = created.json;
    assert.equal(call['@odata.type'], '#microsoft.graph.call');
    assert.equal(call.state, 'establishing');
    assert.equal(call.direction, 'outgoing');
    assert.equal(call.tenantId, TENANT);
    assert.deepEqual(call.source, instanceSource());
    assert.deepEqual(call.targets, [{
      '@odata.type': '#microsoft.graph.invitationParticipantInfo',
      identity: { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: PHONE } },
      endpointType: null,
      region: null,
      replacesCallId: null,
      languageId: null,
    }]);
    const callId = call.id as string;
    let view = await h.view(callId);
    assert.deepEqual(view.ringing.map((r: any) => [r.person, r.reason]), [[PHONE, 'call']]);
    assert.equal((await h.control('POST', `/calls/${callId}/answer`, { person: PHONE })).status, 200);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.state === 'established'), 'established');
    assert.deepEqual(h.receiver.about(callId).map(summarise), ['updated call establishing', 'updated call established']);

    const participants = (await h.graph('GET', `/communications/calls/${callId}/participants`)).json.value as any[];
    const phone = participants.find((p) => p.info.identity.phone);
    assert.ok(phone, 'a phone participant');
    assert.deepEqual(phone.info.identity, { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: PHONE } });
    assert.equal(phone.info['@odata.type'], '#microsoft.graph.participantInfo');
    const bot = participants.find((p) => p.info.identity.applicationInstance);
    assert.equal(bot?.info.identity.applicationInstance.id, DEV_APPLICATION_INSTANCE_ID);

    const keys = await h.control('POST', `/calls/${callId}/tones`, { person: PHONE, tones: '12#' });
    assert.equal(keys.status, 200);
    assert.deepEqual(keys.json.tones, ['tone1', 'tone2', 'pound']);
    view = await h.view(callId);
    assert.equal(view.state, 'established');
    assert.equal((await h.control('POST', `/calls/${callId}/hangup`, { person: PHONE })).status, 200);
    await h.receiver.waitFor(() => deletedOf(callId) !== undefined, 'deleted');
  });

  const refusals: Array<{ name: string; body: Record<string, unknown>; token?: 'other-app'; status: number; message: RegExp }> = [
    { name: 'no source (the bot as an application)', body: { source: undefined }, status: 400, message: /applicationInstance/ },
    { name: 'source.identity.application instead of an instance', body: { source: { identity: { application: { id: CALLS_APP.clientId } } } }, status: 400, message: /applicationInstance/ },
    { name: 'an instance the tenant does not have', body: { source: instanceSource('00000000-1111-4222-8333-444444444444') }, status: 400, message: /not found/ },
    { name: 'an instance linked to another app than the token\'s', body: {}, token: 'other-app', status: 403, message: /match the one in the access token/ },
    { name: 'no tenantId', body: { tenantId: undefined }, status: 400, message: /tenantId/ },
    { name: 'a number not in E.164', body: { targets: [phoneTarget('425-555-0143')] }, status: 400, message: /E\.164/ },
    { name: 'a phone among several targets (group calls are VoIP only)', body: { targets: [phoneTarget(PHONE), userTarget(AMARA)] }, status: 400, message: /peer-to-peer/ },
  ];
  for (const row of refusals) {
    it(`refused: ${row.name} → ${row.status}, nothing rings`, async () => {
      const token = row.token === 'other-app' ? await h.appToken(INITIATE_ONLY_APP.clientId, INITIATE_ONLY_APP.clientSecret) : undefined;
      const before = (await h.control('GET', '/calls')).json.value.length;
      const reply = await example9(row.body, token);
      assert.equal(reply.status, row.status, reply.text);
      assert.match(reply.json.error.message, row.message);
      assert.equal((await h.control('GET', '/calls')).json.value.length, before);
    });
  }

  it('a phone that declines or a number nobody has: deleted terminated with the P2P failure codes', async () => {
    await h.control('PUT', `/phones/${PHONE}/behavior`, { onCall: 'decline', answerDelayMs: 0 });
    const declined = (await example9()).json.id as string;
    const nobody = (await example9({ targets: [phoneTarget('+15555550199')] })).json.id as string;
    await h.receiver.waitFor(() => deletedOf(declined) !== undefined && deletedOf(nobody) !== undefined, 'both deleted');
    const codes = (id: string) => { const r = deletedOf(id)!.item.resourceData.resultInfo; return [Number(r.code), Number(r.subcode)]; };
    assert.deepEqual(codes(declined), [603, 0]);
    assert.deepEqual(codes(nobody), [480, 10037]);
  });

  /** A phone dials the instance's number; resolves with the call id once the app has the incoming notification. */
  const phoneDials = async (number: string) => {
    const dial = await h.control('POST', `/phones/${number}/dial`, { to: DEV_APPLICATION_INSTANCE_NUMBER });
    assert.equal(dial.status, 201, dial.text);
    assert.equal(dial.json.applicationInstanceId, DEV_APPLICATION_INSTANCE_ID);
    const callId = dial.json.callId as string;
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'created'), 'incoming call');
    return callId;
  };

  it('incoming from a phone to the instance: source phone, targets[0] the applicationInstance with tenantId (call-redirect Example 3)', async () => {
    const callId = await phoneDials(NAMED_PHONE);
    const data = h.receiver.about(callId).find((n) => n.item.changeType === 'created')!.item.resourceData;
    assert.equal(data.state, 'incoming');
    assert.equal(data.direction, 'incoming');
    assert.deepEqual(data.source.identity, { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: NAMED_PHONE, displayName: 'Dana Whitaker (mobile)' } });
    assert.deepEqual(data.targets, [{
      '@odata.type': '#microsoft.graph.invitationParticipantInfo',
      identity: { '@odata.type': '#microsoft.graph.identitySet', applicationInstance: { '@odata.type': '#microsoft.graph.identity', id: DEV_APPLICATION_INSTANCE_ID, displayName: 'Switchboard Front Desk', tenantId: TENANT } },
      endpointType: 'default',
      id: data.myParticipantId,
      region: 'amer',
      languageId: null,
    }]);
    assert.equal(data.tenantId, TENANT);
    await h.graph('POST', `/communications/calls/${callId}/reject`, { reason: 'busy' });
  });

  it('redirect to a phone number (call-redirect Example 3): 202, the bot\'s leg ends, the phone rings and answers', async () => {
    const callId = await phoneDials(NAMED_PHONE);
    const redirect = await h.graph('POST', `/communications/calls/${callId}/redirect`, { targets: [phoneTarget(PHONE)], callbackUri: h.callbackUri });
    assert.equal(redirect.status, 202, redirect.text);
    await h.receiver.waitFor(() => deletedOf(callId) !== undefined, 'deleted');
    assert.equal(deletedOf(callId)!.item.resourceData.targets[0].identity.applicationInstance.id, DEV_APPLICATION_INSTANCE_ID);
    assert.deepEqual((await h.view(callId)).ringing.map((r: any) => [r.person, r.reason]), [[PHONE, 'redirect']]);
    assert.equal((await h.control('POST', `/calls/${callId}/answer`, { person: PHONE })).status, 200);
    assert.equal((await h.view(callId)).redirect.answeredBy, PHONE);
  });

  it('transfer to a phone number from the instance\'s call (call-transfer Example 3): transferring → transferAccepted → 0/7015', async () => {
    const callId = await phoneDials(NAMED_PHONE);
    await h.graph('POST', `/communications/calls/${callId}/answer`, { callbackUri: h.callbackUri, acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.state === 'established'), 'established');
    await h.control('PUT', `/phones/${PHONE}/behavior`, { onCall: 'answer', answerDelayMs: 0 });
    const transfer = await h.graph('POST', `/communications/calls/${callId}/transfer`, {
      transferTarget: { endpointType: 'default', identity: { phone: { '@odata.type': '#microsoft.graph.identity', id: PHONE } }, languageId: 'en-US', region: 'amer' },
      clientContext: '9e90d1c1-f61e-43e7-9f75-d420159aae08',
    });
    assert.equal(transfer.status, 202, transfer.text);
    await h.receiver.waitFor(() => deletedOf(callId) !== undefined, 'deleted');
    assert.deepEqual(h.receiver.about(callId).slice(-3).map(summarise), ['updated call transferring', 'updated call transferAccepted', 'deleted call terminated']);
    assert.equal(Number(deletedOf(callId)!.item.resourceData.resultInfo.subcode), 7015);
  });

  it('transfer or redirect to a phone from a call that is not the instance\'s: 400, the call stays as it was', async () => {
    const callId = await answeredIncomingCall(h);
    const transfer = await h.graph('POST', `/communications/calls/${callId}/transfer`, { transferTarget: { endpointType: 'default', identity: { phone: { id: PHONE } } } });
    assert.equal(transfer.status, 400);
    assert.match(transfer.json.error.message, /only for an application instance/);
    assert.equal((await h.view(callId)).state, 'established');
    await h.graph('DELETE', `/communications/calls/${callId}`);

    const dial = await h.control('POST', `/people/${AMARA.id}/dial`, {});
    const incoming = dial.json.callId as string;
    await h.receiver.waitFor(() => h.receiver.about(incoming).some((n) => n.item.changeType === 'created'), 'incoming call');
    const redirect = await h.graph('POST', `/communications/calls/${incoming}/redirect`, { targets: [phoneTarget(PHONE)] });
    assert.equal(redirect.status, 400);
    assert.equal((await h.view(incoming)).state, 'incoming');
    await h.graph('POST', `/communications/calls/${incoming}/reject`, { reason: 'none' });
  });

  it('a phone dialling into a meeting is a roster participant with the phone identity (participant.md: identitySet.phone)', async () => {
    const callId = await joinedMeeting(h, '19:meeting_pstn-dial-in@thread.v2');
    assert.equal((await h.control('POST', `/calls/${callId}/people`, { person: NAMED_PHONE })).status, 201);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => /\/participants$/.test(n.item.resourceUrl) && JSON.stringify(n.item.resourceData).includes(NAMED_PHONE)), 'a roster with the phone');
    const roster = h.receiver.about(callId).filter((n) => /\/participants$/.test(n.item.resourceUrl)).at(-1)!.item.resourceData as any[];
    const phone = roster.find((p) => p.info.identity.phone)!;
    assert.equal(phone['@odata.type'], '#microsoft.graph.participant');
    assert.deepEqual(phone.info.identity, { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: NAMED_PHONE, displayName: 'Dana Whitaker (mobile)' } });
    assert.equal(phone.info.identity.user, undefined);
    assert.equal((await h.control('POST', `/calls/${callId}/people/${encodeURIComponent(NAMED_PHONE)}/mute`, { muted: true })).status, 200);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('control routes: the phone network and the application instances; unknown phones and instances are 404', async () => {
    const phones = (await h.control('GET', '/phones')).json.value as any[];
    assert.ok(phones.some((p) => p.number === NAMED_PHONE && p.displayName === 'Dana Whitaker (mobile)'));
    assert.ok(phones.some((p) => p.number === PHONE && p.displayName === undefined));
    const instances = (await h.control('GET', '/application-instances')).json.value as any[];
    assert.deepEqual(instances.map((i) => [i.id, i.phoneNumber, i.applicationId]), [[DEV_APPLICATION_INSTANCE_ID, DEV_APPLICATION_INSTANCE_NUMBER, CALLS_APP.clientId]]);
    assert.equal((await h.control('POST', '/phones/+19999999999/dial', {})).status, 404);
    assert.equal((await h.control('POST', `/phones/${PHONE}/dial`, { to: 'nobody@switchboard.test' })).json.error.code, 'emulator/unknown-application-instance');
    assert.equal((await h.control('PUT', '/phones/+19999999999/behavior', { onCall: 'answer' })).json.error.code, 'emulator/unknown-phone');
    // Phones are not directory users.
    assert.equal((await h.graph('GET', `/users/${encodeURIComponent(PHONE)}`)).status, 404);
  });
});
