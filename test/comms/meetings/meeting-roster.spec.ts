// The meeting roster model on its own: entries from Graph participants, diffs only, merging with Teams meeting
// events, reconciling with a participant list read earlier, and a client that replays diffs ending where the
// snapshot is — also at 1,000 participants.
import assert from 'node:assert/strict';
import type { Participant } from '../../../comms/calls/index.js';
import { MeetingRoster, type RosterDiff, type RosterEntry } from '../../../comms/meetings/index.js';
import { participant } from '../calls/support/fake-graph.js';

const KEY = '19:meeting_abc@thread.v2';
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

function p(id: string, userId: string, extra: Record<string, unknown> = {}): Participant {
  return participant(id, userId, extra) as Participant;
}

function bot(id: string): Participant {
  return { id, info: { identity: { application: { id: 'app-1', displayName: 'Switchboard' } } }, isMuted: false, isInLobby: false, mediaStreams: [] } as Participant;
}

function sharing(direction: string): Record<string, unknown> {
  return {
    mediaStreams: [
      { mediaType: 'audio', label: 'main-audio', sourceId: '1', direction: 'sendReceive', serverMuted: false },
      { mediaType: 'videoBasedScreenSharing', label: 'applicationsharing-video', sourceId: '2', direction, serverMuted: false },
    ],
  };
}

/** A client of the diff protocol: loads a snapshot, applies diffs in version order. */
class Client {
  entries = new Map<string, RosterEntry>();
  version = 0;
  apply(diff: RosterDiff): void {
    assert.equal(diff.version, this.version + 1, 'diffs come one version at a time');
    for (const left of diff.left) this.entries.delete(left.id);
    for (const e of diff.joined) this.entries.set(e.id, { ...e });
    for (const { id, fields } of diff.changed) {
      const entry = this.entries.get(id);
      assert.ok(entry, `change for unknown ${id}`);
      for (const [k, v] of Object.entries(fields)) {
        if (v === null) delete (entry as unknown as Record<string, unknown>)[k];
        else (entry as unknown as Record<string, unknown>)[k] = v;
      }
    }
    this.version = diff.version;
    assert.equal(this.entries.size, diff.count, 'count matches the entries');
  }
}

function sorted(entries: RosterEntry[]): RosterEntry[] {
  return [...entries].sort((a, b) => a.id.localeCompare(b.id));
}

