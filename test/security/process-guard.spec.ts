// An uncaught exception or unhandled rejection never takes the process down silently: the real server in a child
// process, with the guards npm start installs, keeps serving after a route fails asynchronously; the open request
// gets a 500 without the error's text; the error is logged with its message; /readyz answers 503 naming the damage.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { request } from 'undici';

const FIXTURE = resolve('dist/test/security/fixtures/guarded-app.js');

describe('process guards (real server in a child process)', function () {
  this.timeout(60_000);
  let child: ChildProcess;
  let url: string;
  let stdout = '';

  before(async () => {
    child = spawn(process.execPath, ['--no-deprecation', FIXTURE], { env: { PATH: process.env.PATH ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stdout += d));
    url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`the fixture did not start:\n${stdout}`)), 30_000);
      const check = () => {
        const m = /READY (http:\/\/\S+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]!);
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => reject(new Error(`the fixture exited ${code}:\n${stdout}`)));
    });
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  const get = async (path: string) => {
    const res = await request(url + path);
    const text = await res.body.text();
    return { status: res.statusCode, text, json: text ? JSON.parse(text) : undefined };
  };

  it('is ready before anything failed', async () => {
    const ready = await get('/readyz');
    assert.equal(ready.status, 200, ready.text);
  });

  it('answers 500 on the request whose timer threw, keeps serving, logs the error, and /readyz says why it is not ready', async () => {
    const res = await get('/test/throw-later');
    assert.equal(res.status, 500);
    assert.equal(res.json.error.code, 'InternalError');
    assert.doesNotMatch(res.text, /boom|internal detail/, 'no internal error text in the body');
    assert.equal(child.exitCode, null, 'the process is still running');
    assert.equal((await get('/healthz')).status, 200);
    const logged = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((l) => /uncaught exception/.test(l.msg));
    assert.ok(logged, `an error line was logged:\n${stdout}`);
    assert.equal(logged.level, 50);
    assert.match(logged.err.message, /boom/);
    assert.equal(logged.answered500, true);
    assert.ok(logged.reqId, 'logged under the request id');
    const ready = await get('/readyz');
    assert.equal(ready.status, 503);
    assert.match(ready.json.checks.process, /^uncaught-exception \(Error\)$/);
  });

  it('does the same for an unhandled rejection', async () => {
    const res = await get('/test/reject-later');
    assert.equal(res.status, 500);
    assert.doesNotMatch(res.text, /rejected|internal detail/);
    assert.equal((await get('/healthz')).status, 200);
    assert.ok(stdout.includes('unhandled promise rejection'), stdout);
  });

  it('survives a throw outside any request too', async () => {
    const res = await get('/test/throw-detached');
    assert.equal(res.status, 202);
    const deadline = Date.now() + 10_000;
    while (!stdout.includes('detached failure') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(stdout.includes('detached failure'), stdout);
    assert.equal((await get('/healthz')).status, 200);
    assert.equal(child.exitCode, null);
  });

  it('a timer a finished request started that throws is logged without that request\'s id, and the process goes on', async () => {
    const res = await get('/test/throw-after-answer');
    assert.equal(res.status, 200);
    const line = async () => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((l) => l.err?.message === 'after the answer');
    const deadline = Date.now() + 10_000;
    while (!(await line()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const logged = await line();
    assert.ok(logged, stdout);
    assert.equal(logged.answered500, false);
    assert.equal(logged.reqId, undefined, 'the answered request is not blamed');
    assert.equal((await get('/healthz')).status, 200);
  });
});
