// The emulator's payloads against the examples printed on the Graph reference pages, by shape (doc-shape.ts): the
// smaller gaps of issue 15 — a cancelled sendDtmfTones, a failed consultative transfer, roster fields, escalation.
// Each doc example below is transcribed from the page named beside it (ids replaced by the test's own).

import assert from 'node:assert/strict';
import { AMARA, answeredIncomingCall, startCallsHarness, type CallsHarness } from './calls-harness.js';
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
});
