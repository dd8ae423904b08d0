// Fault injection through the control API: status answers (Graph and Entra shapes, Retry-After), counts, prefix
// matches, delays and dropped connections — and the requests after a spent fault are handled normally.

import assert from 'node:assert/strict';
import { request } from 'undici';
import { AMARA_ID, DEV_APP, DEV_SECRET, GRAPH_SCOPE, startHarness, type Harness } from './emulator-harness.js';

describe('emulator fault injection', () => {
  let h: Harness;
  let token: string;

  before(async () => {
    h = await startHarness();
    token = await h.appToken();
  });

  afterEach(async () => {
    await h.call('DELETE', '/emulator/faults');
  });

  after(async () => {
    await h.close();
  });

  const addFault = async (spec: Record<string, unknown>) => {
    const reply = await h.call('POST', '/emulator/faults', { json: spec });
    assert.equal(reply.status, 201, reply.text);
    return reply.json as { id: string; remaining: number };
  };
  const users = () => h.call('GET', '/v1.0/users', { token });

  it('answers 429 with Retry-After and Graph\'s throttling body once, then normally', async () => {
    await addFault({ match: { method: 'GET', path: '/v1.0/users' }, status: 429, retryAfterSeconds: 7 });
    const throttled = await users();
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '7');
    assert.equal(throttled.json.error.code, 'TooManyRequests');
    assert.ok(throttled.json.error.innerError['request-id']);
    assert.ok(throttled.headers['request-id']);
    assert.equal((await users()).status, 200);
  });

  it('applies a fault count times, reporting what remains', async () => {
    const fault = await addFault({ match: { path: '/v1.0/users' }, status: 503, count: 2 });
    assert.equal(fault.remaining, 2);
    const first = await users();
    assert.equal(first.status, 503);
    assert.equal(first.json.error.code, 'serviceNotAvailable');
    assert.deepEqual((await h.call('GET', '/emulator/faults')).json.value.map((f: { remaining: number }) => f.remaining), [1]);
    assert.equal((await users()).status, 503);
    assert.equal((await users()).status, 200);
    assert.deepEqual((await h.call('GET', '/emulator/faults')).json.value, []);
  });

  it('matches a path prefix ending in *, and not other paths', async () => {
    await addFault({ match: { path: '/v1.0/users/*' }, status: 504, count: 5 });
    assert.equal((await users()).status, 200, '/v1.0/users is not under /v1.0/users/');
    const reply = await h.call('GET', `/v1.0/users/${AMARA_ID}`, { token });
    assert.equal(reply.status, 504);
    assert.equal(reply.json.error.code, 'gatewayTimeout');
  });

  it('matches the method when given', async () => {
    await addFault({ match: { method: 'post', path: '/v1.0/users' }, status: 500 });
    assert.equal((await users()).status, 200);
    assert.equal((await h.call('GET', '/emulator/faults')).json.value.length, 1);
  });

  it('answers a custom body when given', async () => {
    await addFault({ match: { path: '/v1.0/users' }, status: 429, body: { error: { code: 'activityLimitReached', message: 'Slow down.' } } });
    const reply = await users();
    assert.equal(reply.status, 429);
    assert.equal(reply.json.error.code, 'activityLimitReached');
  });

  it('fails the token endpoint in Entra\'s shape, so MSAL sees a server error', async () => {
    await addFault({ match: { method: 'POST', path: `/${h.emulator.tenantId}/oauth2/v2.0/token` }, status: 503, retryAfterSeconds: 2 });
    const form = { grant_type: 'client_credentials', client_id: DEV_APP.clientId, client_secret: DEV_SECRET, scope: GRAPH_SCOPE };
    const failed = await h.tokenRequest(form);
    assert.equal(failed.status, 503);
    assert.equal(failed.headers['retry-after'], '2');
    assert.equal(failed.json.error, 'temporarily_unavailable');
    assert.ok(Array.isArray(failed.json.error_codes));
    assert.equal((await h.tokenRequest(form)).status, 200);
  });

  it('delays a request, then handles it normally (a later request overtakes it)', async () => {
    await h.call('DELETE', '/emulator/requests');
    await addFault({ match: { path: `/v1.0/users/${AMARA_ID}` }, delayMs: 500 });
    const slow = h.call('GET', `/v1.0/users/${AMARA_ID}`, { token });
    await new Promise((resolve) => setImmediate(resolve));
    const fast = await h.call('GET', '/v1.0/users', { token });
    const slowReply = await slow;
    assert.equal(fast.status, 200);
    assert.equal(slowReply.status, 200);
    assert.equal(slowReply.json.id, AMARA_ID);
    const log = (await h.call('GET', '/emulator/requests')).json.value as Array<{ path: string; faultId?: string }>;
    assert.deepEqual(log.map((e) => e.path), ['/v1.0/users', `/v1.0/users/${AMARA_ID}`], 'the delayed request finished last');
    assert.ok(log[1]!.faultId);
  });

  it('drops the connection on reset, records status 0, and serves the next request', async () => {
    await h.call('DELETE', '/emulator/requests');
    await addFault({ match: { path: '/v1.0/users' }, reset: true });
    await assert.rejects(request(`${h.emulator.url}/v1.0/users`, { headers: { authorization: `Bearer ${token}` }, dispatcher: h.agent }));
    assert.equal((await users()).status, 200);
    const log = (await h.call('GET', '/emulator/requests')).json.value as Array<{ status: number }>;
    assert.deepEqual(log.map((e) => e.status), [0, 200]);
  });

  it('never applies to the control API', async () => {
    const reply = await h.call('POST', '/emulator/faults', { json: { match: { path: '/emulator/health' }, status: 500 } });
    assert.equal(reply.status, 400);
    assert.equal(reply.json.error.code, 'emulator/invalid-body');
    await addFault({ match: { path: '/*' }, status: 500, count: 10 });
    assert.equal((await h.call('GET', '/emulator/health')).status, 200);
  });

  it('removes one fault by id, and clears all', async () => {
    const a = await addFault({ match: { path: '/a' }, status: 500 });
    await addFault({ match: { path: '/b' }, status: 500 });
    assert.equal((await h.call('DELETE', `/emulator/faults/${a.id}`)).status, 204);
    assert.deepEqual((await h.call('GET', '/emulator/faults')).json.value.map((f: { match: { path: string } }) => f.match.path), ['/b']);
    const again = await h.call('DELETE', `/emulator/faults/${a.id}`);
    assert.equal(again.status, 404);
    assert.equal(again.json.error.code, 'emulator/unknown-fault');
    assert.equal((await h.call('DELETE', '/emulator/faults')).json.removed, 1);
  });

  const invalid: Array<{ name: string; spec: unknown }> = [
    { name: 'no match', spec: { status: 500 } },
    { name: 'a relative path', spec: { match: { path: 'v1.0/users' }, status: 500 } },
    { name: 'nothing to do', spec: { match: { path: '/v1.0/users' } } },
    { name: 'reset with a status', spec: { match: { path: '/v1.0/users' }, reset: true, status: 500 } },
    { name: 'a zero count', spec: { match: { path: '/v1.0/users' }, status: 500, count: 0 } },
    { name: 'a status out of range', spec: { match: { path: '/v1.0/users' }, status: 99 } },
    { name: 'an unknown field', spec: { match: { path: '/v1.0/users' }, status: 500, probability: 0.5 } },
  ];
  for (const row of invalid) {
    it(`refuses a fault with ${row.name} (400 emulator/invalid-body)`, async () => {
      const reply = await h.call('POST', '/emulator/faults', { json: row.spec });
      assert.equal(reply.status, 400);
      assert.equal(reply.json.error.code, 'emulator/invalid-body');
    });
  }
});
