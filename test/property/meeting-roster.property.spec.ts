// Property: a meeting's roster fed the call's roster diffs and Teams meeting events in any order, each any number of
// times, then repaired once from Graph's participant list, equals the truth: exactly the people in the meeting, with
// their mute state, names and roles, one entry per participant. fast-check generates the meeting's history (joins,
// leaves, re-joins with a new participant id, mutes) and shrinks any failure to the smallest history and delivery.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Participant } from '../../comms/calls/index.js';
import { MeetingRoster, type MeetingEventInput } from '../../comms/meetings/meeting-roster.js';

const PEOPLE = ['u-ada', 'u-ben', 'u-cho', 'u-dev', 'u-eli'] as const;
type Person = (typeof PEOPLE)[number];
const ROLE: Record<Person, string> = { 'u-ada': 'Organizer', 'u-ben': 'Presenter', 'u-cho': 'Attendee', 'u-dev': 'Attendee', 'u-eli': 'Presenter' };

type Happening = { kind: 'arrive' | 'depart' | 'mute' | 'unmute'; who: Person };

// Few people and many comings and goings, so re-joins (a new participant id for the same person) are common.
const historyArb = fc.array(
  fc.record({
    kind: fc.oneof({ arbitrary: fc.constantFrom('arrive' as const, 'depart' as const), weight: 3 }, { arbitrary: fc.constantFrom('mute' as const, 'unmute' as const), weight: 1 }),
    who: fc.oneof({ arbitrary: fc.constantFrom<Person>('u-ada', 'u-ben'), weight: 4 }, { arbitrary: fc.constantFrom(...PEOPLE), weight: 1 }),
  }),
  { minLength: 2, maxLength: 30, size: '+1' },
);

function participant(id: string, who: Person, isMuted: boolean): Participant {
  return {
    id,
    info: { identity: { user: { id: who, displayName: `Person ${who.slice(2)}` } } },
    isMuted,
    isInLobby: false,
    mediaStreams: [{ mediaType: 'audio', direction: 'sendReceive' }],
  } as unknown as Participant;
}

type Update = { kind: 'call'; diff: { joined?: Participant[]; left?: Participant[]; updated?: Participant[] } } | { kind: 'event'; event: MeetingEventInput };

/** What the meeting's history sends the app (in order), and who is in the meeting at the end. */
function replay(history: Happening[]): { updates: Update[]; truth: Participant[] } {
  const present = new Map<Person, Participant>();
  const legs = new Map<Person, number>();
  const updates: Update[] = [];
  for (const h of history) {
    const current = present.get(h.who);
    if (h.kind === 'arrive' && !current) {
      // Every join is a new call leg: a new participant id.
      const leg = (legs.get(h.who) ?? 0) + 1;
      legs.set(h.who, leg);
      const p = participant(`${h.who}-leg${leg}`, h.who, false);
      present.set(h.who, p);
      updates.push({ kind: 'call', diff: { joined: [p] } }, { kind: 'event', event: { kind: 'join', userId: h.who, displayName: `Person ${h.who.slice(2)}`, role: ROLE[h.who] } });
    } else if (h.kind === 'depart' && current) {
      present.delete(h.who);
      updates.push({ kind: 'call', diff: { left: [current] } }, { kind: 'event', event: { kind: 'leave', userId: h.who } });
    } else if ((h.kind === 'mute' || h.kind === 'unmute') && current && current.isMuted !== (h.kind === 'mute')) {
      const p = { ...current, isMuted: h.kind === 'mute' } as Participant;
      present.set(h.who, p);
      updates.push({ kind: 'call', diff: { updated: [p] } });
    }
  }
  return { updates, truth: [...present.values()] };
}

interface Delivery {
  order: number[];
  duplicates: number[];
}

