// Graph checks the bearer token before anything else: each broken claim gives 401 InvalidAuthenticationToken,
// a valid token without the route's permission gives 403 Authorization_RequestDenied.

import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { GraphTokenValidator } from '../../emulator/graph/graph-auth.js';
import type { GraphError } from '../../emulator/graph/graph-error.js';
import { SigningKey } from '../../emulator/keys/signing-key.js';
import { AMARA_ID, NO_ROLES_APP, startHarness, type Harness } from './emulator-harness.js';

describe('emulator Graph authentication', () => {
  let h: Harness;
  let issuerKey: SigningKey;

  before(async () => {
    h = await startHarness();
    issuerKey = await SigningKey.loadOrCreate(h.dataDir, 'identity-signing-key');
  });

  after(async () => {
    await h.close();
  });

  /** A Graph app token signed with the emulator's own issuer key, with the given claims changed. */
  function appClaims(overrides: JWTPayload = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return {
      aud: 'https://graph.microsoft.com',
      iss: `${h.emulator.authorityUrl}/`,
      tid: h.emulator.tenantId,
      appid: '8b2f6f0e-3c1d-4e5a-9f7b-2a6c4d8e0f13',
      idtyp: 'app',
      roles: ['User.Read.All'],
      ver: '1.0',
      iat: now,
      nbf: now,
      exp: now + 3600,
      ...overrides,
    };
  }

  async function foreignToken(kid: string): Promise<string> {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT(appClaims()).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
  }

  it('accepts a token signed by the issuer key with every claim right (the baseline the rows below break)', async () => {
    const reply = await h.call('GET', '/v1.0/users', { token: await issuerKey.sign(appClaims()) });
    assert.equal(reply.status, 200);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const unauthorized: Array<{ name: string; headers: () => Promise<Record<string, string>> }> = [
    { name: 'no Authorization header', headers: async () => ({}) },
    { name: 'a Basic Authorization header', headers: async () => ({ authorization: 'Basic dXNlcjpwYXNz' }) },
    { name: 'Bearer with no token', headers: async () => ({ authorization: 'Bearer' }) },
    { name: 'a token that is not a JWT', headers: async () => ({ authorization: 'Bearer not-a-jwt' }) },
    { name: 'a JWT with garbage segments', headers: async () => ({ authorization: 'Bearer aaa.bbb.ccc' }) },
    { name: 'a wrong audience', headers: async () => bearer(await issuerKey.sign(appClaims({ aud: 'api://some-other-api' }))) },
    { name: 'a wrong issuer', headers: async () => bearer(await issuerKey.sign(appClaims({ iss: 'https://sts.windows.net/someone-else/' }))) },
    { name: 'the v2 issuer (Graph tokens are v1)', headers: async () => bearer(await issuerKey.sign(appClaims({ iss: `${h.emulator.authorityUrl}/v2.0` }))) },
    { name: 'another tenant', headers: async () => bearer(await issuerKey.sign(appClaims({ tid: '11111111-2222-4333-8444-555555555555' }))) },
    { name: 'an expired token', headers: async () => bearer(await issuerKey.sign(appClaims({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }))) },
    { name: 'a token not yet valid', headers: async () => bearer(await issuerKey.sign(appClaims({ nbf: now() + 3600, exp: now() + 7200 }))) },
    { name: 'a foreign key using the emulator kid', headers: async () => bearer(await foreignToken(issuerKey.kid)) },
    { name: 'a foreign key with an unknown kid', headers: async () => bearer(await foreignToken('unknown-kid')) },
    { name: 'a calling-service token', headers: async () => bearer(await h.emulator.signCallingToken({ audience: 'https://graph.microsoft.com' })) },
    { name: 'a user token for another audience', headers: async () => bearer(await h.userToken(AMARA_ID, { audience: 'api://switchboard-tab' })) },
    { name: 'an expired user token for Graph', headers: async () => bearer(await h.userToken(AMARA_ID, { audience: 'https://graph.microsoft.com', scopes: ['User.Read.All'], expiresInSeconds: -3600 })) },
  ];
  for (const row of unauthorized) {
    it(`answers ${row.name} with 401 InvalidAuthenticationToken`, async () => {
      const reply = await h.call('GET', '/v1.0/users', { headers: await row.headers() });
      assert.equal(reply.status, 401);
      assert.equal(reply.json.error.code, 'InvalidAuthenticationToken');
      assert.equal(typeof reply.json.error.message, 'string');
      assert.equal(reply.json.error.innerError['request-id'], reply.headers['request-id']);
      assert.match(reply.headers['www-authenticate'] ?? '', /^Bearer /);
      assert.equal(reply.json.value, undefined);
    });
  }

  it('checks the token before resolving the path (unknown path without a token is 401)', async () => {
    const reply = await h.call('GET', '/v1.0/no-such-thing');
    assert.equal(reply.status, 401);
  });

  it('answers an app token without the required role with 403 Authorization_RequestDenied', async () => {
    const token = await h.appToken(NO_ROLES_APP.clientId, NO_ROLES_APP.clientSecret);
    const reply = await h.call('GET', '/v1.0/users', { token });
    assert.equal(reply.status, 403);
    assert.equal(reply.json.error.code, 'Authorization_RequestDenied');
    assert.equal(reply.json.error.message, 'Insufficient privileges to complete the operation.');
  });

  it('accepts a delegated Graph token with a user-read scope and refuses one without', async () => {
    const allowed = await h.userToken(AMARA_ID, { audience: 'https://graph.microsoft.com', scopes: ['User.ReadBasic.All'] });
    const denied = await h.userToken(AMARA_ID, { audience: 'https://graph.microsoft.com', scopes: ['Calendars.Read'] });
    assert.equal((await h.call('GET', '/v1.0/users', { token: allowed })).status, 200);
    assert.equal((await h.call('GET', '/v1.0/users', { token: denied })).status, 403);
  });

  it('accepts the Graph app id as audience', async () => {
    const reply = await h.call('GET', '/v1.0/users', { token: await issuerKey.sign(appClaims({ aud: '00000003-0000-0000-c000-000000000000' })) });
    assert.equal(reply.status, 200);
  });

  it('puts Graph headers on every answer, echoing client-request-id', async () => {
    const token = await h.appToken();
    for (const [token_, status] of [[token, 200], [undefined, 401]] as const) {
      const reply = await h.call('GET', '/v1.0/users', { token: token_, headers: { 'client-request-id': 'my-correlation-id' } });
      assert.equal(reply.status, status);
      assert.equal(reply.headers['client-request-id'], 'my-correlation-id');
      assert.match(reply.headers['request-id'] ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(reply.headers['content-type'], 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8');
    }
    const generated = await h.call('GET', '/v1.0/users', { token });
    assert.match(generated.headers['client-request-id'] ?? '', /^[0-9a-f-]{36}$/);
  });

  it('checks a token it has seen before for its lifetime only: once expired (past the skew) it is refused', async () => {
    let clock = Date.now();
    const validator = new GraphTokenValidator(issuerKey, `${h.emulator.authorityUrl}/`, h.emulator.tenantId, h.emulator.authorityUrl, () => clock);
    const at = Math.floor(clock / 1000);
    const token = await issuerKey.sign(appClaims({ iat: at, nbf: at, exp: at + 60 }));
    assert.equal((await validator.validate(`Bearer ${token}`)).kind, 'application');
    assert.equal((await validator.validate(`Bearer ${token}`)).kind, 'application', 'again, remembered');
    clock += (60 + 299) * 1000;
    assert.equal((await validator.validate(`Bearer ${token}`)).kind, 'application', 'within the 5-minute skew');
    clock += 2_000;
    await assert.rejects(validator.validate(`Bearer ${token}`), (err: GraphError) => err.status === 401 && /expired/.test(err.message));
    // The same claims under another signature are not the remembered token.
    const [head, body] = token.split('.');
    await assert.rejects(validator.validate(`Bearer ${head}.${body}.${'A'.repeat(342)}`), (err: GraphError) => err.status === 401);
  });
});

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
