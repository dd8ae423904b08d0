// Notifications held for a call not stored yet: in a cluster a timer re-checks the store, and a store that fails
// then is logged rather than left as an unhandled rejection.
import assert from 'node:assert/strict';
import { CallCore } from '../../../comms/calls/call-core.js';
import type { CallServiceOptions } from '../../../comms/calls/call-options.js';
import { OrphanBuffer } from '../../../comms/calls/orphan-buffer.js';
import type { CallNotification } from '../../../comms/calls/notification-schema.js';
import { EventBus, StoreError } from '../../../comms/store/index.js';
import { silentLogger } from '../../../comms/runtime/logger.js';
import { watchUnhandledRejections } from '../../support/unhandled-rejections.js';
import { FakeClock } from './support/fake-clock.js';

describe('comms/calls orphan buffer', () => {
  it('in a cluster, a store that fails when the held notifications are re-checked is logged, not left unhandled', async () => {
    const clock = new FakeClock();
    const warnings: Array<{ obj: Record<string, unknown>; msg?: string }> = [];
    const logger = { ...silentLogger, warn: (obj: object, msg?: string) => void warnings.push({ obj: obj as Record<string, unknown>, msg }) };
    // A relay makes the bus distributed: the only case where keep() arms the re-check.
    const bus = new EventBus({ relay: { send() {}, onReceive() {}, close: async () => {} } });
    const core = new CallCore({ graph: {}, store: {}, bus, logger, timers: clock, now: clock.now } as unknown as CallServiceOptions);
    const buffer = new OrphanBuffer(core, {
      isStored: () => Promise.reject(new StoreError('store/unavailable', 'The shared store (Redis) did not answer: Connection is closed.')),
      apply: () => Promise.resolve(),
    });
    const notification = { callId: 'c1', kind: 'call' } as unknown as CallNotification & { callId: string };

    const watch = watchUnhandledRejections();
    buffer.keep(notification, undefined);
    await clock.advance(1_000);
    const unhandled = await watch.stop();

    assert.deepEqual(unhandled, []);
    const warned = warnings.find((w) => w.msg === 'could not apply held notifications');
    assert.ok(warned, 'the failure is logged');
    assert.equal(warned.obj.callId, 'c1');
    assert.equal((warned.obj.err as { code?: string }).code, 'store/unavailable');
    assert.deepEqual(buffer.callIds(), ['c1'], 'still held for a later replay');
  });
});