function deliveryArb(length: number): fc.Arbitrary<Delivery> {
  return fc.record({
    order: fc.array(fc.nat({ max: Math.max(0, length - 1) }), { minLength: length, maxLength: length }).map((keys) => {
      const order = [...Array(length).keys()];
      for (let i = length - 1; i > 0; i -= 1) {
        const j = keys[i]! % (i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      return order;
    }),
    duplicates: fc.array(fc.nat(), { maxLength: 10 }),
  });
}

/**
 * The call's roster diffs in any order and any number of times; Teams meeting events (bot activities of one
 * conversation, delivered in order) keep their order among themselves but interleave anywhere with the diffs.
 */
function deliver(roster: MeetingRoster, updates: Update[], delivery: Delivery, eventsInOrder = true): void {
  const sequence = delivery.order.map((i) => ({ update: updates[i]!, index: i }));
  if (eventsInOrder) {
    const events = sequence.filter((s) => s.update.kind === 'event').sort((a, b) => a.index - b.index);
    let next = 0;
    for (let k = 0; k < sequence.length; k += 1) if (sequence[k]!.update.kind === 'event') sequence[k] = events[next++]!;
  }
  const diffs = updates.filter((u) => u.kind === 'call' || !eventsInOrder);
  for (const d of delivery.duplicates) if (diffs.length > 0) sequence.splice(d % (sequence.length + 1), 0, { update: diffs[d % diffs.length]!, index: -1 });
  for (const { update: u } of sequence) {
    if (u.kind === 'call') roster.applyCallDiff(u.diff);
    else roster.applyMeetingEvent(u.event);
  }
}

function newRoster(): { roster: MeetingRoster; versions: number[] } {
  const versions: number[] = [];
  let t = Date.UTC(2026, 0, 1);
  const roster = new MeetingRoster('meeting-p', { now: () => (t += 1000), publish: (diff) => versions.push(diff.version) });
  return { roster, versions };
}

const view = (entries: Array<{ id: string; userId?: string; displayName: string; isMuted: boolean; role?: string }>) =>
  entries.map((e) => ({ id: e.id, userId: e.userId, displayName: e.displayName, isMuted: e.isMuted, role: e.role })).sort((a, b) => a.id.localeCompare(b.id));

describe('property: the meeting roster converges to the truth after any delivery and one repair', () => {
  it('out-of-order and duplicated roster diffs among in-order meeting events, then a repair from the participant list (200 runs)', () => {
    fc.assert(
      fc.property(
        historyArb.chain((history) => fc.tuple(fc.constant(history), deliveryArb(replay(history).updates.length))),
        ([history, delivery]) => {
          const { updates, truth } = replay(history);
          const { roster, versions } = newRoster();
          deliver(roster, updates, delivery);
          roster.reconcile(truth);
          const expected = truth.map((p) => {
            const who = (p.info as { identity: { user: { id: Person } } }).identity.user.id;
            return { id: p.id!, userId: who, displayName: `Person ${who.slice(2)}`, isMuted: p.isMuted === true, role: ROLE[who] };
          });
          const got = view(roster.snapshot().entries);
          // Roles come from meeting events, which may arrive after the repair: compare them only where one was seen.
          assert.deepEqual(got.map(({ role: _r, ...rest }) => rest), view(expected).map(({ role: _r, ...rest }) => rest));
          for (const e of got) if (e.role !== undefined) assert.equal(e.role, ROLE[e.userId as Person], `${e.id}: role`);
          assert.equal(roster.count, truth.length);
          assert.deepEqual(versions, versions.map((_, i) => i + 1), 'versions are consecutive');
        },
      ),
      { numRuns: 200, seed: 20261201 },
    );
  });

  it('known limit: a meeting join event delivered after that person\'s leave event leaves an entry the repair keeps', () => {
    // Entries known only from meeting events are kept by design (see meeting-roster.spec: "keeps meeting-event-only
    // people"), so a reordered join → leave pair of bot activities leaves a ghost until the person's next leave event
    // or the bot's call ends. This pins the behaviour; change it together with that design decision.
    const { updates, truth } = replay([{ kind: 'arrive', who: 'u-dev' }, { kind: 'depart', who: 'u-dev' }]);
    const { roster } = newRoster();
    deliver(roster, updates, { order: [0, 2, 3, 1], duplicates: [] }, false);
    roster.reconcile(truth);
    assert.deepEqual(roster.snapshot().entries.map((e) => e.id), ['user:u-dev']);
  });

  it('in-order delivery needs no repair: the roster already equals the truth', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const { updates, truth } = replay(history);
        const { roster } = newRoster();
        deliver(roster, updates, { order: updates.map((_, i) => i), duplicates: [] });
        assert.deepEqual(view(roster.snapshot().entries).map((e) => e.id), truth.map((p) => p.id!).sort());
        assert.equal(roster.reconcile(truth), undefined, 'the repair changes nothing');
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});
