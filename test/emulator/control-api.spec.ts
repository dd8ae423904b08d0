// The control API's own conventions: the index, health, directory listings, unknown routes, malformed JSON, and
// the body size limit (413) on every area.

import assert from 'node:assert/strict';
import { startHarness, type Harness } from './emulator-harness.js';

describe('emulator control API', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h.close();
  });

  it('indexes its routes and the service URLs at GET /emulator', async () => {
    const reply = await h.call('GET', '/emulator');
    assert.equal(reply.status, 200);
    assert.equal(reply.json.graphUrl, h.emulator.graphUrl);
    assert.equal(reply.json.authorityUrl, h.emulator.authorityUrl);
    const routes = reply.json.routes.map((r: { method: string; path: string }) => `${r.method} ${r.path}`);
    for (const expected of ['GET /emulator/health', 'POST /emulator/faults', 'GET /emulator/faults', 'DELETE /emulator/faults', 'DELETE /emulator/faults/{id}', 'GET /emulator/requests', 'DELETE /emulator/requests', 'POST /emulator/users/{userId}/token']) {
      assert.ok(routes.includes(expected), `index lists ${expected}`);
    }
    for (const route of reply.json.routes) assert.ok(route.description.length > 0);
  });

  it('reports health', async () => {
    const reply = await h.call('GET', '/emulator/health');
    assert.deepEqual(reply.json, { status: 'ok' });
  });

  it('lists people and apps, without secrets', async () => {
    assert.equal((await h.call('GET', '/emulator/users')).json.value.length, 8);
    const apps = await h.call('GET', '/emulator/apps');
    assert.ok(apps.json.value.some((a: { hasSecret: boolean }) => a.hasSecret));
    assert.ok(!apps.text.includes('switchboard-local-development-secret'));
  });

  const notFound: Array<{ method: string; path: string; code: string; status: number }> = [
    { method: 'GET', path: '/emulator/nothing-here', code: 'emulator/not-found', status: 404 },
    { method: 'PUT', path: '/emulator/faults', code: 'emulator/method-not-allowed', status: 405 },
    { method: 'GET', path: '/favicon.ico', code: 'emulator/not-found', status: 404 },
    { method: 'GET', path: '/skype/v1/nothing', code: 'emulator/not-found', status: 404 },
  ];
  for (const row of notFound) {
    it(`answers ${row.method} ${row.path} with ${row.status} ${row.code} as JSON`, async () => {
      const reply = await h.call(row.method, row.path);
      assert.equal(reply.status, row.status);
      assert.equal(reply.json.error.code, row.code);
    });
  }

  it('answers malformed JSON with 400 emulator/invalid-json', async () => {
    const reply = await h.call('POST', '/emulator/faults', { body: '{"match": ', headers: { 'content-type': 'application/json' } });
    assert.equal(reply.status, 400);
    assert.equal(reply.json.error.code, 'emulator/invalid-json');
  });

  it('answers a body over 4 MB with 413 in each area\'s style', async () => {
    const big = 'x'.repeat(4 * 1024 * 1024 + 1);
    const control = await h.call('POST', '/emulator/faults', { body: big, headers: { 'content-type': 'application/json' } });
    assert.equal(control.status, 413);
    assert.equal(control.json.error.code, 'emulator/payload-too-large');
    const graph = await h.call('POST', '/v1.0/users', { body: big, headers: { 'content-type': 'application/json' } });
    assert.equal(graph.status, 413);
    assert.equal(graph.json.error.code, 'RequestEntityTooLarge');
    const identity = await h.call('POST', `/${h.emulator.tenantId}/oauth2/v2.0/token`, { body: big, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(identity.status, 413);
    assert.equal(typeof identity.json.error, 'string');
    assert.equal((await h.call('GET', '/emulator/health')).status, 200, 'still serving afterwards');
  });
});
