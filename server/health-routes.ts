// GET /healthz (the process is up) and GET /readyz (the store takes a write and reads it back, an app token can be
// had, no uncaught exception has damaged the process, it has finished starting and it is not shutting down). A
// failing check is logged and named in the 503.
// /readyz also says how far the re-reading of stored live calls from Graph after a start has got (`reconciled`,
// `checks.calls`; the instance serves meanwhile, from the store), and names the dependencies that degrade the service
// without making this instance useless — the speech engines and the callRecords subscription — with their state;
// those never turn it into a 503 (a load balancer taking every instance out because Graph refused a subscription
// would drop the calls too): `status` says `degraded`.
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
  /** True until the app has finished starting (stored calls re-read, the front desk and the other parts running). */
  starting?: () => boolean;
  /**
   * The stored live calls' re-reading from Graph after a start (they are served from the store meanwhile): named in
   * the answer as `calls` and `reconciled`, never a reason to be unready.
   */
  reconciliation?: () => { total: number; reread: number; done: boolean };
  /** Dependencies that degrade the service but never make the instance unready, by name (`speech`, `subscriptions`). */
  dependencies?: () => Record<string, { ok: boolean; detail: string }>;
}

export function registerHealthRoutes(server: Server, deps: HealthDeps): void {
  const health = deps.health ?? processHealth;
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (req, res) => {
    const [store, token] = await Promise.all([check(() => deps.store.ping()), check(() => deps.tokens.getToken())]);
    const damage = deps.draining?.() ? 'draining: shutting down' : deps.starting?.() ? 'starting: loading live calls and starting the front desk' : health.damage;
    const ready = store.ok && token.ok && damage === undefined;
    const optional = dependencyStates(deps.dependencies);
    const degraded = Object.entries(optional).filter(([, d]) => !d.ok).map(([name]) => name);
    const reconciliation = deps.reconciliation?.();
    const calls = reconciliation ? { calls: reconciliation.done ? `reconciled: ${reconciliation.reread} live calls re-read from Graph at start` : `reconciling: ${reconciliation.reread} of ${reconciliation.total} live calls re-read from Graph` } : {};
    const checks = { store: store.detail, token: token.detail, ...(damage ? { process: damage } : {}), ...calls, ...Object.fromEntries(Object.entries(optional).map(([name, d]) => [name, d.detail])) };
    if (!ready) deps.log(req).warn({ checks, store: store.cause, token: token.cause }, 'not ready');
    res.setHeader('cache-control', 'no-store');
    const status = !ready ? 'not-ready' : degraded.length > 0 ? 'degraded' : 'ready';
    res.send(ready ? 200 : 503, { status, checks, ...(reconciliation ? { reconciled: reconciliation.done } : {}), ...(degraded.length > 0 ? { degraded } : {}) });
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

function dependencyStates(read: HealthDeps['dependencies']): Record<string, { ok: boolean; detail: string }> {
  if (!read) return {};
  try {
    return read();
  } catch {
    return { dependencies: { ok: false, detail: 'unavailable: could not be read' } };
  }
}
