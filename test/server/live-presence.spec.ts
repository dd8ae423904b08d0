// Live presence's certificate per mode: local mode makes one under the data folder when first asked; cloud mode reads
// PRESENCE_CERTIFICATE_PATH (certificate + private key in one PEM) at start, and a missing, unreadable or wrong file
// stops the start with a config error that names the variable; unset, presence is polled.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { ConfigError } from '../../server/config-error.js';
import { notificationCertificate } from '../../server/live-presence.js';

describe('server/live-presence: the notification certificate', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'live-presence-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const refused = (env: Record<string, string>, what: RegExp) => {
    assert.throws(() => notificationCertificate({ mode: 'cloud', dataDir: dir, env }), (err: unknown) => err instanceof ConfigError && err.problems[0]!.variable === 'PRESENCE_CERTIFICATE_PATH' && what.test(err.message));
  };

  it('local mode: made under the data folder only when first asked for', async () => {
    const lazy = notificationCertificate({ mode: 'local', dataDir: dir, env: {} });
    assert.ok(lazy);
    assert.equal(existsSync(join(dir, 'presence', 'notification-cert.pem')), false, 'nothing at start');
    const cert = await lazy();
    assert.ok(existsSync(join(dir, 'presence', 'notification-key.pem')));
    assert.equal((await lazy()).id, cert.id, 'memoized');
  });

  it('cloud mode: unset is polling; a good PEM loads; missing, unreadable or keyless files are config errors', async () => {
    assert.equal(notificationCertificate({ mode: 'cloud', dataDir: dir, env: {} }), undefined);
    const pems = await generate([{ name: 'commonName', value: 'switchboard.contoso.com' }], { keyType: 'rsa', keySize: 2048 });
    const good = join(dir, 'good.pem');
    writeFileSync(good, `${pems.cert}\n${pems.private}`);
    const loaded = notificationCertificate({ mode: 'cloud', dataDir: dir, env: { PRESENCE_CERTIFICATE_PATH: good } });
    assert.ok(loaded && (await loaded()).base64.length > 100);
    refused({ PRESENCE_CERTIFICATE_PATH: join(dir, 'missing.pem') }, /cannot be read/);
    const keyless = join(dir, 'keyless.pem');
    writeFileSync(keyless, pems.cert);
    refused({ PRESENCE_CERTIFICATE_PATH: keyless }, /private key/);
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    refused({ PRESENCE_CERTIFICATE_PATH: junk }, /PEM/);
  });
});
