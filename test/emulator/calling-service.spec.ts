// The calling service's signing side: its metadata and keys, and signCallingToken's JWTs, which verify against
// /skype/v1/keys and not against the identity issuer's keys.

import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startHarness, type Harness } from './emulator-harness.js';

describe('emulator calling-service signing', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h.close();
  });

  it('serves OpenID metadata naming the botframework issuer and its own keys', async () => {
    const reply = await h.call('GET', '/skype/v1/.well-known/OpenIdConfiguration');
    assert.equal(reply.status, 200);
    assert.equal(h.emulator.callingOpenIdMetadataUrl, `${h.emulator.url}/skype/v1/.well-known/OpenIdConfiguration`);
    assert.equal(reply.json.issuer, 'https://api.botframework.com');
    assert.equal(reply.json.jwks_uri, `${h.emulator.url}/skype/v1/keys`);
    assert.deepEqual(reply.json.id_token_signing_alg_values_supported, ['RS256']);
  });

  it('signs tokens that verify against /skype/v1/keys with the expected claims', async () => {
    const keys = (await h.call('GET', '/skype/v1/keys')).json;
    const token = await h.emulator.signCallingToken({ audience: 'bot-app-id' });
    assert.equal(decodeProtectedHeader(token).kid, keys.keys[0].kid);
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys), { audience: 'bot-app-id', issuer: 'https://api.botframework.com', algorithms: ['RS256'] });
    assert.equal(payload.tid, h.emulator.tenantId);
    assert.ok(payload.iat && payload.nbf && payload.exp);
  });

  it('takes issuer, tenant and lifetime', async () => {
    const keys = createLocalJWKSet((await h.call('GET', '/skype/v1/keys')).json);
    const token = await h.emulator.signCallingToken({ audience: 'a', issuer: 'https://graph.microsoft.com', tenantId: 'other-tenant', expiresInSeconds: 60 });
    const { payload } = await jwtVerify(token, keys, { issuer: 'https://graph.microsoft.com' });
    assert.equal(payload.tid, 'other-tenant');
    assert.equal(payload.exp! - payload.iat!, 60);
  });

  it('is not verifiable with the identity issuer keys', async () => {
    const entraKeys = createLocalJWKSet((await h.call('GET', `/${h.emulator.tenantId}/discovery/v2.0/keys`)).json);
    const token = await h.emulator.signCallingToken({ audience: 'bot-app-id' });
    await assert.rejects(jwtVerify(token, entraKeys), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });
});
