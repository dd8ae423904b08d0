// Distributed mode: a meeting's roster is kept by the instance that joined it (the owner named in its record). The
// owner stores a snapshot shortly after each change for the others to read; the others hand it Teams meeting events;
// an instance that processes an event of a meeting call whose owner is gone takes the meeting over. The stored
// snapshot trails the owner's diffs by a moment: the others keep the latest diffs they heard and bring a stored
// snapshot up to them, so a roster read anywhere is as new as the diffs its side-panel stream has already passed.
import { CALL_EVENTS, isLive } from '../calls/index.js';
import type { CommsEvent } from '../store/index.js';
import { describeError } from '../runtime/errors.js';
import type { InstanceRegistry } from '../runtime/index.js';
import { MEETING_EVENTS, type RosterDiff, type RosterEntry } from './meeting-events.js';
import type { MeetingEventInput, RosterSnapshot } from './meeting-roster.js';
import type { MeetingRecord, MeetingRecords } from './meeting-records.js';
import type { RosterKeeper } from './roster-keeper.js';
import type { MeetingCore } from './meeting-core.js';

/** Where the owner keeps each meeting's latest roster snapshot for the other instances (distributed mode). */
export const ROSTER_SNAPSHOTS_COLLECTION = 'meeting-rosters';
const SNAPSHOT_DELAY_MS = 25;
const OWNER_CHECK_MS = 2_000;
/** Diffs kept per meeting kept elsewhere (to bring its stored snapshot up to date), and meetings followed so. */
const HEARD_DIFFS = 200;
const HEARD_MEETINGS = 500;

/** A roster snapshot with one diff applied (the diff's version must be the next one). */
export function applyRosterDiff(snapshot: RosterSnapshot, diff: RosterDiff): RosterSnapshot {
  const entries = new Map(snapshot.entries.map((e) => [e.id, e]));
  for (const left of diff.left) entries.delete(left.id);
  for (const joined of diff.joined) entries.set(joined.id, { ...joined });
  for (const { id, fields } of diff.changed) {
    const entry = entries.get(id);
    if (!entry) continue;
    const next: Record<string, unknown> = { ...entry };
    for (const [field, value] of Object.entries(fields)) {
      if (value === null) delete next[field];
      else next[field] = value;
    }
    entries.set(id, next as unknown as RosterEntry);
  }
  return { meetingKey: snapshot.meetingKey, version: diff.version, count: entries.size, entries: [...entries.values()] };
}

export class RosterOwnership {
  /** Meetings kept by other instances (meetingKey → owner), calls checked lately (callId → when). */
  private readonly owners = new Map<string, string>();
  private readonly foreignCalls = new Map<string, number>();
  private readonly snapshotTimers = new Map<string, unknown>();
  /** The latest diffs heard for meetings kept by other instances, oldest first. */
  private readonly heard = new Map<string, RosterDiff[]>();

  constructor(
    private readonly core: MeetingCore,
    private readonly cluster: InstanceRegistry,
    private readonly records: MeetingRecords,
    private readonly rosters: RosterKeeper,
  ) {}

