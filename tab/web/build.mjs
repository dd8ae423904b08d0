// Bundles the tab's browser code (React + Fluent UI + teams-js) with esbuild into dist/tab/web: content-hashed file
// names (cached for a year by the server) and manifest.json, which maps each page's entry to its script, styles and
// shared chunks. Run by `npm run build` after tsc; takes a second or two. `--watch` (npm run dev) rebuilds on every
// change to the tab's sources, rewriting the manifest and removing the files the new build no longer lists.
import { build, context } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = process.env.TAB_BUILD_OUTDIR ? resolve(root, process.env.TAB_BUILD_OUTDIR) : join(root, 'dist', 'tab', 'web');
const PAGES = { 'side-panel': 'tab/web/side-panel.tsx', personal: 'tab/web/personal.tsx', queues: 'tab/web/queues.tsx', config: 'tab/web/config-page.tsx' };
const STYLES = 'tab/web/tab.css';
const watch = process.argv.includes('--watch');
const quiet = process.env.TAB_BUILD_QUIET === '1';

let started = Date.now();
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

/** Writes manifest.json for a finished build (and, in watch mode, removes what the build no longer produces). */
function finish(result) {
  const outputs = result.metafile.outputs;
  const byEntry = new Map();
  for (const [file, output] of Object.entries(outputs)) if (output.entryPoint) byEntry.set(output.entryPoint, file);
  const name = (file) => basename(file);
  const css = byEntry.get(STYLES);
  const entries = {};
  for (const [page, source] of Object.entries(PAGES)) {
    const js = byEntry.get(source);
    if (!js) throw new Error(`esbuild produced no bundle for ${source}`);
    const preload = outputs[js].imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => name(i.path));
    entries[page] = { js: name(js), css: css ? [name(css)] : [], preload };
  }
  const files = Object.keys(outputs).map(name);
  writeFileSync(join(outdir, 'manifest.json'), `${JSON.stringify({ entries, files }, null, 2)}\n`);
  if (watch) {
    const keep = new Set([...files, 'manifest.json']);
    for (const file of readdirSync(outdir)) if (!keep.has(file)) rmSync(join(outdir, file), { force: true });
  }
  const bytes = Object.values(outputs).filter((o, i) => !Object.keys(outputs)[i].endsWith('.map')).reduce((n, o) => n + o.bytes, 0);
  if (!quiet) console.log(`tab: ${Object.keys(PAGES).length} pages bundled into ${relative(root, outdir)} (${Math.round(bytes / 1024)} KB) in ${Date.now() - started} ms`);
}

const options = {
  absWorkingDir: root,
  entryPoints: { ...PAGES, tab: STYLES },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome114', 'edge114', 'firefox115', 'safari16'],
  outdir,
  entryNames: '[name].[hash]',
  chunkNames: 'chunk.[hash]',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
  logLevel: 'warning',
};

if (!watch) {
  finish(await build(options));
} else {
  const ctx = await context({
    ...options,
    plugins: [{
      name: 'manifest',
      setup(b) {
        b.onStart(() => {
          started = Date.now();
        });
        b.onEnd((result) => {
          if (result.errors.length > 0) {
            console.log(`tab: the build failed (${result.errors.length} error${result.errors.length === 1 ? '' : 's'} above); the last good bundle stays`);
          } else {
            finish(result);
          }
        });
      },
    }],
  });
  await ctx.watch();
  if (!quiet) console.log('tab: watching tab/web for changes');
  const stop = () => void ctx.dispose().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
