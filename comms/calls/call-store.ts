// Each call's durable state: reads, the per-call serialized compare-and-set updates (what changed is published once,
// by the instance whose write won), storing a new call, and the two state moves the service itself makes. A call is
// two documents: the call (collection `calls`) and its roster (collection `call-rosters`), so that a state change
// never parses a meeting's roster and a roster change never rewrites the call.
import type { CallData, RosterNotification } from './notification-schema.js';
import { KeyedLock } from '../runtime/keyed-lock.js';
import { isLive, joinSession, rosterOf, splitSession, withoutRoster, type CallRecord, type CallRoster, type CallSession } from './call-session.js';
import { applyCallData, applyRoster, INFERRED_END } from './call-state.js';
import { sameJson } from './roster-diff.js';
import type { ResultInfo } from './graph-shapes.js';
import type { KeepAliveScheduler } from './keep-alive.js';
import type { CallChanges } from './call-changes.js';
import { CALLS_COLLECTION, ROSTERS_COLLECTION, type CallCore } from './call-core.js';

const NOBODY: CallRoster = Object.freeze({ participants: [] }) as CallRoster;

export class CallStore {
  private readonly locks = new KeyedLock();

  constructor(
    private readonly core: CallCore,
    private readonly parts: { keepAlive: KeepAliveScheduler; changes: CallChanges },
  ) {}

  /** The call with its roster. */
  async get(callId: string): Promise<CallSession | undefined> {
    const record = await this.getRecord(callId);
    return record ? joinSession(record, await this.getRoster(callId)) : undefined;
  }

  /** The call without its roster (a state, a feature's context): never reads the roster. */
  getRecord(callId: string): Promise<CallRecord | undefined> {
    return this.core.store.get<CallRecord>(CALLS_COLLECTION, callId);
  }

  /** The call's stored roster (undefined when none is stored apart from the call). */
  private getRoster(callId: string): Promise<CallRoster | undefined> {
    return this.core.store.get<CallRoster>(ROSTERS_COLLECTION, callId);
  }

  /** Calls with their rosters, oldest first. */
  async list(filter: { live?: boolean } = {}): Promise<CallSession[]> {
    const records = await this.listRecords(filter);
    if (records.length === 0) return [];
    const rosters = new Map((await this.core.store.list<CallRoster>(ROSTERS_COLLECTION)).map((i) => [i.key, i.value]));
    return records.map((r) => joinSession(r, rosters.get(r.id)));
  }

  /** Calls without their rosters, oldest first. */
  async listRecords(filter: { live?: boolean } = {}): Promise<CallRecord[]> {
    const all = (await this.core.store.list<CallRecord>(CALLS_COLLECTION)).map((i) => i.value);
    return all
      .filter((s) => filter.live === undefined || isLive(s) === filter.live)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  withLock<T>(callId: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(callId, fn);
  }

  /** Stores a call not stored yet (false when another caller or instance stored it first). Call under its lock. */
  async putNew(session: CallSession): Promise<boolean> {
    const { record, roster } = splitSession(session);
    if (!(await this.core.store.putIfAbsent(CALLS_COLLECTION, session.id, record))) return false;
    // If only: a roster another instance applied since the call was stored is newer than this one.
    if (roster.participants.length > 0 || roster.rosterVersion !== undefined || roster.rosterUnavailable) {
      await this.core.store.putIfAbsent(ROSTERS_COLLECTION, session.id, roster);
    }
    return true;
  }

  /** Read-modify-write of one call (not its roster), serialized per call; publishes what changed. */
  async update(callId: string, change: (s: CallRecord) => CallRecord): Promise<CallRecord | undefined> {
    return this.withLock(callId, async () => {
      // Compare-and-set in the store: another instance of a cluster may change the same call at the same moment, so
      // `change` is pure (it may run again on the newer state) and what changed is published once, by the winner.
      const updatedAt = this.core.iso(this.core.now());
      // A call that becomes live (answered, established) gets its first keepAlive time in the same write: the time
      // keepAlive would choose now, reserved once the write is in (a second write only if it then chose another).
      let planned: string | undefined;
      const result = await this.core.store.update<CallRecord>(CALLS_COLLECTION, callId, (before) => {
        planned = undefined;
        if (!before) return undefined;
        const changed = change(before);
        if (changed === before || sameJson(changed, before)) return undefined;
        const after: CallRecord = { ...changed, updatedAt };
        if (!isLive(after)) delete after.nextKeepAliveAt;
        else if (after.state !== 'incoming' && !this.core.stopped && !after.nextKeepAliveAt) {
          planned = this.core.iso(this.parts.keepAlive.preview(callId));
          after.nextKeepAliveAt = planned;
        }
        return after;
      });
      const before = result.previous;
      if (!before) return undefined;
      if (!result.written) return before;
      let after = result.value!;
      if (planned !== undefined && after.nextKeepAliveAt === planned) {
        const dueAt = this.core.iso(this.parts.keepAlive.track(callId));
        if (dueAt !== planned) {
          after = (await this.core.store.update<CallRecord>(CALLS_COLLECTION, callId, (s) => (s && isLive(s) && s.nextKeepAliveAt === planned ? { ...s, nextKeepAliveAt: dueAt } : undefined))).value ?? after;
        }
      }
      await this.parts.changes.afterChange(before, after);
      return after;
    });
  }

  /**
   * Read-modify-write of one call's roster, serialized per call with its other updates; the call itself is read (it is
   * small) but not written. `change` gets the roster and the call, and is pure. Publishes the roster's difference.
   * Undefined when the call is not stored.
   */
  async updateRoster(callId: string, change: (roster: CallRoster, call: CallRecord) => CallRoster): Promise<{ call: CallRecord; roster: CallRoster } | undefined> {
    return this.withLock(callId, async () => {
      const call = await this.getRecord(callId);
      if (!call) return undefined;
      // A call stored before rosters were kept apart has its roster inside: that is where this one starts from.
      const inside = rosterOf(call);
      const result = await this.core.store.update<CallRoster>(ROSTERS_COLLECTION, callId, (current) => {
        const before = current ?? inside ?? NOBODY;
        const after = change(before, call);
        if (after === before || sameJson(after, before)) return undefined;
        return rosterOf(after) ?? { participants: [] };
      });
      const before = result.previous ?? inside ?? NOBODY;
      if (!result.written) return { call, roster: before };
      const after = result.value!;
      if (inside) await this.core.store.update<CallRecord>(CALLS_COLLECTION, callId, (s) => (s && rosterOf(s) ? withoutRoster(s) : undefined));
      this.parts.changes.afterRosterChange(callId, before, after);
      return { call, roster: after };
    });
  }

  /** Applies a call's state as Graph reports it (a notification, or a call read back). */
  applyUpdate(callId: string, call: CallData): Promise<CallRecord | undefined> {
    return this.update(callId, (s) => applyCallData(s, call));
  }

  /** Applies a roster notification (ordered by its sequence numbers: a stale one changes nothing). */
  applyRoster(callId: string, notification: RosterNotification): Promise<{ call: CallRecord; roster: CallRoster } | undefined> {
    return this.updateRoster(callId, (r) => applyRoster(r, notification));
  }

  async markEnded(callId: string, resultInfo: ResultInfo = INFERRED_END): Promise<void> {
    await this.update(callId, (s) => applyCallData(s, { state: 'terminated', resultInfo }));
  }

  setState(callId: string, state: 'establishing' | 'terminating'): Promise<CallRecord | undefined> {
    return this.update(callId, (s) => applyCallData(s, { state }));
  }
}