  /** Listens to every instance's call events, to this instance's (to adopt orphaned meetings), and to handed events. */
  listen(): () => void {
    const bus = this.core.bus;
    const offs = [
      bus.subscribe((event) => this.rosters.onBusEvent(event), { scope: 'cluster' }),
      bus.subscribe((event) => this.adoptIfOrphaned(event)),
      bus.on(MEETING_EVENTS.roster, (event) => this.hear(event), { scope: 'remote' }),
      bus.on(MEETING_EVENTS.state, (event) => {
        if (event.state === 'left') this.heard.delete(event.meetingKey);
      }, { scope: 'cluster' }),
      bus.on(MEETING_EVENTS.input, (event) => {
        const meetingKey = typeof event.meetingKey === 'string' ? event.meetingKey : undefined;
        if (meetingKey && this.rosters.get(meetingKey) && event.owner === this.cluster.instanceId) this.rosters.applyMeetingEvent(meetingKey, event.input);
      }, { scope: 'remote' }),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Hands a Teams meeting event to the instance keeping the meeting's roster; false when that is this one (or none). */
  handOver(meetingKey: string, input: MeetingEventInput): boolean {
    const owner = this.owners.get(meetingKey);
    if (!owner || owner === this.cluster.instanceId) return false;
    this.core.bus.publish({ type: MEETING_EVENTS.input, meetingKey, owner, input });
    return true;
  }

  /** The owner's stored snapshot, brought up to the diffs this instance has heard since it was written. */
  async storedSnapshot(meetingKey: string): Promise<RosterSnapshot | undefined> {
    let snapshot = await this.core.store.get<RosterSnapshot>(ROSTER_SNAPSHOTS_COLLECTION, meetingKey);
    if (!snapshot) return undefined;
    for (const diff of this.heard.get(meetingKey) ?? []) {
      if (diff.version === snapshot.version + 1) snapshot = applyRosterDiff(snapshot, diff);
    }
    return snapshot;
  }

  /** A diff published by another instance (the meeting's owner): kept a while, for storedSnapshot. */
  private hear(diff: RosterDiff): void {
    if (this.rosters.get(diff.meetingKey)) return;
    let list = this.heard.get(diff.meetingKey);
    if (!list) {
      if (this.heard.size >= HEARD_MEETINGS) this.heard.delete(this.heard.keys().next().value!);
      list = [];
      this.heard.set(diff.meetingKey, list);
    }
    // Versions only rise while one owner keeps the roster; a lower one is a new owner's roster: start again.
    if (list.length > 0 && diff.version <= list.at(-1)!.version) list.length = 0;
    list.push(diff);
    if (list.length > HEARD_DIFFS) list.shift();
  }

  /** The owner writes its snapshot shortly after each change (coalesced), for the other instances to read. */
  persistSnapshot(meetingKey: string): void {
    if (this.snapshotTimers.has(meetingKey)) return;
    this.snapshotTimers.set(
      meetingKey,
      this.core.timers.setTimeout(() => {
        this.snapshotTimers.delete(meetingKey);
        const roster = this.rosters.get(meetingKey);
        if (!roster) return;
        this.core.store.put(ROSTER_SNAPSHOTS_COLLECTION, meetingKey, roster.snapshot()).catch((err: unknown) => this.core.logger.warn({ err: describeError(err), meetingKey }, 'could not store the roster snapshot'));
      }, SNAPSHOT_DELAY_MS),
    );
  }

  /** A live instance other than this one keeps the meeting (remembered for handing it meeting events). */
  async keptElsewhere(record: MeetingRecord): Promise<boolean> {
    if (!record.owner || record.owner === this.cluster.instanceId || !(await this.cluster.isAlive(record.owner))) return false;
    this.owners.set(record.meetingKey, record.owner);
    return true;
  }

  /** Records this instance as the meeting's owner. */
  async take(record: MeetingRecord): Promise<MeetingRecord> {
    const owned = { ...record, owner: this.cluster.instanceId, updatedAt: this.core.iso() };
    await this.records.put(owned);
    this.owners.set(record.meetingKey, owned.owner);
    return owned;
  }

  /**
   * An event this instance processed for a meeting call it does not keep. When the meeting's owner is gone, take
   * the meeting over: re-read the call and reconcile the roster from it, as after a restart.
   */
  private adoptIfOrphaned(event: CommsEvent): void {
    if (event.type !== CALL_EVENTS.participants && event.type !== CALL_EVENTS.state) return;
    const { callId } = event;
    if (this.rosters.hasCall(callId)) return;
    const checked = this.foreignCalls.get(callId);
    if (checked && this.core.now() - checked < OWNER_CHECK_MS) return;
    this.foreignCalls.set(callId, this.core.now());
    void (async () => {
      const record = (await this.records.list({ live: true })).find((r) => r.callId === callId);
      if (!record) return;
      if (record.owner) this.owners.set(record.meetingKey, record.owner);
      if (record.owner === this.cluster.instanceId || (record.owner && (await this.cluster.isAlive(record.owner)))) return;
      const session = await this.core.calls.getCall(callId);
      if (!session || !isLive(session) || this.rosters.hasCall(callId)) return;
      this.core.logger.info({ meetingKey: record.meetingKey, callId, from: record.owner }, 'took over a meeting whose instance is gone');
      this.foreignCalls.delete(callId);
      await this.rosters.attach(await this.take(record), session);
      if (session.state === 'established') await this.rosters.repair(record.meetingKey);
    })().catch((err: unknown) => this.core.logger.warn({ err: describeError(err), callId }, 'could not take over a meeting'));
  }
}
