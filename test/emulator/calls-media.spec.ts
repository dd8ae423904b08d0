// Service-hosted media: playPrompt fetches and "plays" WAV prompts (bad ones fail the operation), operations queue
// in order and cancelMediaProcessing cancels the running and queued ones, recordResponse records what a person says
// (downloadable only with its access token), tones reach the bot only after subscribeToTone, DTMF goes out.

import assert from 'node:assert/strict';
import { request } from 'undici';
import { checkPromptWav } from '../../emulator/calls/wav-audio.js';
import { AMARA, answeredIncomingCall, prompt, startCallsHarness, type CallsHarness } from './calls-harness.js';

describe('emulator calling: media', () => {
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness({ mediaSpeed: 20 });
  });

  after(async () => {
    await h.close();
  });

  const operationDone = (callId: string, opId: string) => h.receiver.about(callId, (n) => n.item.resourceUrl.endsWith(`/operations/${opId}`));
  const waitOperation = async (callId: string, opId: string) => {
    await h.receiver.waitFor(() => operationDone(callId, opId).length > 0, `operation ${opId}`);
    return operationDone(callId, opId)[0]!.item;
  };

  it('playPrompt: 200 running with Location, plays the WAV, then deleted completed 200/0', async () => {
    const callId = await answeredIncomingCall(h);
    const reply = await h.graph('POST', `/communications/calls/${callId}/playPrompt`, { clientContext: 'greeting', prompts: [prompt(h.promptUrl('beep')), prompt(h.promptUrl('beep'))] });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.location, `${h.emulator.graphUrl}/communications/calls/${callId}/operations/${reply.json.id}`);
    assert.deepEqual(reply.json, { '@odata.type': '#microsoft.graph.playPromptOperation', id: reply.json.id, status: 'running', clientContext: 'greeting' });
    const done = await waitOperation(callId, reply.json.id);
    assert.equal(done.changeType, 'deleted');
    assert.equal(done.resourceData['@odata.type'], '#microsoft.graph.playPromptOperation');
    assert.equal(done.resourceData.status, 'completed');
    assert.equal(done.resourceData.clientContext, 'greeting');
    assert.deepEqual([done.resourceData.resultInfo.code, done.resourceData.resultInfo.subcode], [200, 0]);
    const view = await h.view(callId);
    assert.deepEqual(view.prompts.map((p: any) => [p.status, p.clientContext, p.durationSeconds]), [['played', 'greeting', 0.4], ['played', 'greeting', 0.4]]);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('a prompt played again under the same resourceId is not fetched again (mediaInfo: cached against it); another id, or none, is', async () => {
    const callId = await answeredIncomingCall(h);
    const beep = h.promptUrl('beep');
    const fetches = () => h.receiver.promptGets.filter((p) => p === '/prompts/beep.wav').length;
    const before = fetches();
    const play = async (prompts: unknown[]) => {
      const reply = await h.graph('POST', `/communications/calls/${callId}/playPrompt`, { prompts });
      assert.equal(reply.status, 200);
      assert.equal((await waitOperation(callId, reply.json.id)).resourceData.status, 'completed');
    };
    await play([prompt(beep, 'A1B2C3D4-0000-4000-8000-000000000001'), prompt(beep, 'A1B2C3D4-0000-4000-8000-000000000001')]);
    assert.equal(fetches() - before, 1, 'the second play of the same resourceId came from the cache');
    await play([prompt(beep, 'A1B2C3D4-0000-4000-8000-000000000002')]);
    assert.equal(fetches() - before, 2, 'another resourceId is fetched');
    await play([{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: beep } }]);
    await play([{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: beep } }]);
    assert.equal(fetches() - before, 4, 'without a resourceId every play fetches');
    // A prompt that could not be played is not cached: fetched again (and failing again) under the same id.
    const missing = () => h.receiver.promptGets.filter((p) => p === '/prompts/missing.wav').length;
    const missingBefore = missing();
    for (let i = 0; i < 2; i++) {
      const reply = await h.graph('POST', `/communications/calls/${callId}/playPrompt`, { prompts: [prompt(h.promptUrl('missing'), 'A1B2C3D4-0000-4000-8000-000000000003')] });
      assert.equal((await waitOperation(callId, reply.json.id)).resourceData.status, 'failed');
    }
    assert.equal(missing() - missingBefore, 2, 'a failed prompt is fetched again');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  const bad: Array<{ name: string; url: (h: CallsHarness) => string; code: number }> = [
    { name: 'a prompt that is not audio', url: (x) => x.promptUrl('text'), code: 415 },
    { name: 'a stereo WAV', url: (x) => x.promptUrl('stereo'), code: 415 },
    { name: 'an 8 kHz WAV', url: (x) => x.promptUrl('8khz'), code: 415 },
    { name: 'a URI that answers 404', url: (x) => x.promptUrl('missing'), code: 400 },
    { name: 'a plain-http URI off 127.0.0.1', url: () => 'http://example.com/prompt.wav', code: 400 },
  ];
  for (const row of bad) {
    it(`playPrompt with ${row.name} fails the operation (${row.code})`, async () => {
      const callId = await answeredIncomingCall(h);
      const reply = await h.graph('POST', `/communications/calls/${callId}/playPrompt`, { prompts: [prompt(row.url(h))] });
      assert.equal(reply.status, 200);
      const done = await waitOperation(callId, reply.json.id);
      assert.equal(done.resourceData.status, 'failed');
      assert.equal(done.resourceData.resultInfo.code, row.code);
      assert.equal((await h.view(callId)).prompts[0].status, 'failed');
      await h.graph('DELETE', `/communications/calls/${callId}`);
    });
  }

  it('cancelMediaProcessing: completed at once; the running and the queued operations fail 400/8508, in order', async () => {
    const callId = await answeredIncomingCall(h);
    const running = await h.graph('POST', `/communications/calls/${callId}/playPrompt`, { prompts: [prompt(h.promptUrl('long'))] });
    const queued = await h.graph('POST', `/communications/calls/${callId}/recordResponse`, { prompts: [prompt(h.promptUrl('beep'))], maxRecordDurationInSeconds: 10 });
    await h.waitForCall(callId, (c) => c.prompts[0]?.status === 'playing', 'the long prompt playing');
    const cancel = await h.graph('POST', `/communications/calls/${callId}/cancelMediaProcessing`, { clientContext: 'stop' });
    assert.equal(cancel.status, 200);
    assert.deepEqual(cancel.json, { '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation', id: cancel.json.id, status: 'completed', clientContext: 'stop' });
    const first = await waitOperation(callId, running.json.id);
    const second = await waitOperation(callId, queued.json.id);
    for (const done of [first, second]) {
      assert.equal(done.resourceData.status, 'failed');
      assert.deepEqual([done.resourceData.resultInfo.code, done.resourceData.resultInfo.subcode], [400, 8508]);
    }
    assert.equal(first.resourceData.completionReason, 'mediaOperationCanceled');
    assert.equal(second.resourceData.completionReason, 'operationCanceled');
    assert.equal(second.resourceData.recordingLocation, '');
    const order = h.receiver.about(callId, (n) => n.item.resourceUrl.includes('/operations/')).map((n) => n.item.resourceData.id);
    assert.deepEqual(order, [running.json.id, queued.json.id]);
    assert.deepEqual((await h.view(callId)).prompts.map((p: any) => p.status), ['cancelled', 'cancelled']);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('recordResponse: plays its prompt, records the person speaking, completes with a location and token', async () => {
    const callId = await answeredIncomingCall(h);
    const reply = await h.graph('POST', `/communications/calls/${callId}/recordResponse`, {
      prompts: [prompt(h.promptUrl('beep'))],
      clientContext: 'leave-a-message',
      maxRecordDurationInSeconds: 20,
      initialSilenceTimeoutInSeconds: 10,
      maxSilenceTimeoutInSeconds: 2,
      playBeep: true,
      stopTones: ['#'],
    });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, { '@odata.type': '#microsoft.graph.recordOperation', id: reply.json.id, status: 'running', clientContext: 'leave-a-message', resultInfo: null, recordingLocation: null });
    await waitListening(h, callId);
    assert.equal((await h.control('POST', `/calls/${callId}/speak`, { seconds: 2 })).json.heardByRecording, true);
    const done = await waitOperation(callId, reply.json.id);
    assert.equal(done.resourceData.status, 'completed');
    assert.equal(done.resourceData.resultInfo.code, 200);
    assert.equal(done.resourceData.completionReason, 'maxSilenceTimeout');
    const location = done.resourceData.recordingLocation as string;
    assert.match(location, /^https:\/\/127\.0\.0\.1:\d+\/media\/recordings\//);

    const path = new URL(location).pathname;
    const withoutToken = await h.call('GET', path);
    assert.equal(withoutToken.status, 401);
    const wrongToken = await h.call('GET', path, { headers: { authorization: 'Bearer not-the-token' } });
    assert.equal(wrongToken.status, 401);
    const res = await request(location, { dispatcher: h.agent, headers: { authorization: `Bearer ${done.resourceData.recordingAccessToken}` } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    const wav = Buffer.from(await res.body.arrayBuffer());
    const check = checkPromptWav(wav);
    assert.ok(check.ok && check.durationSeconds > 0, 'a 16 kHz mono PCM WAV');

    await h.graph('DELETE', `/communications/calls/${callId}`);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData?.state === 'terminated'), 'call ended');
    const afterEnd = await h.call('GET', path, { headers: { authorization: `Bearer ${done.resourceData.recordingAccessToken}` } });
    assert.equal(afterEnd.status, 404, 'recordings are discarded when the call ends');
  });

  it('recordResponse ends on a stop tone (stopToneDetected), on max duration (200/8515), and fails on initial silence', async () => {
    const callId = await answeredIncomingCall(h);
    const byTone = await h.graph('POST', `/communications/calls/${callId}/recordResponse`, { maxRecordDurationInSeconds: 60, initialSilenceTimeoutInSeconds: 60, stopTones: ['#', '*'] });
    await waitListening(h, callId);
    await h.control('POST', `/calls/${callId}/speak`, { seconds: 1 });
    await h.control('POST', `/calls/${callId}/tones`, { tones: '#' });
    assert.equal((await waitOperation(callId, byTone.json.id)).resourceData.completionReason, 'stopToneDetected');

    const byDuration = await h.graph('POST', `/communications/calls/${callId}/recordResponse`, { maxRecordDurationInSeconds: 2, initialSilenceTimeoutInSeconds: 60, maxSilenceTimeoutInSeconds: 60 });
    await waitListening(h, callId);
    await h.control('POST', `/calls/${callId}/speak`, { seconds: 30 });
    const maxed = (await waitOperation(callId, byDuration.json.id)).resourceData;
    assert.deepEqual([maxed.status, maxed.resultInfo.code, maxed.resultInfo.subcode, maxed.resultInfo.message], ['completed', 200, 8515, 'Action completed, max record duration reached.']);
    assert.equal(typeof maxed.recordingAccessToken, 'string');

    const silent = await h.graph('POST', `/communications/calls/${callId}/recordResponse`, { initialSilenceTimeoutInSeconds: 1 });
    const failed = (await waitOperation(callId, silent.json.id)).resourceData;
    assert.deepEqual([failed.status, failed.completionReason], ['failed', 'initialSilenceTimeout']);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('tones reach the bot only after subscribeToTone, as updated toneInfo with increasing sequenceIds', async () => {
    const callId = await answeredIncomingCall(h);
    const early = await h.control('POST', `/calls/${callId}/tones`, { tones: '9' });
    assert.equal(early.json.notified, false);
    const sub = await h.graph('POST', `/communications/calls/${callId}/subscribeToTone`, { clientContext: 'menu' });
    assert.equal(sub.status, 200);
    assert.deepEqual(sub.json, { '@odata.type': '#microsoft.graph.subscribeToToneOperation', id: sub.json.id, status: 'completed', clientContext: 'menu' });
    assert.ok(sub.headers.location?.endsWith(`/operations/${sub.json.id}`));
    await h.control('POST', `/calls/${callId}/tones`, { person: AMARA.upn, tones: '1*#A' });
    const toneNotes = () => h.receiver.about(callId, (n) => n.item.resourceData?.toneInfo !== undefined);
    await h.receiver.waitFor(() => toneNotes().length === 4, 'four tones');
    assert.deepEqual(toneNotes().map((n) => [n.item.resourceData.toneInfo.sequenceId, n.item.resourceData.toneInfo.tone]), [[1, 'tone1'], [2, 'star'], [3, 'pound'], [4, 'a']]);
    for (const n of toneNotes()) {
      assert.equal(n.item.resourceData.state, 'established');
      assert.equal(n.item.resourceData.toneInfo['@odata.type'], '#microsoft.graph.toneInfo');
    }
    const view = await h.view(callId);
    assert.deepEqual(view.tones.map((t: any) => [t.tone, t.notified]), [['tone9', false], ['tone1', true], ['star', true], ['pound', true], ['a', true]]);
    const badKey = await h.control('POST', `/calls/${callId}/tones`, { tones: 'x' });
    assert.equal(badKey.status, 400);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('sendDtmfTones: running, then deleted completed with completionReason completedSuccessfully', async () => {
    const callId = await answeredIncomingCall(h);
    const reply = await h.graph('POST', `/communications/calls/${callId}/sendDtmfTones`, { tones: ['tone1', 'pound'], delayBetweenTonesMs: 100, clientContext: 'dtmf' });
    assert.equal(reply.status, 200);
    assert.equal(reply.json.status, 'running');
    const done = await waitOperation(callId, reply.json.id);
    assert.deepEqual([done.resourceData['@odata.type'], done.resourceData.status, done.resourceData.completionReason], ['#microsoft.graph.sendDtmfTonesOperation', 'completed', 'completedSuccessfully']);
    assert.deepEqual((await h.view(callId)).dtmfSent, ['tone1', 'pound']);
    const namespaced = await h.graph('POST', `/communications/calls/${callId}/microsoft.graph.sendDtmfTones`, { tones: ['tone2'] });
    assert.equal(namespaced.status, 200, 'the namespace-qualified action path of the docs example works too');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });
});

async function waitListening(h: CallsHarness, callId: string): Promise<void> {
  await h.waitForCall(callId, (c) => c.listeningOperationId !== null, 'the recording to listen');
}
