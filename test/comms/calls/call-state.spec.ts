// The per-call state machine: documented lifecycles, late and duplicate notifications, and the order-tolerance
// property (1,000+ seeded permutations of one lifecycle end in the same call).
import assert from 'node:assert/strict';
import { applyCallUpdate, INFERRED_END, nextCallState, parseNotificationBatch, type CallSession, type CallState, type CallUpdate } from '../../../comms/calls/index.js';
import { newCallSession } from '../../../comms/calls/call-session.js';
import { participant } from './support/fake-graph.js';
import { batch, callNote, incoming, operationDone, roster, state, terminated, tone } from './support/notifications.js';

const ID = 'call-a';

function n(item: Record<string, unknown>): CallUpdate {
  return parseNotificationBatch(batch(item))[0]!;
}

function run(start: CallSession, updates: CallUpdate[]): CallSession {
  return updates.reduce(applyCallUpdate, start);
}

function fresh(stateValue: CallState = 'incoming'): CallSession {
  return newCallSession({ id: ID, state: stateValue, createdAt: '2025-01-06T09:00:00.000Z' });
}

/** mulberry32: a small seeded PRNG so every run tries the same permutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(list: T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('comms/calls call state machine', () => {
  describe('documented lifecycles', () => {
    it('incoming → answered → established → hung up → terminated keeps the end resultInfo', () => {
      const end = run(fresh(), [
        n(incoming(ID)),
        n(state(ID, 'establishing')),
        n(state(ID, 'established')),
        n(state(ID, 'terminating')),
        n(terminated(ID, { code: 200, subcode: 5001, message: 'ended' })),
      ]);
      assert.equal(end.state, 'terminated');
      assert.deepEqual(end.resultInfo, { code: 200, subcode: 5001, message: 'ended' });
      assert.equal(end.direction, 'incoming');
      assert.equal(end.myParticipantId, 'c339cede-4bd6-4f20-ab9f-3a13e65f6d00');
    });

    it('outgoing: established before establishing stays established (order not guaranteed)', () => {
      assert.equal(run(fresh('establishing'), [n(state(ID, 'established')), n(state(ID, 'establishing'))]).state, 'established');
    });

    it('blind transfer: transferring → transferAccepted → terminated 0/7015', () => {
      const end = run(fresh('established'), [n(state(ID, 'transferring')), n(state(ID, 'transferAccepted')), n(terminated(ID, { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' }))]);
      assert.equal(end.state, 'terminated');
      assert.deepEqual(end.resultInfo, { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' });
    });

    it('failed transfer returns to established and keeps the 500/7000 resultInfo', () => {
      const end = run(fresh('established'), [n(state(ID, 'transferring')), n(state(ID, 'established', { resultInfo: { code: 500, subCode: 7000, message: 'failed' } }))]);
      assert.equal(end.state, 'established');
      assert.deepEqual(end.resultInfo, { code: 500, subcode: 7000, message: 'failed' });
    });

    it('consultative transfer ends with terminationReason AppTransferred', () => {
      const end = run(fresh('established'), [n(state(ID, 'transferring')), n(callNote(ID, 'deleted', { state: 'terminated', terminationReason: 'AppTransferred' }))]);
      assert.equal(end.state, 'terminated');
      assert.equal(end.terminationReason, 'AppTransferred');
    });

    it('after transferAccepted only terminating/terminated follow', () => {
      const s = run(fresh('established'), [n(state(ID, 'transferAccepted')), n(state(ID, 'established')), n(state(ID, 'hold'))]);
      assert.equal(s.state, 'transferAccepted');
      assert.equal(applyCallUpdate(s, n(state(ID, 'terminating'))).state, 'terminating');
    });

    it('hold and back: established ⇄ hold', () => {
      const s = run(fresh('established'), [n(state(ID, 'hold'))]);
      assert.equal(s.state, 'hold');
      assert.equal(applyCallUpdate(s, n(state(ID, 'established'))).state, 'established');
    });

    it('reject: a deleted notification with no state ends the incoming call', () => {
      const end = run(fresh(), [n(incoming(ID)), n({ changeType: 'deleted', resourceUrl: `/communications/calls/${ID}`, resourceData: { '@odata.type': '#microsoft.graph.call' } })]);
      assert.equal(end.state, 'terminated');
      assert.equal(end.resultInfo, undefined);
    });

    it('redirect: incoming → terminated for the bot leg', () => {
      assert.equal(run(fresh(), [n(incoming(ID)), n(terminated(ID))]).state, 'terminated');
    });
  });

  describe('late and duplicate notifications', () => {
    it('a late established never revives a terminated call', () => {
      const end = run(fresh('established'), [n(terminated(ID)), n(state(ID, 'established')), n(incoming(ID))]);
      assert.equal(end.state, 'terminated');
    });

    it('after termination a late notification may only fill a missing resultInfo', () => {
      const noInfo = run(fresh('established'), [n(callNote(ID, 'deleted', { state: 'terminated' })), n(state(ID, 'established', { resultInfo: { code: 500, subcode: 7000 } }))]);
      assert.deepEqual(noInfo.resultInfo, { code: 500, subcode: 7000 });
      const withInfo = run(fresh('established'), [n(terminated(ID, { code: 200, subcode: 5001 })), n(state(ID, 'established', { resultInfo: { code: 500, subcode: 7000 } }))]);
      assert.deepEqual(withInfo.resultInfo, { code: 200, subcode: 5001 });
    });

    it('terminating only moves to terminated', () => {
      const s = run(fresh('established'), [n(state(ID, 'terminating')), n(state(ID, 'established')), n(state(ID, 'hold')), n(state(ID, 'transferring'))]);
      assert.equal(s.state, 'terminating');
      assert.equal(applyCallUpdate(s, n(terminated(ID))).state, 'terminated');
    });

    it('a late establishing or incoming after established is ignored', () => {
      assert.equal(run(fresh(), [n(state(ID, 'established')), n(state(ID, 'establishing')), n(incoming(ID)), n(state(ID, 'ringing'))]).state, 'established');
    });

    it('every notification applied twice gives the same call as once', () => {
      const list = [n(incoming(ID)), n(state(ID, 'establishing')), n(state(ID, 'established')), n(tone(ID, 1, 'tone1')), n(roster(ID, [participant('p-1', 'u-1')])), n(terminated(ID))];
      const once = run(fresh(), list);
      const twice = run(fresh(), list.flatMap((u) => [u, u]));
      assert.deepEqual(twice, once);
      // Re-applying any one of them to the final call changes nothing.
      for (const u of list) assert.deepEqual(applyCallUpdate(once, u), once);
    });

    it('keeps a tone history deduplicated by sequenceId and ordered by it', () => {
      const s = run(fresh('established'), [n(tone(ID, 2, 'tone2')), n(tone(ID, 1, 'tone1')), n(tone(ID, 2, 'tone2')), n(tone(ID, 3, 'pound'))]);
      assert.deepEqual(s.toneHistory, [
        { sequenceId: 1, tone: 'tone1' },
        { sequenceId: 2, tone: 'tone2' },
        { sequenceId: 3, tone: 'pound' },
      ]);
    });

    it('ignores roster updates with a lower sequence number', () => {
      const s = run(fresh('established'), [
        n(roster(ID, [participant('p-1', 'u-1', { rosterSequenceNumber: 5 }), participant('p-2', 'u-2', { rosterSequenceNumber: 5 })])),
        n(roster(ID, [participant('p-1', 'u-1', { rosterSequenceNumber: 3 })])),
      ]);
      assert.deepEqual(s.participants.map((p) => p.id), ['p-1', 'p-2']);
      assert.equal(s.rosterVersion, 5);
    });

    it('merges a delta roster and drops participants with a removedState', () => {
      const s = run(fresh('established'), [
        n(roster(ID, [participant('p-1', 'u-1'), participant('p-2', 'u-2')])),
        n({ changeType: 'updated', resourceUrl: `/communications/calls/${ID}/participants`, resourceData: { sequenceNumber: 2, participants: [participant('p-2', 'u-2', { removedState: { reason: 'left' } }), participant('p-3', 'u-3')] } }),
      ]);
      assert.deepEqual(s.participants.map((p) => p.id), ['p-1', 'p-3']);
    });

    it('operations and content sharing leave the call unchanged', () => {
      const s = fresh('established');
      assert.equal(applyCallUpdate(s, n(operationDone(ID, 'op-1', { status: 'completed' }))), s);
      assert.equal(applyCallUpdate(s, n({ changeType: 'created', resourceUrl: `/communications/calls/${ID}/contentsharingsessions`, resourceData: [] })), s);
    });

    it('does not modify its input', () => {
      const s = fresh();
      const copy = structuredClone(s);
      applyCallUpdate(s, n(incoming(ID)));
      applyCallUpdate(s, n(tone(ID, 1, 'tone1')));
      assert.deepEqual(s, copy);
    });
  });

  describe('transition table', () => {
    const table: Array<[CallState, CallState, CallState]> = [
      ['incoming', 'establishing', 'establishing'],
      ['incoming', 'ringing', 'ringing'],
      ['incoming', 'established', 'established'],
      ['incoming', 'redirecting', 'redirecting'],
      ['establishing', 'incoming', 'establishing'],
      ['ringing', 'establishing', 'ringing'],
      ['establishing', 'established', 'established'],
      ['established', 'establishing', 'established'],
      ['established', 'hold', 'hold'],
      ['hold', 'established', 'established'],
      ['established', 'transferring', 'transferring'],
      ['transferring', 'established', 'established'],
      ['transferring', 'transferAccepted', 'transferAccepted'],
      ['transferAccepted', 'established', 'transferAccepted'],
      ['transferAccepted', 'transferring', 'transferAccepted'],
      ['transferAccepted', 'terminating', 'terminating'],
      ['redirecting', 'established', 'redirecting'],
      ['redirecting', 'terminated', 'terminated'],
      ['established', 'terminating', 'terminating'],
      ['terminating', 'established', 'terminating'],
      ['terminating', 'hold', 'terminating'],
      ['terminating', 'terminated', 'terminated'],
      ['terminated', 'established', 'terminated'],
      ['terminated', 'incoming', 'terminated'],
      ['terminated', 'terminating', 'terminated'],
      ['established', 'unknownFutureValue', 'established'],
      ['established', 'redirecting', 'established'],
    ];
    for (const [current, next, expected] of table) {
      it(`${current} + ${next} → ${expected}`, () => assert.equal(nextCallState(current, next), expected));
    }
  });

  describe('order tolerance', () => {
    const lifecycle = (): CallUpdate[] => [
      n(incoming(ID)),
      n(state(ID, 'establishing')),
      n(state(ID, 'established', { chatInfo: { threadId: '19:meeting_x@thread.v2', messageId: '0' } })),
      n(tone(ID, 1, 'tone4')),
      n(tone(ID, 2, 'pound')),
      n(roster(ID, [participant('p-1', 'u-1', { rosterSequenceNumber: 1 })])),
      n(roster(ID, [participant('p-1', 'u-1', { rosterSequenceNumber: 2 }), participant('p-2', 'u-2', { rosterSequenceNumber: 2 })])),
      n(roster(ID, [participant('p-2', 'u-2', { rosterSequenceNumber: 3, isMuted: true })])),
      n(operationDone(ID, 'op-1', { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed' })),
      n(terminated(ID, { code: 200, subcode: 5001, message: 'ended' })),
    ];

    it('has ten events whose clean order ends terminated with the full history', () => {
      const clean = run(fresh(), lifecycle());
      assert.equal(lifecycle().length, 10);
      assert.equal(clean.state, 'terminated');
      assert.deepEqual(clean.toneHistory.map((t) => t.sequenceId), [1, 2]);
      assert.deepEqual(clean.participants.map((p) => p.id), ['p-2']);
      assert.equal(clean.direction, 'incoming');
    });

    it('1,200 seeded random permutations all end in the same call as the clean order', () => {
      const clean = run(fresh(), lifecycle());
      const random = prng(20250106);
      const seen = new Set<string>();
      for (let i = 0; i < 1_200; i += 1) {
        const order = shuffle(lifecycle(), random);
        seen.add(order.map((u) => JSON.stringify(u)).join('|'));
        assert.deepEqual(run(fresh(), order), clean, `permutation ${i}`);
      }
      assert.ok(seen.size > 1_000, 'the permutations are actually different');
    });

    it('permutations with every event duplicated also converge', () => {
      const clean = run(fresh(), lifecycle());
      const random = prng(7);
      for (let i = 0; i < 300; i += 1) {
        assert.deepEqual(run(fresh(), shuffle([...lifecycle(), ...lifecycle()], random)), clean);
      }
    });
  });
});

describe('comms/calls call-state: an inferred end gives way to Graph\'s own', () => {
  it('replaces the 404 placeholder with the resultInfo of a later terminated notification, and nothing else', () => {
    const live = newCallSession({ id: 'c1', state: 'established', createdAt: '2026-01-01T00:00:00Z' });
    const inferred = applyCallUpdate(live, { kind: 'call', callId: 'c1', changeType: 'deleted', call: { state: 'terminated', resultInfo: INFERRED_END } });
    const real = applyCallUpdate(inferred, { kind: 'call', callId: 'c1', changeType: 'deleted', call: { state: 'terminated', resultInfo: { code: 200, subcode: 4097, message: 'Ended by the other participant' } } });
    assert.equal(real.resultInfo?.subcode, 4097);
    const later = applyCallUpdate(real, { kind: 'call', callId: 'c1', changeType: 'deleted', call: { state: 'terminated', resultInfo: { code: 500, subcode: 1, message: 'other' } } });
    assert.equal(later.resultInfo?.subcode, 4097, 'a real end reason is final');
  });
});

describe('comms/calls call-state: full rosters after a leave', () => {
  const ID = 'leave-call';
  const established = () => newCallSession({ id: ID, state: 'established', createdAt: '2026-01-01T00:00:00Z' });
  const apply = (s: CallSession, participants: Array<ReturnType<typeof participant>>) => applyCallUpdate(s, parseNotificationBatch(batch(roster(ID, participants)))[0]!);

  it('applies a roster that is ours minus the person who left, though nobody\'s number went up', () => {
    let s = apply(established(), [participant('a', 'u-a', { rosterSequenceNumber: 1 }), participant('b', 'u-b', { rosterSequenceNumber: 2 })]);
    s = apply(s, [participant('a', 'u-a', { rosterSequenceNumber: 1 })]);
    assert.deepEqual(s.participants.map((p) => p.id), ['a']);
  });

  it('still ignores an older roster that differs in more than a leave', () => {
    let s = apply(established(), [participant('a', 'u-a', { rosterSequenceNumber: 3, isMuted: true }), participant('b', 'u-b', { rosterSequenceNumber: 2 })]);
    s = apply(s, [participant('a', 'u-a', { rosterSequenceNumber: 1, isMuted: false })]);
    assert.deepEqual(s.participants.map((p) => [p.id, p.isMuted]), [['a', true], ['b', false]]);
  });
});
