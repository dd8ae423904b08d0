// Recording downloads: only allow-listed HTTPS hosts (loopback only when passed explicitly for local mode), the
// token only in the Authorization header, into memory, size-capped.
import assert from 'node:assert/strict';
import { CallError, checkRecordingLocation, downloadRecording } from '../../../comms/calls/index.js';
import type { HttpRequest, HttpTransport } from '../../../comms/graph/index.js';
import { FakeGraph } from './support/fake-graph.js';
import { createHttpTransport } from '../../../comms/graph/index.js';

const ALLOWED = ['media.skype.example', '*.recordings.example.com'];

describe('comms/calls recording download', () => {
  const hostile: Array<[string, string]> = [
    ['plain http', 'http://media.skype.example/rec/1'],
    ['a host not on the list', 'https://evil.example.net/rec/1'],
    ['a look-alike suffix', 'https://media.skype.example.evil.net/rec/1'],
    ['a look-alike prefix', 'https://evilrecordings.example.com/rec/1'],
    ['the bare wildcard domain', 'https://recordings.example.com/rec/1'],
    ['cloud metadata IP', 'https://169.254.169.254/latest/meta-data'],
    ['cloud metadata IP over http', 'http://169.254.169.254/latest/meta-data'],
    ['an IPv4 literal', 'https://10.0.0.5/rec'],
    ['an IPv6 literal', 'https://[fd00::1]/rec'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/rec'],
    ['localhost', 'https://localhost/rec'],
    ['localhost with a trailing dot', 'https://localhost./rec'],
    ['127.0.0.1', 'https://127.0.0.1/rec'],
    ['hex-encoded loopback', 'https://0x7f000001/rec'],
    ['short-form loopback', 'https://127.1/rec'],
    ['::1', 'https://[::1]/rec'],
    ['userinfo naming an allowed host', 'https://media.skype.example@evil.example.net/rec'],
    ['userinfo on an allowed host', 'https://user:pass@media.skype.example/rec'],
    ['a fragment trick', 'https://evil.example.net#@media.skype.example/rec'],
    ['file scheme', 'file:///etc/passwd'],
    ['ftp scheme', 'ftp://media.skype.example/rec'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['not a URL', 'media.skype.example/rec'],
    ['empty', ''],
  ];
  for (const [name, url] of hostile) {
    it(`refuses ${name} with calls/recording-host-not-allowed`, () => {
      assert.throws(() => checkRecordingLocation(url, ALLOWED), (err: unknown) => err instanceof CallError && err.code === 'calls/recording-host-not-allowed');
    });
  }

  const allowed: Array<[string, string, string[]]> = [
    ['an exact host', 'https://media.skype.example/rec/1', []],
    ['a subdomain of a wildcard', 'https://eu.recordings.example.com/rec/1', []],
    ['mixed case', 'https://MEDIA.Skype.Example/rec/1', []],
    ['loopback passed explicitly for local mode', 'http://127.0.0.1:3979/rec/1', ['127.0.0.1:3979']],
    ['loopback by name passed explicitly', 'https://localhost:8443/rec/1', ['localhost']],
  ];
  for (const [name, url, loopback] of allowed) {
    it(`allows ${name}`, () => assert.ok(checkRecordingLocation(url, ALLOWED, loopback)));
  }

  it('refuses a loopback port other than the one passed', () => {
    assert.throws(() => checkRecordingLocation('http://127.0.0.1:22/rec', ALLOWED, ['127.0.0.1:3979']), (err: CallError) => err.code === 'calls/recording-host-not-allowed');
  });

  describe('download', () => {
    let graph: FakeGraph;
    let transport: HttpTransport;
    before(async () => {
      graph = await FakeGraph.start();
      transport = createHttpTransport();
    });
    after(async () => {
      await transport.close();
      await graph.close();
    });

    const loopback = () => [new URL(graph.url).host];

    it('fetches the audio into memory with the recording token as bearer', async () => {
      graph.recordings.set('r1', { token: 'rec-token-1', audio: Buffer.from('RIFF....WAVE') });
      const rec = await downloadRecording({ transport, recordingLocation: `${graph.url}/recordings/r1`, recordingAccessToken: 'rec-token-1', allowedHosts: [], loopbackHosts: loopback() });
      assert.equal(rec.audio.toString(), 'RIFF....WAVE');
      assert.equal(rec.contentType, 'application/octet-stream');
    });

    it('reports a refused download as calls/recording-download-failed without the token in the message', async () => {
      graph.recordings.set('r2', { token: 'right', audio: Buffer.from('x') });
      await assert.rejects(
        downloadRecording({ transport, recordingLocation: `${graph.url}/recordings/r2`, recordingAccessToken: 'wrong-secret', allowedHosts: [], loopbackHosts: loopback() }),
        (err: CallError) => err.code === 'calls/recording-download-failed' && !err.message.includes('wrong-secret'),
      );
    });

    it('refuses a recording over the size cap with calls/recording-too-large', async () => {
      graph.recordings.set('r3', { token: 't', audio: Buffer.alloc(2048) });
      await assert.rejects(
        downloadRecording({ transport, recordingLocation: `${graph.url}/recordings/r3`, recordingAccessToken: 't', allowedHosts: [], loopbackHosts: loopback(), maxBytes: 1024 }),
        (err: CallError) => err.code === 'calls/recording-too-large',
      );
    });

    it('never sends the token to a host that is not allowed', async () => {
      const seen: HttpRequest[] = [];
      const spy: HttpTransport = { send: async (req) => (seen.push(req), { status: 200, headers: {}, body: Buffer.alloc(0) }), close: async () => undefined };
      for (const [, url] of hostile) {
        await assert.rejects(downloadRecording({ transport: spy, recordingLocation: url, recordingAccessToken: 'tok', allowedHosts: ALLOWED }));
      }
      assert.equal(seen.length, 0);
    });
  });
});
