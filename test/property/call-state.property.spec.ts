// Property: a call's notifications delivered in any order, any number of times, with the session saved and re-read
// (an app restart) at any point and a 404-inferred end mixed in, leave the call exactly as the clean in-order stream
// does. test/comms/calls/call-state.spec.ts runs 1,200 permutations of one fixed lifecycle; here fast-check generates
// the lifecycles themselves (holds, transfers that fail or succeed, tones, redirects) and shrinks any failure to the
// smallest stream that breaks it. Rosters are left out on purpose: a stale full roster can look like a leave (the
// documented ambiguity in call-state.ts), which the meeting roster's repair settles — see meeting-roster.property.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyCallUpdate, INFERRED_END, parseNotificationBatch, type CallSession, type CallUpdate } from '../../comms/calls/index.js';
import { MAX_TONE_HISTORY, newCallSession } from '../../comms/calls/call-session.js';
import { batch, callNote, incoming, operationDone, state, tone } from '../comms/calls/support/notifications.js';

const ID = 'call-p';
const TONES = ['tone0', 'tone1', 'tone2', 'tone5', 'tone9', 'star', 'pound'] as const;

const n = (item: Record<string, unknown>): CallUpdate => parseNotificationBatch(batch(item))[0]!;
const fresh = (): CallSession => newCallSession({ id: ID, state: 'incoming', createdAt: '2026-01-01T00:00:00.000Z' });

/** One segment of a call's life while it is connected. */
type Middle = { kind: 'hold' } | { kind: 'tones'; tones: Array<(typeof TONES)[number]> } | { kind: 'failed-transfer' } | { kind: 'operation' };

interface Lifecycle {
  answered: boolean;
  middles: Middle[];
  end: 'hang-up' | 'transferred' | 'redirected';
  endCode: { code: number; subcode: number };
  chat: boolean;
}

const lifecycleArb: fc.Arbitrary<Lifecycle> = fc.record({
  answered: fc.boolean(),
  middles: fc.array(
    fc.oneof(
      fc.constant<Middle>({ kind: 'hold' }),
      fc.record({ kind: fc.constant('tones' as const), tones: fc.array(fc.constantFrom(...TONES), { minLength: 1, maxLength: 4 }) }),
      fc.constant<Middle>({ kind: 'failed-transfer' }),
      fc.constant<Middle>({ kind: 'operation' }),
    ),
    { maxLength: 6 },
  ),
  end: fc.constantFrom('hang-up' as const, 'transferred' as const, 'redirected' as const),
  endCode: fc.record({ code: fc.constantFrom(0, 200, 404, 487, 500), subcode: fc.integer({ min: 0, max: 9999 }) }),
  chat: fc.boolean(),
});

