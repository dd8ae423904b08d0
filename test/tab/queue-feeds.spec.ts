// The queue dashboards' feed on its own, with a scripted status source: a dashboard gets its snapshot, then a queue's
// whole status per change — one read per burst, however many dashboards; only the queues it may see; never an older
// status after a newer one (a change during a slow snapshot read comes after the snapshot); a new snapshot when the
// front desk reloads; a snapshot that cannot be read ends the stream.
import assert from 'node:assert/strict';
import type { QueueStatus } from '../../comms/queues/index.js';
import { EventBus } from '../../comms/store/index.js';
import { QueueFeeds, type QueueFeedListener, type QueueSnapshot, type QueueStatusSource } from '../../tab/server/queue-feeds.js';
import type { TabUser } from '../../tab/server/user-token.js';

function status(name: string, version: number): QueueStatus {
  return {
    name,
    routing: 'attendant',
    presenceBased: true,
    alertSeconds: 30,
    wrapUpSeconds: 10,
    maxCallers: 50,
    maxWaitSeconds: 1200,
    waiting: Array.from({ length: version }, (_v, i) => ({
      entryId: `${name}-${i}`,
      callId: `${name}-${i}`,
      caller: { displayName: `Caller ${i}` },
      waitedSince: '2026-01-01T00:00:00.000Z',
      position: i + 1,
      state: 'waiting',
      hearing: 'music',
      offeredTo: [],
    })),
    longestWaitSeconds: 0,
    agents: [],
    today: { date: '2026-01-01', entered: version, answered: 0, abandoned: 0, timedOut: 0, overflowed: 0, noAgents: 0, callbacksRequested: 0, answeredWithinServiceLevel: 0, serviceLevelSeconds: 30, serviceLevel: null, averageWaitSeconds: null, longestWaitSeconds: 0 },
    asOf: new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString(),
  };
}

/** Queues with a version each (the number of callers); agents by user id; reads can be held to finish later. */
class Source implements QueueStatusSource {
  versions = new Map<string, number>([['support', 1], ['billing', 1]]);
  agents: Record<string, string[]> = { priya: ['support'], jonas: ['support', 'billing'] };
  reads: string[] = [];
  /** Reads of these queues wait until released. */
  holding = new Set<string>();
  held: Array<() => void> = [];
  fail = false;

  names(): string[] {
    return [...this.versions.keys()];
  }
  queuesOf(userId: string): string[] {
    return this.agents[userId] ?? [];
  }
  async statusOf(name: string): Promise<QueueStatus | undefined> {
    this.reads.push(name);
    const version = this.versions.get(name); // read when asked, as the store would be
    if (this.fail) throw new Error('the store is down');
    if (this.holding.has(name)) await new Promise<void>((resolve) => this.held.push(resolve));
    return version === undefined ? undefined : status(name, version);
  }
}

type Seen = { kind: 'snapshot'; names: string[]; versions: number[] } | { kind: 'queue'; name: string; version: number } | { kind: 'end' };

