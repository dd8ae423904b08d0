// The calling-webhook token check: garbled headers get 401, every bad token 403, a metadata outage fails closed
// (503), both calling issuers pass, a rotated signing key is picked up after one forced refresh, and a token remembered
// after its first check keeps its lifetime and its key.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { CallError, createCallingTokenValidator, type CallingTokenValidator } from '../../../comms/calls/index.js';
import { createHttpTransport, type HttpTransport } from '../../../comms/graph/index.js';
import { request } from 'undici';
import { LOCAL_APP } from '../../../server/config.js';
import { startLocalSwitchboard, type LocalSwitchboard } from '../../support/local-switchboard.js';

const APP_ID = '9ecd52e5-6592-42b7-b562-093f37f13bde';
const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const ISSUERS = ['https://graph.microsoft.com', 'https://api.botframework.com'];

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

async function rsaKey(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' } };
}

describe('comms/calls webhook auth', () => {
  let server: Server;
  let base: string;
  let transport: HttpTransport;
  let keyA: KeyPair;
  let keyB: KeyPair;
  let impostor: KeyPair;
  let ecKey: { privateKey: CryptoKey; publicJwk: JWK };
  let publicPem: string;
  let jwks: JWK[];
  let metadataStatus: number;
  let hits: { metadata: number; keys: number };
  let nowMs: number;
  let validator: CallingTokenValidator;

  before(async () => {
    keyA = await rsaKey('key-a');
    keyB = await rsaKey('key-b');
    impostor = await rsaKey('key-a');
    const ec = await generateKeyPair('ES256', { extractable: true });
    ecKey = { privateKey: ec.privateKey, publicJwk: { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', use: 'sig' } };
    // The HS256 "public key as secret" confusion uses the real signing key's public PEM.
    publicPem = await exportSPKI(keyA.publicKey);
    server = createServer((req, res) => {
      if (req.url === '/v1/.well-known/OpenIdConfiguration') {
        hits.metadata += 1;
        if (metadataStatus !== 200) {
          res.writeHead(metadataStatus);
          res.end('down');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
        return;
      }
      if (req.url === '/keys') {
        hits.keys += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: jwks }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    transport = createHttpTransport();
  });

  after(async () => {
    await transport.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    jwks = [keyA.publicJwk, ecKey.publicJwk];
    metadataStatus = 200;
    hits = { metadata: 0, keys: 0 };
    nowMs = Date.UTC(2025, 0, 6, 9, 0, 0);
    validator = createCallingTokenValidator({
      openIdMetadataUrl: `${base}/v1/.well-known/OpenIdConfiguration`,
      issuers: ISSUERS,
      audience: APP_ID,
      transport,
      now: () => nowMs,
    });
  });

  const seconds = () => Math.floor(nowMs / 1000);

  function claims(extra: JWTPayload = {}): JWTPayload {
    return { iss: 'https://api.botframework.com', aud: APP_ID, tid: TENANT, iat: seconds() - 10, nbf: seconds() - 10, exp: seconds() + 3600, ...extra };
  }

  async function sign(payload: JWTPayload, key: { privateKey: CryptoKey } = keyA, kid: string | undefined = 'key-a', alg = 'RS256'): Promise<string> {
    const jwt = new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) });
    return jwt.sign(key.privateKey);
  }

  async function refused(header: string | undefined, code: 'calls/unauthorized' | 'calls/forbidden' | 'calls/auth-unavailable'): Promise<void> {
    await assert.rejects(validator.validate(header), (err: unknown) => {
      assert.ok(err instanceof CallError, `expected a CallError, got ${String(err)}`);
      assert.equal(err.code, code);
      assert.equal(err.status, code === 'calls/unauthorized' ? 401 : code === 'calls/forbidden' ? 403 : 503);
      return true;
    });
  }

  describe('accepts', () => {
    for (const iss of ISSUERS) {
      it(`a token from issuer ${iss}, returning its tenant`, async () => {
        const result = await validator.validate(`Bearer ${await sign(claims({ iss }))}`);
        assert.equal(result.tenantId, TENANT);
        assert.equal(result.claims.aud, APP_ID);
      });
    }

    it('a token expired 299 s ago (inside the 5-minute tolerance)', async () => {
      await validator.validate(`Bearer ${await sign(claims({ exp: seconds() - 299 }))}`);
    });

    it('reads the keys once and serves later tokens from the cache', async () => {
      await validator.validate(`Bearer ${await sign(claims())}`);
      await validator.validate(`Bearer ${await sign(claims())}`);
      assert.deepEqual(hits, { metadata: 1, keys: 1 });
    });
  });

  describe('answers 401 for a missing or garbled header', () => {
    const headers: Array<[string, () => Promise<string | undefined>]> = [
      ['no header', async () => undefined],
      ['an empty header', async () => ''],
      ['a lower-case "bearer" scheme', async () => `bearer ${await sign(claims())}`],
      ['the scheme alone (1 part)', async () => 'Bearer'],
      ['3 header parts', async () => `Bearer ${await sign(claims())} extra`],
      ['two spaces', async () => `Bearer  ${await sign(claims())}`],
      ['another scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
      ['a token that is not three segments', async () => 'Bearer abc.def'],
      ['a token with illegal characters', async () => 'Bearer a$b.c$d.e'],
    ];
    for (const [name, header] of headers) {
      it(name, async () => refused(await header(), 'calls/unauthorized'));
    }
  });

  describe('answers 403 for a bad token', () => {
    const tokens: Array<[string, () => Promise<string>]> = [
      ['signed by the wrong key under a known kid', () => sign(claims(), impostor, 'key-a')],
      ['an unknown kid', () => sign(claims(), keyB, 'key-b')],
      ['no kid with a signature by another key', () => sign(claims(), impostor, undefined)],
      ['a wrong issuer', () => sign(claims({ iss: 'https://evil.example.com' }))],
      ['an Entra ID issuer (wrong authority)', () => sign(claims({ iss: `https://sts.windows.net/${TENANT}/` }))],
      ['a wrong audience', () => sign(claims({ aud: '00000003-0000-0000-c000-000000000000' }))],
      ['expired 301 s ago (beyond the tolerance)', () => sign(claims({ exp: seconds() - 301 }))],
      ['not valid before 301 s from now', () => sign(claims({ nbf: seconds() + 301 }))],
      ['no exp', async () => sign(Object.fromEntries(Object.entries(claims()).filter(([k]) => k !== 'exp')))],
      ['a missing tid', () => sign(Object.fromEntries(Object.entries(claims()).filter(([k]) => k !== 'tid')))],
      ['an empty tid', () => sign(claims({ tid: '' }))],
      ['alg none', async () => new UnsecuredJWT(claims()).encode()],
      [
        'HS256 signed with the public key as the secret',
        async () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'key-a' }).sign(new TextEncoder().encode(publicPem)),
      ],
      [
        'HS256 signed with the JWK modulus as the secret',
        async () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'key-a' }).sign(new TextEncoder().encode(String(keyA.publicJwk.n))),
      ],
      [
        'a tampered payload',
        async () => {
          const [h, , s] = (await sign(claims())).split('.');
          const forged = Buffer.from(JSON.stringify(claims({ tid: 'other-tenant' }))).toString('base64url');
          return `${h}.${forged}.${s}`;
        },
      ],
      ['a non-RSA (EC) key and ES256', () => sign(claims(), ecKey, 'ec-1', 'ES256')],
      ['RS256 claiming the EC key id', () => sign(claims(), keyA, 'ec-1')],
      ['garbage in all three segments', async () => 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2lnbmF0dXJl'],
    ];
    for (const [name, token] of tokens) {
      it(name, async () => refused(`Bearer ${await token()}`, 'calls/forbidden'));
    }
  });

  describe('tenant of a single-tenant app', () => {
    const single = () =>
      createCallingTokenValidator({ openIdMetadataUrl: `${base}/v1/.well-known/OpenIdConfiguration`, issuers: ISSUERS, audience: APP_ID, tenantId: TENANT, transport, now: () => nowMs });
    const foreign: Array<[string, string]> = [
      ['another tenant', 'b3c1f6a2-0d4e-4c8b-9a71-5e2f3d4c6b80'],
      ["the emulator's tenant", '6e1f2a0c-4b7d-4f0e-9c3a-2d5b8e7f1a90'],
      ['the common pseudo-tenant', 'common'],
      ['the consumers tenant', '9188040d-6c67-4c5b-b112-36a304b66dad'],
      ['our tenant with a suffix', `${TENANT}x`],
      ['our tenant as a prefix only', TENANT.slice(0, 30)],
      ['our tenant inside another value', `x${TENANT}`],
    ];
    for (const [name, tid] of foreign) {
      it(`refuses a token from ${name} with 403`, async () => {
        validator = single();
        await refused(`Bearer ${await sign(claims({ tid }))}`, 'calls/forbidden');
      });
    }

    it('refuses a tid that is not a string', async () => {
      validator = single();
      await refused(`Bearer ${await sign(claims({ tid: [TENANT] as unknown as string }))}`, 'calls/forbidden');
    });

    it('accepts its own tenant, in any letter case', async () => {
      validator = single();
      assert.equal((await validator.validate(`Bearer ${await sign(claims())}`)).tenantId, TENANT);
      await validator.validate(`Bearer ${await sign(claims({ tid: TENANT.toUpperCase() }))}`);
    });

    it('a multi-tenant app (no tenant given) accepts any tenant', async () => {
      for (const [, tid] of foreign) assert.equal((await validator.validate(`Bearer ${await sign(claims({ tid }))}`)).tenantId, tid);
    });

    it('refuses to build a single-tenant validator with an empty tenant', () => {
      assert.throws(() => createCallingTokenValidator({ openIdMetadataUrl: base, issuers: ISSUERS, audience: APP_ID, tenantId: ' ', transport }), (err: CallError) => err.code === 'calls/invalid-argument');
    });
  });

  describe('keys and metadata', () => {
    it('accepts a rotated key after one forced refresh, and refreshes at most once a minute', async () => {
      await validator.validate(`Bearer ${await sign(claims())}`);
      jwks = [keyA.publicJwk, keyB.publicJwk];
      // Within the first minute an unknown kid does not trigger a re-read.
      await refused(`Bearer ${await sign(claims(), keyB, 'key-b')}`, 'calls/forbidden');
      assert.equal(hits.keys, 1);
      nowMs += 61_000;
      const result = await validator.validate(`Bearer ${await sign(claims(), keyB, 'key-b')}`);
      assert.equal(result.tenantId, TENANT);
      assert.equal(hits.keys, 2, 'exactly one forced refresh');
      // A flood of unknown kids right after is refused without re-reading.
      for (let i = 0; i < 5; i += 1) await refused(`Bearer ${await sign(claims(), impostor, `unknown-${i}`)}`, 'calls/forbidden');
      assert.equal(hits.keys, 2);
    });

    it('a token accepted once (and remembered) is refused once it has expired', async () => {
      const token = await sign(claims({ exp: seconds() + 60 }));
      await validator.validate(`Bearer ${token}`);
      nowMs += 60_000 + 299_000;
      await validator.validate(`Bearer ${token}`);
      nowMs += 2_000;
      await refused(`Bearer ${token}`, 'calls/forbidden');
    });

    it('a remembered token is checked again when the keys are re-read, and refused when its key is gone', async () => {
      const token = await sign(claims({ exp: seconds() + 6 * 3600 }));
      await validator.validate(`Bearer ${token}`);
      jwks = [keyB.publicJwk];
      nowMs += 2 * 60 * 60_000 + 1_000;
      await refused(`Bearer ${token}`, 'calls/forbidden');
      assert.equal(hits.keys, 2);
    });

    it('a remembered token does not vouch for a copy with another signature or payload', async () => {
      const token = await sign(claims());
      await validator.validate(`Bearer ${token}`);
      const [h, p, s] = token.split('.');
      await refused(`Bearer ${h}.${p}.${s!.slice(0, -4)}AAAA`, 'calls/forbidden');
      const forged = Buffer.from(JSON.stringify(claims({ tid: 'other-tenant' }))).toString('base64url');
      await refused(`Bearer ${h}.${forged}.${s}`, 'calls/forbidden');
    });

    it('fails closed with calls/auth-unavailable (503) when the metadata cannot be read', async () => {
      metadataStatus = 500;
      await refused(`Bearer ${await sign(claims())}`, 'calls/auth-unavailable');
      await refused(`Bearer ${await sign(claims())}`, 'calls/auth-unavailable');
    });

    it('still refuses a garbled header with 401 during a metadata outage', async () => {
      metadataStatus = 500;
      await refused('Bearer', 'calls/unauthorized');
    });

    it('keeps validating with cached keys during a short outage, then fails closed once they are too old', async () => {
      const strict = createCallingTokenValidator({
        openIdMetadataUrl: `${base}/v1/.well-known/OpenIdConfiguration`,
        issuers: ISSUERS,
        audience: APP_ID,
        transport,
        now: () => nowMs,
        refreshIntervalMs: 60 * 60_000,
        maxKeyAgeMs: 3 * 60 * 60_000,
      });
      await strict.validate(`Bearer ${await sign(claims())}`);
      metadataStatus = 503;
      nowMs += 2 * 60 * 60_000;
      await strict.validate(`Bearer ${await sign(claims())}`);
      nowMs += 2 * 60 * 60_000;
      await assert.rejects(strict.validate(`Bearer ${await sign(claims())}`), (err: CallError) => err.code === 'calls/auth-unavailable');
    });
  });
});

