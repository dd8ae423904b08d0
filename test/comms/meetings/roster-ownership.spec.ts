// Distributed mode, an instance that does not keep a meeting's roster: the owner's stored snapshot trails its diffs
// by a moment, so a roster read here is brought up to the diffs this instance already heard (a side panel loading
// here right after a change gets the change, not a roster one version behind its stream's position).
import assert from 'node:assert/strict';
import { MEETINGS_COLLECTION, MeetingService, type MeetingRecord, type RosterDiff, type RosterEntry } from '../../../comms/meetings/index.js';
import type { BusEvent, EventRelay, InstanceRegistry } from '../../../comms/runtime/index.js';
import { EventBus, openSqliteStore, type Store } from '../../../comms/store/index.js';

const THREAD = '19:meeting_NDRiZjRiMmUtODI5OC00MzRlLTk1ZWEtMGY1MDAwMDAwMDAw@thread.v2';

/** Events "from other instances", delivered by hand. */
class HandRelay implements EventRelay {
  private listener?: (event: BusEvent) => void;
  send(): void {}
  onReceive(listener: (event: BusEvent) => void): void {
    this.listener = listener;
  }
  deliver(event: BusEvent): void {
    this.listener!(event);
  }
  async close(): Promise<void> {}
}

const entry = (id: string, displayName: string, isMuted = false): RosterEntry => ({ id, displayName, isMuted, screenSharing: false, inLobby: false, isBot: false, joinedAt: '2025-01-06T09:00:00.000Z' });
const diff = (version: number, change: Partial<RosterDiff>): RosterDiff & { type: 'meeting.roster'; at: string } => ({
  type: 'meeting.roster',
  at: '2025-01-06T09:00:00.000Z',
  meetingKey: THREAD,
  joined: [],
  left: [],
  changed: [],
  count: 0,
  version,
  ...change,
});

describe('comms/meetings roster kept by another instance', () => {
  let store: Store;
  let relay: HandRelay;
  let meetings: MeetingService;
  const cluster: InstanceRegistry = { instanceId: 'here', leaseMs: 6_000, isAlive: async () => true, start: async () => undefined, stop: async () => undefined };

  beforeEach(async () => {
    store = openSqliteStore(':memory:');
    relay = new HandRelay();
    const bus = new EventBus({ relay });
    const logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
    // Reading a roster touches neither Graph nor the calls.
    meetings = new MeetingService({ graph: undefined as never, calls: undefined as never, bus, store, logger, cluster });
    const record: MeetingRecord = { meetingKey: THREAD, state: 'joined', callId: 'call-1', owner: 'there', updatedAt: '2025-01-06T09:00:00.000Z' };
    await store.put(MEETINGS_COLLECTION, THREAD, record);
    await store.put('meeting-rosters', THREAD, { meetingKey: THREAD, version: 3, count: 2, entries: [entry('p-1', 'Jonas Lindqvist'), entry('p-2', 'Hana Sato')] });
  });
  afterEach(() => store.close());

  it('brings the stored snapshot up to the diffs heard since it was written, in version order', async () => {
    relay.deliver(diff(3, { joined: [entry('p-2', 'Hana Sato')] })); // already in the snapshot
    relay.deliver(diff(4, { changed: [{ id: 'p-1', fields: { isMuted: true } }], count: 2 }));
    relay.deliver(diff(5, { joined: [entry('p-3', 'Priya Raman')], left: [{ id: 'p-2', displayName: 'Hana Sato' }], count: 2 }));
    const roster = await meetings.roster(THREAD);
    assert.equal(roster.version, 5);
    assert.deepEqual(roster.entries.map((e) => `${e.displayName}:${e.isMuted}`).sort(), ['Jonas Lindqvist:true', 'Priya Raman:false']);
  });

  it('stops at a gap (the stream then tells the panel to reload), and a new owner\'s lower versions start afresh', async () => {
    relay.deliver(diff(5, { joined: [entry('p-3', 'Priya Raman')] })); // 4 never heard
    assert.equal((await meetings.roster(THREAD)).version, 3);
    relay.deliver(diff(1, { joined: [entry('p-9', 'Elif Demir')] })); // another owner's roster
    relay.deliver(diff(4, { joined: [entry('p-4', 'Grace Whitfield')] }));
    const roster = await meetings.roster(THREAD);
    assert.equal(roster.version, 4);
    assert.deepEqual(roster.entries.map((e) => e.displayName).sort(), ['Grace Whitfield', 'Hana Sato', 'Jonas Lindqvist']);
  });
});
