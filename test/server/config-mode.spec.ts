// Which mode `npm start` picks and why: only a credential switches to cloud mode; the variables `npm run package`
// reads can sit in .env beside a local start; a refused cloud start says which variable made it cloud.
import assert from 'node:assert/strict';
import { ConfigError } from '../../server/config-error.js';
import { loadConfig } from '../../server/config.js';

const PACKAGE_ONLY = {
  TEAMS_APP_ID: '0f3c1b2a-9d8e-4f7a-b6c5-1a2b3c4d5e6f',
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppTenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  PUBLIC_BASE_URL: 'https://switchboard.example.com',
};

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, '/tmp');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err;
  }
  assert.fail('expected the configuration to be refused');
}

describe('server/config: choosing the mode', () => {
  it('stays in local mode with only the package variables set, and says why', () => {
    const config = loadConfig(PACKAGE_ONLY, '/tmp');
    assert.equal(config.mode, 'local');
    assert.match(config.modeReason, /no credential is set/);
    assert.match(config.modeReason, /MicrosoftAppId, MicrosoftAppTenantId, PUBLIC_BASE_URL are set/);
    assert.match(config.modeReason, /npm run package/);
  });

  it('accepts SWITCHBOARD_MODE=local beside the package variables', () => {
    assert.equal(loadConfig({ ...PACKAGE_ONLY, SWITCHBOARD_MODE: 'local' }, '/tmp').mode, 'local');
  });

  it('names the variable that switched to cloud mode when the cloud start is refused', () => {
    const err = refusal({ MicrosoftAppPassword: 'x' });
    assert.match(err.message, /Cloud mode, because MicrosoftAppPassword is set/);
    assert.match(err.message, /unset MicrosoftAppPassword \(or set SWITCHBOARD_MODE=local\) for local mode/);
    assert.doesNotMatch(err.message, /: x\b/, 'the secret is never echoed');
  });

  it('names a certificate path as the switch just the same', () => {
    assert.match(refusal({ MicrosoftAppCertificatePath: '/nope.pem' }).message, /because MicrosoftAppCertificatePath is set/);
  });

  it('says SWITCHBOARD_MODE=cloud when that was the reason', () => {
    assert.match(refusal({ SWITCHBOARD_MODE: 'cloud' }).message, /Cloud mode, because SWITCHBOARD_MODE=cloud/);
  });

  it('explains a plain local start', () => {
    assert.equal(loadConfig({}, '/tmp').modeReason, 'Local mode: no credential is set.');
  });
});
