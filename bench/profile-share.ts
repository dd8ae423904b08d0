// `node dist/bench/profile-share.js <file.cpuprofile>`: where the CPU of a profiled bench run went, by part of the
// process, and what the instrumentation's own functions cost (bench/report/profile-share.ts says how it counts).
// Profile a run with `node --cpu-prof --cpu-prof-dir /tmp/prof dist/bench/main.js --quick --only 1,3` and give it the
// largest file in that folder (the main thread).
import { readFileSync } from 'node:fs';
import { formatProfileShare, profileShare, type CpuProfile } from './report/profile-share.js';

const file = process.argv[2];
if (!file) {
  console.error('Usage: node dist/bench/profile-share.js <file.cpuprofile>  (from node --cpu-prof --cpu-prof-dir <dir> dist/bench/main.js …)');
  process.exit(2);
}
try {
  console.log(formatProfileShare(profileShare(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)));
} catch (err) {
  console.error(`Could not read ${file} as a V8 CPU profile: ${(err as Error).message}`);
  process.exit(1);
}
