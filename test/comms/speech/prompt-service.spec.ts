// Text to prompt: real offline synthesis into Graph's format, caching by engine+text, the Azure REST shape, and the
// stock fallback when synthesis fails.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpTransport } from '../../../comms/graph/index.js';
import {
  azureSpeechSynthesizer,
  encodeWav,
  isGraphPromptFormat,
  loadEspeakSynthesizer,
  PromptCache,
  PromptService,
  readWavFormat,
  SpeechError,
  toneSequence,
  type SpeechSynthesizer,
} from '../../../comms/speech/index.js';

const cacheDir = () => mkdtempSync(join(tmpdir(), 'sb-speech-'));

describe('comms/speech synthesis', () => {
  it('synthesizes offline with eSpeak NG into 16 kHz mono 16-bit WAV', async () => {
    const espeak = await loadEspeakSynthesizer();
    assert.ok(espeak, 'the optional espeak-ng package is installed in development');
    const wav = await espeak.synthesize('Welcome to Switchboard.');
    const format = readWavFormat(wav);
    assert.ok(isGraphPromptFormat(format), JSON.stringify(format));
    assert.ok(format!.dataBytes > 16000, 'at least half a second of speech');
  });

  for (const text of ['', '   ', 'x'.repeat(1001)]) {
    it(`refuses text of length ${text.length} with speech/invalid-text`, async () => {
      const espeak = (await loadEspeakSynthesizer())!;
      await assert.rejects(espeak.synthesize(text), (err: SpeechError) => err.code === 'speech/invalid-text');
    });
  }

  it('asks Azure Speech for 16 kHz mono PCM with escaped SSML and converts what comes back', async () => {
    const seen: Array<{ url: string; headers: Record<string, unknown>; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url!, headers: req.headers, body });
        res.setHeader('content-type', 'audio/wav');
        res.end(encodeWav(toneSequence([[300, 200]]), 16000));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const transport = createHttpTransport();
    try {
      const azure = azureSpeechSynthesizer({ key: 'k', region: 'westeurope', transport, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      const wav = await azure.synthesize('Press <1> & wait');
      assert.ok(isGraphPromptFormat(readWavFormat(wav)));
      assert.equal(seen[0]!.url, '/cognitiveservices/v1');
      assert.equal(seen[0]!.headers['x-microsoft-outputformat'], 'riff-16khz-16bit-mono-pcm');
      assert.match(seen[0]!.body, /Press &lt;1&gt; &amp; wait/);
    } finally {
      await transport.close();
      server.close();
    }
  });
});

describe('comms/speech prompt service', () => {
  const counting = (): SpeechSynthesizer & { calls: number } => {
    const s = {
      id: 'fake',
      voiceFor: (language: string | undefined) => `fake:${language ?? 'default'}`,
      calls: 0,
      async synthesize() {
        s.calls += 1;
        return encodeWav(toneSequence([[500, 50]]));
      },
    };
    return s;
  };

  it('synthesizes each text once and serves it from the cache afterwards, also for concurrent asks', async () => {
    const synthesizer = counting();
    const service = new PromptService({ cache: new PromptCache(cacheDir()), baseUrl: 'https://sb.example/prompts', synthesizer });
    const [a, b] = await Promise.all([service.speak('Hello'), service.speak('Hello')]);
    const c = await service.speak('Hello');
    assert.equal(synthesizer.calls, 1);
    assert.equal(a.uri, b.uri);
    assert.equal(a.uri, c.uri);
    assert.match(a.uri, /^https:\/\/sb\.example\/prompts\/[0-9a-f]{64}\.wav$/);
    assert.equal(a.fallback, false);
    assert.notEqual((await service.speak('Goodbye')).uri, a.uri);
  });

  it('speaks a language in its own voice: the same text in German is another prompt, and is synthesized in German', async () => {
    const languages: Array<string | undefined> = [];
    const synthesizer: SpeechSynthesizer = {
      id: 'fake',
      voiceFor: (language) => `fake:${language?.split('-')[0] ?? 'default'}`,
      async synthesize(_text, language) {
        languages.push(language);
        return encodeWav(toneSequence([[500, 50]]));
      },
    };
    const service = new PromptService({ cache: new PromptCache(cacheDir()), baseUrl: 'https://sb.example/prompts', synthesizer });
    const plain = await service.speak('Hallo');
    const german = await service.speak('Hallo', 'menu', 'de-DE');
    const austrian = await service.speak('Hallo', 'menu', 'de-AT');
    assert.notEqual(german.uri, plain.uri);
    assert.equal(austrian.uri, german.uri, 'one voice per primary language: cached once');
    assert.deepEqual(languages, [undefined, 'de-DE']);
  });

  it('falls back to a stock prompt (and says so) when synthesis fails', async () => {
    const warnings: unknown[] = [];
    const failing: SpeechSynthesizer = { id: 'broken', voiceFor: () => 'broken', synthesize: async () => { throw new SpeechError('speech/failed', 'boom'); } };
    const cache = new PromptCache(cacheDir());
    const service = new PromptService({ cache, baseUrl: 'http://x/prompts', synthesizer: failing, logger: { warn: (o) => warnings.push(o) } });
    const ref = await service.speak('Hello', 'goodbye');
    assert.equal(ref.fallback, true);
    assert.equal(warnings.length, 1);
    assert.ok(isGraphPromptFormat(readWavFormat((await cache.get(ref.resourceId))!)));
  });

  it('uses stock prompts when no synthesizer is configured', async () => {
    const service = new PromptService({ cache: new PromptCache(cacheDir()), baseUrl: 'http://x/prompts' });
    assert.equal(service.engine, 'stock');
    assert.equal((await service.speak('anything')).fallback, true);
  });
});
