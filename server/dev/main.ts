// `npm run dev`: for people changing the code — TypeScript recompiles on every save (tsc --watch), the tab's bundles
// rebuild (esbuild watch), and the server restarts when what it runs changes (Node's --watch on dist/). Ctrl+C stops
// all three. The embedded emulator keeps its state across the restarts (meetings, subscriptions: item 6).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startDevRunner } from './dev-runner.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const runner = startDevRunner({
  cwd: root,
  builders: [
    { name: 'tsc', command: process.execPath, args: [tsc, '-p', 'tsconfig.json', '--watch', '--preserveWatchOutput'] },
    { name: 'tab', command: process.execPath, args: ['tab/web/build.mjs', '--watch'] },
  ],
  server: {
    script: 'dist/server/main.js',
    // What the server runs (not the tests): a change there restarts it, once tsc or esbuild has written it.
    watch: ['dist/server', 'dist/bot', 'dist/comms', 'dist/tab', 'dist/emulator'],
    nodeArgs: ['--no-deprecation'],
  },
});
process.stdout.write('[dev] tsc --watch, the tab\'s esbuild watch and the server (restarted on change) are running; Ctrl+C stops them\n');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => runner.stop());
process.exitCode = await runner.done;
