// Local mode against DNS rebinding and cross-site requests: every route refuses a Host other than the bound loopback
// address (421) and every state-changing route refuses a foreign Origin (403) — before anything runs, so nothing
// changes. The app's own origin, the emulator's, and clients that send no Origin (the emulator, the Agents
// Playground, curl) keep working.
import assert from 'node:assert/strict';
import { LOCAL_APP } from '../../server/config.js';
import { tabToken } from '../tab/tab-helpers.js';
import { assertNothingChanged, send, snapshot, startEdgeApp, type EdgeApp } from './edge-harness.js';

interface Route {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  auth?: () => string;
}

describe('hostile Host and Origin headers (local mode)', function () {
  this.timeout(60_000);
  let edge: EdgeApp;
  let port: string;
  let callingAuth: string;
  let tabAuth: string;

  before(async () => {
    edge = await startEdgeApp();
    port = new URL(edge.app.url).port;
    callingAuth = `Bearer ${await edge.app.emulator!.signCallingToken({ audience: LOCAL_APP.id })}`;
    tabAuth = `Bearer ${await tabToken(edge.app, 'amara')}`;
  });
  after(async () => {
    await edge?.stop();
  });

  const chat = JSON.stringify({ type: 'message', text: 'call Hana Sato', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', from: { id: 'u' }, recipient: { id: 'b' }, conversation: { id: 'c' } });
  const routes: Route[] = [
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/readyz' },
    { method: 'GET', path: `/prompts/${'0'.repeat(64)}.wav` },
    { method: 'GET', path: '/privacy' },
    { method: 'GET', path: '/tab/personal' },
    { method: 'GET', path: '/api/tab/dev/users' },
    { method: 'GET', path: '/api/tab/me', auth: () => tabAuth },
    { method: 'POST', path: '/api/tab/dev/token', body: JSON.stringify({ user: 'amara.okafor@switchboard.test' }) },
    { method: 'POST', path: '/api/tab/meetings/any-meeting/mute-all', body: '{}', auth: () => tabAuth },
    { method: 'POST', path: '/api/messages', body: chat },
    { method: 'POST', path: '/api/calling', body: JSON.stringify({ value: [] }), auth: () => callingAuth },
    { method: 'POST', path: '/api/notifications/call-records', body: JSON.stringify({ value: [] }) },
    { method: 'POST', path: '/api/notifications/presence', body: JSON.stringify({ value: [] }) },
  ];
  const headersFor = (route: Route, extra: Record<string, string>) => ({
    ...(route.body ? { 'content-type': 'application/json' } : {}),
    ...(route.auth ? { authorization: route.auth() } : {}),
    ...extra,
  });

  const foreignHosts = (p: string) => ['evil.example', `evil.example:${p}`, '127.0.0.1:1', `127.0.0.1.nip.io:${p}`, `localhost.evil.example:${p}`, `0.0.0.0:${p}`, `[::ffff:127.0.0.1]:${p}`];
  for (const route of routes) {
    it(`${route.method} ${route.path}: refuses every foreign Host with 421 and changes nothing`, async () => {
      const before = await snapshot(edge);
      for (const host of foreignHosts(port)) {
        const res = await send(edge.app.url + route.path, { method: route.method, headers: headersFor(route, { host }), body: route.body });
        assert.equal(res.status, 421, `${host}: ${res.text}`);
        assert.equal(res.json.error.code, 'http/misdirected');
        assert.equal(res.json.accessToken, undefined);
      }
      await assertNothingChanged(edge, before, 'foreign Host');
    });
  }

  const foreignOrigins = (p: string) => ['https://evil.example', 'null', 'http://127.0.0.1:1', `http://127.0.0.1.evil.example:${p}`, `https://127.0.0.1:${p}`, `http://localhost:${p}.evil.example`];
  for (const route of routes.filter((r) => r.method === 'POST')) {
    it(`${route.method} ${route.path}: refuses every foreign Origin with 403 and changes nothing`, async () => {
      const before = await snapshot(edge);
      for (const origin of foreignOrigins(port)) {
        const res = await send(edge.app.url + route.path, { method: route.method, headers: headersFor(route, { origin }), body: route.body });
        assert.equal(res.status, 403, `${origin}: ${res.text}`);
        assert.equal(res.json.error.code, 'http/foreign-origin');
      }
      await assertNothingChanged(edge, before, 'foreign Origin');
    });
  }

  it('serves its own addresses: localhost:PORT as Host, the app itself and the emulator as Origin', async () => {
    const health = await send(`${edge.app.url}/healthz`, { method: 'GET', headers: { host: `localhost:${port}` } });
    assert.equal(health.status, 200);
    const body = JSON.stringify({ user: 'amara.okafor@switchboard.test' });
    for (const origin of [edge.app.url, `http://localhost:${port}`, new URL(edge.app.emulator!.url).origin]) {
      const res = await send(`${edge.app.url}/api/tab/dev/token`, { headers: { 'content-type': 'application/json', origin }, body });
      assert.equal(res.status, 200, `${origin}: ${res.text}`);
    }
    const noOrigin = await send(`${edge.app.url}/api/tab/dev/token`, { headers: { 'content-type': 'application/json' }, body });
    assert.equal(noOrigin.status, 200, 'a client that sends no Origin (the emulator, the Playground, curl)');
    const readOnly = await send(`${edge.app.url}/healthz`, { method: 'GET', headers: { origin: 'https://evil.example' } });
    assert.equal(readOnly.status, 200, 'a GET changes nothing: a foreign Origin may read health (the browser still hides the answer)');
  });

  it('sends no Server header', async () => {
    const res = await send(`${edge.app.url}/healthz`, { method: 'GET' });
    assert.equal(res.headers.server, undefined);
  });
});
