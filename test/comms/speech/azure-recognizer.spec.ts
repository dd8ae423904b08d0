// Azure AI Speech short-audio recognition against a local stand-in (never Microsoft): the documented request, the
// answers it maps (Success, nothing heard, Error), the refusals with their codes and the variables to fix, and what
// is refused before anything is sent (too long, not audio).
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpTransport } from '../../../comms/graph/index.js';
import { azureSpeechRecognizer, encodeWav, RecognitionError, toneSequence, type SpeechRecognizer } from '../../../comms/speech/index.js';

const code = (expected: RecognitionError['code'], message?: RegExp) => (err: unknown) =>
  err instanceof RecognitionError && err.code === expected && (!message || message.test(err.message));

describe('comms/speech Azure AI Speech recogniser (short audio, against a local stand-in)', () => {
  let answer: { status: number; body: unknown; delayMs?: number };
  const seen: Array<{ url: string; headers: IncomingHttpHeaders; bytes: number }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url!, headers: req.headers, bytes: Buffer.concat(chunks).length });
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  });
  const transport = createHttpTransport();
  let azure: SpeechRecognizer;
  const reply = encodeWav(toneSequence([[220, 1500]]));
  const request = { language: 'en-US', phrases: ['billing'] };

  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    azure = azureSpeechRecognizer({ key: 'the-key', region: 'westeurope', transport, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  after(async () => {
    await transport.close();
    server.close();
  });

  it('posts the WAV to the conversation endpoint with the key, the language and the detailed format; reads the best result', async () => {
    answer = { status: 200, body: { RecognitionStatus: 'Success', DisplayText: 'Billing, please.', Offset: 0, Duration: 12_000_000, NBest: [{ Confidence: 0.93, Lexical: 'billing please', Display: 'Billing, please.' }] } };
    assert.deepEqual(await azure.recognize(reply, request), { text: 'Billing, please.', confidence: 0.93 });
    const sent = seen.at(-1)!;
    assert.equal(sent.url, '/speech/recognition/conversation/cognitiveservices/v1?language=en-US&format=detailed');
    assert.equal(sent.headers['ocp-apim-subscription-key'], 'the-key');
    assert.equal(sent.headers['content-type'], 'audio/wav; codecs=audio/pcm; samplerate=16000');
    assert.equal(sent.bytes, reply.length);
    assert.equal(azure.id, 'azure:westeurope');
  });

  it('asks for a locale when the menu gives a bare language (en → en-US, de → de-DE)', async () => {
    answer = { status: 200, body: { RecognitionStatus: 'NoMatch' } };
    await azure.recognize(reply, { language: 'de', phrases: [] });
    assert.match(seen.at(-1)!.url, /language=de-DE&/);
    await azure.recognize(reply, { language: 'en', phrases: [] });
    assert.match(seen.at(-1)!.url, /language=en-US&/);
  });

  for (const status of ['NoMatch', 'InitialSilenceTimeout', 'BabbleTimeout']) {
    it(`${status}: nothing understood`, async () => {
      answer = { status: 200, body: { RecognitionStatus: status, Offset: 0, Duration: 0 } };
      assert.deepEqual(await azure.recognize(reply, request), { text: '', confidence: 0 });
    });
  }

  const failures: Array<[string, { status: number; body: unknown }, RecognitionError['code'], RegExp?]> = [
    ['RecognitionStatus Error', { status: 200, body: { RecognitionStatus: 'Error' } }, 'speech/recognition-failed'],
    ['a refused key (401)', { status: 401, body: {} }, 'speech/recognizer-misconfigured', /AZURE_SPEECH_KEY.*AZURE_SPEECH_REGION/],
    ['a missing key (403)', { status: 403, body: {} }, 'speech/recognizer-misconfigured', /AZURE_SPEECH_KEY/],
    ['a language or audio it does not take (400)', { status: 400, body: {} }, 'speech/unsupported-language'],
    ['a server error (503)', { status: 503, body: {} }, 'speech/recognition-failed'],
    ['an answer that is not JSON', { status: 200, body: '<html>' }, 'speech/recognition-failed'],
  ];
  for (const [what, reply_, expected, message] of failures) {
    it(`${what}: ${expected}`, async () => {
      answer = reply_;
      await assert.rejects(azure.recognize(reply, request), code(expected, message));
    });
  }

  it('a slow service: speech/timeout; a cancelled recognition: speech/timeout at once', async () => {
    answer = { status: 200, body: { RecognitionStatus: 'NoMatch' }, delayMs: 1500 };
    await assert.rejects(azure.recognize(reply, request, { timeoutMs: 200 }), code('speech/timeout'));
    const cancel = new AbortController();
    const running = azure.recognize(reply, request, { signal: cancel.signal });
    setTimeout(() => cancel.abort(), 50);
    await assert.rejects(running, code('speech/timeout'));
  });

  it('refuses, before sending anything, audio over 60 s and what is not a mono PCM WAV', async () => {
    const before = seen.length;
    await assert.rejects(azure.recognize(encodeWav(new Int16Array(16_000 * 61)), request), code('speech/unreadable-audio', /60 s/));
    await assert.rejects(azure.recognize(Buffer.from('not audio at all'), request), code('speech/unreadable-audio'));
    await assert.rejects(azure.recognize(encodeWav(new Int16Array(0)), request), code('speech/unreadable-audio'));
    assert.equal(seen.length, before, 'nothing was sent');
  });
});
