// The tab's pages — the meeting side panel, the personal call history, the queue dashboard and the configurable tab's
// config page — as small HTML shells that load content-hashed bundles, every one sent with the tab's CSP
// (frame-ancestors: only Teams, Microsoft 365 and Outlook may frame it); and the bundles themselves, cached for a year
// (their names change whenever their content does).
import type { Request, Response, Server } from 'restify';
import { pageSecurityHeaders } from './page-security.js';
import type { WebAssets } from './web-assets.js';

export const TAB_PAGES = {
  '/tab/side-panel': { entry: 'side-panel', title: 'Switchboard · Meeting' },
  '/tab/personal': { entry: 'personal', title: 'Switchboard · Calls' },
  '/tab/queues': { entry: 'queues', title: 'Switchboard · Queues' },
  '/tab/config': { entry: 'config', title: 'Switchboard · Set up the tab' },
} as const;

export const ASSETS_PATH = '/tab/assets';

export interface PageRoutesDeps {
  /** undefined when the bundles were not built: pages answer 503 with the fix. */
  assets: WebAssets | undefined;
  mode: 'local' | 'cloud';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function pageHtml(title: string, assets: { js: string; css: string[]; preload: string[] }, mode: string): string {
  const css = assets.css.map((f) => `<link rel="stylesheet" href="${ASSETS_PATH}/${escapeHtml(f)}">`).join('');
  const preload = assets.preload.map((f) => `<link rel="modulepreload" href="${ASSETS_PATH}/${escapeHtml(f)}">`).join('');
  return `<!doctype html>
<html lang="en" data-mode="${escapeHtml(mode)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
${css}${preload}<script type="module" src="${ASSETS_PATH}/${escapeHtml(assets.js)}"></script>
</head>
<body>
<div id="root"><p class="boot">Loading Switchboard…</p></div>
<noscript>Switchboard needs JavaScript.</noscript>
</body>
</html>
`;
}

export function registerPageRoutes(server: Server, deps: PageRoutesDeps): void {
  for (const [path, page] of Object.entries(TAB_PAGES)) {
    server.get(path, async (_req: Request, res: Response) => {
      const assets = deps.assets?.page(page.entry);
      const headers = { ...pageSecurityHeaders(), 'cache-control': 'no-cache' };
      if (!assets) {
        res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
        res.end('The tab was not built: run npm run build, then start Switchboard again.\n');
        return;
      }
      const html = Buffer.from(pageHtml(page.title, assets, deps.mode));
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-length': html.length });
      res.end(html);
    });
  }

  server.get(`${ASSETS_PATH}/:file`, async (req: Request, res: Response) => {
    const name = String(req.params.file);
    // Source maps are for local debugging: in the cloud they would publish the source.
    const asset = deps.mode === 'cloud' && name.endsWith('.map') ? undefined : deps.assets?.file(name);
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
      res.end('Not found\n');
      return;
    }
    const gzip = asset.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzip! : asset.body;
    res.writeHead(200, {
      'content-type': asset.contentType,
      'content-length': body.length,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(body);
  });
}
