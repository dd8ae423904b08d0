// `npm run package` as a person runs it: in a checkout with its .env files, exit 0 with the zip's path, or exit 1 with
// every field that stops it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../appPackage/build-package.js', import.meta.url));

function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run package (CLI)', () => {
  let checkout: string;
  beforeEach(() => {
    checkout = mkdtempSync(join(tmpdir(), 'switchboard-checkout-'));
    copyFileSync(join(ROOT, 'manifest.json'), join(checkout, 'manifest.json'));
    mkdirSync(join(checkout, 'appPackage'));
    for (const icon of ['color.png', 'outline.png']) copyFileSync(join(ROOT, 'appPackage', icon), join(checkout, 'appPackage', icon));
  });
  afterEach(() => rmSync(checkout, { recursive: true, force: true }));

  it('builds appPackage/build/appPackage.<env>.zip from env/.env.<env> over .env', async () => {
    writeFileSync(join(checkout, '.env'), 'MicrosoftAppId=5d1f7c3a-9e2b-4a6d-8c1f-0b2e3d4c5a6f\nPUBLIC_BASE_URL=https://wrong.example.com\n');
    mkdirSync(join(checkout, 'env'));
    writeFileSync(join(checkout, 'env', '.env.dev'), 'TEAMS_APP_ID=3a5e9b2c-1f0d-4c2a-8b3e-9d4c5e6f7a81\nPUBLIC_BASE_URL=https://sb-dev.example.com\n');
    const { code, stdout } = await run(checkout, ['--env', 'dev']);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /appPackage\/build\/appPackage\.dev\.zip/);
    assert.ok(existsSync(join(checkout, 'appPackage', 'build', 'appPackage.dev.zip')));
    const manifest = JSON.parse(
      readFileSync(join(checkout, 'appPackage', 'build', 'manifest.dev.json'), 'utf8'),
    );
    assert.deepEqual(manifest.validDomains, ['sb-dev.example.com']);
  });

  it('exits 1 naming the field and the variable when a placeholder is left', async () => {
    const { code, stderr } = await run(checkout, [], { TEAMS_APP_ID: '3a5e9b2c-1f0d-4c2a-8b3e-9d4c5e6f7a81', PUBLIC_BASE_URL: 'https://sb.example.com' });
    assert.equal(code, 1);
    assert.match(stderr, /bots\[0\]\.botId still holds \$\{\{MicrosoftAppId\}\}: set MicrosoftAppId/);
    assert.ok(!existsSync(join(checkout, 'appPackage', 'build', 'appPackage.local.zip')));
  });

  it('on a first run (no env file) says which file to copy and which variables to set', async () => {
    mkdirSync(join(checkout, 'env'));
    copyFileSync(join(ROOT, 'env', '.env.local.example'), join(checkout, 'env', '.env.local.example'));
    const { code, stderr } = await run(checkout, []);
    assert.equal(code, 1);
    assert.match(stderr, /Start with: cp env\/\.env\.local\.example env\/\.env\.local, then set (TEAMS_APP_ID|PUBLIC_BASE_URL|MicrosoftAppId)(, (TEAMS_APP_ID|PUBLIC_BASE_URL|MicrosoftAppId)){2} in it/);
  });
});
