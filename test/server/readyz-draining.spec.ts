// /readyz while the app starts and during a graceful stop: until every part has started (live calls loaded from the
// store, the front desk loaded) it answers 503 "starting" — then 200 while the calls are re-read from Graph, saying
// how far — and once the instance is shutting down 503 "draining", so a load balancer sends work only where every
// listener is in place, and to the other instances while this one finishes.
import assert from 'node:assert/strict';
import { request } from 'undici';
import { registerHealthRoutes } from '../../server/health-routes.js';
import { createHttpServer, requestLog } from '../../server/http-server.js';
import { createLogger } from '../../server/logger.js';
import { openSqliteStore } from '../../comms/store/index.js';

type HealthOptions = Omit<Parameters<typeof registerHealthRoutes>[1], 'store' | 'tokens' | 'log'>;

/** /readyz on its own server (an in-memory store, a token that is always had); closed after `run`. */
async function withReadyz(options: HealthOptions, run: (url: string) => Promise<void>): Promise<void> {
  const server = createHttpServer(createLogger('silent'));
  const store = openSqliteStore(':memory:');
  registerHealthRoutes(server, { store, tokens: { getToken: async () => 'token' } as never, log: requestLog, ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    await run(`http://127.0.0.1:${server.address().port}/readyz`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  }
}

describe('/readyz while starting and while draining', () => {
  it('503 starting until started, then ready, then 503 with process: draining once the stop has begun', async () => {
    let draining = false;
    let starting = true;
    await withReadyz({ draining: () => draining, starting: () => starting }, async (url) => {
      const early = await request(url);
      const earlyBody = (await early.body.json()) as { status: string; checks: { process?: string } };
      assert.equal(early.statusCode, 503);
      assert.equal(earlyBody.status, 'not-ready');
      assert.match(earlyBody.checks.process ?? '', /^starting/);
      starting = false;
      const ready = await request(url);
      assert.equal(ready.statusCode, 200);
      await ready.body.text();
      draining = true;
      const res = await request(url);
      const body = (await res.body.json()) as { status: string; checks: { process?: string } };
      assert.equal(res.statusCode, 503);
      assert.equal(body.status, 'not-ready');
      assert.match(body.checks.process ?? '', /^draining/);
    });
  });

  it('ready while the stored calls are re-read from Graph, saying how far: reconciled false, then true', async () => {
    let progress = { total: 10, reread: 3, done: false };
    await withReadyz({ starting: () => false, reconciliation: () => progress }, async (url) => {
      const during = await request(url);
      const duringBody = (await during.body.json()) as { status: string; reconciled?: boolean; checks: { calls?: string } };
      assert.equal(during.statusCode, 200);
      assert.equal(duringBody.status, 'ready', 're-reading is no reason to be unready or degraded');
      assert.equal(duringBody.reconciled, false);
      assert.equal(duringBody.checks.calls, 'reconciling: 3 of 10 live calls re-read from Graph');
      progress = { total: 10, reread: 10, done: true };
      const after = (await (await request(url)).body.json()) as { reconciled?: boolean; checks: { calls?: string } };
      assert.equal(after.reconciled, true);
      assert.match(after.checks.calls ?? '', /^reconciled: 10 /);
    });
  });
});
