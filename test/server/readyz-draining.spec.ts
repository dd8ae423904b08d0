// /readyz while the app starts and during a graceful stop: until every part has started (live calls re-read, the front
// desk loaded) it answers 503 "starting", and once the instance is shutting down 503 "draining", so a load balancer
// sends work only where every listener is in place, and to the other instances while this one finishes.
import assert from 'node:assert/strict';
import { request } from 'undici';
import { registerHealthRoutes } from '../../server/health-routes.js';
import { createHttpServer, requestLog } from '../../server/http-server.js';
import { createLogger } from '../../server/logger.js';
import { openSqliteStore } from '../../comms/store/index.js';

describe('/readyz while starting and while draining', () => {
  it('503 starting until started, then ready, then 503 with process: draining once the stop has begun', async () => {
    let draining = false;
    let starting = true;
    const server = createHttpServer(createLogger('silent'));
    const store = openSqliteStore(':memory:');
    registerHealthRoutes(server, { store, tokens: { getToken: async () => 'token' } as never, log: requestLog, draining: () => draining, starting: () => starting });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${server.address().port}/readyz`;
    try {
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
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    }
  });
});
