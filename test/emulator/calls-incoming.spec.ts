// Calls to the bot: the documented notification sequences when the app answers, rejects or redirects an incoming
// call, or lets the answer window elapse — each notification signed as Microsoft's calling service signs them.

import assert from 'node:assert/strict';
import { AMARA, CALLS_APP, JONAS, SERVICE_MEDIA, summarise, startCallsHarness, userTarget, type CallsHarness } from './calls-harness.js';

describe('emulator calling: incoming calls', () => {
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness({ answerWindowMs: 1_000 });
  });

  after(async () => {
    await h.close();
  });

  async function dial(person = AMARA, body: Record<string, unknown> = {}): Promise<string> {
    const reply = await h.control('POST', `/people/${person.upn}/dial`, body);
    assert.equal(reply.status, 201, reply.text);
    const callId = reply.json.callId as string;
    await h.receiver.waitFor(() => h.receiver.about(callId).length > 0, 'the incoming notification');
    return callId;
  }

  it('POSTs created/incoming to the calling webhook, signed for the app, with the observed headers', async () => {
    const callId = await dial(AMARA, { subject: 'Front desk' });
    const [n] = h.receiver.about(callId);
    assert.equal(n!.path, '/api/calling');
    assert.equal(n!.tokenError, undefined);
    assert.equal(n!.claims!.aud, CALLS_APP.clientId);
    assert.equal(n!.claims!.tid, h.emulator.tenantId);
    assert.equal(n!.headers['user-agent'], 'Microsoft-Skype/3.0,(Calling/1.0)');
    assert.match(String(n!.headers['content-type']), /^application\/json/);
    assert.ok(n!.headers['x-microsoft-skype-message-id']);
    assert.equal(n!.body['@odata.type'], '#microsoft.graph.commsNotifications');
    assert.equal(n!.item['@odata.type'], '#microsoft.graph.commsNotification');
    assert.equal(n!.item.changeType, 'created');
    assert.equal(n!.item.resourceUrl, `/communications/calls/${callId}`);
    const data = n!.item.resourceData;
    assert.equal(data['@odata.type'], '#microsoft.graph.call');
    assert.equal(data.state, 'incoming');
    assert.equal(data.direction, 'incoming');
    assert.equal(data.source.identity.user.id, AMARA.id);
    assert.equal(data.source.identity.user.displayName, AMARA.name);
    assert.equal(data.targets[0].identity.application.id, CALLS_APP.clientId);
    assert.deepEqual(data.requestedModalities, ['audio']);
    assert.equal(typeof data.myParticipantId, 'string');
    assert.equal(n!.headers['x-microsoft-skype-chain-id'], data.callChainId);
    assert.equal(data.subject, 'Front desk');
    assert.equal((await h.view(callId)).state, 'incoming');
    await h.graph('POST', `/communications/calls/${callId}/reject`, { reason: 'none' });
  });

  it('answered: establishing then established at the answer\'s callbackUri, and a P2P call gets no roster', async () => {
    const callId = await dial();
    const answer = await h.graph('POST', `/communications/calls/${callId}/answer`, { callbackUri: h.callbackUri, acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
    assert.equal(answer.status, 202);
    assert.equal(answer.text, '');
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.state === 'established'), 'established');
    const sequence = h.receiver.about(callId).map(summarise);
    assert.deepEqual(sequence, ['created call incoming', 'updated call establishing', 'updated call established']);
    for (const n of h.receiver.about(callId).slice(1)) assert.equal(n.path, '/api/calls/callback');
    const view = await h.view(callId);
    assert.equal(view.state, 'established');
    assert.deepEqual(view.participants.map((p: any) => p.kind).sort(), ['bot', 'person']);
    assert.ok(!h.receiver.about(callId).some((n) => n.item.resourceUrl.endsWith('/participants')));

    const again = await h.graph('POST', `/communications/calls/${callId}/answer`, { acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
    assert.equal(again.status, 409, 'an answered call cannot be answered again');
    const rejectAnswered = await h.graph('POST', `/communications/calls/${callId}/reject`, { reason: 'busy' });
    assert.equal(rejectAnswered.status, 409, 'reject does not end an answered call');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('rejected: a deleted notification with only @odata.type and @odata.id, and the call is gone', async () => {
    const callId = await dial();
    const reject = await h.graph('POST', `/communications/calls/${callId}/reject`, { reason: 'busy', callbackUri: h.callbackUri });
    assert.equal(reject.status, 202);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'deleted'), 'deleted');
    const deleted = h.receiver.about(callId).find((n) => n.item.changeType === 'deleted')!;
    assert.equal(deleted.path, '/api/calls/callback');
    assert.deepEqual(Object.keys(deleted.item.resourceData).sort(), ['@odata.id', '@odata.type']);
    const view = await h.view(callId);
    assert.equal(view.state, 'terminated');
    assert.equal(view.rejectReason, 'busy');
    assert.equal((await h.graph('GET', `/communications/calls/${callId}`)).status, 404);
  });

  it('redirected: the bot\'s leg ends (deleted, terminated, no resultInfo) and the target rings until they answer', async () => {
    const callId = await dial();
    const redirect = await h.graph('POST', `/communications/calls/${callId}/redirect`, { targets: [userTarget(JONAS)], timeout: 30, callbackUri: h.callbackUri });
    assert.equal(redirect.status, 202);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'deleted'), 'deleted');
    const data = h.receiver.about(callId).find((n) => n.item.changeType === 'deleted')!.item.resourceData;
    assert.equal(data.state, 'terminated');
    assert.equal(data.direction, 'incoming');
    assert.equal(data.resultInfo, undefined);
    assert.equal(data.source.identity.user.id, AMARA.id);
    let view = await h.view(callId);
    assert.deepEqual(view.ringing.map((r: any) => [r.person, r.reason]), [[JONAS.id, 'redirect']]);
    assert.equal((await h.control('POST', `/calls/${callId}/answer`, { person: JONAS.upn })).status, 200);
    view = await h.view(callId);
    assert.equal(view.redirect.outcome, 'answered');
    assert.equal(view.redirect.answeredBy, JONAS.id);
  });

  it('redirected to a user\'s voicemail (endpointType voicemail): nobody rings, the caller reaches the voicemail', async () => {
    const callId = await dial();
    const redirect = await h.graph('POST', `/communications/calls/${callId}/redirect`, { targets: [{ ...userTarget(JONAS), endpointType: 'voicemail' }] });
    assert.equal(redirect.status, 202);
    const view = await h.view(callId);
    assert.equal(view.state, 'terminated');
    assert.deepEqual(view.ringing, []);
    assert.deepEqual([view.redirect.outcome, view.redirect.answeredBy], ['voicemail', JONAS.id]);
  });

  it('unanswered: when the answer window elapses the service ends the call (408/1106)', async () => {
    const callId = await dial();
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'deleted'), 'deleted after the answer window');
    const data = h.receiver.about(callId).find((n) => n.item.changeType === 'deleted')!.item.resourceData;
    assert.equal(data.state, 'terminated');
    assert.equal(Number(data.resultInfo.code), 408);
    assert.equal(Number(data.resultInfo.subcode), 1106);
    const late = await h.graph('POST', `/communications/calls/${callId}/answer`, { acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
    assert.equal(late.status, 404, 'answering after the window finds no call');
  });

  it('the caller hanging up before the answer ends the call for the bot (487)', async () => {
    const callId = await dial();
    const hangup = await h.control('POST', `/calls/${callId}/hangup`, {});
    assert.equal(hangup.json.outcome, 'cancelled-before-answer');
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'deleted'), 'deleted');
    assert.equal(Number(h.receiver.about(callId).at(-1)!.item.resourceData.resultInfo.code), 487);
  });

  it('the caller hanging up an answered P2P call ends it for the bot (200/4521)', async () => {
    const callId = await dial();
    await h.graph('POST', `/communications/calls/${callId}/answer`, { acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.state === 'established'), 'established');
    assert.equal((await h.control('POST', `/calls/${callId}/hangup`, {})).json.outcome, 'call-ended');
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'deleted'), 'deleted');
    const info = h.receiver.about(callId).at(-1)!.item.resourceData.resultInfo;
    assert.deepEqual([Number(info.code), Number(info.subcode)], [200, 4521]);
  });

  it('dialling needs a calling webhook and a known person', async () => {
    const unknown = await h.control('POST', '/people/nobody@switchboard.test/dial', {});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'emulator/unknown-person');
    const noWebhook = await h.control('POST', `/people/${AMARA.id}/dial`, { appId: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6' });
    assert.equal(noWebhook.status, 409);
    assert.equal(noWebhook.json.error.code, 'emulator/no-calling-webhook');
    const badUrl = await h.control('PUT', `/apps/${CALLS_APP.clientId}/calling-webhook`, { url: 'http://example.com/api/calling' });
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.json.error.code, 'emulator/invalid-webhook-url');
  });
});
