// Presence subscriptions with resource data, against changenotifications-for-presence and
// change-notifications-with-resource-data: delegated only (an app-only token gets Graph's 403), one per app per user
// (409), ≤ 650 ids, a certificate required with includeResourceData; each item's encryptedContent opens with the
// certificate's private key by the documented algorithm into the documented decrypted payload, and the batch's
// validationTokens are JWTs from the emulator's issuer for the app from Graph change tracking. Also the on-behalf-of
// grant that gives the app such a delegated token from a user's token for it.
import { strict as assert } from 'node:assert';
import { constants, createDecipheriv, createHmac, privateDecrypt, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { generate } from 'selfsigned';
import { X509Certificate } from 'node:crypto';
import { CALLS_APP, JONAS, MATEO, PRIYA, startCallsHarness, type CallsHarness } from './calls-harness.js';
import { startAppStandIn, type AppStandIn } from './app-stand-in.js';
import { DEV_SECRET } from './emulator-harness.js';

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const GRAPH = 'https://graph.microsoft.com';

describe('emulator presence subscriptions with resource data', function () {
  this.timeout(30_000);
  let h: CallsHarness;
  let app: AppStandIn;
  let certBase64: string;
  let keyPem: string;
  let otherCertBase64: string;
  before(async () => {
    h = await startCallsHarness({ subscriptionValidationTimeoutMs: 1_000, changeNotificationTimeoutMs: 2_000, changeNotificationRetryWindowMs: 5_000, rosterBatchMs: 10 });
    app = await startAppStandIn();
    const pems = await generate([{ name: 'commonName', value: 'presence test' }], { keyType: 'rsa', keySize: 2048, algorithm: 'sha256' });
    certBase64 = new X509Certificate(pems.cert).raw.toString('base64');
    keyPem = pems.private;
    const other = await generate([{ name: 'commonName', value: 'other' }], { keyType: 'rsa', keySize: 2048, algorithm: 'sha256' });
    otherCertBase64 = new X509Certificate(other.cert).raw.toString('base64');
  });
  after(async () => {
    await h.close();
    await app.close();
  });
  afterEach(async () => {
    for (const s of (await h.control('GET', '/subscriptions')).json.value as any[]) if (s.state === 'active') await h.control('POST', `/subscriptions/${s.id}/expire`).catch(() => undefined);
  });

  const userToken = async (userId: string, scopes = ['Presence.Read.All']) =>
    (await h.control('POST', `/users/${userId}/token`, { audience: GRAPH, scopes, clientId: CALLS_APP.clientId })).json.access_token as string;
  const rich = (ids: string[], extra: Record<string, unknown> = {}) => ({
    changeType: 'updated',
    notificationUrl: `${app.url}/presence`,
    resource: ids.length === 1 ? `communications/presences/${ids[0]}` : `/communications/presences?$filter=id in (${ids.map((id) => `'${id}'`).join(', ')})`,
    expirationDateTime: inMinutes(59),
    includeResourceData: true,
    encryptionCertificate: certBase64,
    encryptionCertificateId: 'test-cert-1',
    clientState: 'presence-secret',
    ...extra,
  });
  const setPresence = (id: string, availability: string, activity: string) => h.control('PUT', `/people/${id}/presence`, { availability, activity });
  const decrypt = (content: any) => {
    const key = privateDecrypt({ key: keyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(content.dataKey, 'base64'));
    const data = Buffer.from(content.data, 'base64');
    assert.ok(timingSafeEqual(createHmac('sha256', key).update(data).digest(), Buffer.from(content.dataSignature, 'base64')), 'the HMAC-SHA256 over the ciphertext matches');
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    return { key, json: JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')) };
  };

  it('refuses app-only tokens as Graph does (403), and checks the certificate and the ids', async () => {
    const appOnly = await h.graph('POST', '/subscriptions', rich([JONAS.id]));
    assert.equal(appOnly.status, 403);
    assert.equal(appOnly.json.error.code, 'ExtensionError');
    assert.equal(appOnly.json.error.message, 'Operation: Create; Exception: [Status Code: Forbidden; Reason: The request is not authorized for this user or application.]');
    const token = await userToken(MATEO.id);
    const cases: Array<[string, Record<string, unknown>, number]> = [
      ['no certificate', { encryptionCertificate: null }, 400],
      ['no certificate id', { encryptionCertificateId: undefined }, 400],
      ['certificate id over 128', { encryptionCertificateId: 'x'.repeat(129) }, 400],
      ['not a certificate', { encryptionCertificate: Buffer.from('hello').toString('base64') }, 400],
      ['past 60 minutes', { expirationDateTime: inMinutes(61) }, 400],
      ['changeType created', { changeType: 'created' }, 400],
    ];
    for (const [name, extra, status] of cases) assert.equal((await h.graph('POST', '/subscriptions', rich([JONAS.id], extra), token)).status, status, name);
    const ids = Array.from({ length: 651 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    assert.equal((await h.graph('POST', '/subscriptions', rich(ids), token)).status, 400, '651 ids');
    assert.equal((await h.graph('POST', '/subscriptions', rich(ids.slice(0, 650)), token)).status, 201, '650 ids');
    const withoutScope = await userToken(PRIYA.id, ['User.Read']);
    assert.equal((await h.graph('POST', '/subscriptions', rich([JONAS.id]), withoutScope)).status, 403, 'delegated without Presence.Read.All');
  });

  it('one presence subscription per app per user: a second one is 409 until the first is deleted', async () => {
    const token = await userToken(MATEO.id);
    const first = await h.graph('POST', '/subscriptions', rich([JONAS.id]), token);
    assert.equal(first.status, 201);
    assert.equal(first.json.includeResourceData, true);
    assert.equal(first.json.encryptionCertificateId, 'test-cert-1');
    assert.equal(first.json.encryptionCertificate, certBase64);
    assert.equal(first.json.creatorId, MATEO.id);
    const second = await h.graph('POST', '/subscriptions', rich([PRIYA.id]), token);
    assert.equal(second.status, 409);
    assert.match(second.json.error.message, /A subscripton already exists/);
    assert.equal((await h.graph('POST', '/subscriptions', rich([PRIYA.id]), await userToken(PRIYA.id))).status, 201, 'another user may');
    assert.equal((await h.graph('DELETE', `/subscriptions/${first.json.id}`, undefined, token)).status, 204);
    assert.equal((await h.graph('POST', '/subscriptions', rich([PRIYA.id]), token)).status, 201);
  });

  it('a presence change arrives encrypted for the certificate, with validationTokens from the issuer', async () => {
    const token = await userToken(MATEO.id);
    const s = (await h.graph('POST', '/subscriptions', rich([JONAS.id, PRIYA.id]), token)).json;
    await setPresence(JONAS.id, 'DoNotDisturb', 'Presenting');
    await app.waitFor(() => app.on('/presence').some((r) => r.body?.value?.[0]?.subscriptionId === s.id), 'a rich presence notification');
    const body = app.on('/presence').find((r) => r.body?.value?.[0]?.subscriptionId === s.id)!.body;
    const item = body.value[0];
    const tenantId = decodeJwt(token).tid as string;
    assert.deepEqual(Object.keys(item).sort(), ['changeType', 'clientState', 'encryptedContent', 'organizationId', 'resource', 'resourceData', 'subscriptionExpirationDateTime', 'subscriptionId', 'tenantId']);
    assert.equal(item.changeType, 'updated');
    assert.equal(item.resource, `communications/presences/${JONAS.id}`);
    assert.deepEqual(item.resourceData, { '@odata.id': `users/${JONAS.id}/presence`, '@odata.type': '#microsoft.graph.presence', id: JONAS.id });
    assert.equal(item.organizationId, tenantId);
    assert.equal(item.clientState, 'presence-secret');
    const content = item.encryptedContent;
    assert.deepEqual(Object.keys(content).sort(), ['data', 'dataKey', 'dataSignature', 'encryptionCertificateId', 'encryptionCertificateThumbprint']);
    assert.equal(content.encryptionCertificateId, 'test-cert-1');
    assert.equal(content.encryptionCertificateThumbprint, new X509Certificate(Buffer.from(certBase64, 'base64')).fingerprint.replace(/:/g, ''));
    const { key, json } = decrypt(content);
    assert.equal(key.length, 32);
    assert.deepEqual(json, { '@odata.id': `users/${JONAS.id}/presence`, '@odata.type': '#microsoft.graph.presence', id: JONAS.id, availability: 'DoNotDisturb', activity: 'Presenting' });

    assert.ok(Array.isArray(body.validationTokens) && body.validationTokens.length === 1);
    const keys = createLocalJWKSet((await h.call('GET', `/${tenantId}/discovery/v2.0/keys`)).json);
    const { payload } = await jwtVerify(body.validationTokens[0], keys, { issuer: `${h.emulator.url}/${tenantId}/`, audience: CALLS_APP.clientId });
    assert.equal(payload.appid, '0bf30f3b-4a52-48df-9a82-234910c4a086');
    assert.equal(payload.tid, tenantId);
    assert.ok((payload.exp as number) > Date.now() / 1000);

    // A new key for every item.
    await setPresence(JONAS.id, 'Away', 'Away');
    await app.waitFor(() => app.on('/presence').filter((r) => r.body?.value?.[0]?.subscriptionId === s.id).length >= 2, 'a second notification');
    const [a, b] = app.on('/presence').filter((r) => r.body?.value?.[0]?.subscriptionId === s.id).map((r) => r.body.value[0].encryptedContent);
    assert.notEqual(a.dataKey, b.dataKey);
    assert.equal(decrypt(b).json.availability, 'Away');
    await h.control('DELETE', `/people/${JONAS.id}/presence`);
  });

  it('PATCH rotates the certificate: later items name the new one', async () => {
    const token = await userToken(MATEO.id);
    const s = (await h.graph('POST', '/subscriptions', rich([PRIYA.id]), token)).json;
    const patched = await h.graph('PATCH', `/subscriptions/${s.id}`, { expirationDateTime: inMinutes(50), encryptionCertificate: otherCertBase64, encryptionCertificateId: 'test-cert-2' }, token);
    assert.equal(patched.status, 200);
    assert.equal(patched.json.encryptionCertificateId, 'test-cert-2');
    await setPresence(PRIYA.id, 'Busy', 'InAMeeting');
    await app.waitFor(() => app.on('/presence').some((r) => r.body?.value?.[0]?.subscriptionId === s.id), 'a notification after rotation');
    const item = app.on('/presence').find((r) => r.body?.value?.[0]?.subscriptionId === s.id)!.body.value[0];
    assert.equal(item.encryptedContent.encryptionCertificateId, 'test-cert-2');
    assert.throws(() => decrypt(item.encryptedContent), 'the old key no longer opens it');
    await h.control('DELETE', `/people/${PRIYA.id}/presence`);
  });

  it('on-behalf-of: a user token for the app becomes a delegated Graph token for that user', async () => {
    const tenantId = decodeJwt(h.token).tid as string;
    const ssoToken = (await h.control('POST', `/users/${MATEO.id}/token`, { audience: `api://localhost/${CALLS_APP.clientId}` })).json.access_token as string;
    const obo = (assertion: string, clientId = CALLS_APP.clientId) => h.call('POST', `/${tenantId}/oauth2/v2.0/token`, {
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of', assertion, client_id: clientId, client_secret: DEV_SECRET, scope: `${GRAPH}/Presence.Read.All openid profile offline_access` },
    });
    const ok = await obo(ssoToken);
    assert.equal(ok.status, 200, ok.text);
    const claims = decodeJwt(ok.json.access_token);
    assert.equal(claims.oid, MATEO.id);
    assert.equal(claims.aud, GRAPH);
    assert.equal(claims.appid, CALLS_APP.clientId);
    assert.equal(claims.scp, 'Presence.Read.All');
    assert.equal((await h.graph('POST', '/subscriptions', rich([JONAS.id]), ok.json.access_token)).status, 201, 'the OBO token subscribes');
    const expired = (await h.control('POST', `/users/${MATEO.id}/token`, { audience: CALLS_APP.clientId, expiresInSeconds: -600 })).json.access_token as string;
    const refusedExpired = await obo(expired);
    assert.equal(refusedExpired.status, 400);
    assert.equal(refusedExpired.json.error, 'invalid_grant');
    const forGraph = await userToken(MATEO.id);
    assert.equal((await obo(forGraph)).json.error, 'invalid_grant', 'an assertion for another audience');
  });
});