/** The clean, in-order notification stream Graph would send for a lifecycle. */
function streamOf(life: Lifecycle): CallUpdate[] {
  const out: CallUpdate[] = [n(incoming(ID))];
  if (life.end === 'redirected') {
    out.push(n(state(ID, 'redirecting')));
  } else {
    if (life.answered) out.push(n(state(ID, 'establishing')));
    out.push(n(state(ID, 'established', life.chat ? { chatInfo: { threadId: '19:meeting_p@thread.v2', messageId: '0' } } : {})));
    let sequence = 0;
    let op = 0;
    for (const middle of life.middles) {
      if (middle.kind === 'hold') out.push(n(state(ID, 'hold')), n(state(ID, 'established')));
      if (middle.kind === 'tones') for (const t of middle.tones) out.push(n(tone(ID, ++sequence, t)));
      if (middle.kind === 'failed-transfer') out.push(n(state(ID, 'transferring')), n(state(ID, 'established', { resultInfo: { code: 500, subcode: 7000, message: 'transfer failed' } })));
      if (middle.kind === 'operation') out.push(n(operationDone(ID, `op-${++op}`, { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed' })));
    }
    if (life.end === 'transferred') out.push(n(state(ID, 'transferring')), n(state(ID, 'transferAccepted')));
    else out.push(n(state(ID, 'terminating')));
  }
  out.push(n(callNote(ID, 'deleted', { state: 'terminated', resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', ...life.endCode, message: 'ended' }, ...(life.end === 'transferred' ? { terminationReason: 'AppTransferred' } : {}) })));
  return out;
}

/** What can happen to a stream on its way in and inside the app. */
type Fault = { kind: 'duplicate'; at: number } | { kind: 'restart'; at: number } | { kind: 'inferred-end'; at: number };

const faultsArb = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('restart' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('inferred-end' as const), at: fc.nat() }),
  ),
  { maxLength: 8 },
);

type Step = { kind: 'apply'; update: CallUpdate } | { kind: 'restart' };

/** Delivery order (a permutation) with duplicates, restarts (save and re-read the session) and a 404-inferred end. */
function deliver(updates: CallUpdate[], order: number[], faults: Fault[]): Step[] {
  const steps: Step[] = order.map((i) => ({ kind: 'apply', update: updates[i % updates.length]! }));
  for (const fault of faults) {
    const at = fault.at % (steps.length + 1);
    if (fault.kind === 'duplicate') steps.splice(at, 0, { kind: 'apply', update: updates[fault.at % updates.length]! });
    if (fault.kind === 'restart') steps.splice(at, 0, { kind: 'restart' });
    // keepAlive or reconciliation got 404 for the call: it ended, reason unknown until Graph's own notification.
    if (fault.kind === 'inferred-end') steps.splice(at, 0, { kind: 'apply', update: { kind: 'call', callId: ID, changeType: 'deleted', call: { state: 'terminated', resultInfo: INFERRED_END } } });
  }
  return steps;
}

function run(steps: Step[]): CallSession {
  let session = fresh();
  for (const step of steps) {
    // The store keeps sessions as JSON: a restart is a round trip through it.
    session = step.kind === 'restart' ? (JSON.parse(JSON.stringify(session)) as CallSession) : applyCallUpdate(session, step.update);
  }
  return JSON.parse(JSON.stringify(session)) as CallSession;
}

/** A permutation of 0..length-1 as fast-check can shrink it (towards the identity). */
function permutationArb(length: number): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: Math.max(0, length - 1) }), { minLength: length, maxLength: length }).map((keys) => {
    const order = [...Array(length).keys()];
    for (let i = length - 1; i > 0; i -= 1) {
      const j = keys[i]! % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  });
}

describe('property: the call state machine converges under reordering, duplication, restarts and inferred ends', () => {
  it('any delivery of a generated lifecycle ends in the same call as the clean stream (200 runs)', () => {
    fc.assert(
      fc.property(
        lifecycleArb.chain((life) => {
          const updates = streamOf(life);
          return fc.tuple(fc.constant(life), permutationArb(updates.length), faultsArb);
        }),
        ([life, order, faults]) => {
          const updates = streamOf(life);
          const clean = run(updates.map((update) => ({ kind: 'apply', update })));
          const got = run(deliver(updates, order, faults));
          assert.deepEqual(got, clean);
          assert.equal(clean.state, 'terminated');
        },
      ),
      { numRuns: 200, seed: 20261201 },
    );
  });

  it('a call still live (no hold or transfer yet: its states only move forward) converges too, mid-call (200 runs)', () => {
    const liveArb = fc.record({
      answered: fc.boolean(),
      tones: fc.array(fc.constantFrom(...TONES), { maxLength: 6 }),
      operations: fc.nat({ max: 3 }),
      hangingUp: fc.boolean(),
    });
    const streamOfLive = (live: { answered: boolean; tones: string[]; operations: number; hangingUp: boolean }): CallUpdate[] => [
      n(incoming(ID)),
      ...(live.answered ? [n(state(ID, 'establishing'))] : []),
      n(state(ID, 'established', { chatInfo: { threadId: '19:meeting_p@thread.v2', messageId: '0' } })),
      ...live.tones.map((t, i) => n(tone(ID, i + 1, t))),
      ...Array.from({ length: live.operations }, (_, i) => n(operationDone(ID, `op-${i}`, { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed' }))),
      ...(live.hangingUp ? [n(state(ID, 'terminating'))] : []),
    ];
    fc.assert(
      fc.property(
        liveArb.chain((live) => fc.tuple(fc.constant(live), permutationArb(streamOfLive(live).length), faultsArb.map((f) => f.filter((x) => x.kind !== 'inferred-end')))),
        ([live, order, faults]) => {
          const updates = streamOfLive(live);
          const clean = run(updates.map((update) => ({ kind: 'apply', update })));
          assert.equal(clean.state, live.hangingUp ? 'terminating' : 'established');
          assert.deepEqual(run(deliver(updates, order, faults)), clean);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('the clean stream itself ends as documented: terminated with its own end reason and every tone in order', () => {
    fc.assert(
      fc.property(lifecycleArb, (life) => {
        const clean = run(streamOf(life).map((update) => ({ kind: 'apply', update })));
        assert.equal(clean.state, 'terminated');
        assert.deepEqual({ code: Number(clean.resultInfo?.code), subcode: Number(clean.resultInfo?.subcode) }, { ...life.endCode });
        const tones = life.end === 'redirected' ? [] : life.middles.flatMap((m) => (m.kind === 'tones' ? m.tones : []));
        assert.deepEqual(clean.toneHistory.map((t) => t.tone), tones.slice(-MAX_TONE_HISTORY));
        assert.equal(clean.terminationReason, life.end === 'transferred' ? 'AppTransferred' : undefined);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
