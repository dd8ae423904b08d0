// POST /emulator/users/{id}/token: user tokens for emulated people (the local stand-in for Teams SSO).

import assert from 'node:assert/strict';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { AMARA_ID, startHarness, type Harness } from './emulator-harness.js';

describe('emulator user tokens', () => {
  let h: Harness;
  let keys: ReturnType<typeof createLocalJWKSet>;

  before(async () => {
    h = await startHarness();
    keys = createLocalJWKSet((await h.call('GET', `/${h.emulator.tenantId}/discovery/v2.0/keys`)).json);
  });

  after(async () => {
    await h.close();
  });

  it('issues a v2 token for the tab audience with access_as_user by default', async () => {
    const reply = await h.call('POST', `/emulator/users/${AMARA_ID}/token`, { json: { audience: 'api://127.0.0.1/8b2f6f0e-3c1d-4e5a-9f7b-2a6c4d8e0f13' } });
    assert.equal(reply.status, 200);
    assert.equal(reply.json.expires_in, 3600);
    const { payload } = await jwtVerify(reply.json.access_token, keys, {
      issuer: `${h.emulator.authorityUrl}/v2.0`,
      audience: 'api://127.0.0.1/8b2f6f0e-3c1d-4e5a-9f7b-2a6c4d8e0f13',
    });
    assert.equal(payload.ver, '2.0');
    assert.equal(payload.scp, 'access_as_user');
    assert.equal(payload.oid, AMARA_ID);
    assert.equal(payload.tid, h.emulator.tenantId);
    assert.equal(payload.name, 'Amara Okafor');
    assert.equal(payload.preferred_username, 'amara.okafor@switchboard.test');
    assert.equal(typeof payload.azp, 'string');
  });

  it('takes scopes, client id and lifetime, and finds the user by UPN', async () => {
    const reply = await h.call('POST', '/emulator/users/amara.okafor@switchboard.test/token', {
      json: { audience: 'my-api', scopes: ['a.read', 'b.write'], clientId: 'c1', expiresInSeconds: 120 },
    });
    const { payload } = await jwtVerify(reply.json.access_token, keys, { audience: 'my-api' });
    assert.equal(payload.scp, 'a.read b.write');
    assert.equal(payload.azp, 'c1');
    assert.equal(payload.exp! - payload.iat!, 120);
  });

  it('issues a v1 token when the audience is Graph, as Entra does', async () => {
    const reply = await h.call('POST', `/emulator/users/${AMARA_ID}/token`, { json: { audience: 'https://graph.microsoft.com', scopes: ['User.Read.All'] } });
    const { payload } = await jwtVerify(reply.json.access_token, keys, { issuer: `${h.emulator.authorityUrl}/` });
    assert.equal(payload.ver, '1.0');
    assert.equal(payload.upn, 'amara.okafor@switchboard.test');
    assert.equal(payload.idtyp, 'user');
  });

  it('answers an unknown user with 404 emulator/unknown-user', async () => {
    const reply = await h.call('POST', '/emulator/users/nobody@switchboard.test/token', { json: { audience: 'x' } });
    assert.equal(reply.status, 404);
    assert.equal(reply.json.error.code, 'emulator/unknown-user');
  });

  const invalid: Array<{ name: string; body: unknown }> = [
    { name: 'no audience', body: {} },
    { name: 'an empty audience', body: { audience: '' } },
    { name: 'a scope with spaces', body: { audience: 'x', scopes: ['a b'] } },
    { name: 'zero lifetime', body: { audience: 'x', expiresInSeconds: 0 } },
    { name: 'an unknown field', body: { audience: 'x', roles: ['admin'] } },
  ];
  for (const row of invalid) {
    it(`refuses ${row.name} with 400 emulator/invalid-body`, async () => {
      const reply = await h.call('POST', `/emulator/users/${AMARA_ID}/token`, { json: row.body });
      assert.equal(reply.status, 400);
      assert.equal(reply.json.error.code, 'emulator/invalid-body');
    });
  }
});
