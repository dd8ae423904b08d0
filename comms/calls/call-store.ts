// Each call's durable state: reads, the per-call serialized compare-and-set update (what changed is published once,
// by the instance whose write won), storing a new call, and the two state moves the service itself makes.
import type { CallData } from './notification-schema.js';
import { KeyedLock } from '../runtime/keyed-lock.js';
import { isLive, type CallSession } from './call-session.js';
import { applyCallUpdate, INFERRED_END } from './call-state.js';
import { sameJson } from './roster-diff.js';
import type { ResultInfo } from './graph-shapes.js';
import type { KeepAliveScheduler } from './keep-alive.js';
import type { CallChanges } from './call-changes.js';
import { CALLS_COLLECTION, type CallCore } from './call-core.js';

export class CallStore {
  private readonly locks = new KeyedLock();

  constructor(
    private readonly core: CallCore,
    private readonly parts: { keepAlive: KeepAliveScheduler; changes: CallChanges },
  ) {}

  get(callId: string): Promise<CallSession | undefined> {
    return this.core.store.get<CallSession>(CALLS_COLLECTION, callId);
  }

  async list(filter: { live?: boolean } = {}): Promise<CallSession[]> {
    const all = (await this.core.store.list<CallSession>(CALLS_COLLECTION)).map((i) => i.value);
    return all
      .filter((s) => filter.live === undefined || isLive(s) === filter.live)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  withLock<T>(callId: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(callId, fn);
  }

  /** Stores a call not stored yet (false when another caller or instance stored it first). Call under its lock. */
  putNew(session: CallSession): Promise<boolean> {
    return this.core.store.putIfAbsent(CALLS_COLLECTION, session.id, session);
  }

  /** Read-modify-write of one call, serialized per call; publishes what changed. */
  async update(callId: string, change: (s: CallSession) => CallSession): Promise<CallSession | undefined> {
    return this.withLock(callId, async () => {
      // Compare-and-set in the store: another instance of a cluster may change the same call at the same moment, so
      // `change` is pure (it may run again on the newer state) and what changed is published once, by the winner.
      const updatedAt = this.core.iso(this.core.now());
      const result = await this.core.store.update<CallSession>(CALLS_COLLECTION, callId, (before) => {
        if (!before) return undefined;
        const changed = change(before);
        if (changed === before || sameJson(changed, before)) return undefined;
        const after: CallSession = { ...changed, updatedAt };
        if (!isLive(after)) delete after.nextKeepAliveAt;
        return after;
      });
      const before = result.previous;
      if (!before) return undefined;
      if (!result.written) return before;
      let after = result.value!;
      if (isLive(after) && after.state !== 'incoming' && !this.core.stopped && !after.nextKeepAliveAt) {
        const dueAt = this.core.iso(this.parts.keepAlive.track(callId));
        after = (await this.core.store.update<CallSession>(CALLS_COLLECTION, callId, (s) => (s && isLive(s) && !s.nextKeepAliveAt ? { ...s, nextKeepAliveAt: dueAt } : undefined))).value ?? after;
      }
      await this.parts.changes.afterChange(before, after);
      return after;
    });
  }

  /** Applies a call's state as Graph reports it (a notification, or a call read back). */
  applyUpdate(callId: string, call: CallData): Promise<CallSession | undefined> {
    return this.update(callId, (s) => applyCallUpdate(s, { kind: 'call', callId, changeType: 'updated', call }));
  }

  async markEnded(callId: string, resultInfo: ResultInfo = INFERRED_END): Promise<void> {
    await this.update(callId, (s) => applyCallUpdate(s, { kind: 'call', callId, changeType: 'deleted', call: { state: 'terminated', resultInfo } }));
  }

  setState(callId: string, state: 'establishing' | 'terminating'): Promise<CallSession | undefined> {
    return this.update(callId, (s) => applyCallUpdate(s, { kind: 'call', callId, changeType: 'updated', call: { state } }));
  }
}
