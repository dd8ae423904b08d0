// The local recogniser for real (the pretest installs Debian's PocketSphinx): what it accepts, what it refuses with
// which code, its bounds (time, cancellation), and that nothing of a reply outlives the call — no temporary file, no
// words in the log.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { encodeWav, loadEspeakSynthesizer, loadPocketsphinxRecognizer, RecognitionError, type SpeechRecognizer } from '../../../comms/speech/index.js';
import { SAMPLE_INTENT_PHRASES } from '../../../comms/understanding/index.js';

const PHRASES = Object.values(SAMPLE_INTENT_PHRASES).flat();
const request = { language: 'en-US', phrases: PHRASES };
const code = (expected: RecognitionError['code']) => (err: unknown) => err instanceof RecognitionError && err.code === expected;

describe('comms/speech PocketSphinx recogniser (real)', function () {
  this.timeout(60_000);
  let recognizer: SpeechRecognizer;
  let headset: Buffer;
  const debug: string[] = [];

  before(async () => {
    const log = (obj: object, msg?: string) => debug.push(`${JSON.stringify(obj)} ${msg ?? ''}`);
    const loaded = await loadPocketsphinxRecognizer({ logger: { debug: log, warn: log } });
    assert.ok(loaded, 'PocketSphinx is installed (npm test installs it: test/support/ensure-test-packages.mjs)');
    recognizer = loaded;
    headset = await (await loadEspeakSynthesizer('en-us'))!.synthesize('my headset stopped working');
  });

  it('hears English only', () => {
    assert.equal(recognizer.id, 'pocketsphinx:en-us');
    for (const tag of ['en-US', 'en-GB', 'en', 'EN-us']) assert.equal(recognizer.supports(tag), true, tag);
    for (const tag of ['de-DE', 'fr', 'eng', '']) assert.equal(recognizer.supports(tag), false, tag);
  });

  it('hears a sentence, with a confidence between 0 and 1', async () => {
    const heard = await recognizer.recognize(headset, request);
    assert.match(heard.text, /headset/);
    assert.match(heard.text, /stopped working/);
    assert.ok(heard.confidence > 0 && heard.confidence <= 1, String(heard.confidence));
  });

  it('converts a 44.1 kHz stereo 24-bit recording before listening', async () => {
    const mono = new wavefile.WaveFile(headset);
    const samples = mono.getSamples(false, Int16Array) as unknown as Int16Array;
    const stereo = new wavefile.WaveFile();
    stereo.fromScratch(2, 16000, '16', [Array.from(samples), Array.from(samples)]);
    stereo.toSampleRate(44100);
    stereo.toBitDepth('24');
    const heard = await recognizer.recognize(Buffer.from(stereo.toBuffer()), request);
    assert.match(heard.text, /headset/);
  });

  it('silence: nothing understood, not an error', async () => {
    assert.deepEqual(await recognizer.recognize(encodeWav(new Int16Array(32_000)), request), { text: '', confidence: 0 });
  });

  const unreadable: Array<[string, Buffer]> = [
    ['no bytes', Buffer.alloc(0)],
    ['not a WAV', Buffer.from('<html>not audio</html>'.repeat(20))],
    ['a WAV with no samples', encodeWav(new Int16Array(0))],
    ['a WAV that is not PCM (float)', (() => { const w = encodeWav(new Int16Array(100)); w.writeUInt16LE(3, 20); return w; })()],
    ['a RIFF header and nothing else', Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVE', 'latin1')],
  ];
  for (const [what, wav] of unreadable) {
    it(`${what}: speech/unreadable-audio`, async () => {
      await assert.rejects(recognizer.recognize(wav, request), code('speech/unreadable-audio'));
    });
  }

  it('a language it does not hear: speech/unsupported-language', async () => {
    await assert.rejects(recognizer.recognize(headset, { language: 'de-DE', phrases: ['Rechnung'] }), code('speech/unsupported-language'));
  });

  it('bounded in time: a child that takes too long is killed (speech/timeout), and so is a cancelled one', async () => {
    await assert.rejects(recognizer.recognize(headset, request, { timeoutMs: 1 }), code('speech/timeout'));
    const cancel = new AbortController();
    const running = recognizer.recognize(headset, request, { signal: cancel.signal });
    setImmediate(() => cancel.abort());
    await assert.rejects(running, code('speech/timeout'));
  });

  it('a binary that cannot run: speech/recognizer-unavailable; one that fails: speech/recognition-failed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sb-ps-'));
    const gone = join(folder, 'pocketsphinx_continuous');
    writeFileSync(gone, '#!/bin/sh\n', { mode: 0o755 });
    const removed = await loadPocketsphinxRecognizer({ binary: gone });
    rmSync(folder, { recursive: true });
    await assert.rejects(removed!.recognize(headset, request), code('speech/recognizer-unavailable'));
    const failing = await loadPocketsphinxRecognizer({ binary: '/bin/false' });
    await assert.rejects(failing!.recognize(headset, request), code('speech/recognition-failed'));
  });

  it('not installed: undefined, not an error (menus then take keys)', async () => {
    assert.equal(await loadPocketsphinxRecognizer({ binary: '/nonexistent/pocketsphinx_continuous' }), undefined);
    assert.equal(await loadPocketsphinxRecognizer({ modelDir: '/nonexistent/model' }), undefined);
  });

  it('leaves no file behind and logs no words: after replies, failures, timeouts and cancellations alike', async () => {
    // A temporary folder of this test's own: other suites running at the same time recognise replies too.
    const privateTmp = mkdtempSync(join(tmpdir(), 'sb-ps-tmp-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      await Promise.all([
        recognizer.recognize(headset, { language: 'en-US', phrases: [...PHRASES, 'xyzzyplugh'] }),
        recognizer.recognize(headset, request, { timeoutMs: 1 }).catch(() => undefined),
        recognizer.recognize(Buffer.from('garbage'), request).catch(() => undefined),
      ]);
      assert.deepEqual(readdirSync(privateTmp), []);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      rmSync(privateTmp, { recursive: true, force: true });
    }
    const log = debug.join('\n');
    assert.match(log, /xyzzyplugh/, 'a menu word without a pronunciation is named (menu data, not speech)');
    assert.doesNotMatch(log, /headset|stopped|working/);
  });
});
