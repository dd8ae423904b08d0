// Bundles the tab's browser code (React + Fluent UI + teams-js) with esbuild into dist/tab/web: content-hashed file
// names (cached for a year by the server) and manifest.json, which maps each page's entry to its script, styles and
// shared chunks. Run by `npm run build` after tsc; takes a second or two.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = join(root, 'dist', 'tab', 'web');
const PAGES = { 'side-panel': 'tab/web/side-panel.tsx', personal: 'tab/web/personal.tsx', queues: 'tab/web/queues.tsx', config: 'tab/web/config-page.tsx' };
const STYLES = 'tab/web/tab.css';

const started = Date.now();
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
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
});

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
const bytes = Object.values(outputs).filter((o, i) => !Object.keys(outputs)[i].endsWith('.map')).reduce((n, o) => n + o.bytes, 0);
if (process.env.TAB_BUILD_QUIET !== '1') {
  console.log(`tab: ${Object.keys(PAGES).length} pages bundled into ${relative(root, outdir)} (${Math.round(bytes / 1024)} KB) in ${Date.now() - started} ms`);
}
