// One meeting's roster: built from the bot call's roster (comms/calls already orders full and delta roster
// notifications by sequence number and publishes call.participants diffs), merged with Teams meeting events
// (join/leave, which carry the role), and repaired from a periodic participant list. Emits diffs, never whole rosters;
// a Map keyed by participant id keeps every step O(changes), a reconcile O(n).
import { maskedNumber, type Participant } from '../calls/index.js';
import type { RosterChangeFields, RosterDiff, RosterEntry, RosterLeft } from './meeting-events.js';

export interface MeetingEventInput {
  kind: 'join' | 'leave';
  /** Entra object id (the bot's TeamsChannelAccount.aadObjectId). */
  userId: string;
  displayName?: string;
  /** e.g. Organizer, Presenter, Attendee (Teams meeting participant events). */
  role?: string;
  /** Waiting in the meeting's lobby (meetingCallEvents' isInLobby); Teams meeting events do not say. */
  inLobby?: boolean;
}

export interface RosterSnapshot {
  meetingKey: string;
  version: number;
  count: number;
  entries: RosterEntry[];
}

export interface ReconcileOptions {
  /**
   * Version the list was read at: entries changed or removed after it are newer than the list and are left alone.
   * Undefined: the list is current.
   */
  since?: number;
  /** The list may be cut short (Graph's participant list stops at 100 with no next link): add and update, never remove. */
  additiveOnly?: boolean;
}

interface Slot {
  entry: RosterEntry;
  /** From the call's roster (a Graph participant), or only from Teams meeting events so far. */
  fromCall: boolean;
  /** Roster version of the last change to this entry. */
  touched: number;
}

const CHANGE_KEYS = ['userId', 'displayName', 'isMuted', 'role', 'handRaised', 'screenSharing', 'inLobby', 'isBot'] as const;
const MAX_TOMBSTONES = 10_000;
const EVENT_ID_PREFIX = 'user:';

function identityOf(p: Participant, kind: string): { id?: string; displayName?: string } | undefined {
  const identity = p.info?.identity as Record<string, unknown> | undefined;
  const value = identity?.[kind];
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { id?: unknown; displayName?: unknown };
  const out: { id?: string; displayName?: string } = {};
  if (typeof v.id === 'string' && v.id) out.id = v.id;
  if (typeof v.displayName === 'string' && v.displayName) out.displayName = v.displayName;
  return out;
}

function isScreenSharing(p: Participant): boolean {
  if (!Array.isArray(p.mediaStreams)) return false;
  return p.mediaStreams.some((s) => {
    const stream = s as { mediaType?: unknown; direction?: unknown };
    return stream?.mediaType === 'videoBasedScreenSharing' && (stream.direction === 'sendOnly' || stream.direction === 'sendReceive');
  });
}

export class MeetingRoster {
  readonly meetingKey: string;
  private readonly now: () => number;
  private readonly publish: (diff: RosterDiff) => void;
  private readonly slots = new Map<string, Slot>();
  private readonly byUser = new Map<string, Set<string>>();
  /** Role per user from Teams meeting events; applied to every participant of that user. */
  private readonly roles = new Map<string, string>();
  /** Participant ids removed, with the version they were removed at (so an older list does not bring them back). */
  private readonly tombstones = new Map<string, number>();
  private botParticipantId: string | undefined;
  private currentVersion = 0;

  constructor(meetingKey: string, options: { now: () => number; publish: (diff: RosterDiff) => void; botParticipantId?: string }) {
    this.meetingKey = meetingKey;
    this.now = options.now;
    this.publish = options.publish;
    this.botParticipantId = options.botParticipantId;
  }

  get version(): number {
    return this.currentVersion;
  }

  get count(): number {
    return this.slots.size;
  }

  setBotParticipantId(id: string | undefined): void {
    this.botParticipantId = id;
  }

  snapshot(): RosterSnapshot {
    return {
      meetingKey: this.meetingKey,
      version: this.currentVersion,
      count: this.slots.size,
      entries: [...this.slots.values()].map((s) => ({ ...s.entry })),
    };
  }

  /** Participants known from the call (not from meeting events only), for muting and the like. */
  callEntries(): RosterEntry[] {
    const out: RosterEntry[] = [];
    for (const slot of this.slots.values()) if (slot.fromCall) out.push({ ...slot.entry });
    return out;
  }

  get(id: string): RosterEntry | undefined {
    const slot = this.slots.get(id);
    return slot ? { ...slot.entry } : undefined;
  }

