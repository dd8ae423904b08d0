// The emulator serves HTTPS with a persisted self-signed certificate, and keeps its signing keys across restarts.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { newDataDir, startHarness } from './emulator-harness.js';

describe('emulator TLS certificate and keys', () => {
  let dataDir: string;

  before(async () => {
    dataDir = await newDataDir();
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uses a certificate for IP 127.0.0.1 and DNS localhost, RSA 2048, valid for years', async () => {
    const h = await startHarness({ dataDir });
    try {
      const cert = new X509Certificate(h.emulator.caCertPem);
      assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
      assert.equal(cert.checkHost('localhost'), 'localhost');
      assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.ok(Date.parse(cert.validTo) > Date.now() + 5 * 365 * 24 * 3600 * 1000);
      assert.match(h.emulator.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await h.close();
    }
  });

  it('is trusted with its own certificate and refused without it', async () => {
    const h = await startHarness({ dataDir });
    const untrusting = new Agent();
    try {
      assert.equal((await h.call('GET', '/emulator/health')).status, 200);
      await assert.rejects(
        request(`${h.emulator.url}/emulator/health`, { dispatcher: untrusting }),
        (err: Error & { code?: string; cause?: { code?: string } }) => /SELF_SIGNED|UNABLE_TO_VERIFY/.test(`${err.code} ${err.cause?.code}`),
      );
    } finally {
      await untrusting.close();
      await h.close();
    }
  });

  it('reuses the certificate and both signing keys when restarted with the same data directory', async () => {
    const snapshot = async () => {
      const h = await startHarness({ dataDir });
      try {
        const issuerKeys = await h.call('GET', `/${h.emulator.tenantId}/discovery/v2.0/keys`);
        const callingKeys = await h.call('GET', '/skype/v1/keys');
        return { cert: h.emulator.caCertPem, issuer: issuerKeys.json.keys, calling: callingKeys.json.keys };
      } finally {
        await h.close();
      }
    };
    const first = await snapshot();
    const second = await snapshot();
    assert.equal(second.cert, first.cert);
    assert.deepEqual(second.issuer, first.issuer);
    assert.deepEqual(second.calling, first.calling);
    assert.notEqual(first.issuer[0].kid, first.calling[0].kid, 'the calling service signs with its own key');
  });

  it('creates new certificate and keys for a new data directory', async () => {
    const a = await startHarness();
    const b = await startHarness();
    try {
      assert.notEqual(a.emulator.caCertPem, b.emulator.caCertPem);
      const [ka, kb] = await Promise.all([a.call('GET', `/${a.emulator.tenantId}/discovery/v2.0/keys`), b.call('GET', `/${b.emulator.tenantId}/discovery/v2.0/keys`)]);
      assert.notEqual(ka.json.keys[0].kid, kb.json.keys[0].kid);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
