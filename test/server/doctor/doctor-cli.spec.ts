// `npm run doctor` as a person runs it in local mode: it checks the Switchboard already running on PORT, or starts a
// temporary one; it exits 0 when everything passes and 1 (with the fixes) when something fails.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startLocalSwitchboard } from '../../support/local-switchboard.js';
import { MANIFEST } from './doctor-harness.js';

const CLI = fileURLToPath(new URL('../../../server/doctor/main.js', import.meta.url));

function doctor(cwd: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--no-deprecation', CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 50_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run doctor (CLI, local mode)', () => {
  // A checkout of its own: the repository's .env (if a developer has one) must not change the outcome.
  let dir: string;
  let data: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-doctor-cli-'));
    data = join(dir, 'data');
    copyFileSync(MANIFEST, join(dir, 'manifest.json'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('with nothing running: starts a temporary Switchboard, passes every check and exits 0', async () => {
    const { code, stdout, stderr } = await doctor(dir, { PORT: String(await freePort()), EMULATOR_PORT: String(await freePort()), DATA_DIR: data });
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /Switchboard doctor \(local mode\)/);
    assert.match(stdout, /12 passed, 0 failed, 0 warnings, 0 skipped/);
    assert.match(stdout, /checked a temporary one/);
  });

  it('with Switchboard running on PORT: checks that one', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const app = await startLocalSwitchboard({ port, dataDir: data, env: { EMULATOR_PORT: String(emulatorPort) } });
    try {
      const { code, stdout } = await doctor(dir, { PORT: String(port), EMULATOR_PORT: String(emulatorPort), DATA_DIR: data });
      assert.equal(code, 0, stdout);
      assert.match(stdout, new RegExp(`Checked the Switchboard running at http://127\\.0\\.0\\.1:${port} and its emulator at https://127\\.0\\.0\\.1:${emulatorPort}`));
      assert.match(stdout, /12 passed, 0 failed/);
    } finally {
      await app.stop();
    }
  });

  it('with a configuration problem: prints each problem with its fix and exits 1', async () => {
    const { code, stdout } = await doctor(dir, { SWITCHBOARD_MODE: 'cloud', MicrosoftAppId: 'not-a-guid', DATA_DIR: data });
    assert.equal(code, 1);
    assert.match(stdout, /✖ Configuration: MicrosoftAppId "not-a-guid" is not a GUID/);
    assert.match(stdout, /✖ Configuration: PUBLIC_BASE_URL is missing\n    fix: /);
    assert.match(stdout, /fix the ✖ lines and run npm run doctor again/);
  });
});