describe('comms/meetings roster model', () => {
  let now: number;
  let diffs: RosterDiff[];
  let roster: MeetingRoster;

  beforeEach(() => {
    now = T0;
    diffs = [];
    roster = new MeetingRoster(KEY, { now: () => now, publish: (d) => diffs.push(d), botParticipantId: 'bot-leg' });
  });

  it('builds entries from Graph participants: name, mute, lobby, screen sharing, bots', () => {
    roster.applyCallDiff({
      joined: [p('p-1', 'u-1'), p('p-2', 'u-2', { isMuted: true, isInLobby: true }), p('p-3', 'u-3', sharing('sendOnly')), bot('bot-leg')],
    });
    assert.equal(diffs.length, 1);
    const byId = new Map(diffs[0]!.joined.map((e) => [e.id, e]));
    assert.deepEqual(byId.get('p-1'), {
      id: 'p-1',
      userId: 'u-1',
      displayName: 'User u-1',
      isMuted: false,
      screenSharing: false,
      inLobby: false,
      isBot: false,
      joinedAt: new Date(T0).toISOString(),
    });
    assert.equal(byId.get('p-2')!.isMuted, true);
    assert.equal(byId.get('p-2')!.inLobby, true);
    assert.equal(byId.get('p-3')!.screenSharing, true);
    assert.equal(byId.get('bot-leg')!.isBot, true);
    assert.equal(diffs[0]!.count, 4);
    assert.equal(diffs[0]!.version, 1);
  });

  it('screen sharing only counts a stream the person sends', () => {
    const cases: Array<[string, boolean]> = [['sendOnly', true], ['sendReceive', true], ['receiveOnly', false], ['inactive', false]];
    for (const [direction, expected] of cases) {
      roster.applyCallDiff({ joined: [p(`p-${direction}`, 'u', sharing(direction))] });
      assert.equal(roster.get(`p-${direction}`)!.screenSharing, expected, direction);
    }
  });

  it('emits only what changed, and nothing for a repeat', () => {
    roster.applyCallDiff({ joined: [p('p-1', 'u-1'), p('p-2', 'u-2')] });
    roster.applyCallDiff({ updated: [p('p-1', 'u-1', { isMuted: true }), p('p-2', 'u-2')] });
    roster.applyCallDiff({ updated: [p('p-1', 'u-1', { isMuted: true })] });
    roster.applyCallDiff({ left: [p('p-2', 'u-2')] });
    roster.applyCallDiff({ left: [p('p-2', 'u-2')] });
    assert.deepEqual(
      diffs.map((d) => ({ joined: d.joined.map((e) => e.id), left: d.left.map((e) => e.id), changed: d.changed, version: d.version, count: d.count })),
      [
        { joined: ['p-1', 'p-2'], left: [], changed: [], version: 1, count: 2 },
        { joined: [], left: [], changed: [{ id: 'p-1', fields: { isMuted: true } }], version: 2, count: 2 },
        { joined: [], left: ['p-2'], changed: [], version: 3, count: 1 },
      ],
    );
    assert.deepEqual(diffs[2]!.left[0], { id: 'p-2', userId: 'u-2', displayName: 'User u-2' });
  });

  it('shows someone known only from a meeting event, then merges them with their call participant', () => {
    roster.applyMeetingEvent({ kind: 'join', userId: 'u-9', displayName: 'Nine', role: 'Presenter' });
    assert.deepEqual(diffs[0]!.joined.map((e) => [e.id, e.displayName, e.role]), [['user:u-9', 'Nine', 'Presenter']]);
    now += 5_000;
    roster.applyCallDiff({ joined: [p('p-9', 'u-9')] });
    const merge = diffs[1]!;
    assert.deepEqual(merge.left.map((e) => e.id), ['user:u-9']);
    assert.deepEqual(merge.joined.map((e) => [e.id, e.role, e.joinedAt]), [['p-9', 'Presenter', new Date(T0).toISOString()]]);
    assert.equal(merge.count, 1);
  });

  it('takes roles from meeting events for people already in the call, and a leave removes them', () => {
    roster.applyCallDiff({ joined: [p('p-1', 'u-1'), p('p-1b', 'u-1')] });
    roster.applyMeetingEvent({ kind: 'join', userId: 'u-1', displayName: 'One', role: 'Organizer' });
    assert.deepEqual(diffs[1]!.changed, [
      { id: 'p-1', fields: { role: 'Organizer' } },
      { id: 'p-1b', fields: { role: 'Organizer' } },
    ]);
    roster.applyMeetingEvent({ kind: 'leave', userId: 'u-1' });
    assert.deepEqual(diffs[2]!.left.map((e) => e.id).sort(), ['p-1', 'p-1b']);
    assert.equal(roster.count, 0);
    assert.equal(roster.applyMeetingEvent({ kind: 'leave', userId: 'u-1' }), undefined, 'a repeated leave changes nothing');
  });

  it('reconciles with a list: adds who was missing, removes missed leaves, keeps meeting-event-only people', () => {
    roster.applyCallDiff({ joined: [p('p-1', 'u-1'), p('p-ghost', 'u-ghost')] });
    roster.applyMeetingEvent({ kind: 'join', userId: 'u-7', displayName: 'Seven' });
    const diff = roster.reconcile([p('p-1', 'u-1'), p('p-early', 'u-early')]);
    assert.deepEqual(diff!.joined.map((e) => e.id), ['p-early']);
    assert.deepEqual(diff!.left.map((e) => e.id), ['p-ghost']);
    assert.deepEqual(sorted(roster.snapshot().entries).map((e) => e.id), ['p-1', 'p-early', 'user:u-7']);
  });

  it('a list read before later changes does not undo them', () => {
    roster.applyCallDiff({ joined: [p('p-1', 'u-1'), p('p-2', 'u-2')] });
    const since = roster.version; // the list is read now…
    const list = [p('p-1', 'u-1'), p('p-2', 'u-2')];
    roster.applyCallDiff({ updated: [p('p-1', 'u-1', { isMuted: true })], left: [p('p-2', 'u-2')], joined: [p('p-3', 'u-3')] }); // …then these arrive
    assert.equal(roster.reconcile(list, { since }), undefined);
    assert.deepEqual(sorted(roster.snapshot().entries).map((e) => [e.id, e.isMuted]), [['p-1', true], ['p-3', false]]);
  });

  it('a list cut at Graph\'s cap only adds', () => {
    roster.applyCallDiff({ joined: Array.from({ length: 150 }, (_, i) => p(`p-${i}`, `u-${i}`)) });
    const capped = Array.from({ length: 100 }, (_, i) => p(`p-${i}`, `u-${i}`));
    assert.equal(roster.reconcile(capped, { additiveOnly: true }), undefined);
    assert.equal(roster.count, 150);
  });

  it('clears everyone when the bot leaves', () => {
    roster.applyCallDiff({ joined: [p('p-1', 'u-1'), bot('bot-leg')] });
    roster.applyMeetingEvent({ kind: 'join', userId: 'u-2' });
    const diff = roster.clear()!;
    assert.equal(diff.left.length, 3);
    assert.equal(diff.count, 0);
    assert.equal(roster.clear(), undefined);
  });

  it('a client replaying the diffs of a long random history ends exactly at the snapshot', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const client = new Client();
    const sub = new MeetingRoster(KEY, { now: () => now, publish: (d) => client.apply(d) });
    const present = new Map<string, Participant>();
    for (let step = 0; step < 2_000; step += 1) {
      now += 1_000;
      const id = `p-${rand(60)}`;
      const user = `u-${Number(id.slice(2)) % 40}`;
      switch (rand(6)) {
        case 0:
        case 1: {
          const part = p(id, user, { isMuted: rand(2) === 0, ...(rand(3) === 0 ? sharing('sendOnly') : {}) });
          if (present.has(id)) sub.applyCallDiff({ updated: [part] });
          else sub.applyCallDiff({ joined: [part] });
          present.set(id, part);
          break;
        }
        case 2:
          if (present.has(id)) sub.applyCallDiff({ left: [present.get(id)!] });
          present.delete(id);
          break;
        case 3:
          sub.applyMeetingEvent({ kind: rand(4) === 0 ? 'leave' : 'join', userId: user, displayName: `Name ${user}`, role: ['Attendee', 'Presenter'][rand(2)]! });
          if (rand(4) === 0) for (const [pid, part] of present) if ((part.info?.identity as { user: { id: string } }).user.id === user) present.delete(pid);
          break;
        case 4:
          sub.reconcile([...present.values()].filter(() => rand(10) !== 0));
          break;
        default:
          sub.reconcile([...present.values()], { since: Math.max(0, sub.version - rand(3)) });
      }
    }
    const snap = sub.snapshot();
    assert.equal(client.version, snap.version);
    assert.deepEqual(sorted([...client.entries.values()]), sorted(snap.entries));
  });

  it('applies and diffs a 1,000-participant roster', () => {
    const client = new Client();
    const big = new MeetingRoster(KEY, { now: () => now, publish: (d) => client.apply(d) });
    const everyone = Array.from({ length: 1_000 }, (_, i) => p(`p-${i}`, `u-${i}`));
    const first = big.reconcile(everyone)!;
    assert.equal(first.joined.length, 1_000);
    assert.equal(first.count, 1_000);
    assert.equal(big.reconcile(everyone), undefined, 'the same 1,000 again: no diff');

    // A full roster notification with 10 mutes, 5 people gone and 5 new ones.
    const next = everyone.slice(5).map((part, i) => (i < 10 ? p(part.id!, `u-${part.id!.slice(2)}`, { isMuted: true }) : part));
    next.push(...Array.from({ length: 5 }, (_, i) => p(`p-new-${i}`, `u-new-${i}`)));
    const diff = big.reconcile(next)!;
    assert.equal(diff.joined.length, 5);
    assert.equal(diff.left.length, 5);
    assert.equal(diff.changed.length, 10);
    assert.ok(diff.changed.every((c) => c.fields.isMuted === true && Object.keys(c.fields).length === 1));
    assert.equal(diff.count, 1_000);
    assert.deepEqual(sorted([...client.entries.values()]), sorted(big.snapshot().entries));
  });
});
