// The doctor's "running instance" check reads /readyz: ready passes with every dependency listed, degraded warns with
// the fix for what is degraded, not ready fails naming the failing checks, a page that is not Switchboard's JSON fails,
// and nothing is asked when the webhook check already found no Switchboard.
import assert from 'node:assert/strict';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../../comms/graph/http-transport.js';
import type { Config } from '../../../server/config.js';
import { checkReadiness } from '../../../server/doctor/checks/readiness-check.js';
import type { DoctorEnvironment } from '../../../server/doctor/doctor-environment.js';

function answering(status: number, body: unknown, seen: HttpRequest[] = []): DoctorEnvironment {
  const transport: HttpTransport = {
    async send(req: HttpRequest): Promise<HttpResponse> {
      seen.push(req);
      return { status, headers: {}, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
    },
    async close() {},
  };
  return { transport, webhookBaseUrl: 'http://127.0.0.1:3978/' } as unknown as DoctorEnvironment;
}
const config = { publicBaseUrl: 'https://unused.example.test' } as Config;

describe('doctor: the running instance (/readyz)', () => {
  it('passes when ready, listing every dependency', async () => {
    const seen: HttpRequest[] = [];
    const checks = { store: 'ok', token: 'ok', speech: 'ok: prompts by espeak-ng; replies heard by pocketsphinx:en-us', subscriptions: 'ok: callRecords until 2026-12-05T00:00:00.000Z' };
    const f = await checkReadiness(answering(200, { status: 'ready', checks }, seen), config, true);
    assert.equal(f.status, 'pass');
    assert.equal(seen[0]!.url, 'http://127.0.0.1:3978/readyz');
    assert.deepEqual(f.details, ['store: ok', 'token: ok', `speech: ${checks.speech}`, `subscriptions: ${checks.subscriptions}`]);
  });

  it('warns when degraded, with the fix for each degraded dependency', async () => {
    const checks = { store: 'ok', token: 'ok', speech: 'degraded: prompts by espeak-ng; no recogniser', subscriptions: 'failing: graph/forbidden since 2026-12-02T03:00:00.000Z; retrying' };
    const f = await checkReadiness(answering(200, { status: 'degraded', checks, degraded: ['speech', 'subscriptions'] }), config, true);
    assert.equal(f.status, 'warn');
    assert.equal(f.code, 'doctor/degraded');
    assert.match(f.title, /degraded \(speech, subscriptions\)/);
    assert.match(f.fix!, /pocketsphinx/);
    assert.match(f.fix!, /CallRecords\.Read\.All/);
    assert.ok(f.details!.includes(`subscriptions: ${checks.subscriptions}`));
  });

  it('fails when not ready, naming the failing checks', async () => {
    const f = await checkReadiness(answering(503, { status: 'not-ready', checks: { store: 'store/unavailable: the store does not answer', token: 'ok', process: 'draining: shutting down' } }), config, true);
    assert.equal(f.status, 'fail');
    assert.equal(f.code, 'doctor/not-ready');
    assert.match(f.title, /not ready \(store, process\)/);
  });

  it('fails on an answer that is not Switchboard JSON, and skips when the webhook found no Switchboard', async () => {
    const page = await checkReadiness(answering(200, '<html>proxy</html>'), config, true);
    assert.equal(page.status, 'fail');
    assert.equal(page.code, 'doctor/readiness-unreadable');
    const seen: HttpRequest[] = [];
    const skipped = await checkReadiness(answering(200, {}, seen), config, false);
    assert.equal(skipped.status, 'skip');
    assert.equal(seen.length, 0);
  });
});
