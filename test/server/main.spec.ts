// The real entry point (what `npm start` runs), as a child process: it starts, prints where everything is,
// serves, and stops cleanly; wrong config stops it with the variables named.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';

const MAIN = resolve('dist/server/main.js');

function run(env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, ['--no-deprecation', MAIN], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('server/main (npm start)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'switchboard-main-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts local mode, prints its addresses, serves, and exits 0 on SIGTERM', async () => {
    const proc = run({ PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn' }, dir);
    await until(() => /Stop with Ctrl\+C/.test(proc.out()) || proc.child.exitCode !== null, 'the start banner');
    assert.match(proc.out(), /running in local mode/, proc.err());
    const messages = proc.out().match(/Bot messaging endpoint\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/messages/);
    assert.ok(messages, proc.out());
    assert.match(proc.out(), /Emulator \(Microsoft\)\s+https:\/\/127\.0\.0\.1:\d+/);
    const res = await request(`${messages[1]}/readyz`);
    assert.equal(res.statusCode, 200, await res.body.text());
    proc.child.kill('SIGTERM');
    assert.equal(await proc.exited, 0);
  });

  it('refuses to start with a partial cloud configuration, naming every missing variable and what switched to cloud', async () => {
    const proc = run({ MicrosoftAppPassword: 'not-a-real-secret' }, dir);
    assert.equal(await proc.exited, 2);
    assert.match(proc.err(), /Cloud mode, because MicrosoftAppPassword is set/);
    for (const variable of ['MicrosoftAppId', 'MicrosoftAppTenantId', 'PUBLIC_BASE_URL']) {
      assert.match(proc.err(), new RegExp(`${variable} is missing`));
    }
    assert.doesNotMatch(proc.err(), /not-a-real-secret/);
  });

  it('says which port is taken when it cannot listen', async () => {
    const first = run({ PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn' }, dir);
    await until(() => /Stop with Ctrl\+C/.test(first.out()), 'the first instance');
    const port = first.out().match(/127\.0\.0\.1:(\d+)\/api\/messages/)![1]!;
    const second = run({ PORT: port, EMULATOR_PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: join(dir, 'second') }, dir);
    assert.equal(await second.exited, 1);
    assert.match(second.err(), /Another process uses that port/);
    first.child.kill('SIGTERM');
    await first.exited;
  });
});