describe('POST /api/calling in local mode (single tenant) refuses a foreign tenant at the edge', () => {
  let app: LocalSwitchboard;
  before(async () => {
    app = await startLocalSwitchboard();
  });
  after(async () => app?.stop());

  it('answers 403 to a correctly signed token from another tenant and records nothing; its own tenant gets 202', async () => {
    const batch = JSON.stringify({ value: [{ changeType: 'created', resourceUrl: '/communications/calls/foreign-tenant-1', resourceData: { state: 'incoming' } }] });
    const post = async (tenantId?: string) => {
      const token = await app.emulator!.signCallingToken({ audience: LOCAL_APP.id, ...(tenantId ? { tenantId } : {}) });
      const res = await request(`${app.url}/api/calling`, { method: 'POST', body: batch, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
      return { status: res.statusCode, body: (await res.body.json()) as { error?: { code: string } } };
    };
    const refusedAnswer = await post('b3c1f6a2-0d4e-4c8b-9a71-5e2f3d4c6b80');
    assert.equal(refusedAnswer.status, 403);
    assert.equal(refusedAnswer.body.error?.code, 'calls/forbidden');
    await app.calls.idle();
    assert.equal(await app.calls.getCall('foreign-tenant-1'), undefined, 'nothing recorded');
    assert.equal(app.events.filter((e) => JSON.stringify(e).includes('foreign-tenant-1')).length, 0, 'nothing published');
    const accepted = await request(`${app.url}/api/calling`, {
      method: 'POST',
      body: JSON.stringify({ value: [] }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.emulator!.signCallingToken({ audience: LOCAL_APP.id })}` },
    });
    assert.equal(accepted.statusCode, 202);
    await accepted.body.text();
  });
});
