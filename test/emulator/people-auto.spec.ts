// People on auto (issue 18, item 7): with peopleAnswer 'auto' an emulated person answers the bot's call by themselves
// and, when a prompt ends while the bot listens for keys, presses 1 once (a reminder's "press 1 to confirm"); a call
// they placed is never touched; switched to manual they ring until answered by hand. The emulator's own default
// stays manual, which every other emulator test relies on.

import { strict as assert } from 'node:assert';
import { AMARA, JONAS, SERVICE_MEDIA, prompt, startCallsHarness, userTarget, type CallsHarness } from './calls-harness.js';

describe('emulator: people on auto', function () {
  this.timeout(30_000);
  let h: CallsHarness;
  before(async () => {
    h = await startCallsHarness({ peopleAnswer: 'auto', peopleAnswerDelayMs: 20, persistState: false });
  });
  after(async () => {
    await h.close();
  });

  const tonesOf = (callId: string) => h.receiver.about(callId, (n) => n.item.resourceData?.toneInfo !== undefined).map((n) => n.item.resourceData.toneInfo.tone as string);
  const ringEnded = async (callId: string) => ((await h.control('GET', `/events/recent?type=person.ring-ended`)).json.value as any[]).find((e) => e.callId === callId);

  async function callJonas(): Promise<string> {
    const created = await h.graph('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: h.callbackUri, targets: [userTarget(JONAS)], requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
    assert.equal(created.status, 201, created.text);
    return created.json.id as string;
  }

  async function playAndWait(callId: string, name: 'beep' | 'long'): Promise<void> {
    const op = await h.graph('POST', `/communications/calls/${callId}/playPrompt`, { prompts: [prompt(h.promptUrl(name))] });
    assert.equal(op.status, 200, op.text);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData?.id === op.json.id && n.item.resourceData?.status === 'completed'), `the ${name} prompt played`);
  }

  it('people nobody set follow the default: they answer by themselves', async () => {
    const jonas = (await h.control('GET', '/people')).json.value.find((p: any) => p.id === JONAS.id);
    assert.deepEqual(jonas.behavior, { onCall: 'auto', answerDelayMs: 20 });
    assert.equal(jonas.behaviorIsDefault, true);
    const callId = await callJonas();
    await h.waitForCall(callId, (c) => c.state === 'established', 'Jonas answered by himself');
    assert.equal((await ringEnded(callId))?.auto, true);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('on a call they answered that way, they press 1 once when a prompt ends while the bot listens for keys', async () => {
    const callId = await callJonas();
    await h.waitForCall(callId, (c) => c.state === 'established', 'answered');
    await h.graph('POST', `/communications/calls/${callId}/subscribeToTone`, { clientContext: 'reminder' });
    await playAndWait(callId, 'beep');
    await h.receiver.waitFor(() => tonesOf(callId).length === 1, 'the key press');
    assert.deepEqual(tonesOf(callId), ['tone1']);
    await playAndWait(callId, 'long');
    assert.deepEqual(tonesOf(callId), ['tone1'], 'once per call, not after every prompt');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('a call the person placed is left to them: no key is pressed for them', async () => {
    const dial = await h.control('POST', `/people/${AMARA.id}/dial`, {});
    const callId = dial.json.callId as string;
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'created'), 'incoming call');
    await h.graph('POST', `/communications/calls/${callId}/answer`, { callbackUri: h.callbackUri, acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
    await h.waitForCall(callId, (c) => c.state === 'established', 'answered by the bot');
    await h.graph('POST', `/communications/calls/${callId}/subscribeToTone`, {});
    await playAndWait(callId, 'beep');
    await playAndWait(callId, 'long'); // a person on auto would have pressed long before this one ends
    assert.deepEqual(tonesOf(callId), []);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('switched to manual, a person rings until answered by hand, and is not answered for', async () => {
    const set = await h.control('PUT', `/people/${JONAS.id}/behavior`, { onCall: 'manual' });
    assert.equal(set.json.behaviorIsDefault, false);
    const callId = await callJonas();
    await h.waitForCall(callId, (c) => c.ringing.length === 1, 'Jonas ringing');
    await h.control('POST', `/calls/${callId}/answer`, { person: JONAS.id });
    await h.waitForCall(callId, (c) => c.state === 'established', 'answered by hand');
    assert.equal((await ringEnded(callId))?.auto, undefined, 'answered by hand, so nothing is pressed for him');
    await h.control('PUT', `/people/${JONAS.id}/behavior`, { onCall: 'auto' });
    const back = (await h.control('GET', '/people')).json.value.find((p: any) => p.id === JONAS.id);
    assert.deepEqual(back.behavior, { onCall: 'auto', answerDelayMs: 20 }, 'auto again, with the default delay');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('the emulator\'s own default is manual', async () => {
    const plain = await startCallsHarness({ persistState: false, peopleAnswer: undefined });
    try {
      const jonas = (await plain.control('GET', '/people')).json.value.find((p: any) => p.id === JONAS.id);
      assert.deepEqual(jonas.behavior, { onCall: 'manual', answerDelayMs: 500 });
    } finally {
      await plain.close();
    }
  });
});