  /** A call.participants diff from comms/calls (already ordered and deduplicated there). */
  applyCallDiff(diff: { joined?: Participant[]; left?: Participant[]; updated?: Participant[] }): RosterDiff | undefined {
    const change = this.newChange();
    for (const p of diff.left ?? []) if (p.id) this.removeSlot(p.id, change);
    for (const p of [...(diff.joined ?? []), ...(diff.updated ?? [])]) this.upsertParticipant(p, change);
    return this.emit(change);
  }

  /** Makes the call part of the roster match a full participant list (the call's roster, or Graph's list). */
  reconcile(participants: Participant[], options: ReconcileOptions = {}): RosterDiff | undefined {
    const since = options.since ?? this.currentVersion;
    const change = this.newChange();
    const listed = new Set<string>();
    for (const p of participants) {
      if (!p.id) continue;
      listed.add(p.id);
      const removedAt = this.tombstones.get(p.id);
      if (removedAt !== undefined && removedAt > since) continue; // left after the list was read
      const slot = this.slots.get(p.id);
      if (slot && slot.touched > since) continue; // changed after the list was read
      this.upsertParticipant(p, change);
    }
    if (!options.additiveOnly) {
      for (const [id, slot] of [...this.slots]) {
        if (slot.fromCall && !listed.has(id) && slot.touched <= since) this.removeSlot(id, change);
      }
    }
    for (const [id, at] of this.tombstones) if (at <= since) this.tombstones.delete(id);
    return this.emit(change);
  }

  /** A Teams meeting participant event (the bot's onTeamsMeetingParticipantsJoin/Leave). */
  applyMeetingEvent(event: MeetingEventInput): RosterDiff | undefined {
    const userId = event.userId;
    const change = this.newChange();
    const ids = [...(this.byUser.get(userId) ?? [])];
    if (event.kind === 'leave') {
      this.roles.delete(userId);
      // Also the call's participants of this user: a missed leave; the next repair restores anyone still there.
      for (const id of ids) this.removeSlot(id, change);
      return this.emit(change);
    }
    if (event.role) this.roles.set(userId, event.role);
    if (ids.length > 0) {
      for (const id of ids) {
        const slot = this.slots.get(id)!;
        const next: RosterEntry = { ...slot.entry };
        if (event.role) next.role = event.role;
        if (!slot.fromCall && event.displayName) next.displayName = event.displayName;
        if (!slot.fromCall && event.inLobby !== undefined) next.inLobby = event.inLobby;
        this.updateSlot(id, slot, next, change);
      }
      return this.emit(change);
    }
    const entry: RosterEntry = {
      id: `${EVENT_ID_PREFIX}${userId}`,
      userId,
      displayName: event.displayName || 'Unknown participant',
      isMuted: false,
      screenSharing: false,
      inLobby: event.inLobby ?? false,
      isBot: false,
      joinedAt: new Date(this.now()).toISOString(),
    };
    if (event.role) entry.role = event.role;
    this.insertSlot({ entry, fromCall: false, touched: 0 }, change);
    return this.emit(change);
  }

