// The running app in local mode, over real HTTP: health, readiness through MSAL and the emulator, the chat route,
// and the error answers for bad requests.
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';

describe('server in local mode (end to end)', () => {
  let app: LocalSwitchboard;
  let connector: FakeConnector;

  before(async () => {
    app = await startLocalSwitchboard();
    connector = await startFakeConnector();
  });
  after(async () => {
    await app?.stop();
    await connector?.close();
  });

  async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
    const res = await request(app.url + path, { method: method as 'GET', body, headers });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  }

  it('binds to loopback', () => {
    assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers /healthz', async () => {
    const res = await call('GET', '/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'ok' });
    assert.ok(res.headers['request-id'], 'every response carries a request id');
  });

  it('is ready once the store answers and MSAL gets a token from the emulator issuer, and names the speech engines and the subscription', async () => {
    const res = await call('GET', '/readyz');
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.status, 'ready', JSON.stringify(res.json));
    const { store, token, speech, subscriptions } = res.json.checks;
    assert.deepEqual({ store, token }, { store: 'ok', token: 'ok' });
    assert.match(speech, /^ok: prompts by espeak-ng\S*; replies heard by pocketsphinx/);
    assert.match(subscriptions, /^ok: callRecords until \d{4}-\d\d-\d\dT/);
    assert.doesNotMatch(JSON.stringify(res.json), /clientState/);
  });

  it('says degraded (still 200: calls go on) while Graph refuses the callRecords subscription, naming the error; ready again once it exists', async () => {
    const subs = app.records.subscriptions!;
    await subs.remove();
    await app.emulatorJson('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/subscriptions' }, count: 1, status: 403, body: { error: { code: 'Forbidden', message: 'Insufficient privileges' } } });
    await subs.recheck().catch(() => undefined);
    const degraded = await call('GET', '/readyz');
    assert.equal(degraded.status, 200, JSON.stringify(degraded.json));
    assert.equal(degraded.json.status, 'degraded');
    assert.deepEqual(degraded.json.degraded, ['subscriptions']);
    assert.match(degraded.json.checks.subscriptions, /^failing: graph\/forbidden since \S+; retrying$/);
    await subs.recheck();
    const ready = await call('GET', '/readyz');
    assert.equal(ready.json.status, 'ready', JSON.stringify(ready.json));
    assert.match(ready.json.checks.subscriptions, /^ok: callRecords until /);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await call('GET', '/no/such/route');
    assert.equal(res.status, 404);
    assert.equal(res.json.error.code, 'ResourceNotFound');
    assert.ok(res.json.error.message);
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await call('POST', '/api/messages', '{"type": "message",', { 'content-type': 'application/json' });
    assert.equal(res.status, 400);
    assert.ok(res.json.error.message);
  });

  it('refuses an oversized body with 413', async () => {
    const big = JSON.stringify({ type: 'message', text: 'x'.repeat(2 * 1024 * 1024) });
    const res = await call('POST', '/api/messages', big, { 'content-type': 'application/json' });
    assert.equal(res.status, 413);
  });

  it('answers "help" through POST /api/messages with a card sent to the conversation', async () => {
    const before = connector.sent.length;
    const activity = {
      type: 'message',
      id: 'activity-1',
      text: 'help',
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      from: { id: 'user-1', name: 'Test User' },
      recipient: { id: 'bot', name: 'Switchboard' },
      conversation: { id: 'conversation-1', conversationType: 'personal' },
    };
    const res = await call('POST', '/api/messages', JSON.stringify(activity), { 'content-type': 'application/json' });
    assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
    await connector.waitFor(before + 1);
    const reply = connector.sent[before]!;
    assert.match(reply.path, /^\/v3\/conversations\/conversation-1\/activities/);
    assert.equal(reply.activity.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
  });

  it('keeps secrets and tokens out of the logs', () => {
    const all = app.logs.join('');
    assert.ok(all.length > 0, 'something was logged');
    assert.ok(!all.includes('switchboard-local-development-secret'), 'no client secret');
    assert.doesNotMatch(all, /eyJ[\w-]{10,}\.[\w-]{10,}\./, 'no JWT');
  });
});

describe('server legal pages', () => {
  it('serves the privacy and terms pages the manifest links to', async () => {
    const app = await startLocalSwitchboard();
    try {
      for (const page of ['privacy', 'terms']) {
        const res = await request(`${app.url}/${page}`);
        assert.equal(res.statusCode, 200);
        assert.match(await res.body.text(), /Switchboard/);
      }
    } finally {
      await app.stop();
    }
  });
});
