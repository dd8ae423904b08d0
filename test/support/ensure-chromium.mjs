// Makes sure Debian's Chromium is installed for the browser tests (test/browser): installs it with apt-get when
// /usr/bin/chromium is missing, saying what it does, and fails with a clear message when it cannot.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';

if (existsSync(CHROMIUM)) process.exit(0);

console.log(`ensure-chromium: ${CHROMIUM} is missing; installing Debian's chromium package (apt-get update && apt-get install -y chromium)…`);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !isRoot && spawnSync('sh', ['-c', 'command -v sudo'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n'] : [];
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']]) {
  const cmd = [...sudo, ...args];
  console.log(`ensure-chromium: running ${cmd.join(' ')}`);
  const result = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    console.error(`ensure-chromium: '${cmd.join(' ')}' failed (${why}). The browser tests need Chromium at ${CHROMIUM}: install it as root with 'apt-get update && apt-get install -y chromium', then run the tests again.`);
    process.exit(1);
  }
}

if (!existsSync(CHROMIUM)) {
  console.error(`ensure-chromium: the chromium package installed but ${CHROMIUM} is still missing: check 'dpkg -L chromium'.`);
  process.exit(1);
}
console.log(`ensure-chromium: installed ${CHROMIUM}.`);
