// The calling service's event list: bounded to its capacity (the oldest go first), in order, filtered by seq and type,
// and fields left undefined are not kept.
import assert from 'node:assert/strict';
import { CallingEvents } from '../../emulator/calls/calling-events.js';

describe('emulator calling events (the bounded list)', () => {
  it('keeps the last `capacity` events in order, whatever was trimmed and when', () => {
    const events = new CallingEvents(100);
    for (let i = 1; i <= 1_234; i++) events.emit(i % 2 ? 'odd' : 'even', { callId: `c-${i}`, n: i, gone: undefined });
    const all = events.list();
    assert.equal(all.length, 100);
    assert.deepEqual(all.map((e) => e.seq), Array.from({ length: 100 }, (_, i) => 1_135 + i));
    assert.equal(events.lastSeq, 1_234);
    assert.deepEqual(events.list(1_230).map((e) => e.n), [1_231, 1_232, 1_233, 1_234]);
    assert.deepEqual(events.list(1_230, 'even').map((e) => e.n), [1_232, 1_234]);
    assert.equal('gone' in all[0]!, false, 'an undefined field is not kept');
    assert.equal(all[0]!.type, 'odd');
  });
});
