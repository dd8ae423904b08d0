// Async operations resolve on their completion notification (also when it beats the POST answer), fail with their
// resultInfo, time out on an injected clock, are stored while pending, and fail when their call ends.
import assert from 'node:assert/strict';
import { CallError, OperationTracker, type CommsOperation } from '../../../comms/calls/index.js';
import { openSqliteStore, StoreError, type Store } from '../../../comms/store/index.js';
import { watchUnhandledRejections } from '../../support/unhandled-rejections.js';
import { FakeClock, settle } from './support/fake-clock.js';

/** The part of a store the tracker uses, with `put` as the test says. */
function storeWithPut(put: () => Promise<void>): Store {
  return { put, delete: () => Promise.resolve(true), list: () => Promise.resolve([]) } as unknown as Store;
}

function op(id: string, status: CommsOperation['status'], extra: Partial<CommsOperation> = {}): CommsOperation {
  return { id, type: 'playPromptOperation', status, ...extra };
}

describe('comms/calls operation tracker', () => {
  let store: Store;
  let clock: FakeClock;
  let tracker: OperationTracker;

  beforeEach(() => {
    store = openSqliteStore(':memory:');
    clock = new FakeClock();
    tracker = new OperationTracker({ store, timers: clock, now: clock.now, defaultTimeoutMs: 60_000, rememberMs: 10 * 60_000 });
  });
  afterEach(async () => {
    tracker.stop();
    await store.close();
  });

  it('resolves a running operation when its completion notification arrives', async () => {
    const done = tracker.track('c1', op('op-1', 'running'));
    await settle();
    assert.equal((await tracker.pending('c1')).length, 1, 'stored while pending');
    assert.equal(await tracker.complete('c1', op('op-1', 'completed', { resultInfo: { code: 200, subcode: 0 } })), true);
    assert.deepEqual((await done).resultInfo, { code: 200, subcode: 0 });
    assert.equal((await tracker.pending()).length, 0, 'forgotten once complete');
  });

  it('resolves at once when the response already says completed', async () => {
    const result = await tracker.track('c1', op('op-1', 'completed'));
    assert.equal(result.status, 'completed');
    assert.equal(clock.timerCount, 0, 'no timeout armed');
  });

  it('rejects at once when the response already says failed', async () => {
    await assert.rejects(tracker.track('c1', op('op-1', 'failed', { resultInfo: { code: 500, subcode: 1 } })), (err: CallError) => err.code === 'calls/operation-failed');
  });

  it('handles the completion arriving before the POST answered', async () => {
    assert.equal(await tracker.complete('c1', op('op-7', 'completed', { resultInfo: { code: 200, subcode: 0 } })), false);
    const result = await tracker.track('c1', op('op-7', 'running', { clientContext: 'ctx' }));
    assert.equal(result.status, 'completed');
    assert.equal(result.clientContext, 'ctx');
    assert.equal((await tracker.pending()).length, 0);
  });

  it('handles the completion arriving while the pending record is being written', async () => {
    const done = tracker.track('c1', op('op-8', 'running'));
    await tracker.complete('c1', op('op-8', 'completed'));
    assert.equal((await done).status, 'completed');
    await settle();
    assert.equal((await tracker.pending()).length, 0, 'no stale pending record');
  });

  it('forgets early completions after the remember window', async () => {
    await tracker.complete('c1', op('op-9', 'completed'));
    await clock.advance(11 * 60_000);
    const outcome = tracker.track('c1', op('op-9', 'running'), { timeoutMs: 1_000 }).catch((err: unknown) => err);
    await clock.advance(1_000);
    const err = await outcome;
    assert.ok(err instanceof CallError && err.code === 'calls/operation-timeout');
  });

  it('fails with calls/operation-failed carrying resultInfo 400/8508 when cancelled', async () => {
    const done = tracker.track('c1', op('op-2', 'running'));
    await settle();
    await tracker.complete('c1', op('op-2', 'failed', { completionReason: 'operationCanceled', resultInfo: { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' } }));
    await assert.rejects(done, (err: CallError) => {
      assert.equal(err.code, 'calls/operation-failed');
      assert.deepEqual(err.resultInfo, { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' });
      assert.equal(err.operationId, 'op-2');
      return true;
    });
  });

  it('times out with calls/operation-timeout on the injected clock, not before', async () => {
    const done = tracker.track('c1', op('op-3', 'running'), { timeoutMs: 30_000 });
    const box: { outcome?: unknown } = {};
    done.then(
      () => (box.outcome = 'resolved'),
      (err: unknown) => (box.outcome = err),
    );
    await clock.advance(29_999);
    assert.equal(box.outcome, undefined, 'still waiting just before the timeout');
    await clock.advance(1);
    const outcome = box.outcome as unknown;
    assert.ok(outcome instanceof CallError && outcome.code === 'calls/operation-timeout');
    assert.equal((await tracker.pending()).length, 0);
  });

  it('fails every pending operation of a call that ended with calls/call-ended, and only those', async () => {
    const a = tracker.track('c1', op('op-4', 'running'));
    const b = tracker.track('c1', op('op-5', 'running'));
    const other = tracker.track('c2', op('op-6', 'running'));
    await settle();
    await tracker.failCall('c1');
    await assert.rejects(a, (err: CallError) => err.code === 'calls/call-ended');
    await assert.rejects(b, (err: CallError) => err.code === 'calls/call-ended');
    assert.deepEqual((await tracker.pending()).map((r) => r.id), ['op-6']);
    await tracker.complete('c2', op('op-6', 'completed'));
    assert.equal((await other).status, 'completed');
  });

  it('a completion for another call does not resolve a waiter', async () => {
    const outcome = tracker.track('c1', op('op-10', 'running'), { timeoutMs: 1_000 }).catch((err: unknown) => err);
    await settle();
    assert.equal(await tracker.complete('c-other', op('op-10', 'completed')), false);
    await clock.advance(1_000);
    const err = await outcome;
    assert.ok(err instanceof CallError && err.code === 'calls/operation-timeout');
  });

  it('a pending record that cannot be written fails the wait with the store error, and leaves no timer to reject later', async () => {
    const failing = new OperationTracker({ store: storeWithPut(() => Promise.reject(new StoreError('store/unavailable', 'Connection is closed.'))), timers: clock, now: clock.now });
    const watch = watchUnhandledRejections();
    await assert.rejects(failing.track('c1', op('op-12', 'running'), { timeoutMs: 1_000 }), (err: StoreError) => err.code === 'store/unavailable');
    assert.equal(clock.timerCount, 0, 'the timeout is cleared');
    await clock.advance(2_000);
    assert.deepEqual(await watch.stop(), []);
  });

  it('a timeout while the pending record is still being written is not an unhandled rejection', async () => {
    let written!: () => void;
    const slow = new OperationTracker({ store: storeWithPut(() => new Promise<void>((resolve) => (written = resolve))), timers: clock, now: clock.now });
    const watch = watchUnhandledRejections();
    const outcome = slow.track('c1', op('op-13', 'running'), { timeoutMs: 1_000 }).catch((err: unknown) => err);
    await clock.advance(1_000);
    written();
    const err = await outcome;
    assert.ok(err instanceof CallError && err.code === 'calls/operation-timeout');
    assert.deepEqual(await watch.stop(), []);
  });

  it('keeps the pending record across a restart (a new tracker on the same store sees it)', async () => {
    void tracker.track('c1', op('op-11', 'running', { clientContext: 'menu-1' })).catch(() => undefined);
    await settle();
    const after = new OperationTracker({ store, timers: clock, now: clock.now });
    const [record] = await after.pending('c1');
    assert.equal(record?.id, 'op-11');
    assert.equal(record?.type, 'playPromptOperation');
    assert.equal(record?.clientContext, 'menu-1');
    await after.complete('c1', op('op-11', 'completed'));
    assert.equal((await after.pending()).length, 0);
  });
});