  /** Everyone left (the bot's call ended): the roster is no longer known. */
  clear(): RosterDiff | undefined {
    const change = this.newChange();
    for (const id of [...this.slots.keys()]) this.removeSlot(id, change);
    this.roles.clear();
    return this.emit(change);
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  private newChange(): Change {
    return { joined: new Map(), left: new Map(), changed: new Map() };
  }

  private entryFor(p: Participant, existing: RosterEntry | undefined): RosterEntry {
    const user = identityOf(p, 'user');
    const phone = identityOf(p, 'phone');
    const named = user ?? identityOf(p, 'guest') ?? identityOf(p, 'acsUser') ?? phone;
    const app = identityOf(p, 'application') ?? identityOf(p, 'applicationInstance');
    // A phone participant shows its caller ID name, else only the end of its number (others in the meeting see it).
    const fallback = named && named === phone && named.id ? maskedNumber(named.id) : named?.id;
    const entry: RosterEntry = {
      id: p.id!,
      displayName: named?.displayName ?? app?.displayName ?? fallback ?? 'Unknown participant',
      isMuted: p.isMuted === true,
      screenSharing: isScreenSharing(p),
      inLobby: p.isInLobby === true,
      isBot: app !== undefined || (this.botParticipantId !== undefined && p.id === this.botParticipantId),
      joinedAt: existing?.joinedAt ?? new Date(this.now()).toISOString(),
    };
    if (user?.id) {
      entry.userId = user.id;
      const role = this.roles.get(user.id);
      if (role) entry.role = role;
    }
    if (existing?.handRaised !== undefined) entry.handRaised = existing.handRaised;
    if (phone && !user) entry.viaPhone = true;
    return entry;
  }

  private upsertParticipant(p: Participant, change: Change): void {
    const id = p.id;
    if (!id) return; // invited, not in the meeting yet
    const slot = this.slots.get(id);
    if (slot) {
      const next = this.entryFor(p, slot.entry);
      if (!slot.fromCall) slot.fromCall = true;
      this.updateSlot(id, slot, next, change);
      return;
    }
    // Someone known so far only from meeting events now shows up in the call: one person, not two.
    let joinedAt: string | undefined;
    const userId = identityOf(p, 'user')?.id;
    if (userId) {
      const eventOnlyId = `${EVENT_ID_PREFIX}${userId}`;
      const eventOnly = this.slots.get(eventOnlyId);
      if (eventOnly && !eventOnly.fromCall) {
        joinedAt = eventOnly.entry.joinedAt;
        this.removeSlot(eventOnlyId, change);
      }
    }
    const entry = this.entryFor(p, undefined);
    if (joinedAt) entry.joinedAt = joinedAt;
    this.tombstones.delete(id);
    this.insertSlot({ entry, fromCall: true, touched: 0 }, change);
  }

  private insertSlot(slot: Slot, change: Change): void {
    const id = slot.entry.id;
    slot.touched = this.currentVersion + 1;
    this.slots.set(id, slot);
    this.index(slot.entry.userId, id);
    if (change.left.has(id)) {
      // Left and back within one step: report what changed, not a leave and a join.
      const before = change.left.get(id)!.entry;
      change.left.delete(id);
      const fields = changedFields(before, slot.entry);
      if (fields) change.changed.set(id, fields);
      return;
    }
    change.joined.set(id, slot.entry);
  }

  private updateSlot(id: string, slot: Slot, next: RosterEntry, change: Change): void {
    const fields = changedFields(slot.entry, next);
    if (!fields) return;
    if (slot.entry.userId !== next.userId) {
      this.unindex(slot.entry.userId, id);
      this.index(next.userId, id);
    }
    slot.entry = next;
    slot.touched = this.currentVersion + 1;
    if (change.joined.has(id)) {
      change.joined.set(id, next);
      return;
    }
    const merged = { ...(change.changed.get(id) ?? {}), ...fields };
    change.changed.set(id, merged);
  }

  private removeSlot(id: string, change: Change): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    this.slots.delete(id);
    this.unindex(slot.entry.userId, id);
    if (slot.fromCall) {
      this.tombstones.set(id, this.currentVersion + 1);
      if (this.tombstones.size > MAX_TOMBSTONES) this.tombstones.delete(this.tombstones.keys().next().value as string);
    }
    if (change.joined.has(id)) {
      change.joined.delete(id);
      return;
    }
    change.changed.delete(id);
    change.left.set(id, { entry: slot.entry });
  }

  private index(userId: string | undefined, id: string): void {
    if (!userId) return;
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(id);
  }

  private unindex(userId: string | undefined, id: string): void {
    if (!userId) return;
    const set = this.byUser.get(userId);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) this.byUser.delete(userId);
  }

  private emit(change: Change): RosterDiff | undefined {
    if (change.joined.size === 0 && change.left.size === 0 && change.changed.size === 0) return undefined;
    this.currentVersion += 1;
    const diff: RosterDiff = {
      meetingKey: this.meetingKey,
      joined: [...change.joined.values()].map((e) => ({ ...e })),
      left: [...change.left.values()].map(({ entry }) => leftOf(entry)),
      changed: [...change.changed].map(([id, fields]) => ({ id, fields })),
      count: this.slots.size,
      version: this.currentVersion,
    };
    this.publish(diff);
    return diff;
  }
}

interface Change {
  joined: Map<string, RosterEntry>;
  left: Map<string, { entry: RosterEntry }>;
  changed: Map<string, RosterChangeFields>;
}

function leftOf(entry: RosterEntry): RosterLeft {
  const out: RosterLeft = { id: entry.id, displayName: entry.displayName };
  if (entry.userId) out.userId = entry.userId;
  return out;
}

function changedFields(before: RosterEntry, after: RosterEntry): RosterChangeFields | undefined {
  let fields: Record<string, unknown> | undefined;
  for (const key of CHANGE_KEYS) {
    if (before[key] !== after[key]) (fields ??= {})[key] = after[key] === undefined ? null : after[key];
  }
  return fields as RosterChangeFields | undefined;
}
