// The doctor in local mode, against a real Switchboard and an emulator told to reproduce each misconfiguration:
// a correct setup passes every check; each broken piece gives its own finding with its fix.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_PERMISSIONS, createHttpTransport, type HttpTransport } from '../../../comms/graph/index.js';
import { LOCAL_APP } from '../../../server/config.js';
import { formatReport } from '../../../server/doctor/report-format.js';
import { runDoctor } from '../../../server/doctor/run-doctor.js';
import { finding, LOCAL_REGISTRATION, MANIFEST, startOtherServer, startStack, summary, type Stack } from './doctor-harness.js';

const AMARA = 'amara.okafor@switchboard.test';

describe('doctor in local mode (against the emulator)', () => {
  describe('a correct local setup', () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack();
    });
    after(async () => stack?.close());

    it('passes every check', async () => {
      const report = await runDoctor(stack.env());
      assert.equal(report.mode, 'local');
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
      const printed = formatReport(report);
      assert.doesNotMatch(printed, /✖/);
      assert.match(printed, /12 passed, 0 failed, 0 warnings, 0 skipped/);
      assert.ok(!printed.includes(LOCAL_APP.secret), 'the secret is never printed');
    });

    it('finds the calling webhook by its 401 calls/unauthorized and the echoed request id', async () => {
      const webhook = finding(await runDoctor(stack.env()), 'webhook');
      assert.match(webhook.title, /api\/calling is Switchboard's calling webhook .*request id echoed/);
    });

    it('access policy revoked: fails with the PowerShell to grant it (PUT /emulator/access-policy)', async () => {
      const revoked = await stack.emulatorJson('PUT', '/emulator/access-policy', { global: false, userIds: [] });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      try {
        const f = finding(await runDoctor(stack.env()), 'access-policy');
        assert.equal(f.status, 'fail');
        assert.equal(f.code, 'doctor/access-policy-missing');
        assert.match(f.fix!, new RegExp(`New-CsApplicationAccessPolicy -Identity Switchboard-Policy -AppIds "${LOCAL_APP.id}"`));
        assert.match(f.fix!, /Grant-CsApplicationAccessPolicy -PolicyName Switchboard-Policy -Identity "[0-9a-f-]{36}"/);
        assert.match(f.fix!, /-Global/);
        assert.match(f.fix!, /30 minutes/);
      } finally {
        await stack.emulatorJson('PUT', '/emulator/access-policy', { global: true, userIds: [] });
      }
    });

    it('access policy granted to one user: passes with DOCTOR_USER set to that user, fails for another', async () => {
      await stack.emulatorJson('PUT', '/emulator/access-policy', { global: false, userIds: [AMARA] });
      try {
        const env = stack.env();
        const granted = finding(await runDoctor({ ...env, variables: { ...env.variables, DOCTOR_USER: AMARA } }), 'access-policy');
        assert.equal(granted.status, 'pass', granted.title);
        assert.match(granted.title, /amara\.okafor/);
        const other = finding(await runDoctor({ ...env, variables: { ...env.variables, DOCTOR_USER: 'jonas.lindqvist@switchboard.test' } }), 'access-policy');
        assert.equal(other.code, 'doctor/access-policy-missing');
      } finally {
        await stack.emulatorJson('PUT', '/emulator/access-policy', { global: true, userIds: [] });
      }
    });

    it('DOCTOR_USER that is nobody: says so', async () => {
      const env = stack.env();
      const f = finding(await runDoctor({ ...env, variables: { ...env.variables, DOCTOR_USER: 'nobody@switchboard.test' } }), 'access-policy');
      assert.equal(f.status, 'fail');
      assert.equal(f.code, 'doctor/doctor-user-unknown');
      assert.match(f.fix!, /DOCTOR_USER/);
    });

    it('Graph answering 404 for the made-up meeting: past the policy check, so granted', async () => {
      const users = await stack.emulatorJson('GET', '/emulator/users');
      const first = users.body.value[0].id as string;
      const body = { error: { code: 'NotFound', message: 'Specified meeting is not found.' } };
      await stack.emulatorJson('POST', '/emulator/faults', { match: { method: 'GET', path: `/v1.0/users/${first}/onlineMeetings` }, count: 1, status: 404, body });
      try {
        const f = finding(await runDoctor(stack.env()), 'access-policy');
        assert.equal(f.status, 'pass', f.title);
        assert.match(f.title, /404/);
      } finally {
        await stack.emulatorJson('DELETE', '/emulator/faults');
      }
    });

    it('Graph failing the probe: warns that the policy could not be checked', async () => {
      const fault = await stack.emulatorJson('POST', '/emulator/faults', { match: { method: 'GET', path: '/v1.0/users*' }, count: 5, status: 500 });
      assert.equal(fault.status, 201, JSON.stringify(fault.body));
      try {
        const f = finding(await runDoctor(stack.env()), 'access-policy');
        assert.equal(f.status, 'warn');
        assert.equal(f.code, 'doctor/access-policy-unchecked');
      } finally {
        await stack.emulatorJson('DELETE', '/emulator/faults');
      }
    });

    it('a webhook URL answered by some other server: not Switchboard', async () => {
      const other = await startOtherServer(404, '<html>Not Found</html>', { server: 'nginx', 'content-type': 'text/html' });
      try {
        const f = finding(await runDoctor(stack.env({ webhookBaseUrl: other.url })), 'webhook');
        assert.equal(f.status, 'fail');
        assert.equal(f.code, 'doctor/webhook-not-switchboard');
        assert.match(f.title, /HTTP 404, server: nginx/);
      } finally {
        await other.close();
      }
    });

    it('a webhook URL answering 401 without Switchboard\'s error code: still not Switchboard', async () => {
      const other = await startOtherServer(401, JSON.stringify({ error: 'unauthorized' }), { 'content-type': 'application/json' });
      try {
        assert.equal(finding(await runDoctor(stack.env({ webhookBaseUrl: other.url })), 'webhook').code, 'doctor/webhook-not-switchboard');
      } finally {
        await other.close();
      }
    });

    it('a webhook URL nobody answers: unreachable, start Switchboard', async () => {
      const gone = await startOtherServer(200);
      await gone.close();
      const f = finding(await runDoctor(stack.env({ webhookBaseUrl: gone.url })), 'webhook');
      assert.equal(f.status, 'fail');
      assert.equal(f.code, 'doctor/webhook-unreachable');
      assert.match(f.title, /ECONNREFUSED/);
      assert.match(f.fix!, /npm start/);
    });

    describe('the manifest', () => {
      let dir: string;
      beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'switchboard-doctor-manifest-'));
      });
      afterEach(() => rmSync(dir, { recursive: true, force: true }));

      function manifestWith(edit: (m: any) => void): string {
        const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
        edit(manifest);
        const path = join(dir, 'manifest.local.json');
        writeFileSync(path, JSON.stringify(manifest));
        return path;
      }

      it('supportsCalling false: calling is off', async () => {
        const report = await runDoctor(stack.env({ manifestPath: manifestWith((m) => (m.bots[0].supportsCalling = false)) }));
        const f = finding(report, 'manifest-calling');
        assert.equal(f.status, 'fail');
        assert.equal(f.code, 'doctor/manifest-calling-off');
        assert.match(f.fix!, /"supportsCalling": true/);
        assert.match(f.fix!, /npm run package/);
        assert.equal(finding(report, 'manifest-bot-id').status, 'pass', 'the other manifest checks still run');
      });

      it('no bot at all: says so and skips the bot id', async () => {
        const report = await runDoctor(stack.env({ manifestPath: manifestWith((m) => delete m.bots) }));
        assert.equal(finding(report, 'manifest-calling').code, 'doctor/manifest-no-bot');
        assert.equal(finding(report, 'manifest-bot-id').status, 'skip');
      });

      it('a built manifest for another app id: the bot id does not match MicrosoftAppId', async () => {
        const other = '0f0e0d0c-0b0a-4909-8807-060504030201';
        const report = await runDoctor(stack.env({ manifestPath: manifestWith((m) => { m.bots[0].botId = other; m.webApplicationInfo.id = other; }) }));
        const f = finding(report, 'manifest-bot-id');
        assert.equal(f.status, 'fail');
        assert.equal(f.code, 'doctor/manifest-bot-id-mismatch');
        assert.deepEqual(f.details, [
          `bots[0].botId is "${other}", but MicrosoftAppId is ${LOCAL_APP.id}`,
          `webApplicationInfo.id is "${other}", but MicrosoftAppId is ${LOCAL_APP.id}`,
        ]);
      });

      it('a built manifest for another host: tabs, validDomains and the SSO resource are named', async () => {
        const report = await runDoctor(stack.env({ manifestPath: manifestWith((m) => {
          m.validDomains = ['old-tunnel.devtunnels.ms'];
          m.configurableTabs[0].configurationUrl = 'https://old-tunnel.devtunnels.ms/tab/config';
          m.webApplicationInfo.resource = 'api://old-tunnel.devtunnels.ms/${{MicrosoftAppId}}';
        }) }));
        const f = finding(report, 'manifest-domains');
        assert.equal(f.status, 'fail');
        assert.equal(f.code, 'doctor/manifest-domain-mismatch');
        const details = f.details!.join('\n');
        assert.match(details, /validDomains \["old-tunnel\.devtunnels\.ms"\] does not include 127\.0\.0\.1:\d+/);
        assert.match(details, /configurableTabs\[0\]\.configurationUrl/);
        assert.match(details, /webApplicationInfo\.resource/);
        assert.doesNotMatch(details, /staticTabs/, 'the personal tab is still on the right host');
      });

      it('a manifest that cannot be read: says which file', async () => {
        const report = await runDoctor(stack.env({ manifestPath: join(dir, 'missing.json') }));
        assert.equal(finding(report, 'manifest-calling').code, 'doctor/manifest-unreadable');
        assert.equal(finding(report, 'manifest-domains').status, 'skip');
      });
    });

    describe('the clock (injected)', () => {
      it('10 minutes ahead: fails, tokens are refused beyond 5 minutes', async () => {
        const f = finding(await runDoctor(stack.env({ now: () => Date.now() + 10 * 60_000 })), 'clock');
        assert.equal(f.status, 'fail');
        assert.equal(f.code, 'doctor/clock-skew');
        assert.match(f.title, /ahead/);
        assert.match(f.fix!, /time synchronisation/);
      });

      it('7 minutes behind: fails', async () => {
        const f = finding(await runDoctor(stack.env({ now: () => Date.now() - 7 * 60_000 })), 'clock');
        assert.equal(f.code, 'doctor/clock-skew');
        assert.match(f.title, /behind/);
      });

      it('2 minutes off: a warning, within tolerance', async () => {
        const f = finding(await runDoctor(stack.env({ now: () => Date.now() + 2 * 60_000 })), 'clock');
        assert.equal(f.status, 'warn');
        assert.equal(f.code, 'doctor/clock-drift');
      });

      it('an issuer answer without a Date header: a warning that the clock could not be compared', async () => {
        const noDate: HttpTransport = {
          send: async (req) => {
            const res = await stack.transport.send(req);
            const { date: _date, ...headers } = res.headers;
            return { ...res, headers };
          },
          close: async () => undefined,
        };
        const f = finding(await runDoctor(stack.env({ transport: noDate })), 'clock');
        assert.equal(f.code, 'doctor/clock-unknown');
      });
    });

    it('an issuer whose certificate is not trusted: unreachable, with the TLS cause', async () => {
      const untrusting = createHttpTransport({ defaultTimeoutMs: 5000 });
      try {
        const report = await runDoctor(stack.env({ transport: untrusting }));
        const f = finding(report, 'issuer');
        assert.equal(f.status, 'fail');
        assert.equal(f.code, 'doctor/issuer-unreachable');
        assert.match(f.title, /SELF_SIGNED|CERT/);
        assert.equal(finding(report, 'clock').status, 'skip');
        assert.equal(finding(report, 'token').code, 'doctor/token-failed');
      } finally {
        await untrusting.close();
      }
    });

    it('a token that is not a JWT: a warning that the roles could not be read', async () => {
      const opaque: HttpTransport = {
        send: async (req) => {
          const res = await stack.transport.send(req);
          if (!new URL(req.url).pathname.endsWith('/oauth2/v2.0/token') || res.status !== 200) return res;
          const body = JSON.parse(res.body.toString('utf8'));
          return { ...res, body: Buffer.from(JSON.stringify({ ...body, access_token: 'opaque-token-value' })) };
        },
        close: async () => undefined,
      };
      const f = finding(await runDoctor(stack.env({ transport: opaque })), 'permissions');
      assert.equal(f.status, 'warn');
      assert.equal(f.code, 'doctor/token-unreadable');
    });
  });

  describe('an app registered with only some permissions', () => {
    let stack: Stack;
    const granted = ['Calls.Initiate.All', 'Calls.JoinGroupCall.All', 'User.Read.All', 'OnlineMeetings.ReadWrite.All'];
    before(async () => {
      stack = await startStack({ ...LOCAL_REGISTRATION, roles: granted });
    });
    after(async () => stack?.close());

    it('lists each missing application permission, what it is for, and the admin-consent step', async () => {
      const report = await runDoctor(stack.env());
      const f = finding(report, 'permissions');
      assert.equal(f.status, 'fail');
      assert.equal(f.code, 'doctor/roles-missing');
      const missing = APP_PERMISSIONS.filter((p) => !granted.includes(p.role));
      assert.deepEqual(f.details, missing.map((p) => `missing ${p.role}: ${p.for}`));
      assert.match(f.fix!, /API permissions › Add a permission › Microsoft Graph › Application permissions/);
      assert.match(f.fix!, /Grant admin consent/);
      for (const p of missing) assert.ok(f.fix!.includes(p.role));
      assert.equal(finding(report, 'token').status, 'pass', 'the token itself was issued');
      assert.match(formatReport(report), /✖ Application permissions: 5 of 9/);
    });
  });

  describe('an app whose client secret is not the configured one', () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack({ ...LOCAL_REGISTRATION, clientSecret: 'the-secret-that-was-rotated' });
    });
    after(async () => stack?.close());

    it('fails the token with AADSTS7000215 and the fix, and skips what needs a token', async () => {
      const report = await runDoctor(stack.env());
      const f = finding(report, 'token');
      assert.equal(f.status, 'fail');
      assert.equal(f.code, 'doctor/token-failed');
      assert.match(f.title, /AADSTS7000215/);
      assert.match(f.fix!, /MicrosoftAppPassword/);
      assert.match(f.fix!, /Value \(not its Secret ID\)/);
      assert.equal(finding(report, 'permissions').status, 'skip');
      assert.equal(finding(report, 'access-policy').status, 'skip');
      assert.equal(finding(report, 'webhook').status, 'pass', 'checks that need no token still run');
      const printed = formatReport(report);
      assert.ok(!printed.includes(LOCAL_APP.secret) && !printed.includes('the-secret-that-was-rotated'), 'no secret is printed');
    });
  });
});
