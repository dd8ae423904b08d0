// npm run dev (issue 18, beyond the report): the builders run side by side with their output prefixed, the server is
// restarted by Node's own --watch when a watched path changes, and everything stops together; the tab's build has a
// watch mode that writes its manifest and keeps running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevRunner } from '../../server/dev/dev-runner.js';
import { eventually } from '../support/local-switchboard.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run dev', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-dev-'));
    mkdirSync(join(dir, 'out'));
    // The "server": notes each start with its pid, then runs until stopped.
    writeFileSync(join(dir, 'server.mjs'), `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(join(dir, 'starts.log'))}, process.pid + '\\n');\nsetInterval(() => {}, 1000);\n`);
    writeFileSync(join(dir, 'out', 'a.js'), 'export const a = 1;\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const starts = () => (existsSync(join(dir, 'starts.log')) ? readFileSync(join(dir, 'starts.log'), 'utf8').trim().split('\n').map(Number) : []);

  it('restarts the server when a watched file changes, prefixes the builders\' output, and stops everything together', async () => {
    const lines: string[] = [];
    const runner = startDevRunner({
      cwd: dir,
      builders: [{ name: 'fake', command: process.execPath, args: ['-e', 'console.log("compiled 3 files"); setInterval(() => {}, 1000)'] }],
      server: { script: 'server.mjs', watch: ['out'] },
      write: (line) => lines.push(line),
    });
    await eventually(() => starts().length === 1, 'the server started');
    await eventually(() => lines.includes('[fake] compiled 3 files'), 'the builder\'s output, prefixed');
    writeFileSync(join(dir, 'out', 'a.js'), 'export const a = 2;\n'); // what tsc --watch does on a save
    await eventually(() => starts().length >= 2, 'the server restarted after the change', 20_000);
    const [first, latest] = [starts()[0]!, starts().at(-1)!];
    assert.notEqual(first, latest, 'a new process');
    await eventually(() => !alive(first), 'the old server gone');
    runner.stop();
    assert.equal(await runner.done, 0);
    assert.equal(alive(latest), false, 'the server is stopped with the runner');
  });

  it('a builder that exits stops the rest, with its exit code', async () => {
    const lines: string[] = [];
    const runner = startDevRunner({
      cwd: dir,
      builders: [{ name: 'broken', command: process.execPath, args: ['-e', 'setTimeout(() => process.exit(3), 300)'] }],
      server: { script: 'server.mjs', watch: ['out'] },
      write: (line) => lines.push(line),
    });
    assert.equal(await runner.done, 3);
    assert.ok(lines.some((l) => /\[dev\] broken stopped \(exit 3\): stopping the rest/.test(l)), lines.join('\n'));
    for (const pid of starts()) assert.equal(alive(pid), false);
  });

  it('the tab build\'s --watch writes the manifest and keeps watching until stopped', async () => {
    const out = join(dir, 'tab');
    const child = spawn(process.execPath, ['tab/web/build.mjs', '--watch'], { cwd: ROOT, env: { ...process.env, TAB_BUILD_OUTDIR: out }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    try {
      await eventually(() => output.includes('tab: watching tab/web for changes') && existsSync(join(out, 'manifest.json')), 'the first build and the watch', 40_000);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { entries: Record<string, { js: string }> };
      assert.ok(manifest.entries.personal?.js && existsSync(join(out, manifest.entries.personal.js)), 'the personal page\'s bundle');
      assert.equal(child.exitCode, null, 'still running: watching');
    } finally {
      child.kill('SIGTERM');
    }
    await eventually(() => child.exitCode !== null || child.signalCode !== null, 'the watch to stop');
  });
});
