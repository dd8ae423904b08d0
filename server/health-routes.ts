// GET /healthz (the process is up) and GET /readyz (the store answers and an app token can be had).
import type { Server } from 'restify';
import type { TokenProvider } from '../comms/graph/index.js';
import type { Store } from '../comms/store/index.js';

export function registerHealthRoutes(server: Server, deps: { store: Store; tokens: TokenProvider }): void {
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    const [store, token] = await Promise.all([check(() => deps.store.ping()), check(() => deps.tokens.getToken())]);
    const ready = store.ok && token.ok;
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready', checks: { store: store.detail, token: token.detail } });
  });
}

async function check(probe: () => Promise<unknown>): Promise<{ ok: boolean; detail: string }> {
  try {
    await probe();
    return { ok: true, detail: 'ok' };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return { ok: false, detail: `${e.code ?? 'error'}: ${e.message ?? 'unknown failure'}` };
  }
}
