// The doctor in cloud mode, with the emulator playing Entra ID and Graph for the configured tenant and a transport
// that maps the public host to local servers (the running app, a tunnel with nothing behind it, nothing at all):
// the same checks and code path as against Microsoft, with no request leaving the machine.
import assert from 'node:assert/strict';
import { LOCAL_APP } from '../../../server/config.js';
import type { DoctorEnvironment } from '../../../server/doctor/doctor-environment.js';
import { formatReport } from '../../../server/doctor/report-format.js';
import { runDoctor } from '../../../server/doctor/run-doctor.js';
import { finding, mapOrigin, startOtherServer, startStack, summary, type Stack } from './doctor-harness.js';

const PUBLIC = 'https://switchboard.example.test';
const CLOUD = {
  MicrosoftAppId: LOCAL_APP.id,
  MicrosoftAppPassword: LOCAL_APP.secret,
  MicrosoftAppTenantId: LOCAL_APP.tenantId,
  PUBLIC_BASE_URL: PUBLIC,
};

describe('doctor in cloud mode (emulator as Entra ID and Graph)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => stack?.close());

  function cloudEnv(variables: Record<string, string | undefined> = {}, publicServer?: string): DoctorEnvironment {
    const local = stack.env();
    return {
      ...local,
      variables: { ...CLOUD, DATA_DIR: stack.app.dataDir, ...variables },
      transport: mapOrigin(stack.transport, PUBLIC, publicServer ?? stack.app.url),
      webhookBaseUrl: undefined,
    };
  }

  it('passes every check for a correct cloud configuration', async () => {
    const report = await runDoctor(cloudEnv());
    assert.equal(report.mode, 'cloud');
    assert.deepEqual(summary(report), [
      'config:pass',
      'issuer:pass',
      'clock:pass',
      'token:pass',
      'permissions:pass',
      'access-policy:pass',
      'webhook:pass',
      'manifest-calling:pass',
      'manifest-bot-id:pass',
      'manifest-domains:pass',
      'speech:pass',
      'readiness:pass',
    ]);
    assert.match(finding(report, 'webhook').title, /^https:\/\/switchboard\.example\.test\/api\/calling is Switchboard's/);
    assert.match(finding(report, 'manifest-domains').title, /switchboard\.example\.test/);
    const printed = formatReport(report);
    assert.match(printed, /Switchboard doctor \(cloud mode\)/);
    assert.ok(!printed.includes(LOCAL_APP.secret), 'the secret is never printed');
  });

  it('reports every configuration problem with its fix and skips the rest', async () => {
    // No credential alone means local mode (only a credential switches modes): cloud is asked for explicitly here.
    const report = await runDoctor(cloudEnv({ SWITCHBOARD_MODE: 'cloud', MicrosoftAppId: 'not-a-guid', MicrosoftAppPassword: undefined, MicrosoftAppTenantId: undefined, PUBLIC_BASE_URL: 'http://switchboard.example.test' }));
    const config = report.findings.filter((f) => f.check === 'config');
    assert.deepEqual(config.map((f) => f.code).sort(), [
      'config/invalid-MicrosoftAppId',
      'config/missing-MicrosoftAppTenantId',
      'config/missing-credential',
      'config/public-url-not-https',
    ]);
    for (const f of config) {
      assert.equal(f.status, 'fail');
      assert.ok(f.fix && f.fix.length > 10, `${f.code} has a fix`);
    }
    assert.ok(report.findings.filter((f) => f.check !== 'config').every((f) => f.status === 'skip'));
    const printed = formatReport(report);
    assert.match(printed, /✖ Configuration: MicrosoftAppId "not-a-guid" is not a GUID\n    fix: Copy the Application \(client\) ID/);
    assert.match(printed, /! Identity issuer: skipped: fix the configuration first/);
    assert.match(printed, /0 passed, 4 failed, 0 warnings, 11 skipped/);
  });

  it('a tenant id that is not the app\'s tenant: the issuer refuses it (AADSTS90002), so MSAL cannot get a token', async () => {
    const report = await runDoctor(cloudEnv({ MicrosoftAppTenantId: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9' }));
    const issuer = finding(report, 'issuer');
    assert.equal(issuer.code, 'doctor/issuer-refused');
    assert.match(issuer.title, /AADSTS90002/);
    assert.match(issuer.fix!, /MicrosoftAppTenantId/);
    const token = finding(report, 'token');
    assert.equal(token.code, 'doctor/token-failed');
    assert.match(token.title, /issuer's metadata \(endpoints_resolution_error\)/);
    assert.match(token.fix!, /Identity issuer/);
  });

  it('a tunnel with nothing behind it (502): the address is up but Switchboard is not', async () => {
    const tunnel = await startOtherServer(502, 'Bad Gateway');
    try {
      const f = finding(await runDoctor(cloudEnv({}, tunnel.url)), 'webhook');
      assert.equal(f.code, 'doctor/webhook-not-switchboard');
      assert.match(f.title, /HTTP 502.*Switchboard is not behind it/);
      assert.match(f.fix!, /devtunnel host -p 3978 --allow-anonymous/);
    } finally {
      await tunnel.close();
    }
  });

  it('a public URL nobody answers: unreachable, with the dev tunnel steps', async () => {
    const gone = await startOtherServer(200);
    await gone.close();
    const f = finding(await runDoctor(cloudEnv({}, gone.url)), 'webhook');
    assert.equal(f.code, 'doctor/webhook-unreachable');
    assert.match(f.fix!, /devtunnel host -p 3978 --allow-anonymous/);
    assert.match(f.fix!, /PUBLIC_BASE_URL/);
    assert.match(f.fix!, /calling webhook of the Azure Bot's Teams channel/);
  });
});
