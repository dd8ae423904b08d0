// Configuration: local mode by default, cloud mode only when complete, and every problem named with its variable.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { ConfigError } from '../../server/config-error.js';
import { LOCAL_APP, loadConfig } from '../../server/config.js';

const CLOUD = {
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppPassword: 'not-a-real-secret',
  MicrosoftAppTenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  PUBLIC_BASE_URL: 'https://switchboard.example.com/',
};

function problems(env: Record<string, string>): Array<{ variable: string; code: string; message: string }> {
  try {
    loadConfig(env, '/tmp');
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected the configuration to be refused');
}

describe('server/config', () => {
  it('starts in local mode with no credentials, on loopback, with the emulator app', () => {
    const config = loadConfig({}, '/tmp');
    assert.equal(config.mode, 'local');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3978);
    assert.equal(config.emulator.port, 3979);
    assert.equal(config.app.id, LOCAL_APP.id);
    assert.equal(config.publicBaseUrl, 'http://127.0.0.1:3978');
  });

  it('reads the queue presence poll; unset leaves the queues\' default', () => {
    assert.equal(loadConfig({ QUEUE_PRESENCE_POLL_MS: '750' }, '/tmp').queuePresencePollMs, 750);
    assert.equal(loadConfig({}, '/tmp').queuePresencePollMs, undefined);
  });

  it('treats blank variables as unset', () => {
    assert.equal(loadConfig({ MicrosoftAppId: '  ', PORT: '' }, '/tmp').mode, 'local');
  });

  it('starts in cloud mode when every cloud variable is present', () => {
    const config = loadConfig(CLOUD, '/tmp');
    assert.equal(config.mode, 'cloud');
    assert.equal(config.publicBaseUrl, 'https://switchboard.example.com');
    assert.equal(config.app.type, 'SingleTenant');
    assert.deepEqual(config.app.credential, { kind: 'secret', secret: 'not-a-real-secret' });
  });

  const refused: Array<{ name: string; env: Record<string, string>; expect: Array<[variable: string, code: string]> }> = [
    {
      name: 'a lone client secret',
      env: { MicrosoftAppPassword: CLOUD.MicrosoftAppPassword },
      expect: [
        ['MicrosoftAppId', 'config/missing-MicrosoftAppId'],
        ['MicrosoftAppTenantId', 'config/missing-MicrosoftAppTenantId'],
        ['PUBLIC_BASE_URL', 'config/missing-PUBLIC_BASE_URL'],
      ],
    },
    { name: 'cloud mode asked for with only the package variables', env: { SWITCHBOARD_MODE: 'cloud', MicrosoftAppId: CLOUD.MicrosoftAppId, MicrosoftAppTenantId: CLOUD.MicrosoftAppTenantId, PUBLIC_BASE_URL: CLOUD.PUBLIC_BASE_URL }, expect: [['MicrosoftAppPassword', 'config/missing-credential']] },
    { name: 'cloud mode asked for with nothing set', env: { SWITCHBOARD_MODE: 'cloud' }, expect: [['MicrosoftAppId', 'config/missing-MicrosoftAppId'], ['MicrosoftAppTenantId', 'config/missing-MicrosoftAppTenantId'], ['MicrosoftAppPassword', 'config/missing-credential'], ['PUBLIC_BASE_URL', 'config/missing-PUBLIC_BASE_URL']] },
    { name: 'an app id that is not a GUID', env: { ...CLOUD, MicrosoftAppId: 'my-bot' }, expect: [['MicrosoftAppId', 'config/invalid-MicrosoftAppId']] },
    { name: 'a tenant that is not a GUID', env: { ...CLOUD, MicrosoftAppTenantId: 'contoso' }, expect: [['MicrosoftAppTenantId', 'config/invalid-MicrosoftAppTenantId']] },
    { name: 'an http public URL', env: { ...CLOUD, PUBLIC_BASE_URL: 'http://switchboard.example.com' }, expect: [['PUBLIC_BASE_URL', 'config/public-url-not-https']] },
    { name: 'a public URL that is not a URL', env: { ...CLOUD, PUBLIC_BASE_URL: 'switchboard' }, expect: [['PUBLIC_BASE_URL', 'config/invalid-PUBLIC_BASE_URL']] },
    { name: 'a public URL with a query', env: { ...CLOUD, PUBLIC_BASE_URL: 'https://x.example.com/?a=1' }, expect: [['PUBLIC_BASE_URL', 'config/invalid-PUBLIC_BASE_URL']] },
    { name: 'both a secret and a certificate', env: { ...CLOUD, MicrosoftAppCertificatePath: '/nope.pem' }, expect: [['MicrosoftAppCertificatePath', 'config/two-credentials']] },
    { name: 'an unreadable certificate', env: { ...CLOUD, MicrosoftAppPassword: '', MicrosoftAppCertificatePath: '/definitely/missing.pem' }, expect: [['MicrosoftAppCertificatePath', 'config/certificate-unreadable']] },
    { name: 'a non-numeric port', env: { PORT: 'eighty' }, expect: [['PORT', 'config/invalid-PORT']] },
    { name: 'an unknown log level', env: { LOG_LEVEL: 'loud' }, expect: [['LOG_LEVEL', 'config/invalid-LOG_LEVEL']] },
    { name: 'an unknown mode', env: { SWITCHBOARD_MODE: 'staging' }, expect: [['SWITCHBOARD_MODE', 'config/invalid-SWITCHBOARD_MODE']] },
    { name: 'local mode on a public interface', env: { HOST: '0.0.0.0' }, expect: [['HOST', 'config/local-not-loopback']] },
    { name: 'local mode forced while credentials are set', env: { ...CLOUD, SWITCHBOARD_MODE: 'local' }, expect: [['SWITCHBOARD_MODE', 'config/local-with-credentials']] },
    { name: 'a queue presence poll faster than 250 ms', env: { QUEUE_PRESENCE_POLL_MS: '100' }, expect: [['QUEUE_PRESENCE_POLL_MS', 'config/invalid-QUEUE_PRESENCE_POLL_MS']] },
  ];

  for (const { name, env, expect } of refused) {
    it(`refuses ${name}, naming each variable`, () => {
      const found = problems(env);
      assert.deepEqual(
        found.map((p) => [p.variable, p.code]),
        expect,
      );
      for (const problem of found) assert.match(problem.message, new RegExp(`^${problem.variable} `), 'each message starts with the variable name');
    });
  }

  it('never echoes the secret in a problem message', () => {
    const found = problems({ ...CLOUD, MicrosoftAppId: 'bad' });
    assert.ok(found.every((p) => !p.message.includes(CLOUD.MicrosoftAppPassword)));
  });

  it('accepts a certificate credential and derives its SHA-256 thumbprint', async () => {
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'switchboard-test' }], { keySize: 2048 });
    const dir = mkdtempSync(join(tmpdir(), 'sb-cert-'));
    const file = join(dir, 'app.pem');
    writeFileSync(file, `${pems.cert}\n${pems.private}`);
    const config = loadConfig({ ...CLOUD, MicrosoftAppPassword: '', MicrosoftAppCertificatePath: file }, '/tmp');
    assert.equal(config.app.credential.kind, 'certificate');
    if (config.app.credential.kind === 'certificate') assert.match(config.app.credential.thumbprintSha256, /^[0-9a-f]{64}$/);
  });

  it('refuses a certificate file without a private key', async () => {
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'switchboard-test' }], { keySize: 2048 });
    const dir = mkdtempSync(join(tmpdir(), 'sb-cert-'));
    const file = join(dir, 'cert-only.pem');
    writeFileSync(file, pems.cert);
    assert.deepEqual(
      problems({ ...CLOUD, MicrosoftAppPassword: '', MicrosoftAppCertificatePath: file }).map((p) => p.code),
      ['config/certificate-incomplete'],
    );
  });
});
