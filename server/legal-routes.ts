// GET /privacy and /terms: the pages the Teams manifest links to. Plain text the operator can replace by putting
// their own files at DATA_DIR/privacy.html and DATA_DIR/terms.html.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'restify';

const DEFAULTS = {
  privacy: `<h1>Switchboard — privacy</h1>
<p>Switchboard processes call and meeting signalling (who is in a call, its state, the keys pressed) and call records
through Microsoft Graph for the organization that installed it. Call media is never stored: a recorded reply is
processed in memory and discarded. Chat messages are used only to run the commands they contain.</p>`,
  terms: `<h1>Switchboard — terms of use</h1>
<p>Switchboard is provided by the organization that installed it, under its own terms. Ask your administrator.</p>`,
};

export function registerLegalRoutes(server: Server, dataDir: string): void {
  for (const page of ['privacy', 'terms'] as const) {
    server.get(`/${page}`, async (_req, res) => {
      const body = await readFile(join(dataDir, `${page}.html`), 'utf8').catch(() => DEFAULTS[page]);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'" });
      res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Switchboard</title><body>${body}</body></html>`);
    });
  }
}
