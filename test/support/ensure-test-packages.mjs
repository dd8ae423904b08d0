// Makes sure the Debian packages the tests need are installed: chromium (browser tests, test/browser) and
// redis-server (distributed mode, test/cluster), pocketsphinx + pocketsphinx-en-us (spoken replies). Installs what is missing with apt-get, saying what it does, and fails
// with a clear message when it cannot.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const NEEDED = [
  { pkg: 'chromium', binary: '/usr/bin/chromium', why: 'the browser tests' },
  { pkg: 'redis-server', binary: '/usr/bin/redis-server', why: 'the distributed-mode tests' },
  { pkg: 'pocketsphinx', binary: '/usr/bin/pocketsphinx_continuous', why: 'spoken replies (the offline recogniser)' },
  { pkg: 'pocketsphinx-en-us', binary: '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict', why: 'its US English model' },
];

const missing = NEEDED.filter((n) => !existsSync(n.binary));
if (missing.length === 0) process.exit(0);

const names = missing.map((m) => m.pkg);
console.log(`ensure-test-packages: missing ${missing.map((m) => `${m.binary} (${m.why})`).join(', ')}; installing Debian's ${names.join(' ')}…`);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !isRoot && spawnSync('sh', ['-c', 'command -v sudo'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n'] : [];
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', ...names]]) {
  const cmd = [...sudo, ...args];
  console.log(`ensure-test-packages: running ${cmd.join(' ')}`);
  const result = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    console.error(`ensure-test-packages: '${cmd.join(' ')}' failed (${why}). The tests need ${names.join(' and ')}: install as root with 'apt-get update && apt-get install -y ${names.join(' ')}', then run the tests again.`);
    process.exit(1);
  }
}

for (const m of missing) {
  if (!existsSync(m.binary)) {
    console.error(`ensure-test-packages: the ${m.pkg} package installed but ${m.binary} is still missing: check 'dpkg -L ${m.pkg}'.`);
    process.exit(1);
  }
}
console.log(`ensure-test-packages: installed ${names.join(', ')}.`);
