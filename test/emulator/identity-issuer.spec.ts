// The Entra ID stand-in: OpenID metadata, JWKS and the client-credentials token endpoint (secret and certificate),
// with failures in Entra's shapes.

import assert from 'node:assert/strict';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, customFetch, decodeProtectedHeader, importPKCS8, jwtVerify, SignJWT } from 'jose';
import { generate } from 'selfsigned';
import { fetch as undiciFetch } from 'undici';
import { DEV_APP, DEV_SECRET, GRAPH_SCOPE, NO_ROLES_APP, startHarness, type Harness } from './emulator-harness.js';

const CERT_APP_ID = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';

describe('emulator identity issuer', () => {
  let h: Harness;
  let certKeyPem: string;
  let certPem: string;
  let tenant: string;
  let tokenUrl: string;

  before(async () => {
    const pems = await generate([{ name: 'commonName', value: 'switchboard-test-app' }], { keySize: 2048, algorithm: 'sha256' });
    certKeyPem = pems.private;
    certPem = pems.cert;
    h = await startHarness({ apps: [DEV_APP, NO_ROLES_APP, { clientId: CERT_APP_ID, certificatePem: certPem, displayName: 'Cert app', roles: ['User.Read.All'] }] });
    tenant = h.emulator.tenantId;
    tokenUrl = `${h.emulator.authorityUrl}/oauth2/v2.0/token`;
  });

  after(async () => {
    await h.close();
  });

  describe('OpenID metadata', () => {
    for (const path of ['/v2.0/.well-known/openid-configuration', '/.well-known/openid-configuration']) {
      it(`serves ${path} with the emulator's issuer and endpoints`, async () => {
        const reply = await h.call('GET', `/${tenant}${path}`);
        assert.equal(reply.status, 200);
        const base = h.emulator.authorityUrl;
        assert.equal(reply.json.issuer, `${base}/v2.0`);
        assert.equal(reply.json.token_endpoint, `${base}/oauth2/v2.0/token`);
        assert.equal(reply.json.authorization_endpoint, `${base}/oauth2/v2.0/authorize`);
        assert.equal(reply.json.jwks_uri, `${base}/discovery/v2.0/keys`);
        assert.deepEqual(reply.json.id_token_signing_alg_values_supported, ['RS256']);
        assert.ok(reply.json.response_types_supported.includes('code'));
        assert.ok(reply.json.subject_types_supported.length > 0);
        assert.ok(reply.json.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
      });
    }

    it('answers an unknown tenant with 400 invalid_tenant AADSTS90002', async () => {
      const reply = await h.call('GET', `/${randomUUID()}/v2.0/.well-known/openid-configuration`);
      assert.equal(reply.status, 400);
      assert.equal(reply.json.error, 'invalid_tenant');
      assert.deepEqual(reply.json.error_codes, [90002]);
    });

    it('accepts the tenant id in any case', async () => {
      assert.equal((await h.call('GET', `/${tenant.toUpperCase()}/v2.0/.well-known/openid-configuration`)).status, 200);
    });
  });

  describe('JWKS', () => {
    it('publishes only the public RSA key with kid, use and alg', async () => {
      const reply = await h.call('GET', `/${tenant}/discovery/v2.0/keys`);
      assert.equal(reply.status, 200);
      assert.equal(reply.json.keys.length, 1);
      const key = reply.json.keys[0];
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
      assert.equal(key.kty, 'RSA');
      assert.equal(key.use, 'sig');
      assert.equal(key.alg, 'RS256');
    });
  });

  describe('client credentials with a secret', () => {
    it('issues a v1 Graph app token that verifies against the JWKS', async () => {
      const reply = await h.tokenRequest({ grant_type: 'client_credentials', client_id: DEV_APP.clientId, client_secret: DEV_SECRET, scope: GRAPH_SCOPE });
      assert.equal(reply.status, 200);
      assert.equal(reply.json.token_type, 'Bearer');
      assert.equal(reply.json.expires_in, 3599);
      assert.equal(reply.json.ext_expires_in, 3599);

      const jwksUri = new URL(`${h.emulator.authorityUrl}/discovery/v2.0/keys`);
      const fetchThroughAgent = ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher: h.agent })) as unknown as typeof fetch;
      const jwks = createRemoteJWKSet(jwksUri, { [customFetch]: fetchThroughAgent });
      const { payload, protectedHeader } = await jwtVerify(reply.json.access_token, jwks, {
        issuer: `${h.emulator.authorityUrl}/`,
        audience: 'https://graph.microsoft.com',
        algorithms: ['RS256'],
      });
      assert.ok(protectedHeader.kid);
      assert.equal(payload.tid, tenant);
      assert.equal(payload.appid, DEV_APP.clientId);
      assert.equal(payload.azp, DEV_APP.clientId);
      assert.equal(payload.idtyp, 'app');
      assert.equal(payload.ver, '1.0');
      assert.deepEqual(payload.roles, DEV_APP.roles);
      assert.match(String(payload.oid), /^[0-9a-f-]{36}$/);
      assert.equal(payload.exp! - payload.iat!, 3599);
    });

    it('gives the app the same service-principal oid every time', async () => {
      const first = await h.appToken();
      const second = await h.appToken();
      const oid = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()).oid;
      assert.equal(oid(first), oid(second));
    });

    it('accepts the secret in an HTTP Basic header (client_secret_basic)', async () => {
      const basic = Buffer.from(`${encodeURIComponent(DEV_APP.clientId)}:${encodeURIComponent(DEV_SECRET)}`).toString('base64');
      const reply = await h.call('POST', `/${tenant}/oauth2/v2.0/token`, {
        form: { grant_type: 'client_credentials', scope: GRAPH_SCOPE },
        headers: { authorization: `Basic ${basic}` },
      });
      assert.equal(reply.status, 200);
    });

    it('accepts the Graph app id form of the scope', async () => {
      const reply = await h.tokenRequest({ grant_type: 'client_credentials', client_id: DEV_APP.clientId, client_secret: DEV_SECRET, scope: '00000003-0000-0000-c000-000000000000/.default' });
      assert.equal(reply.status, 200);
    });

    const good = { grant_type: 'client_credentials', client_id: DEV_APP.clientId, client_secret: DEV_SECRET, scope: GRAPH_SCOPE };
    const failures: Array<{ name: string; form: Record<string, string | undefined>; status: number; error: string; code: number }> = [
      { name: 'a wrong secret', form: { ...good, client_secret: 'not-the-secret' }, status: 401, error: 'invalid_client', code: 7000215 },
      { name: 'an unknown client', form: { ...good, client_id: randomUUID() }, status: 400, error: 'unauthorized_client', code: 700016 },
      { name: 'no credential', form: { ...good, client_secret: undefined }, status: 401, error: 'invalid_client', code: 7000218 },
      { name: 'a scope without /.default', form: { ...good, scope: 'https://graph.microsoft.com/User.Read.All' }, status: 400, error: 'invalid_scope', code: 1002012 },
      { name: 'several scopes', form: { ...good, scope: `openid ${GRAPH_SCOPE}` }, status: 400, error: 'invalid_scope', code: 1002012 },
      { name: 'another resource', form: { ...good, scope: 'api://someone-else/.default' }, status: 400, error: 'invalid_resource', code: 500011 },
      { name: 'no scope', form: { ...good, scope: undefined }, status: 400, error: 'invalid_request', code: 900144 },
      { name: 'an unsupported grant type', form: { ...good, grant_type: 'password' }, status: 400, error: 'unsupported_grant_type', code: 70003 },
      { name: 'no grant type', form: { ...good, grant_type: undefined }, status: 400, error: 'invalid_request', code: 900144 },
      { name: 'no client id', form: { ...good, client_id: undefined }, status: 400, error: 'invalid_request', code: 900144 },
    ];
    for (const row of failures) {
      it(`refuses ${row.name} with ${row.status} ${row.error} AADSTS${row.code}`, async () => {
        const form = Object.fromEntries(Object.entries(row.form).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const reply = await h.tokenRequest(form);
        assert.equal(reply.status, row.status);
        assert.equal(reply.json.error, row.error);
        assert.deepEqual(reply.json.error_codes, [row.code]);
        assert.ok(reply.json.error_description.startsWith(`AADSTS${row.code}: `));
        assert.equal(typeof reply.json.trace_id, 'string');
        assert.equal(typeof reply.json.correlation_id, 'string');
        assert.match(reply.json.timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
        assert.equal(reply.json.access_token, undefined);
      });
    }

    it('echoes the client-request-id as the correlation id', async () => {
      const reply = await h.call('POST', `/${tenant}/oauth2/v2.0/token`, {
        form: { ...good, client_secret: 'wrong' },
        headers: { 'client-request-id': 'c0rre1a7-10n0-0000-0000-000000000001' },
      });
      assert.equal(reply.json.correlation_id, 'c0rre1a7-10n0-0000-0000-000000000001');
      assert.equal(reply.headers['client-request-id'], 'c0rre1a7-10n0-0000-0000-000000000001');
    });

    it('answers GET on the token endpoint with invalid_request AADSTS900561', async () => {
      const reply = await h.call('GET', `/${tenant}/oauth2/v2.0/token`);
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.json.error_codes, [900561]);
    });
  });

  describe('client credentials with a certificate assertion', () => {
    const sha1Thumbprint = () => createHash('sha1').update(new X509Certificate(certPem).raw).digest('base64url');
    const sha256Thumbprint = () => createHash('sha256').update(new X509Certificate(certPem).raw).digest('base64url');

    async function assertion(options: { key?: string; alg?: 'RS256' | 'PS256'; header?: Record<string, string>; claims?: Record<string, unknown>; aud?: string; iss?: string; expOffset?: number } = {}): Promise<string> {
      const alg = options.alg ?? 'RS256';
      const key = await importPKCS8(options.key ?? certKeyPem, alg);
      const now = Math.floor(Date.now() / 1000);
      const iss = options.iss ?? CERT_APP_ID;
      return new SignJWT({ jti: randomUUID(), ...options.claims })
        .setProtectedHeader({ alg, typ: 'JWT', ...(options.header ?? { x5t: sha1Thumbprint() }) })
        .setAudience(options.aud ?? tokenUrl)
        .setIssuer(iss)
        .setSubject(iss)
        .setNotBefore(now)
        .setExpirationTime(now + (options.expOffset ?? 600))
        .sign(key);
    }

    const certForm = (clientAssertion: string) => ({
      grant_type: 'client_credentials',
      client_id: CERT_APP_ID,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion,
      scope: GRAPH_SCOPE,
    });

    it('issues a token for an RS256 assertion with x5t (appidacr 2)', async () => {
      const reply = await h.tokenRequest(certForm(await assertion()));
      assert.equal(reply.status, 200, reply.text);
      const keys = (await h.call('GET', `/${tenant}/discovery/v2.0/keys`)).json;
      const { payload } = await jwtVerify(reply.json.access_token, createLocalJWKSet(keys), { audience: 'https://graph.microsoft.com' });
      assert.equal(payload.appid, CERT_APP_ID);
      assert.equal(payload.appidacr, '2');
    });

    it('issues a token for a PS256 assertion with x5t#S256, as MSAL sends', async () => {
      const reply = await h.tokenRequest(certForm(await assertion({ alg: 'PS256', header: { 'x5t#S256': sha256Thumbprint() } })));
      assert.equal(reply.status, 200, reply.text);
    });

    it('refuses an assertion signed by another key (forged) with invalid_client AADSTS700027', async () => {
      const other = await generate(undefined, { keySize: 2048, algorithm: 'sha256' });
      const reply = await h.tokenRequest(certForm(await assertion({ key: other.private })));
      assert.equal(reply.status, 401);
      assert.equal(reply.json.error, 'invalid_client');
      assert.deepEqual(reply.json.error_codes, [700027]);
    });

    const refusals: Array<{ name: string; make: () => Promise<string>; code: number }> = [
      { name: 'a thumbprint of an unregistered certificate', make: () => assertion({ header: { x5t: Buffer.alloc(20, 7).toString('base64url') } }), code: 700027 },
      { name: 'an audience other than the token endpoint', make: () => assertion({ aud: `${h.emulator.url}/common/oauth2/v2.0/token` }), code: 700023 },
      { name: 'an issuer other than the client id', make: () => assertion({ iss: DEV_APP.clientId }), code: 700021 },
      { name: 'an expired assertion', make: () => assertion({ expOffset: -3600 }), code: 700024 },
    ];
    for (const row of refusals) {
      it(`refuses ${row.name} with AADSTS${row.code}`, async () => {
        const reply = await h.tokenRequest(certForm(await row.make()));
        assert.equal(reply.status, 401);
        assert.equal(reply.json.error, 'invalid_client');
        assert.deepEqual(reply.json.error_codes, [row.code]);
      });
    }

    it('refuses a certificate assertion for an app registered with a secret only', async () => {
      const reply = await h.tokenRequest({ ...certForm(await assertion({ iss: DEV_APP.clientId })), client_id: DEV_APP.clientId });
      assert.equal(reply.status, 401);
      assert.deepEqual(reply.json.error_codes, [700027]);
    });

    it('puts the signing kid in the header of issued tokens', async () => {
      const token = (await h.tokenRequest(certForm(await assertion()))).json.access_token;
      const keys = (await h.call('GET', `/${tenant}/discovery/v2.0/keys`)).json;
      assert.equal(decodeProtectedHeader(token).kid, keys.keys[0].kid);
    });
  });
});

