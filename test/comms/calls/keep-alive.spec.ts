// keepAlive scheduling on a simulated clock: three hours of call time with no gap over 45 minutes, 404 ends the
// call, other failures are retried soon and logged, calls due together are spread, and intervals Graph would not
// tolerate are refused.
import assert from 'node:assert/strict';
import { CallError, KEEP_ALIVE_SLOT_CAPACITY, KEEP_ALIVE_SLOT_MS, KeepAliveScheduler } from '../../../comms/calls/index.js';
import { GraphError } from '../../../comms/graph/index.js';
import { EmbeddedScheduler } from '../../../comms/runtime/index.js';
import { FakeClock } from './support/fake-clock.js';

const MIN = 60_000;
const timers = (s: EmbeddedScheduler) => s.scheduled('call-keepalive').map((j) => j.id);

describe('comms/calls keepAlive scheduler', () => {
  let clock: FakeClock;
  let sent: Array<{ callId: string; at: number }>;
  let ended: string[];
  let warnings: object[];
  let failWith: Map<string, () => Error>;
  let scheduler: KeepAliveScheduler;

  function make(intervalMs?: number): KeepAliveScheduler {
    return new KeepAliveScheduler({
      intervalMs,
      timers: clock,
      now: clock.now,
      logger: { warn: (obj) => warnings.push(obj) },
      send: async (callId) => {
        const failure = failWith.get(callId);
        if (failure) throw failure();
        sent.push({ callId, at: clock.now() });
      },
      onEnded: async (callId) => {
        ended.push(callId);
      },
    });
  }

  beforeEach(() => {
    clock = new FakeClock();
    sent = [];
    ended = [];
    warnings = [];
    failWith = new Map();
    scheduler = make();
  });
  afterEach(() => scheduler.stop());

  function gaps(callId: string, trackedAt: number): number[] {
    const times = [trackedAt, ...sent.filter((s) => s.callId === callId).map((s) => s.at)];
    return times.slice(1).map((t, i) => t - times[i]!);
  }

  it('keeps three calls alive for 3 simulated hours, every 15 minutes, never a gap over 45', async () => {
    const start = clock.now();
    scheduler.track('a');
    await clock.advance(7 * MIN);
    scheduler.track('b');
    await clock.advance(43 * MIN);
    scheduler.track('c');
    await clock.advance(130 * MIN);
    assert.equal(clock.now() - start, 180 * MIN);
    for (const [callId, trackedAt] of [['a', start], ['b', start + 7 * MIN], ['c', start + 50 * MIN]] as const) {
      const g = gaps(callId, trackedAt);
      assert.ok(g.length >= 8, `${callId} got ${g.length} keepAlives`);
      assert.ok(g.every((gap) => gap <= 15 * MIN), `${callId}: every 15 min at most (${g.map((x) => x / MIN).join(', ')})`);
      assert.ok(g.every((gap) => gap <= 45 * MIN));
    }
    assert.equal(sent.filter((s) => s.callId === 'a').length, 12, 'a: 180 min / 15');
  });

  it('honours a configured interval', async () => {
    scheduler = make(5 * MIN);
    scheduler.track('a');
    await clock.advance(60 * MIN);
    assert.equal(sent.length, 12);
  });

  it('a 404 marks the call ended and stops its keepAlive', async () => {
    scheduler.track('a');
    scheduler.track('b');
    failWith.set('a', () => new GraphError('graph/not-found', 'gone', { status: 404 }));
    await clock.advance(60 * MIN);
    assert.deepEqual(ended, ['a']);
    assert.deepEqual(scheduler.tracked(), ['b']);
    assert.equal(sent.filter((s) => s.callId === 'b').length, 4);
  });

  it('retries other failures at the next tick, logs them, and still keeps gaps under 45 minutes', async () => {
    const start = clock.now();
    scheduler.track('a');
    let failures = 3;
    failWith.set('a', () => new GraphError('graph/server-error', 'boom', { status: 500 }));
    await clock.advance(15 * MIN);
    for (let i = 0; i < failures; i += 1) await clock.advance(1 * MIN);
    failures = 0;
    failWith.delete('a');
    await clock.advance(60 * MIN);
    assert.equal(warnings.length >= 3, true, 'each failure logged');
    assert.deepEqual(ended, []);
    const g = gaps('a', start);
    assert.ok(g.every((gap) => gap < 45 * MIN), g.map((x) => x / MIN).join(', '));
    assert.ok(sent.length >= 4);
  });

  it('untrack stops keepAlive for a call', async () => {
    scheduler.track('a');
    await clock.advance(16 * MIN);
    scheduler.untrack('a');
    await clock.advance(60 * MIN);
    assert.equal(sent.length, 1);
  });

  it('schedules from a known last keepAlive after a restart (due at once when overdue)', async () => {
    scheduler.track('a', clock.now() - 20 * MIN);
    await clock.advance(0);
    assert.equal(sent.length, 1);
    assert.equal(scheduler.dueAt('a'), clock.now() + 15 * MIN);
  });

  function crowdedness(ids: string[]): number {
    const perSlot = new Map<number, number>();
    for (const id of ids) {
      const slot = Math.floor(scheduler.dueAt(id)! / KEEP_ALIVE_SLOT_MS);
      perSlot.set(slot, (perSlot.get(slot) ?? 0) + 1);
    }
    return Math.max(...perSlot.values());
  }

  it('spreads calls that become due together (never later than one interval), and they stay spread', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `c-${i}`);
    const at = clock.now();
    for (const id of ids) scheduler.track(id);
    assert.ok(crowdedness(ids) <= KEEP_ALIVE_SLOT_CAPACITY, `at most ${KEEP_ALIVE_SLOT_CAPACITY} due in any ${KEEP_ALIVE_SLOT_MS} ms`);
    for (const id of ids) {
      const due = scheduler.dueAt(id)!;
      assert.ok(due <= at + 15 * MIN && due >= at + 15 * MIN - 1.5 * MIN, `${id} due ${(due - at) / 1000} s after tracking`);
    }
    await clock.advance(15 * MIN);
    assert.equal(new Set(sent.map((s) => s.callId)).size, ids.length, 'every call kept alive');
    assert.ok(crowdedness(ids) <= KEEP_ALIVE_SLOT_CAPACITY, 'still spread after their keepAlive');
    for (const id of ids) assert.ok(gaps(id, at).every((g) => g <= 15 * MIN), `${id} never waits longer than the interval`);
  });

  it('preview says the due time track would choose, and reserves nothing (a call written with it, then tracked)', async () => {
    const ids = Array.from({ length: 3 * KEEP_ALIVE_SLOT_CAPACITY }, (_, i) => `p-${i}`);
    for (const id of ids) {
      const previewed = scheduler.preview(id);
      assert.equal(scheduler.preview(id), previewed, 'asking again changes nothing');
      assert.equal(scheduler.dueAt(id), undefined, 'not tracked by a preview');
      assert.equal(scheduler.track(id), previewed, `${id} tracked at the time it was previewed for`);
    }
    assert.ok(crowdedness(ids) <= KEEP_ALIVE_SLOT_CAPACITY, 'spread as if tracked without previews');
    // A tracked call previews its own slot as free to it: tracking it again keeps it there.
    const first = ids[0]!;
    assert.equal(scheduler.preview(first), scheduler.dueAt(first));
    // Previews that are never tracked (the write did not happen) hold no slot: later calls are not moved for them.
    await clock.advance(60_000);
    const unmoved = clock.now() + 15 * MIN;
    for (let i = 0; i < 3 * KEEP_ALIVE_SLOT_CAPACITY; i++) assert.equal(scheduler.preview(`never-${i}`), unmoved, `preview ${i}`);
    assert.equal(scheduler.track('tracked'), unmoved, 'the slot is still free for a call tracked after them');
  });

  it('spreads calls all overdue after a restart over the next moments, a few at once, at most a tenth of the interval late', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `o-${i}`);
    const now = clock.now();
    for (const id of ids) scheduler.track(id, now - 20 * MIN);
    assert.equal(ids.filter((id) => scheduler.dueAt(id) === now).length, KEEP_ALIVE_SLOT_CAPACITY, 'the first few at once');
    assert.ok(crowdedness(ids) <= KEEP_ALIVE_SLOT_CAPACITY);
    assert.ok(ids.every((id) => scheduler.dueAt(id)! <= now + 1.5 * MIN));
    await clock.advance(1.5 * MIN);
    assert.equal(sent.length, ids.length);
  });

  it('runs on a given durable scheduler: each call is one job, moved after each keepAlive, cancelled by untrack', async () => {
    const durable = new EmbeddedScheduler({ timers: clock, now: clock.now });
    scheduler = new KeepAliveScheduler({ timers: clock, now: clock.now, scheduler: durable, send: async (callId) => void sent.push({ callId, at: clock.now() }), onEnded: async () => undefined });
    scheduler.track('a');
    scheduler.track('b');
    assert.deepEqual(timers(durable), ['a', 'b']);
    await clock.advance(15 * MIN);
    assert.deepEqual(durable.scheduled('call-keepalive'), [{ id: 'a', dueAt: clock.now() + 15 * MIN }, { id: 'b', dueAt: clock.now() + 15 * MIN }]);
    scheduler.untrack('a');
    await clock.advance(30 * MIN);
    assert.deepEqual(sent.map((s) => s.callId), ['a', 'b', 'b', 'b']);
    assert.deepEqual(timers(durable), ['b']);
  });

  it('a job that fires on a stopping instance is handed on to the shared timers, not dropped (graceful shutdown)', async () => {
    const shared = new EmbeddedScheduler({ timers: clock, now: clock.now });
    const make = (name: string) =>
      new KeepAliveScheduler({ timers: clock, now: clock.now, scheduler: shared, stillLive: async () => true, send: async (callId) => void sent.push({ callId: `${name}:${callId}`, at: clock.now() }), onEnded: async () => undefined });
    const leaving = make('leaving');
    leaving.track('a');
    leaving.stop();
    await clock.advance(15 * MIN);
    assert.equal(sent.length, 0, 'the stopping instance sends nothing');
    assert.deepEqual(timers(shared), ['a'], 'the job is still scheduled');
    scheduler = make('staying'); // another instance's handler for the same kind (one shared queue)
    await clock.advance(2_000);
    assert.deepEqual(sent.map((s) => s.callId), ['staying:a']);
  });

  for (const interval of [0, 500, 31 * MIN, 45 * MIN, Number.NaN]) {
    it(`refuses an interval of ${interval} ms with calls/invalid-argument`, () => {
      assert.throws(() => make(interval), (err: unknown) => err instanceof CallError && err.code === 'calls/invalid-argument');
    });
  }
});
