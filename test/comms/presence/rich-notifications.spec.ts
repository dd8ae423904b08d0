// Rich presence notifications, the app's side: items encrypted here as Graph documents it (RSA-OAEP SHA-1 key,
// AES-256-CBC with IV = the key's first 16 bytes, HMAC-SHA256 over the ciphertext) decrypt; a tampered signature,
// another certificate, an expired validation token, the wrong appid or aud are refused — and PresenceSubscriptions
// drops such items, logs why (never a token), and publishes only what passed.
import assert from 'node:assert/strict';
import { constants, createCipheriv, createHmac, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { HttpTransport, OnBehalfOf } from '../../../comms/graph/index.js';
import {
  CertificateKeyring,
  CHANGE_TRACKING_APP_ID,
  createValidationTokenVerifier,
  decryptResource,
  loadOrCreateNotificationCertificate,
  PresenceError,
  PresenceSubscriptions,
  type NotificationCertificate,
} from '../../../comms/presence/index.js';
import { EventBus, openSqliteStore, type CommsEvent, type Store } from '../../../comms/store/index.js';

const APP_ID = '8b2f6f0e-3c1d-4e5a-9f7b-2a6c4d8e0f13';
const TENANT = '6e1f2a0c-4b7d-4f0e-9c3a-2d5b8e7f1a90';
const ISSUER = `https://sts.windows.net/${TENANT}/`;
const JONAS = 'fa8bf3dc-eca7-46b7-bad1-db199b62afc3';

/** Graph's side of one item, written from the documented algorithm (not the emulator's code). */
function encryptAsGraph(resource: unknown, certificate: NotificationCertificate, certificateId = certificate.id) {
  const key = randomBytes(32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const data = Buffer.concat([cipher.update(JSON.stringify(resource), 'utf8'), cipher.final()]);
  const publicKey = new X509Certificate(Buffer.from(certificate.base64, 'base64')).publicKey;
  return {
    data: data.toString('base64'),
    dataSignature: createHmac('sha256', key).update(data).digest('base64'),
    dataKey: publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key).toString('base64'),
    encryptionCertificateId: certificateId,
    encryptionCertificateThumbprint: certificate.thumbprint,
  };
}

const presenceOf = (id: string, availability = 'Busy', activity = 'InACall') => ({ '@odata.id': `users/${id}/presence`, '@odata.type': '#microsoft.graph.presence', id, availability, activity });

describe('comms/presence rich notifications', function () {
  this.timeout(20_000);
  let dir: string;
  let mine: NotificationCertificate;
  let other: NotificationCertificate;
  let signer: CryptoKey;
  let stranger: CryptoKey;
  let transport: HttpTransport;
  const sign = (claims: JWTPayload, key: CryptoKey = signer) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(key);
  const now = () => Math.floor(Date.now() / 1000);
  const goodClaims = (): JWTPayload => ({ aud: APP_ID, iss: ISSUER, iat: now(), nbf: now(), exp: now() + 3600, appid: CHANGE_TRACKING_APP_ID, tid: TENANT, ver: '1.0' });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'presence-cert-'));
    mine = await loadOrCreateNotificationCertificate(join(dir, 'a'));
    other = await loadOrCreateNotificationCertificate(join(dir, 'b'));
    ({ privateKey: signer } = await generateKeyPair('RS256', { extractable: true }));
    ({ privateKey: stranger } = await generateKeyPair('RS256', { extractable: true }));
    const jwk = { ...(await exportJWK(signer)), kid: 'k1', alg: 'RS256', use: 'sig' };
    delete (jwk as { d?: string }).d;
    for (const f of ['p', 'q', 'dp', 'dq', 'qi'] as const) delete (jwk as Record<string, unknown>)[f];
    transport = {
      send: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ keys: [jwk] })) }),
      close: async () => undefined,
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('the certificate', () => {
    it('is made once under the folder (private key 0600) and read back the same afterwards', async () => {
      const again = await loadOrCreateNotificationCertificate(join(dir, 'a'));
      assert.equal(again.created, false);
      assert.equal(again.id, mine.id);
      assert.ok(mine.id.length <= 128);
      assert.equal(statSync(join(dir, 'a', 'notification-key.pem')).mode & 0o777, 0o600);
      const cert = new X509Certificate(Buffer.from(mine.base64, 'base64'));
      assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    });

    it('two instances sharing the folder that make it at the same time end up with the same key', async () => {
      const [a, b] = await Promise.all([loadOrCreateNotificationCertificate(join(dir, 'shared')), loadOrCreateNotificationCertificate(join(dir, 'shared'))]);
      assert.equal(a.id, b.id);
      assert.equal((await loadOrCreateNotificationCertificate(join(dir, 'shared'))).id, a.id);
    });
  });

  describe('decryptResource', () => {
    const keyring = () => new CertificateKeyring(mine);

    it('opens an item encrypted for this certificate (a fresh key every time)', () => {
      const a = encryptAsGraph(presenceOf(JONAS), mine);
      const b = encryptAsGraph(presenceOf(JONAS), mine);
      assert.notEqual(a.dataKey, b.dataKey);
      assert.deepEqual(decryptResource(a, keyring()), presenceOf(JONAS));
    });

    const refusedFor = (content: unknown, reason: string) => {
      assert.throws(() => decryptResource(content, keyring()), (err: unknown) => err instanceof PresenceError && err.code === 'presence/notification-refused' && err.reason === reason);
    };

    it('refuses a tampered signature, tampered data, another certificate and an unknown certificate id', () => {
      const good = encryptAsGraph(presenceOf(JONAS), mine);
      const flipped = Buffer.from(good.dataSignature, 'base64');
      flipped[0]! ^= 1;
      refusedFor({ ...good, dataSignature: flipped.toString('base64') }, 'bad-signature');
      const data = Buffer.from(good.data, 'base64');
      data[data.length - 1]! ^= 1;
      refusedFor({ ...good, data: data.toString('base64') }, 'bad-signature');
      refusedFor(encryptAsGraph(presenceOf(JONAS), other, mine.id), 'wrong-certificate');
      refusedFor(encryptAsGraph(presenceOf(JONAS), other), 'unknown-certificate');
      refusedFor({ data: 'x' }, 'invalid-content');
    });

    it('keeps opening items for the previous certificate after a rotation', () => {
      const rotated = new CertificateKeyring(other, [mine]);
      assert.deepEqual(decryptResource(encryptAsGraph(presenceOf(JONAS), mine), rotated), presenceOf(JONAS));
    });
  });

  describe('validation tokens', () => {
    const verifier = () => createValidationTokenVerifier({ jwksUrl: 'https://login.example/keys', issuers: [ISSUER], appIds: [APP_ID], transport });
    const refusedWith = async (tokens: unknown, reason: string) => {
      await assert.rejects(verifier().verifyAll(tokens), (err: unknown) => err instanceof PresenceError && err.reason === reason, reason);
    };

    it('passes tokens signed by the issuer for this app from Graph change tracking', async () => {
      await verifier().verifyAll([await sign(goodClaims())]);
    });

    it('refuses none, expired, wrong aud, wrong appid, wrong issuer and a stranger\'s signature', async () => {
      await refusedWith(undefined, 'no-validation-token');
      await refusedWith([], 'no-validation-token');
      await refusedWith([await sign({ ...goodClaims(), iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 })], 'expired-validation-token');
      await refusedWith([await sign({ ...goodClaims(), aud: 'another-app' })], 'wrong-audience');
      await refusedWith([await sign({ ...goodClaims(), appid: APP_ID })], 'wrong-appid');
      await refusedWith([await sign({ ...goodClaims(), iss: 'https://sts.windows.net/another-tenant/' })], 'invalid-validation-token');
      await refusedWith([await sign(goodClaims(), stranger)], 'invalid-validation-token');
      await refusedWith([await sign(goodClaims()), await sign({ ...goodClaims(), aud: 'another-app' })], 'wrong-audience');
    });
  });

  describe('PresenceSubscriptions.receive', () => {
    let store: Store;
    let bus: EventBus;
    let events: CommsEvent[];
    let logs: Array<{ obj: Record<string, unknown>; msg?: string }>;
    let subs: PresenceSubscriptions;
    const SUB = '7f3c2b1a-0000-4000-8000-000000000001';
    const CLIENT_STATE = 'the-client-state';

    beforeEach(async () => {
      store = openSqliteStore(':memory:');
      bus = new EventBus();
      events = [];
      bus.subscribe((e) => void events.push(e));
      logs = [];
      const log = (obj: object, msg?: string) => void logs.push({ obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) });
      const obo: OnBehalfOf = { tokenFor: async () => 'unused' };
      subs = new PresenceSubscriptions({
        graphBaseUrl: 'https://graph.example/v1.0', transport, onBehalfOf: obo, store, bus,
        logger: { debug: log, info: log, warn: log, error: log },
        notificationUrl: 'https://app.example/api/notifications/presence',
        certificates: async () => new CertificateKeyring(mine),
        verifier: createValidationTokenVerifier({ jwksUrl: 'https://login.example/keys', issuers: [ISSUER], appIds: [APP_ID], transport }),
      });
      await store.put('presenceSubscriptions', SUB, { id: SUB, watcherId: 'viewer-1', tenantId: TENANT, clientState: CLIENT_STATE, ids: [JONAS], expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    });
    afterEach(async () => store.close());

    const item = (content: unknown, extra: Record<string, unknown> = {}) => ({
      subscriptionId: SUB, clientState: CLIENT_STATE, changeType: 'updated', tenantId: TENANT, organizationId: TENANT,
      resource: `communications/presences/${JONAS}`, resourceData: { '@odata.id': `users/${JONAS}/presence`, '@odata.type': '#microsoft.graph.presence', id: JONAS },
      encryptedContent: content, ...extra,
    });
    const published = () => events.filter((e) => e.type === 'presence.changed');
    const refusals = () => logs.filter((l) => l.msg === 'presence: a change notification was refused and dropped');

    it('publishes a verified, decrypted presence for the subscription\'s viewer', async () => {
      const outcome = await subs.receive({ value: [item(encryptAsGraph(presenceOf(JONAS, 'Away', 'Away'), mine))], validationTokens: [await sign(goodClaims())] });
      assert.deepEqual(outcome, { delivered: 1, refused: 0 });
      const [event] = published();
      assert.ok(event && event.type === 'presence.changed');
      assert.deepEqual({ watcherId: event.watcherId, userId: event.userId, availability: event.availability, activity: event.activity }, { watcherId: 'viewer-1', userId: JONAS, availability: 'Away', activity: 'Away' });
    });

    it('drops and logs (without the token) a tampered signature, another certificate, a bad token, a wrong clientState', async () => {
      const token = await sign(goodClaims());
      const good = encryptAsGraph(presenceOf(JONAS), mine);
      const sig = Buffer.from(good.dataSignature, 'base64');
      sig[3]! ^= 0x40;
      const cases: Array<[string, unknown, string]> = [
        ['tampered signature', { value: [item({ ...good, dataSignature: sig.toString('base64') })], validationTokens: [token] }, 'bad-signature'],
        ['wrong certificate', { value: [item(encryptAsGraph(presenceOf(JONAS), other, mine.id))], validationTokens: [token] }, 'wrong-certificate'],
        ['expired token', { value: [item(good)], validationTokens: [await sign({ ...goodClaims(), exp: now() - 3600, iat: now() - 7200, nbf: now() - 7200 })] }, 'expired-validation-token'],
        ['wrong appid', { value: [item(good)], validationTokens: [await sign({ ...goodClaims(), appid: APP_ID })] }, 'wrong-appid'],
        ['wrong aud', { value: [item(good)], validationTokens: [await sign({ ...goodClaims(), aud: 'someone-else' })] }, 'wrong-audience'],
        ['no tokens', { value: [item(good)] }, 'no-validation-token'],
        ['wrong clientState', { value: [item(good, { clientState: 'guess' })], validationTokens: [token] }, 'client-state'],
        ['unknown subscription', { value: [item(good, { subscriptionId: 'not-ours' })], validationTokens: [token] }, 'unknown-subscription'],
        ['someone not subscribed', { value: [item(encryptAsGraph(presenceOf('66825e03-7ef5-42da-9069-724602c31f6b'), mine))], validationTokens: [token] }, 'not-subscribed'],
      ];
      for (const [name, body, reason] of cases) {
        logs.length = 0;
        const outcome = await subs.receive(body);
        assert.equal(outcome.delivered, 0, name);
        assert.equal(refusals().length, 1, `${name}: logged once`);
        assert.equal(refusals()[0]!.obj.reason, reason, name);
        const text = JSON.stringify(logs);
        assert.ok(!text.includes(token.slice(20, 60)) && !text.includes('eyJ'), `${name}: no token in the log`);
        assert.ok(!text.includes(CLIENT_STATE), `${name}: no clientState in the log`);
      }
      assert.equal(published().length, 0, 'nothing refused reached the bus');
    });
  });
});
