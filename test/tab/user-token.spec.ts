// The tab's sign-in check against the emulator's real issuer: good user tokens pass, and every kind of bad token
// (wrong audience, foreign tenant, no scope, expired, unsigned, foreign key, app token, ID-ish token) is refused.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { Agent, request } from 'undici';
import { createHttpTransport, createMsalTokenProvider, REQUIRED_APP_ROLES, type HttpTransport } from '../../comms/graph/index.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { LOCAL_APP } from '../../server/config.js';
import { createUserTokenValidator, TabAuthError, type UserTokenValidator } from '../../tab/server/user-token.js';

const AMARA = 'amara.okafor@switchboard.test';

describe('tab/server user token', () => {
  let emulator: RunningEmulator;
  let transport: HttpTransport;
  let agent: Agent;
  let validator: UserTokenValidator;

  before(async () => {
    emulator = await startEmulator({
      port: 0,
      dataDir: join(mkdtempSync(join(tmpdir(), 'sb-tab-')), 'emulator'),
      tenantId: LOCAL_APP.tenantId,
      apps: [{ clientId: LOCAL_APP.id, clientSecret: LOCAL_APP.secret, displayName: 'Switchboard (local)', roles: REQUIRED_APP_ROLES }],
    });
    transport = createHttpTransport({ extraCaPem: emulator.caCertPem });
    agent = new Agent({ connect: { ca: emulator.caCertPem } });
    validator = validatorWith({});
  });
  after(async () => {
    await transport?.close();
    await agent?.close();
    await emulator?.close();
  });

  function validatorWith(overrides: Partial<Parameters<typeof createUserTokenValidator>[0]>): UserTokenValidator {
    return createUserTokenValidator({
      jwksUrl: `${emulator.authorityUrl}/discovery/v2.0/keys`,
      issuers: [`${emulator.authorityUrl}/v2.0`],
      audiences: [LOCAL_APP.id, `api://127.0.0.1/${LOCAL_APP.id}`],
      allowedTenants: [LOCAL_APP.tenantId],
      requiredScope: 'access_as_user',
      transport,
      ...overrides,
    });
  }

  async function userToken(body: Record<string, unknown>, who = AMARA): Promise<string> {
    const res = await request(`${emulator.url}/emulator/users/${who}/token`, { method: 'POST', dispatcher: agent, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const json = (await res.body.json()) as { access_token: string };
    return json.access_token;
  }

  it('accepts a user token for the app and says who the user is', async () => {
    const user = await validator.validate(`Bearer ${await userToken({ audience: LOCAL_APP.id })}`);
    assert.equal(user.tenantId, LOCAL_APP.tenantId);
    assert.match(user.userId, /^[0-9a-f-]{36}$/);
    assert.equal(user.upn, AMARA);
  });

  it('accepts the application ID URI as audience', async () => {
    await validator.validate(`Bearer ${await userToken({ audience: `api://127.0.0.1/${LOCAL_APP.id}` })}`);
  });

  const bad: Array<[string, () => Promise<string | undefined>, TabAuthError['code'], Partial<Parameters<typeof createUserTokenValidator>[0]>?]> = [
    ['no header', async () => undefined, 'tab/unauthenticated'],
    ['a Basic header', async () => 'Basic dXNlcjpwYXNz', 'tab/unauthenticated'],
    ['a token for another audience (Graph)', async () => `Bearer ${await userToken({ audience: 'https://graph.microsoft.com' })}`, 'tab/invalid-token'],
    ['a token for another app', async () => `Bearer ${await userToken({ audience: '00000000-0000-0000-0000-00000000beef' })}`, 'tab/invalid-token'],
    ['a token without the access_as_user scope', async () => `Bearer ${await userToken({ audience: LOCAL_APP.id, scopes: ['User.Read'] })}`, 'tab/missing-scope'],
    ['an expired token', async () => `Bearer ${await userToken({ audience: LOCAL_APP.id, expiresInSeconds: -600 })}`, 'tab/invalid-token'],
    ['a token from a tenant not allowed', async () => `Bearer ${await userToken({ audience: LOCAL_APP.id })}`, 'tab/forbidden-tenant', { allowedTenants: ['11111111-1111-1111-1111-111111111111'] }],
    ['a v2 token where only the v1 issuer is trusted', async () => `Bearer ${await userToken({ audience: LOCAL_APP.id })}`, 'tab/invalid-token', { issuers: [`${'https://sts.windows.net'}/${LOCAL_APP.tenantId}/`] }],
    ['an unsigned token (alg none)', async () => {
      const payload = Buffer.from(JSON.stringify({ aud: LOCAL_APP.id, iss: `${emulator.authorityUrl}/v2.0`, tid: LOCAL_APP.tenantId, oid: 'x', scp: 'access_as_user', exp: 9999999999 })).toString('base64url');
      return `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    }, 'tab/invalid-token'],
    ['a token signed by a foreign key', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const jwt = await new SignJWT({ tid: LOCAL_APP.tenantId, oid: 'x', scp: 'access_as_user' }).setProtectedHeader({ alg: 'RS256', kid: 'foreign' }).setIssuer(`${emulator.authorityUrl}/v2.0`).setAudience(LOCAL_APP.id).setExpirationTime('1h').sign(privateKey);
      return `Bearer ${jwt}`;
    }, 'tab/invalid-token'],
    ['a tampered payload', async () => {
      const [h, p, s] = (await userToken({ audience: LOCAL_APP.id })).split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims.oid = '00000000-0000-0000-0000-000000000000';
      return `Bearer ${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    }, 'tab/invalid-token'],
    ['the app\'s own client-credentials token', async () => {
      const tokens = createMsalTokenProvider({ clientId: LOCAL_APP.id, authorityUrl: emulator.authorityUrl, credential: { kind: 'secret', secret: LOCAL_APP.secret }, knownAuthorities: [new URL(emulator.url).host], transport });
      return `Bearer ${await tokens.getToken()}`;
    }, 'tab/invalid-token'],
  ];
  for (const [name, token, code, overrides] of bad) {
    it(`refuses ${name} with ${code}`, async () => {
      const check = overrides ? validatorWith(overrides) : validator;
      await assert.rejects(check.validate(await token()), (err: TabAuthError) => {
        assert.ok(err instanceof TabAuthError, String(err));
        assert.equal(err.code, code);
        assert.equal(err.status, 401);
        return true;
      });
    });
  }
});
