// PSTN_APPLICATION_INSTANCE_ID: the resource account phone calls go through — a GUID, named in the error when it is
// not one; local mode defaults to the emulator's instance, cloud mode has none unless it is set.
import assert from 'node:assert/strict';
import { ConfigError } from '../../server/config-error.js';
import { LOCAL_APP, loadConfig } from '../../server/config.js';
import { DEV_APPLICATION_INSTANCE_ID } from '../../emulator/index.js';

const CLOUD = {
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppPassword: 'not-a-real-secret',
  MicrosoftAppTenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  PUBLIC_BASE_URL: 'https://switchboard.example.com/',
};
const INSTANCE = '3D913ABB-AEC0-4964-8FA6-3C6850C4F278';

describe('server/config: PSTN_APPLICATION_INSTANCE_ID', () => {
  it('local mode uses the emulator\'s application instance unless told another', () => {
    assert.equal(LOCAL_APP.applicationInstanceId, DEV_APPLICATION_INSTANCE_ID);
    assert.deepEqual(loadConfig({}, '/tmp').pstn, { applicationInstanceId: DEV_APPLICATION_INSTANCE_ID });
    assert.deepEqual(loadConfig({ PSTN_APPLICATION_INSTANCE_ID: INSTANCE }, '/tmp').pstn, { applicationInstanceId: INSTANCE.toLowerCase() });
  });

  it('cloud mode has no PSTN without it, and takes the object id when set', () => {
    assert.equal(loadConfig(CLOUD, '/tmp').pstn, undefined);
    assert.deepEqual(loadConfig({ ...CLOUD, PSTN_APPLICATION_INSTANCE_ID: ` ${INSTANCE} ` }, '/tmp').pstn, { applicationInstanceId: INSTANCE.toLowerCase() });
  });

  for (const value of ['frontdesk-ra@contoso.com', '+14255550100', '3d913abb-aec0-4964-8fa6']) {
    it(`refuses "${value}" with an error naming the variable and what to put there`, () => {
      for (const env of [{ PSTN_APPLICATION_INSTANCE_ID: value }, { ...CLOUD, PSTN_APPLICATION_INSTANCE_ID: value }]) {
        assert.throws(() => loadConfig(env, '/tmp'), (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          const problem = err.problems.find((p) => p.variable === 'PSTN_APPLICATION_INSTANCE_ID');
          assert.ok(problem, 'the problem names the variable');
          assert.equal(problem.code, 'config/invalid-PSTN_APPLICATION_INSTANCE_ID');
          assert.match(problem.message, /PSTN_APPLICATION_INSTANCE_ID has an invalid value .*object id \(a GUID\) of the resource account/);
          return true;
        });
      }
    });
  }
});
