// Prompt audio: the WAV we write is exactly Graph's prompt format, the reader rejects what Graph rejects, and the
// cache hands out content ids that cannot name other files.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav, isGraphPromptFormat, PromptCache, readWavFormat, STOCK_PROMPTS, toneSequence } from '../../../comms/speech/index.js';

describe('comms/speech wav', () => {
  it('encodes 16 kHz mono 16-bit PCM that reads back as Graph prompt format', () => {
    const wav = encodeWav(toneSequence([[440, 100]]));
    const format = readWavFormat(wav);
    assert.deepEqual(format, { audioFormat: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16, dataBytes: 3200 });
    assert.ok(isGraphPromptFormat(format));
  });

  it('has stock prompts in the prompt format', () => {
    for (const [name, make] of Object.entries(STOCK_PROMPTS)) assert.ok(isGraphPromptFormat(readWavFormat(make())), name);
  });

  const wrong: Array<[string, Buffer]> = [
    ['an 8 kHz file', encodeWav(toneSequence([[440, 50]], 8000), 8000)],
    ['stereo', (() => { const w = encodeWav(toneSequence([[440, 50]])); w.writeUInt16LE(2, 22); return w; })()],
    ['8-bit', (() => { const w = encodeWav(toneSequence([[440, 50]])); w.writeUInt16LE(8, 34); return w; })()],
    ['not PCM', (() => { const w = encodeWav(toneSequence([[440, 50]])); w.writeUInt16LE(3, 20); return w; })()],
  ];
  for (const [name, file] of wrong) {
    it(`recognises ${name} as not the prompt format`, () => assert.equal(isGraphPromptFormat(readWavFormat(file)), false));
  }

  const garbage: Array<[string, Buffer]> = [
    ['empty', Buffer.alloc(0)],
    ['MP3-like bytes', Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00garbage', 'binary')],
    ['RIFF without chunks', Buffer.from('RIFF\x04\x00\x00\x00WAVE', 'binary')],
    ['a data chunk before fmt', Buffer.concat([Buffer.from('RIFF\x00\x00\x00\x00WAVEdata\x02\x00\x00\x00\x00\x00', 'binary')])],
  ];
  for (const [name, file] of garbage) {
    it(`reads ${name} as no WAV at all`, () => assert.equal(readWavFormat(file), undefined));
  }
});

describe('comms/speech prompt cache', () => {
  it('stores by content hash and serves the same bytes, from disk after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-prompts-'));
    const wav = STOCK_PROMPTS.welcome();
    const id = await new PromptCache(dir).put(wav);
    assert.equal(id, PromptCache.idFor(wav));
    assert.deepEqual(await new PromptCache(dir).get(id), wav);
  });

  it('takes the same new prompt from several writers at once (apps sharing PROMPT_CACHE_DIR), leaving no temp files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-prompts-'));
    const wav = STOCK_PROMPTS.menu();
    // Before: every writer of one process used the same temp name, and all but one rename failed with ENOENT.
    const ids = await Promise.all(Array.from({ length: 12 }, () => new PromptCache(dir).put(wav)));
    assert.deepEqual(new Set(ids), new Set([PromptCache.idFor(wav)]));
    assert.deepEqual(readdirSync(dir), [`${ids[0]}.wav`]);
    assert.deepEqual(await new PromptCache(dir).get(ids[0]!), wav);
  });

  for (const id of ['../../etc/passwd', 'a'.repeat(63), 'A'.repeat(64), `${'a'.repeat(64)}/x`, '']) {
    it(`refuses the id ${JSON.stringify(id.slice(0, 20))}`, async () => {
      const cache = new PromptCache(mkdtempSync(join(tmpdir(), 'sb-prompts-')));
      assert.equal(await cache.get(id), undefined);
    });
  }
});