function recorder(): { seen: Seen[]; listener: QueueFeedListener; wait(n: number): Promise<void> } {
  const seen: Seen[] = [];
  const wakers = new Set<() => void>();
  const push = (s: Seen) => {
    seen.push(s);
    for (const w of [...wakers]) w();
  };
  return {
    seen,
    listener: {
      snapshot: (s: QueueSnapshot) => push({ kind: 'snapshot', names: s.queues.map((q) => q.name), versions: s.queues.map((q) => q.waiting.length) }),
      queue: (q) => push({ kind: 'queue', name: q.name, version: q.waiting.length }),
      end: () => push({ kind: 'end' }),
    },
    wait: (n) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${n} messages, got ${JSON.stringify(seen)}`)), 5_000);
        const check = () => {
          if (seen.length < n) return;
          clearTimeout(timer);
          wakers.delete(check);
          resolve();
        };
        wakers.add(check);
        check();
      }),
  };
}

const user = (id: string): TabUser => ({ userId: id, tenantId: 't' });
const silent = { warn: () => undefined, error: () => undefined };
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('tab queue feeds', () => {
  let bus: EventBus;
  let source: Source;
  let feeds: QueueFeeds;
  beforeEach(() => {
    bus = new EventBus();
    source = new Source();
    feeds = new QueueFeeds(bus, source, { coalesceMs: 5, logger: silent });
    feeds.start();
  });
  afterEach(() => feeds.stop());

  const changed = (queue: string) => bus.publish({ type: 'queue.changed', queue, change: 'joined' });

  it('a snapshot of the queues the user is an agent of, then each change as that queue\'s whole status', async () => {
    const jonas = recorder();
    const priya = recorder();
    const elif = recorder();
    feeds.subscribe(user('jonas'), jonas.listener);
    feeds.subscribe(user('priya'), priya.listener);
    feeds.subscribe(user('elif'), elif.listener);
    await Promise.all([jonas.wait(1), priya.wait(1), elif.wait(1)]);
    assert.deepEqual(jonas.seen[0], { kind: 'snapshot', names: ['support', 'billing'], versions: [1, 1] });
    assert.deepEqual(priya.seen[0], { kind: 'snapshot', names: ['support'], versions: [1] });
    assert.deepEqual(elif.seen[0], { kind: 'snapshot', names: [], versions: [] });
    assert.deepEqual(await feeds.snapshot(user('elif')), { queues: [], total: 2 }, 'the total counts queues the user does not see');

    source.versions.set('billing', 2);
    changed('billing');
    await jonas.wait(2);
    await settle();
    assert.deepEqual(jonas.seen[1], { kind: 'queue', name: 'billing', version: 2 });
    assert.equal(priya.seen.length, 1, 'Priya is not an agent of billing');
    assert.equal(elif.seen.length, 1);
  });

  it('a burst of changes is one read for every dashboard', async () => {
    const viewers = Array.from({ length: 20 }, () => recorder());
    for (const v of viewers) feeds.subscribe(user('priya'), v.listener);
    await Promise.all(viewers.map((v) => v.wait(1)));
    source.reads = [];
    source.versions.set('support', 5);
    for (let i = 0; i < 10; i++) changed('support');
    await Promise.all(viewers.map((v) => v.wait(2)));
    await settle();
    assert.deepEqual(source.reads, ['support'], 'one read for ten changes and twenty dashboards');
    for (const v of viewers) assert.deepEqual(v.seen.slice(1), [{ kind: 'queue', name: 'support', version: 5 }]);
  });

  it('a change while the snapshot is being read comes after it, and never older than it', async () => {
    source.holding.add('billing');
    const jonas = recorder();
    feeds.subscribe(user('jonas'), jonas.listener); // support is read (version 1); billing's read is held
    await settle();
    source.versions.set('support', 2);
    changed('support'); // support is read again (version 2) and done before the snapshot is
    await settle();
    assert.deepEqual(jonas.seen, [], 'nothing before the snapshot');
    source.holding.clear();
    for (const release of source.held) release();
    await jonas.wait(2);
    await settle();
    assert.deepEqual(jonas.seen, [
      { kind: 'snapshot', names: ['support', 'billing'], versions: [1, 1] },
      { kind: 'queue', name: 'support', version: 2 },
    ]);
  });

  it('the front desk reloading sends a new snapshot with who sees what now; a queue that went is not sent', async () => {
    const elif = recorder();
    feeds.subscribe(user('elif'), elif.listener);
    await elif.wait(1);
    source.agents.elif = ['billing'];
    source.versions.delete('support');
    bus.publish({ type: 'frontdesk.loaded', path: '/desk.json', rules: 0, menus: 0 });
    await elif.wait(2);
    assert.deepEqual(elif.seen[1], { kind: 'snapshot', names: ['billing'], versions: [1] });
    changed('support');
    source.versions.set('billing', 3);
    changed('billing');
    await elif.wait(3);
    await settle();
    assert.deepEqual(elif.seen.slice(2), [{ kind: 'queue', name: 'billing', version: 3 }]);
  });

  it('a snapshot that cannot be read ends the stream (the client reconnects); closing one stops its messages', async () => {
    source.fail = true;
    const broken = recorder();
    feeds.subscribe(user('priya'), broken.listener);
    await broken.wait(1);
    assert.deepEqual(broken.seen, [{ kind: 'end' }]);
    assert.equal(feeds.openStreams, 0);

    source.fail = false;
    const priya = recorder();
    const close = feeds.subscribe(user('priya'), priya.listener);
    await priya.wait(1);
    assert.equal(feeds.openStreams, 1);
    close();
    assert.equal(feeds.openStreams, 0);
    source.versions.set('support', 4);
    changed('support');
    await settle();
    assert.equal(priya.seen.length, 1);
  });
});
