// Distributed mode when Redis goes away: readiness says so, the calling webhook answers 503 (Graph delivers again
// later) and records nothing half-way; when Redis is back everything recovers by itself and the redelivered batch is
// applied once. Data written before the outage is still there (AOF).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { LOCAL_APP } from '../../server/config.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';

describe('distributed mode: Redis faults', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let app: LocalSwitchboard;

  before(async () => {
    redis = await startTestRedis();
    app = await startLocalSwitchboard({ env: { REDIS_URL: redis.url } });
  });
  after(async () => {
    await app?.stop();
    await redis?.stop();
  });

  const readyz = async () => {
    const res = await request(`${app.url}/readyz`);
    const body = (await res.body.json()) as { status: string };
    return { status: res.statusCode, body };
  };
  const post = async (body: unknown) => {
    const token = await app.emulator!.signCallingToken({ audience: LOCAL_APP.id });
    const res = await request(`${app.url}/api/calling`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.body.text();
    return { status: res.statusCode, retryAfter: res.headers['retry-after'] };
  };
  // A call the app has never heard of ending: harmless to apply, easy to see in the inbox.
  const batch = (callId: string) => ({
    value: [
      {
        '@odata.type': '#microsoft.graph.commsNotification',
        changeType: 'deleted',
        resourceUrl: `/communications/calls/${callId}`,
        resourceData: { '@odata.type': '#microsoft.graph.call', id: callId, state: 'terminated', resultInfo: { code: 200, subcode: 0, message: 'ended' } },
      },
    ],
  });

  it('is ready on Redis, writes what it is told to, and keeps it across a Redis restart', async () => {
    assert.equal((await readyz()).status, 200);
    assert.equal(app.runtime.kind, 'redis');
    await app.store.put('probe', 'k', { v: 1 });
    await redis.restart();
    await eventually(async () => (await readyz()).status === 200, 'ready again after the restart', 20_000);
    assert.deepEqual(await app.store.get('probe', 'k'), { v: 1 });
  });

  it('while Redis is unreachable: /readyz 503, the webhook 503 with Retry-After and nothing recorded; then it recovers', async () => {
    const callId = randomUUID();
    await redis.halt();
    try {
      await eventually(async () => (await readyz()).status === 503, '/readyz to report the store', 10_000);
      const refused = await post(batch(callId));
      assert.equal(refused.status, 503);
      assert.ok(refused.retryAfter, 'Retry-After tells Graph when to try again');
    } finally {
      await redis.start();
    }
    await eventually(async () => (await readyz()).status === 200, 'ready again once Redis is back', 20_000);
    const inboxBefore = (await app.store.list('call-inbox')).length;
    assert.equal((await post(batch(callId))).status, 202, 'the redelivered batch is accepted');
    assert.equal((await post(batch(callId))).status, 202, 'a second redelivery too');
    assert.equal((await app.store.list('call-inbox')).length, inboxBefore + 1, 'recorded once');
  });
});
