// Distributed mode's seams against a real redis-server: the shared store (atomic compare-and-set across clients,
// data kept over a Redis restart with AOF), the event relay between instances, and BullMQ durable timers that
// exactly one instance fires — another one when the instance that scheduled them is gone.
import assert from 'node:assert/strict';
import { RedisEventRelay, RedisScheduler, TypedEventBus } from '../../../comms/runtime/index.js';
import { openRedisStore } from '../../../comms/store/index.js';
import { startTestRedis, type TestRedis } from '../../support/redis-server.js';

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('comms/runtime on Redis', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  describe('shared store', () => {
    it('get / put / putIfAbsent / delete / list behave like the embedded store', async () => {
      const store = openRedisStore(redis.client(), { prefix: 'crud' });
      assert.equal(await store.get('c', 'k'), undefined);
      await store.put('c', 'k', { a: 1 });
      assert.deepEqual(await store.get('c', 'k'), { a: 1 });
      assert.equal(await store.putIfAbsent('c', 'k', { a: 2 }), false);
      assert.equal(await store.putIfAbsent('c', 'j', { a: 3 }), true);
      assert.deepEqual(await store.list('c'), [
        { key: 'j', value: { a: 3 } },
        { key: 'k', value: { a: 1 } },
      ]);
      assert.equal(await store.delete('c', 'k'), true);
      assert.equal(await store.delete('c', 'k'), false);
      assert.deepEqual((await store.list('c')).map((i) => i.key), ['j']);
      await store.ping();
    });

    it('update is atomic across instances: 2 × 100 concurrent increments from two connections make 200', async () => {
      const a = openRedisStore(redis.client(), { prefix: 'cas' });
      const b = openRedisStore(redis.client(), { prefix: 'cas' });
      const inc = (s: typeof a) => s.update<{ n: number }>('counters', 'x', (cur) => ({ n: (cur?.n ?? 0) + 1 }));
      await Promise.all(Array.from({ length: 100 }, () => [inc(a), inc(b)]).flat());
      assert.deepEqual(await a.get('counters', 'x'), { n: 200 });
      const unchanged = await a.update<{ n: number }>('counters', 'x', () => undefined);
      assert.equal(unchanged.written, false);
      assert.deepEqual(unchanged.value, { n: 200 });
    });

    it('keeps its data when Redis restarts (AOF on), and says store/unavailable while it is down', async () => {
      const client = redis.client();
      const store = openRedisStore(client, { prefix: 'aof' });
      await store.put('calls', 'c1', { state: 'established' });
      await redis.halt();
      await assert.rejects(store.ping(), (err: { code?: string }) => err.code === 'store/unavailable');
      await redis.start();
      await until(async () => (await store.get('calls', 'c1').catch(() => undefined)) !== undefined, 'the item after the restart');
      assert.deepEqual(await store.get('calls', 'c1'), { state: 'established' });
    });
  });

  describe('event relay', () => {
    it('an event published on one instance reaches the other instance\'s cluster listeners, once', async () => {
      const relayA = new RedisEventRelay(redis.client(), redis.client(), { channel: 'test:events' });
      const relayB = new RedisEventRelay(redis.client(), redis.client(), { channel: 'test:events' });
      await relayA.start();
      await relayB.start();
      type E = { type: 'x'; n: number; at: string };
      const a = new TypedEventBus<E>({ relay: relayA });
      const b = new TypedEventBus<E>({ relay: relayB });
      const onA: number[] = [];
      const onB: number[] = [];
      a.subscribe((e) => void onA.push(e.n), { scope: 'cluster' });
      b.subscribe((e) => void onB.push(e.n), { scope: 'cluster' });
      a.publish({ type: 'x', n: 1 });
      await until(() => onB.length === 1, 'the event on B');
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(onA, [1], 'A hears its own event once, not again from Redis');
      assert.deepEqual(onB, [1]);
      await relayA.close();
      await relayB.close();
    });
  });

  describe('durable timers (BullMQ)', () => {
    // Each case has a queue of its own and stops its schedulers even when it fails: a scheduler left running by a
    // failed case took the next case's jobs.
    let prefix = '';
    let cases = 0;
    const running: RedisScheduler[] = [];
    beforeEach(() => {
      prefix = `timers-${(cases += 1)}`;
    });
    afterEach(async () => {
      for (const s of running.splice(0)) await s.stop().catch(() => undefined);
    });
    const make = (name: string, fired: string[]) => {
      const s = new RedisScheduler({ redis: redis.client(), workerRedis: redis.client({ worker: true }), prefix });
      s.define<{ tag: string }>('ping', async (job) => void fired.push(`${name}:${job.id}:${job.data.tag}`));
      running.push(s);
      return s;
    };

    it('with two instances running, each job fires exactly once; a moved job fires once, at its new time', async () => {
      const fired: string[] = [];
      const a = make('A', fired);
      const b = make('B', fired);
      await a.start();
      await b.start();
      const now = Date.now();
      for (let i = 0; i < 20; i++) await (i % 2 ? a : b).schedule('ping', `j${i}`, now + 200, { tag: 't' });
      // Due a second after they are set, so the move and the cancel reach Redis first however slow the runner (the 20
      // schedules above took more than 100 ms on a loaded one, and `gone` fired before its cancel).
      await a.schedule('ping', 'moved', Date.now() + 1_000, { tag: 'first' });
      await b.schedule('ping', 'moved', Date.now() + 1_200, { tag: 'second' });
      await a.schedule('ping', 'gone', Date.now() + 1_000, { tag: 'x' });
      await b.cancel('ping', 'gone');
      await until(() => fired.length >= 21, 'all jobs');
      // Past when `gone` and `moved:first` would have fired, had the cancel or the move been lost.
      await new Promise((r) => setTimeout(r, 300));
      const ids = fired.map((f) => f.split(':').slice(1).join(':'));
      assert.equal(ids.length, 21, `fired: ${fired.join(', ')}`);
      assert.equal(new Set(ids).size, 21, 'nothing fired twice');
      assert.ok(ids.includes('moved:second') && !ids.includes('moved:first'));
      assert.ok(!ids.some((i) => i.startsWith('gone')));
      await a.stop();
      await b.stop();
    });

    it('a timer scheduled by an instance that is gone fires on another instance', async () => {
      const fired: string[] = [];
      const a = make('A', fired);
      await a.start();
      await a.schedule('ping', 'failover', Date.now() + 300, { tag: 'x' });
      await a.stop(); // instance A leaves
      const b = make('B', fired);
      await b.start();
      await until(() => fired.length === 1, 'the timer on B');
      assert.deepEqual(fired, ['B:failover:x']);
      await b.stop();
    });

    it('a move cut short by kill -9 (new jobId recorded, its job never added) leaves the old timer firing, once', async () => {
      const fired: string[] = [];
      const s = make('A', fired);
      await s.start();
      await s.schedule('ping', 'cut', Date.now() + 300, { tag: 'old' });
      // What a killed instance leaves after the first step of a move: the hash names a job that does not exist.
      const direct = redis.client();
      await direct.hset(`${prefix}:sb-timers:current`, 'ping.cut', `ping.cut.${Date.now() + 5_000}`);
      await until(() => fired.length === 1, 'the old timer to fire');
      assert.deepEqual(fired, ['A:cut:old']);
      // Cleared after the handler returns (a compare-and-delete), so a moment after `fired` has it.
      await until(async () => (await direct.hget(`${prefix}:sb-timers:current`, 'ping.cut')) === null, 'the dangling jobId cleared once the timer fired');
      // The timer can be scheduled again as usual.
      await s.schedule('ping', 'cut', Date.now() + 50, { tag: 'again' });
      await until(() => fired.length === 2, 'the next schedule to fire');
      assert.deepEqual(fired, ['A:cut:old', 'A:cut:again']);
      direct.disconnect();
      await s.stop();
    });

    it('a handler can schedule its own next run (keepAlive-style series)', async () => {
      const s = new RedisScheduler({ redis: redis.client(), workerRedis: redis.client({ worker: true }), prefix: 'series' });
      let runs = 0;
      s.define('tick', async (job) => {
        runs++;
        if (runs < 3) await s.schedule('tick', job.id, Date.now() + 50, {});
      });
      await s.start();
      await s.schedule('tick', 'call-1', Date.now(), {});
      await until(() => runs === 3, 'three runs');
      await s.stop();
    });
  });
});
