// The emulator's payloads against the examples printed on the Graph reference pages, by shape (doc-shape.ts): the
// smaller gaps of issue 15 — a cancelled sendDtmfTones, a failed consultative transfer, roster fields, escalation.
// Each doc example below is transcribed from the page named beside it (ids replaced by the test's own).

import assert from 'node:assert/strict';
import { AMARA, JONAS, PRIYA, answeredIncomingCall, answeredOutboundCall, joinedMeeting, startCallsHarness, userTarget, type CallsHarness } from './calls-harness.js';
import { assertDocShape } from './doc-shape.js';

/** call-senddtmftones.md, "Notification - operation completed", Error case 1 (resourceData of value[0]). */
const DTMF_CANCELED_EXAMPLE = {
  '@odata.type': '#microsoft.graph.commsNotification',
  changeType: 'deleted',
  resourceUrl: '/communications/calls/481f3600-983e-4276-9b59-c1b30ec8d125/operations/d36fe651-9f50-484d-bd4b-1e6415eae448',
  resourceData: {
    '@odata.type': '#microsoft.graph.sendDtmfTonesOperation',
    status: 'completed',
    completionReason: 'mediaOperationCanceled',
    clientContext: 'e0be71f1-a14f-4cec-b65a-e7aba5db7c53',
    id: 'd36fe651-9f50-484d-bd4b-1e6415eae448',
  },
};

/** call-senddtmftones.md, the response example. */
const DTMF_RESPONSE_EXAMPLE = {
  '@odata.type': '#microsoft.graph.sendDtmfTonesOperation',
  status: 'running',
  clientContext: 'e0be71f1-a14f-4cec-b65a-e7aba5db7c53',
  id: 'd36fe651-9f50-484d-bd4b-1e6415eae448',
};

/**
 * call-transfer.md, Example 2 (consultative transfer), "Notification - transfer failed" (value[0]). The page prints
 * `subCode` (the v1.0 metadata says `subcode`); the emulator prints it as the page does while `variations` is on (default).
 */
const CONSULTATIVE_FAILED_EXAMPLE = {
  '@odata.type': '#microsoft.graph.commsNotification',
  changeType: 'updated',
  resourceUrl: '/communications/calls/341a0500-d4bf-4224-8b19-1581168d328b',
  resourceData: {
    '@odata.type': '#microsoft.graph.call',
    state: 'established',
    resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 500, subCode: 7700, message: '<message>' },
    replacesContext: '<replacesContext>',
  },
};

/** application-post-calls.md, Example 5 (join a scheduled meeting, service-hosted media), "Notification - roster" (value[0]). */
const MEETING_ROSTER_EXAMPLE = {
  '@odata.type': '#microsoft.graph.commsNotification',
  changeType: 'updated',
  resourceUrl: '/communications/calls/2f1a1100-b174-40a0-aba7-0b405e01ed92/participants',
  callbackUri: 'https://bot.contoso.com/callback',
  resourceData: [
    {
      '@odata.type': '#microsoft.graph.participant',
      info: {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', displayName: 'John', id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8' } },
        languageId: 'en-US',
      },
      mediaStreams: [{ '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', sourceId: '1', direction: 'sendReceive', serverMuted: false }],
      isMuted: true,
      isInLobby: false,
      id: '0d7664b6-6432-43ed-8d27-d9e7adec188c',
    },
  ],
};

/** resources/participant.md, the example: a person's participantInfo with languageId and region. */
const PARTICIPANT_INFO_EXAMPLE = {
  identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', displayName: 'Heidi Steen' } },
  languageId: 'en-US',
  region: 'westus',
};

/** participant-invite.md, Example 1, "Notification - roster updated with participant added": resourceData[0]. */
const INVITED_PARTICIPANT_EXAMPLE = {
  '@odata.type': '#microsoft.graph.participant',
  info: { '@odata.type': '#microsoft.graph.participantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet' }, endpointType: 'default' },
  mediaStreams: [{ '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', sourceId: '1', direction: 'sendReceive', serverMuted: false }],
  isMuted: false,
  isInLobby: false,
  id: null,
};

