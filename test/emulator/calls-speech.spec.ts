// Emulated people say words: POST /emulator/calls/{id}/speak {text} makes the caller say a sentence to the running
// recordResponse, and the recording the bot downloads is that sentence as real speech (16 kHz mono 16-bit WAV),
// completing maxSilenceTimeout after it (or on a stop tone). The route's refusals: 400, 404, 409 and 503.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { LEADING_SILENCE_SECONDS, PAUSE_SECONDS, TRAILING_SILENCE_SECONDS } from '../../emulator/calls/recording-audio.js';
import { checkPromptWav } from '../../emulator/calls/wav-audio.js';
import { answeredIncomingCall, startCallsHarness, type CallsHarness } from './calls-harness.js';

const SAMPLE_RATE = 16_000;

describe('emulator calling: people say words', function () {
  this.timeout(60_000);
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness({ mediaSpeed: 20 });
  });

  after(async () => {
    await h.close();
  });

  /** Starts a recordResponse and waits until it listens (its prompt-less listening phase has begun). */
  // The recording's limit at its most (120 s, 6 s of wall time at the emulator's 20× media speed): its clock runs while
  // the emulator synthesizes what the caller says, which on a loaded runner outlasted 60 s (3 s of wall time).
  async function listen(callId: string, settings: Record<string, unknown>): Promise<string> {
    const reply = await h.graph('POST', `/communications/calls/${callId}/recordResponse`, { initialSilenceTimeoutInSeconds: 60, maxRecordDurationInSeconds: 120, ...settings });
    assert.equal(reply.status, 200, reply.text);
    await h.waitForCall(callId, (c) => c.listeningOperationId === reply.json.id, 'the recording to listen');
    return reply.json.id as string;
  }

  async function completion(callId: string, opId: string): Promise<any> {
    const about = () => h.receiver.about(callId, (n) => n.item.resourceUrl.endsWith(`/operations/${opId}`));
    await h.receiver.waitFor(() => about().length > 0, `operation ${opId} to complete`, 10_000);
    return about()[0]!.item;
  }

  async function download(data: any): Promise<Buffer> {
    const res = await request(data.recordingLocation, { dispatcher: h.agent, headers: { authorization: `Bearer ${data.recordingAccessToken}` } });
    assert.equal(res.statusCode, 200);
    return Buffer.from(await res.body.arrayBuffer());
  }

  const say = (callId: string, body: Record<string, unknown>) => h.control('POST', `/calls/${callId}/speak`, body);
  const expectedSeconds = (...spoken: number[]) => LEADING_SILENCE_SECONDS + spoken.reduce((a, b) => a + b, 0) + PAUSE_SECONDS * (spoken.length - 1) + TRAILING_SILENCE_SECONDS;

  /** One spoken sentence → its recording: [the route's answer, the completed operation's resourceData, the WAV]. */
  async function recordSentence(body: Record<string, unknown>): Promise<[any, any, Buffer]> {
    const callId = await answeredIncomingCall(h);
    const opId = await listen(callId, { maxSilenceTimeoutInSeconds: 2 });
    const said = await say(callId, body);
    assert.equal(said.status, 200, said.text);
    const done = (await completion(callId, opId)).resourceData;
    const wav = await download(done);
    await h.graph('DELETE', `/communications/calls/${callId}`);
    return [said.json, done, wav];
  }

  describe('refusals', () => {
    let callId: string;
    before(async () => {
      callId = await answeredIncomingCall(h);
    });
    after(async () => {
      await h.graph('DELETE', `/communications/calls/${callId}`);
    });

    const bad: Array<{ name: string; body: Record<string, unknown> }> = [
      { name: 'empty text', body: { text: '' } },
      { name: 'text of only spaces and control characters', body: { text: '  \n\t\u0007 ' } },
      { name: 'text over 300 characters', body: { text: 'a'.repeat(301) } },
      { name: 'text as a number', body: { text: 42 } },
      { name: 'text and seconds together', body: { text: 'billing', seconds: 2 } },
      { name: 'mumble without text', body: { mumble: true } },
      { name: 'language without text', body: { language: 'de' } },
      { name: 'an unknown field', body: { text: 'billing', loudly: true } },
    ];
    for (const row of bad) {
      it(`400 for ${row.name}`, async () => {
        const reply = await say(callId, row.body);
        assert.equal(reply.status, 400, reply.text);
        assert.match(reply.json.error.code, /^emulator\/(invalid-body|invalid-text)$/);
      });
    }

    it('400 emulator/unknown-language for a language eSpeak has no voice for', async () => {
      await listen(callId, { maxSilenceTimeoutInSeconds: 60 });
      const reply = await say(callId, { text: 'hello', language: 'xx-yy' });
      assert.deepEqual([reply.status, reply.json.error.code], [400, 'emulator/unknown-language']);
      assert.equal((await h.view(callId)).listeningOperationId !== null, true, 'a refused sentence is not speech: the recording still listens');
      await h.graph('POST', `/communications/calls/${callId}/cancelMediaProcessing`, {});
    });

    it('404 emulator/unknown-call for a call the emulator does not know', async () => {
      const reply = await say('3c9f1e2a-0000-4000-8000-000000000000', { text: 'billing please' });
      assert.deepEqual([reply.status, reply.json.error.code], [404, 'emulator/unknown-call']);
    });

    it('409 emulator/not-listening when no recordResponse is running (words are not buffered)', async () => {
      await h.waitForCall(callId, (c) => c.listeningOperationId === null, 'nothing listening');
      const reply = await say(callId, { text: 'billing please' });
      assert.deepEqual([reply.status, reply.json.error.code], [409, 'emulator/not-listening']);
      const later = await h.graph('POST', `/communications/calls/${callId}/recordResponse`, { initialSilenceTimeoutInSeconds: 1 });
      const failed = (await completion(callId, later.json.id)).resourceData;
      assert.equal(failed.completionReason, 'initialSilenceTimeout', 'the refused sentence did not wait for the next recording');
    });

    it('409 emulator/call-ended once the call is over', async () => {
      const ended = await answeredIncomingCall(h);
      await h.graph('DELETE', `/communications/calls/${ended}`);
      await h.waitForCall(ended, (c) => c.state === 'terminated', 'the call to end');
      const reply = await say(ended, { text: 'billing please' });
      assert.deepEqual([reply.status, reply.json.error.code], [409, 'emulator/call-ended']);
    });
  });

  it('the recording is the sentence as 16 kHz mono 16-bit PCM WAV, a little silence around it, longer for a longer sentence', async () => {
    const [shortSaid, shortDone, shortWav] = await recordSentence({ text: 'Billing.' });
    const [longSaid, , longWav] = await recordSentence({ text: 'I think I was charged twice on my last invoice, can you help me with that?' });
    for (const wav of [shortWav, longWav]) {
      assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
      assert.deepEqual([wav.readUInt16LE(20), wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt16LE(34)], [1, 1, SAMPLE_RATE, 16], 'PCM, mono, 16 kHz, 16-bit');
    }
    assert.deepEqual([shortSaid.heardByRecording, shortSaid.language, shortSaid.mumbled], [true, 'en-us', false]);
    assert.ok(shortSaid.seconds > 0.2 && longSaid.seconds > shortSaid.seconds * 3, `a sentence of many words lasts longer (${shortSaid.seconds} s, ${longSaid.seconds} s)`);
    for (const [said, wav] of [[shortSaid, shortWav], [longSaid, longWav]] as const) {
      const check = checkPromptWav(wav);
      assert.ok(check.ok);
      assert.ok(Math.abs(check.durationSeconds - expectedSeconds(said.seconds)) < 0.02, `${check.durationSeconds} s = lead + ${said.seconds} s + tail`);
    }
    const lead = samples(shortWav).subarray(0, Math.round(LEADING_SILENCE_SECONDS * SAMPLE_RATE) - 1);
    assert.ok(lead.every((v) => v === 0), 'the recording starts with silence');
    assert.ok(peak(samples(longWav)) > 5000, 'it holds speech, not the quiet stand-in tone (peak 3000)');
    assert.deepEqual([shortDone.status, shortDone.resultInfo.code, shortDone.resultInfo.subcode, shortDone.completionReason], ['completed', 200, 0, 'maxSilenceTimeout']);
    assert.equal(shortDone['@odata.type'], '#microsoft.graph.recordOperation');
  });

  it('completes maxSilenceTimeout after the sentence: the caller speaking holds off the initial-silence timeout, the completion follows the words', async () => {
    const callId = await answeredIncomingCall(h);
    const opId = await listen(callId, { initialSilenceTimeoutInSeconds: 60, maxSilenceTimeoutInSeconds: 3 });
    const said = await say(callId, { text: 'Connect me to support please.' });
    assert.equal(said.status, 200);
    const done = (await completion(callId, opId)).resourceData;
    assert.deepEqual([done.status, done.completionReason, typeof done.recordingLocation, typeof done.recordingAccessToken], ['completed', 'maxSilenceTimeout', 'string', 'string']);
    const events = (await h.control('GET', `/events/recent?callId=${callId}`)).json.value as any[];
    const spoke = events.find((e) => e.type === 'person.spoke');
    const finished = events.find((e) => e.type === 'operation.finished' && e.operationId === opId);
    assert.ok(spoke && finished && spoke.seq < finished.seq, 'the caller spoke, then the recording completed');
    assert.deepEqual([spoke.seconds, spoke.words, spoke.heardByRecording], [said.json.seconds, true, true]);
    assert.ok(!JSON.stringify(events).toLowerCase().includes('support please'), 'the words are not in the event stream');
    const view = await h.view(callId);
    assert.deepEqual(view.recordings.map((r: any) => r.seconds), [Math.round(expectedSeconds(said.json.seconds) * 100) / 100]);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('a stop tone ends the recording at once; the sentence said before it is in the recording', async () => {
    const callId = await answeredIncomingCall(h);
    const opId = await listen(callId, { maxSilenceTimeoutInSeconds: 60, stopTones: ['#'] });
    const said = await say(callId, { text: 'Sales, please.' });
    await h.control('POST', `/calls/${callId}/tones`, { tones: '#' });
    const done = (await completion(callId, opId)).resourceData;
    assert.deepEqual([done.status, done.completionReason], ['completed', 'stopToneDetected']);
    const check = checkPromptWav(await download(done));
    assert.ok(check.ok && Math.abs(check.durationSeconds - expectedSeconds(said.json.seconds)) < 0.02);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('two sentences during one recording are both in it, in turn with a pause between', async () => {
    const callId = await answeredIncomingCall(h);
    const opId = await listen(callId, { maxSilenceTimeoutInSeconds: 60, stopTones: ['#'] });
    const first = await say(callId, { text: 'Hello.' });
    const second = await say(callId, { text: 'I would like a quote for fifty licences.' });
    assert.deepEqual([first.status, second.status], [200, 200]);
    await h.control('POST', `/calls/${callId}/tones`, { tones: '#' });
    const check = checkPromptWav(await download((await completion(callId, opId)).resourceData));
    assert.ok(check.ok && Math.abs(check.durationSeconds - expectedSeconds(first.json.seconds, second.json.seconds)) < 0.02, `${check.ok && check.durationSeconds} s holds both`);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('two sentences said at the same moment: the silence timer waits for both', async () => {
    const callId = await answeredIncomingCall(h);
    const opId = await listen(callId, { maxSilenceTimeoutInSeconds: 20 });
    const [a, b] = await Promise.all([say(callId, { text: 'Technical support.' }), say(callId, { text: 'My headset stopped working.' })]);
    assert.deepEqual([a.status, b.status], [200, 200]);
    const done = (await completion(callId, opId)).resourceData;
    assert.equal(done.completionReason, 'maxSilenceTimeout');
    const check = checkPromptWav(await download(done));
    assert.ok(check.ok && Math.abs(check.durationSeconds - expectedSeconds(a.json.seconds, b.json.seconds)) < 0.02);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('mumble: the same sentence as unintelligible sound of the same length', async () => {
    const text = 'My headset stopped working.';
    const [plainSaid, , plainWav] = await recordSentence({ text });
    const [mumbledSaid, , mumbledWav] = await recordSentence({ text, mumble: true });
    assert.equal(mumbledSaid.mumbled, true);
    assert.equal(mumbledSaid.seconds, plainSaid.seconds);
    assert.equal(mumbledWav.length, plainWav.length);
    assert.ok(!mumbledWav.equals(plainWav), 'not the words themselves');
    assert.ok(peak(samples(mumbledWav)) > 3000, 'still loud enough to count as speaking');
  });

  it('a German-speaking caller: language de (de-DE → de) is spoken with the German voice', async () => {
    const [said, , wav] = await recordSentence({ text: 'Ich habe eine Frage zu meiner Rechnung.', language: 'de-DE' });
    assert.equal(said.language, 'de');
    assert.ok(checkPromptWav(wav).ok);
  });

  it('speaking without words ({ seconds }) still records the quiet tone, as before', async () => {
    const callId = await answeredIncomingCall(h);
    const opId = await listen(callId, { maxSilenceTimeoutInSeconds: 1 });
    const reply = await say(callId, { seconds: 1 });
    assert.deepEqual([reply.status, reply.json.heardByRecording], [200, true]);
    const wav = await download((await completion(callId, opId)).resourceData);
    assert.ok(checkPromptWav(wav).ok);
    assert.ok(peak(samples(wav)) <= 3000, 'the stand-in tone, not speech');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  const recogniser = '/usr/bin/pocketsphinx_continuous';
  const model = '/usr/share/pocketsphinx/model/en-us';
  it('PocketSphinx hears the words in the recording, and none in the mumbled one (menu grammar)', async function () {
    if (!existsSync(recogniser) || !existsSync(`${model}/en-us`)) this.skip();
    const dir = await mkdtemp(join(tmpdir(), 'speak-'));
    const recognise = async (wav: Buffer): Promise<string> => {
      await writeFile(join(dir, 'said.wav'), wav);
      const args = ['-infile', join(dir, 'said.wav'), '-jsgf', join(dir, 'menu.jsgf'), '-dict', `${model}/cmudict-en-us.dict`, '-hmm', `${model}/en-us`, '-logfn', '/dev/null'];
      return (await promisify(execFile)(recogniser, args, { timeout: 20_000 })).stdout.trim().toLowerCase();
    };
    try {
      await writeFile(join(dir, 'menu.jsgf'), '#JSGF V1.0;\ngrammar menu;\npublic <menu> = [<filler>] (billing | support | sales | operator) [please];\n<filler> = i would like | connect me to | i want | talk to;\n');
      const [, , words] = await recordSentence({ text: 'connect me to support' });
      assert.equal(await recognise(words), 'connect me to support');
      const [, , mumble] = await recordSentence({ text: 'connect me to support', mumble: true });
      assert.doesNotMatch(await recognise(mumble), /billing|support|sales|operator/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('emulator calling: people cannot say words without a voice', () => {
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness({ mediaSpeed: 20, speechSynthesis: false });
  });

  after(async () => {
    await h.close();
  });

  it('503 emulator/voice-unavailable, and speaking without words still works', async () => {
    const callId = await answeredIncomingCall(h);
    const reply = await h.control('POST', `/calls/${callId}/speak`, { text: 'billing please' });
    assert.deepEqual([reply.status, reply.json.error.code], [503, 'emulator/voice-unavailable']);
    assert.match(reply.json.error.message, /espeak-ng/);
    assert.equal((await h.control('POST', `/calls/${callId}/speak`, { seconds: 1 })).status, 200);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });
});

function samples(wav: Buffer): Int16Array {
  const out = new Int16Array((wav.length - 44) / 2);
  for (let i = 0; i < out.length; i++) out[i] = wav.readInt16LE(44 + i * 2);
  return out;
}

function peak(values: Int16Array): number {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max;
}
