// /readyz during a graceful stop: once the instance is shutting down it answers 503 "draining", so a load balancer
// sends new work to the other instances while this one finishes what it started.
import assert from 'node:assert/strict';
import { request } from 'undici';
import { registerHealthRoutes } from '../../server/health-routes.js';
import { createHttpServer, requestLog } from '../../server/http-server.js';
import { createLogger } from '../../server/logger.js';
import { openSqliteStore } from '../../comms/store/index.js';

describe('/readyz while draining', () => {
  it('is ready, then 503 with process: draining once the stop has begun', async () => {
    let draining = false;
    const server = createHttpServer(createLogger('silent'));
    const store = openSqliteStore(':memory:');
    registerHealthRoutes(server, { store, tokens: { getToken: async () => 'token' } as never, log: requestLog, draining: () => draining });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${server.address().port}/readyz`;
    try {
      const ready = await request(url);
      assert.equal(ready.statusCode, 200);
      await ready.body.text();
      draining = true;
      const res = await request(url);
      const body = (await res.body.json()) as { status: string; checks: { process?: string } };
      assert.equal(res.statusCode, 503);
      assert.equal(body.status, 'not-ready');
      assert.match(body.checks.process ?? '', /^draining/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    }
  });
});
