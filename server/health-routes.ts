// GET /healthz (the process is up) and GET /readyz (the store takes a write and reads it back, an app token can be
// had, no uncaught exception has damaged the process, and it is not shutting down). A failing check is logged and named in the 503.
import type { Request, Server } from 'restify';
import type { TokenProvider } from '../comms/graph/index.js';
import type { Store } from '../comms/store/index.js';
import type { Logger } from './logger.js';
import { processHealth, type ProcessHealth } from './process-guard.js';

export interface HealthDeps {
  store: Store;
  tokens: TokenProvider;
  log: (req: Request) => Pick<Logger, 'warn'>;
  health?: ProcessHealth;
  /** True once the instance is shutting down (graceful stop): not ready, so no new work is routed here. */
  draining?: () => boolean;
}

export function registerHealthRoutes(server: Server, deps: HealthDeps): void {
  const health = deps.health ?? processHealth;
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (req, res) => {
    const [store, token] = await Promise.all([check(() => deps.store.ping()), check(() => deps.tokens.getToken())]);
    const damage = deps.draining?.() ? 'draining: shutting down' : health.damage;
    const ready = store.ok && token.ok && damage === undefined;
    const checks = { store: store.detail, token: token.detail, ...(damage ? { process: damage } : {}) };
    if (!ready) deps.log(req).warn({ checks, store: store.cause, token: token.cause }, 'not ready');
    res.setHeader('cache-control', 'no-store');
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready', checks });
  });
}

async function check(probe: () => Promise<unknown>): Promise<{ ok: boolean; detail: string; cause?: string }> {
  try {
    await probe();
    return { ok: true, detail: 'ok' };
  } catch (err) {
    // The answer names the code, and the message only when it is ours (a StoreError), never a library's text;
    // the log line gets the whole message.
    const e = err as { code?: string; message?: string; name?: string };
    const ours = e.name === 'StoreError' && typeof e.message === 'string';
    const detail = ours ? `${e.code}: ${e.message}` : typeof e.code === 'string' ? e.code : 'unavailable';
    return { ok: false, detail, cause: e.message ?? String(err) };
  }
}
