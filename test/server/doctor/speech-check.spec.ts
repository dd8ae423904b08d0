// The doctor's spoken-replies check: PocketSphinx present or not, and an Azure key that works or is refused.
import assert from 'node:assert/strict';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../../comms/graph/http-transport.js';
import { checkSpeechRecognizer } from '../../../server/doctor/checks/speech-check.js';

const answering = (status: number, body: unknown, seen: HttpRequest[] = []): HttpTransport => ({
  async send(req: HttpRequest): Promise<HttpResponse> {
    seen.push(req);
    return { status, headers: {}, body: Buffer.from(JSON.stringify(body)) };
  },
  async close() {},
});

describe('doctor: spoken replies', () => {
  it('passes with the local PocketSphinx installed (the pretest installs it)', async () => {
    const finding = await checkSpeechRecognizer({ transport: answering(500, {}) }, { speech: {} });
    assert.equal(finding.status, 'pass');
    assert.match(finding.title, /PocketSphinx/);
  });

  it('warns, with the apt command, when PocketSphinx is missing: menus then take keys only', async () => {
    const finding = await checkSpeechRecognizer({ transport: answering(500, {}) }, { speech: {} }, { binary: '/nonexistent/pocketsphinx_continuous' });
    assert.equal(finding.status, 'warn');
    assert.equal(finding.code, 'doctor/recognizer-missing');
    assert.match(finding.fix!, /apt-get install pocketsphinx pocketsphinx-en-us/);
  });

  it('checks an Azure key with a second of silence, and names the variables when it is refused', async () => {
    const seen: HttpRequest[] = [];
    const ok = await checkSpeechRecognizer({ transport: answering(200, { RecognitionStatus: 'InitialSilenceTimeout' }, seen) }, { speech: { azure: { key: 'k', region: 'westeurope' } } });
    assert.equal(ok.status, 'pass');
    assert.match(seen[0]!.url, /^https:\/\/westeurope\.stt\.speech\.microsoft\.com\/speech\/recognition\/conversation\/cognitiveservices\/v1\?language=en-US/);
    assert.equal(seen[0]!.headers!['ocp-apim-subscription-key'], 'k');
    const refused = await checkSpeechRecognizer({ transport: answering(401, {}) }, { speech: { azure: { key: 'bad', region: 'westeurope' } } });
    assert.equal(refused.status, 'fail');
    assert.equal(refused.code, 'doctor/speech-key-refused');
    assert.match(refused.fix!, /AZURE_SPEECH_KEY/);
  });
});