const DTMF_TONES = ['tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'tone0', 'star', 'pound'];

describe('emulator calling: documented examples (issue 15, smaller gaps)', () => {
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness({ mediaSpeed: 20 });
  });

  after(async () => {
    await h.close();
  });

  const operationDone = (callId: string, opId: string) => h.receiver.about(callId, (n) => n.item.resourceUrl.endsWith(`/operations/${opId}`));

  describe('sendDtmfTones cancelled by cancelMediaProcessing (call-senddtmftones, Error case 1)', () => {
    it('ends the running sendDtmfTones with status completed and completionReason mediaOperationCanceled; the tones not yet sent stay unsent', async () => {
      const callId = await answeredIncomingCall(h, AMARA);
      // The docs example's body, on the namespaced path the example uses: 12 tones a second apart (250 ms each here).
      const reply = await h.graph('POST', `/communications/calls/${callId}/microsoft.graph.sendDtmfTones`, { tones: DTMF_TONES, delayBetweenTonesMs: 5000, clientContext: 'e0be71f1' });
      assert.equal(reply.status, 200);
      assertDocShape(reply.json, DTMF_RESPONSE_EXAMPLE, 'sendDtmfTones response', { sameValues: ['status'] });
      await h.waitForCall(callId, (c) => c.dtmfSent.length >= 1, 'the first tone sent');
      const cancel = await h.graph('POST', `/communications/calls/${callId}/cancelMediaProcessing`, { clientContext: 'stop' });
      assert.equal(cancel.status, 200);
      await h.receiver.waitFor(() => operationDone(callId, reply.json.id).length > 0, 'the sendDtmfTones completion');
      const [done, ...more] = operationDone(callId, reply.json.id);
      assert.equal(more.length, 0, 'one completion only');
      assert.equal(done!.body['@odata.type'], '#microsoft.graph.commsNotifications');
      assertDocShape(done!.item, DTMF_CANCELED_EXAMPLE, 'cancelled sendDtmfTones', { sameValues: ['changeType', 'resourceData.status', 'resourceData.completionReason'] });
      assert.equal(done!.item.resourceData.clientContext, 'e0be71f1');
      assert.equal(done!.item.resourceData.resultInfo, undefined, 'the doc example carries no resultInfo');
      const sent = (await h.view(callId)).dtmfSent as string[];
      assert.ok(sent.length >= 1 && sent.length < DTMF_TONES.length, `some tones sent before the cancel, not all (${sent.length})`);
      assert.deepEqual(sent, DTMF_TONES.slice(0, sent.length));
      await h.graph('DELETE', `/communications/calls/${callId}`);
    });

    it('cancels only the sendDtmfTones still running: one that already finished is not reported again', async () => {
      const callId = await answeredIncomingCall(h, AMARA);
      const first = await h.graph('POST', `/communications/calls/${callId}/sendDtmfTones`, { tones: ['tone1'], delayBetweenTonesMs: 100 });
      await h.receiver.waitFor(() => operationDone(callId, first.json.id).length > 0, 'the first completion');
      const second = await h.graph('POST', `/communications/calls/${callId}/sendDtmfTones`, { tones: DTMF_TONES, delayBetweenTonesMs: 5000 });
      await h.graph('POST', `/communications/calls/${callId}/cancelMediaProcessing`, {});
      await h.receiver.waitFor(() => operationDone(callId, second.json.id).length > 0, 'the second completion');
      assert.deepEqual(operationDone(callId, first.json.id).map((n) => n.item.resourceData.completionReason), ['completedSuccessfully']);
      assert.deepEqual(operationDone(callId, second.json.id).map((n) => n.item.resourceData.completionReason), ['mediaOperationCanceled']);
      await h.graph('DELETE', `/communications/calls/${callId}`);
    });
  });

  describe('consultative transfer failure (call-transfer, Example 2)', () => {
    it('goes back to established with 500/7700 and an opaque replacesContext string, as the failure example prints', async () => {
      const callId = await answeredIncomingCall(h, AMARA);
      // The consultation call is with Jonas, but the transfer names Priya: the call to replace is not a call with the target.
      const consult = await answeredOutboundCall(h, [JONAS]);
      const user = { '@odata.type': '#microsoft.graph.identity', id: PRIYA.id, displayName: PRIYA.name };
      const reply = await h.graph('POST', `/communications/calls/${callId}/transfer`, {
        transferTarget: { '@odata.type': '#microsoft.graph.invitationParticipantInfo', endpointType: 'default', identity: { '@odata.type': '#microsoft.graph.identitySet', user }, replacesCallId: consult },
      });
      assert.equal(reply.status, 202);
      const failed = () => h.receiver.about(callId, (n) => n.item.resourceData?.resultInfo?.code === 500);
      await h.receiver.waitFor(() => failed().length > 0, 'the consultative transfer failure');
      const note = failed()[0]!.item;
      assertDocShape(note, CONSULTATIVE_FAILED_EXAMPLE, 'consultative transfer failed', { sameValues: ['changeType', 'resourceData.state', 'resourceData.resultInfo.code', 'resourceData.resultInfo.subCode'] });
      assert.ok(note.resourceData.replacesContext.length > 0);
      assert.equal((await h.view(callId)).state, 'established');
      await h.graph('DELETE', `/communications/calls/${callId}`);
      await h.graph('DELETE', `/communications/calls/${consult}`);
    });
  });

  describe('rosters (application-post-calls Example 5, participant resource, participant-invite)', () => {
    it('a meeting roster notification carries the notification-level callbackUri; people carry info.languageId and info.region, the bot neither', async () => {
      const callId = await joinedMeeting(h, '19:meeting_ZG9jLWV4YW1wbGVzLXJvc3Rlcg@thread.v2');
      const rosters = () => h.receiver.about(callId, (n) => n.item.resourceUrl.endsWith('/participants'));
      await h.control('POST', `/calls/${callId}/people`, { person: AMARA.id });
      await h.control('POST', `/calls/${callId}/people/${AMARA.id}/mute`, { muted: true });
      await h.receiver.waitFor(() => rosters().some((n) => n.item.resourceData.some((p: any) => p.info.identity.user?.id === AMARA.id && p.isMuted)), 'Amara muted in the roster');
      const note = rosters().at(-1)!.item;
      const amara = note.resourceData.find((p: any) => p.info.identity.user?.id === AMARA.id);
      const bot = note.resourceData.find((p: any) => p.info.identity.application);
      assertDocShape({ ...note, resourceData: [amara] }, MEETING_ROSTER_EXAMPLE, 'meeting roster', { sameValues: ['changeType', 'isMuted', 'isInLobby'] });
      assert.equal(note.callbackUri, h.callbackUri);
      assertDocShape(amara.info, PARTICIPANT_INFO_EXAMPLE, 'a person in the roster');
      assert.equal(bot.info.languageId, undefined, 'the example prints no languageId for the bot');
      assert.equal(bot.info.region, undefined);
      const listed = await h.graph('GET', `/communications/calls/${callId}/participants`);
      assertDocShape(listed.json.value.find((p: any) => p.info.identity.user?.id === AMARA.id).info, PARTICIPANT_INFO_EXAMPLE, 'GET participants');
      await h.graph('DELETE', `/communications/calls/${callId}`);
    });

    it('the roster right after an invite prints the person just invited with id: null; the next one carries the id', async () => {
      const callId = await answeredOutboundCall(h, [AMARA, JONAS]);
      await h.control('PUT', `/people/${PRIYA.id}/behavior`, { onCall: 'answer', answerDelayMs: 10 });
      const invite = await h.graph('POST', `/communications/calls/${callId}/participants/invite`, { participants: [userTarget(PRIYA)] });
      assert.equal(invite.status, 200);
      assert.equal(invite.json.participants[0].id, null, 'the invite response prints id: null');
      const withPriya = () => h.receiver.about(callId, (n) => Array.isArray(n.item.resourceData) && n.item.resourceData.some((p: any) => p.info.identity.user?.id === PRIYA.id));
      await h.receiver.waitFor(() => withPriya().length > 0, 'roster with Priya');
      const first = withPriya()[0]!.item.resourceData;
      const priya = first.find((p: any) => p.info.identity.user?.id === PRIYA.id);
      assertDocShape(priya, INVITED_PARTICIPANT_EXAMPLE, 'invited participant', { sameValues: ['id', 'isInLobby'] });
      assert.ok(first.filter((p: any) => p.info.identity.user?.id !== PRIYA.id).every((p: any) => typeof p.id === 'string'), 'the others keep their ids');
      await h.control('POST', `/calls/${callId}/people/${PRIYA.id}/mute`, { muted: true });
      await h.receiver.waitFor(() => withPriya().length > 1, 'the next roster');
      const later = withPriya().at(-1)!.item.resourceData.find((p: any) => p.info.identity.user?.id === PRIYA.id);
      assert.equal(typeof later.id, 'string');
      await h.graph('DELETE', `/communications/calls/${callId}`);
    });
  });

  describe('escalation: inviting into a peer-to-peer call (wave2-facts §2.6)', () => {
    it('the invite completes, the person joins, and from then on no roster notification and GET participants → { value: [] }', async () => {
      const callId = await answeredIncomingCall(h, AMARA);
      const listedBefore = await h.graph('GET', `/communications/calls/${callId}/participants`);
      assert.ok(listedBefore.json.value.length >= 2, 'before: the P2P call lists the bot and Amara');
      await h.control('PUT', `/people/${JONAS.id}/behavior`, { onCall: 'answer', answerDelayMs: 10 });
      const invite = await h.graph('POST', `/communications/calls/${callId}/participants/invite`, { participants: [userTarget(JONAS)] });
      assert.equal(invite.status, 200);
      await h.receiver.waitFor(() => h.receiver.about(callId, (n) => n.item.resourceUrl.includes(invite.json.id)).length > 0, 'invite completed');
      assert.equal(h.receiver.about(callId, (n) => n.item.resourceUrl.includes(invite.json.id))[0]!.item.resourceData.status, 'completed');
      assert.ok((await h.view(callId)).participants.some((p: any) => p.personId === JONAS.id), 'Jonas is in the call');
      const listed = await h.graph('GET', `/communications/calls/${callId}/participants`);
      assert.equal(listed.status, 200);
      assertDocShape(listed.json, { value: [], '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#communications/calls(\'7531d31f\')/participants' }, 'list participants (call-list-participants)');
      assert.deepEqual(listed.json.value, []);
      assert.deepEqual(h.receiver.about(callId, (n) => n.item.resourceUrl.endsWith('/participants')), [], 'no roster notification for the escalated call');
      await h.graph('DELETE', `/communications/calls/${callId}`);
    });
  });
});
