// The roster diff and the participant parser's direct path, both on every roster notification: the diff compares
// participants as JSON without building strings (any key order, undefined members left out), and the direct path
// gives exactly what participantSchema gives, leaving anything doubtful (and every error message) to zod.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { diffRoster, participantKey, type Participant } from '../../../comms/calls/index.js';
import { parseParticipants, participantSchema } from '../../../comms/calls/graph-shapes.js';
import { canonicalJson } from '../../../comms/calls/notification-inbox.js';
import { sameJson } from '../../../comms/calls/roster-diff.js';

/** Shuffles every object's keys (the same JSON, another order). */
function reordered(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reordered(v, seed + i));
  if (!value || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const order = seed % 2 === 0 ? keys.reverse() : [...keys.slice(1), ...keys.slice(0, 1)];
  return Object.fromEntries(order.map((k) => [k, reordered((value as Record<string, unknown>)[k], seed + 1)]));
}

describe('comms/calls roster diff', () => {
  it('says two JSON values are equal exactly when their canonical JSON is', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.nat(), (a, b, seed) => {
        assert.equal(sameJson(a, b), canonicalJson(a) === canonicalJson(b));
        assert.equal(sameJson(a, reordered(a, seed)), true);
      }),
      { numRuns: 500 },
    );
    // Near misses: one member changed, added or removed deep inside.
    const base = { id: 'p1', info: { identity: { user: { id: 'u1', displayName: 'Ann' } } }, mediaStreams: [{ mediaType: 'audio', serverMuted: false }] };
    assert.equal(sameJson(base, { ...base, info: { identity: { user: { id: 'u1', displayName: 'Anne' } } } }), false);
    assert.equal(sameJson(base, { ...base, mediaStreams: [{ mediaType: 'audio', serverMuted: true }] }), false);
    assert.equal(sameJson(base, { ...base, isMuted: false }), false);
    assert.equal(sameJson({ ...base, isMuted: false }, base), false);
    assert.equal(sameJson(base, { ...base, extra: undefined }), true);
    assert.equal(sameJson({ ...base, extra: undefined }, { ...base, other: undefined }), true);
    assert.equal(sameJson({ a: 1, b: undefined }, { a: 1, c: 2 }), false);
    assert.equal(sameJson([1, 2], { 0: 1, 1: 2 }), false);
    assert.equal(sameJson([], {}), false);
    assert.equal(sameJson(null, {}), false);
  });

  it('does not report a participant whose members only came in another order as updated', () => {
    const before: Participant[] = [{ id: 'p1', info: { identity: { user: { id: 'u1', displayName: 'Ann' } } }, isMuted: false, rosterSequenceNumber: 1 }];
    const after = [reordered(before[0], 0) as Participant];
    assert.deepEqual(diffRoster(before, after), { joined: [], left: [], updated: [] });
    const muted = [{ ...after[0]!, isMuted: true }];
    assert.deepEqual(diffRoster(before, muted).updated.map((p) => p.id), ['p1']);
  });

  it('gives what a diff of two Maps by participantKey gives, also for invitees without an id and people listed twice', () => {
    const byKey = (list: Participant[]) => new Map(list.map((p) => [participantKey(p), p]));
    const reference = (before: Participant[], after: Participant[]) => {
      const prev = byKey(before);
      const next = byKey(after);
      const out = { joined: [] as string[], left: [] as string[], updated: [] as string[] };
      // An invitee listed without an id before and with one now is the same person (found by identity).
      const named = new Set<string>();
      for (const [key, p] of next) {
        let old = prev.get(key);
        if (!old && p.id) {
          const unnamed = participantKey({ ...p, id: null });
          old = prev.get(unnamed);
          if (old) named.add(unnamed);
        }
        if (!old) out.joined.push(key);
        else if (canonicalJson(old) !== canonicalJson(p)) out.updated.push(key);
      }
      for (const key of prev.keys()) if (!next.has(key) && !named.has(key)) out.left.push(key);
      return out;
    };
    const participantArb = fc.record({
      id: fc.oneof(fc.constant(null), fc.constantFrom('p1', 'p2', 'p3', 'user:u1')),
      info: fc.record({ identity: fc.record({ user: fc.record({ id: fc.constantFrom('u1', 'u2'), displayName: fc.constantFrom('Ann', 'Bo') }) }) }),
      isMuted: fc.boolean(),
    }) as fc.Arbitrary<Participant>;
    fc.assert(
      fc.property(fc.array(participantArb, { maxLength: 6 }), fc.array(participantArb, { maxLength: 6 }), (before, after) => {
        const diff = diffRoster(before, after);
        const keys = (list: Participant[]) => list.map(participantKey).sort();
        const want = reference(before, after);
        assert.deepEqual({ joined: keys(diff.joined), left: keys(diff.left), updated: keys(diff.updated) }, { joined: want.joined.sort(), left: want.left.sort(), updated: want.updated.sort() });
      }),
      { numRuns: 1000 },
    );
  });

  it('parses plainly valid participants directly, to exactly what participantSchema gives', () => {
    const member = fc.oneof(fc.constant(null), fc.boolean(), fc.string({ maxLength: 8 }), fc.integer(), fc.array(fc.jsonValue(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue(), { maxKeys: 3 }));
    const participantLike = fc.record(
      {
        '@odata.type': fc.constant('#microsoft.graph.participant'),
        id: fc.oneof(fc.constant(null), fc.string({ maxLength: 300 }), member),
        info: fc.oneof(fc.constant(null), fc.record({ identity: fc.record({ user: fc.record({ id: fc.string(), displayName: fc.string() }) }) }), member),
        isMuted: member,
        isInLobby: member,
        mediaStreams: member,
        rosterSequenceNumber: fc.oneof(fc.integer(), fc.constantFrom('12', '-3', '99999999999', '1.5', 'x'), fc.double(), member),
        removedState: member,
        metadata: member,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(participantLike, member), { maxLength: 4 }), (list) => {
        const direct = parseParticipants(list);
        const zod = z.array(participantSchema).safeParse(list);
        assert.equal(direct.success, zod.success);
        if (direct.success && zod.success) assert.deepStrictEqual(direct.data, zod.data);
        if (!direct.success && !zod.success) assert.deepEqual(direct.error.issues, zod.error.issues);
      }),
      { numRuns: 1000 },
    );
  });
});
