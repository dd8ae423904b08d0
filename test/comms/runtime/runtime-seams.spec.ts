// The embedded seams of comms/runtime: the per-key lock, the typed event bus (scopes, failing listeners logged) and
// the embedded scheduler.
import assert from 'node:assert/strict';
import { EmbeddedScheduler, KeyedLock, TypedEventBus, type BusEvent, type EventRelay, type Timers } from '../../../comms/runtime/index.js';

type Ev = ({ type: 'a.one'; n: number } | { type: 'a.two'; s: string }) & { at: string };

function recordingLogger() {
  const lines: Array<{ level: string; obj: object; msg?: string }> = [];
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj, msg });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

/** Two relays wired to each other: what one sends, the other receives. */
function relayPair(): [EventRelay, EventRelay] {
  const listeners: Array<Array<(e: BusEvent) => void>> = [[], []];
  const make = (me: 0 | 1): EventRelay => ({
    send: (event) => listeners[1 - me]!.forEach((l) => l(JSON.parse(JSON.stringify(event)))),
    onReceive: (l) => void listeners[me]!.push(l),
    close: async () => undefined,
  });
  return [make(0), make(1)];
}

class ManualTimers implements Timers {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number) {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.due.delete(handle as number);
  }
  advance(ms: number) {
    this.now += ms;
    for (const [id, t] of [...this.due].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now && this.due.has(id)) {
        this.due.delete(id);
        t.fn();
      }
    }
  }
}

describe('comms/runtime seams', () => {
  describe('KeyedLock', () => {
    it('runs work for one key in order, one at a time, and other keys alongside', async () => {
      const lock = new KeyedLock();
      const log: string[] = [];
      const slow = (tag: string, ms: number) => async () => {
        log.push(`${tag}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${tag}-`);
      };
      await Promise.all([lock.run('x', slow('x1', 20)), lock.run('x', slow('x2', 1)), lock.run('y', slow('y1', 5))]);
      assert.deepEqual(log.filter((l) => l.startsWith('x')), ['x1+', 'x1-', 'x2+', 'x2-']);
      assert.ok(log.indexOf('y1+') < log.indexOf('x1-'), 'another key did not wait');
      assert.equal(lock.size, 0, 'keys are forgotten when idle');
    });

    it('a failing task rejects its own caller and does not block the next', async () => {
      const lock = new KeyedLock();
      await assert.rejects(lock.run('k', async () => Promise.reject(new Error('boom'))), /boom/);
      assert.equal(await lock.run('k', async () => 7), 7);
    });
  });

  describe('TypedEventBus', () => {
    it('on(type) hears only that type, typed', () => {
      const bus = new TypedEventBus<Ev>();
      const seen: number[] = [];
      bus.on('a.one', (e) => void seen.push(e.n));
      bus.publish({ type: 'a.two', s: 'x' });
      bus.publish({ type: 'a.one', n: 4 });
      assert.deepEqual(seen, [4]);
    });

    it('a listener that throws or rejects is logged and the others still hear the event', async () => {
      const { lines, logger } = recordingLogger();
      const bus = new TypedEventBus<Ev>({ logger });
      const seen: string[] = [];
      bus.subscribe(() => {
        throw new Error('sync failure');
      });
      bus.subscribe(async () => Promise.reject(new Error('async failure')));
      bus.subscribe((e) => void seen.push(e.type));
      bus.publish({ type: 'a.one', n: 1 });
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(seen, ['a.one']);
      const errors = lines.filter((l) => l.level === 'error').map((l) => JSON.stringify(l.obj));
      assert.equal(errors.length, 2);
      assert.ok(errors.some((e) => e.includes('sync failure')) && errors.some((e) => e.includes('async failure')));
    });

    it('events from another instance reach cluster listeners only; local work happens once', () => {
      const [ra, rb] = relayPair();
      const a = new TypedEventBus<Ev>({ relay: ra });
      const b = new TypedEventBus<Ev>({ relay: rb });
      const localB: string[] = [];
      const clusterB: string[] = [];
      const remoteB: string[] = [];
      b.subscribe((e) => void localB.push(e.type));
      b.subscribe((e) => void clusterB.push(e.type), { scope: 'cluster' });
      b.subscribe((e) => void remoteB.push(e.type), { scope: 'remote' });
      a.publish({ type: 'a.one', n: 1 });
      b.publish({ type: 'a.two', s: 'here' });
      assert.deepEqual(localB, ['a.two']);
      assert.deepEqual(clusterB, ['a.one', 'a.two']);
      assert.deepEqual(remoteB, ['a.one']);
      assert.equal(a.distributed, true);
    });
  });

  describe('EmbeddedScheduler', () => {
    it('fires at the due time; scheduling again moves the job; cancel removes it', async () => {
      const timers = new ManualTimers();
      const scheduler = new EmbeddedScheduler({ timers, now: () => timers.now });
      const fired: string[] = [];
      scheduler.define<{ tag: string }>('ping', async (job) => void fired.push(`${job.id}:${job.data.tag}`));
      await scheduler.start();
      await scheduler.schedule('ping', 'a', 100, { tag: 'first' });
      await scheduler.schedule('ping', 'a', 300, { tag: 'moved' });
      await scheduler.schedule('ping', 'b', 200, { tag: 'b' });
      await scheduler.schedule('ping', 'c', 150, { tag: 'c' });
      await scheduler.cancel('ping', 'c');
      timers.advance(250);
      assert.deepEqual(fired, ['b:b']);
      timers.advance(100);
      assert.deepEqual(fired, ['b:b', 'a:moved']);
      assert.equal(scheduler.size, 0);
    });

    it('a handler may schedule its own next run; stop waits for running jobs and drops the rest', async () => {
      const timers = new ManualTimers();
      const scheduler = new EmbeddedScheduler({ timers, now: () => timers.now });
      let runs = 0;
      let release!: () => void;
      scheduler.define('tick', async (job) => {
        const run = ++runs;
        await scheduler.schedule('tick', job.id, timers.now + 10, {});
        if (run === 2) await new Promise<void>((r) => (release = r));
      });
      await scheduler.schedule('tick', 't', 10, {});
      timers.advance(10);
      timers.advance(10);
      assert.equal(runs, 2);
      let stopped = false;
      const stopping = scheduler.stop().then(() => (stopped = true));
      await new Promise((r) => setImmediate(r));
      assert.equal(stopped, false, 'stop waits for the running job');
      release();
      await stopping;
      timers.advance(100);
      assert.equal(runs, 2, 'nothing fires after stop');
    });
  });
});
