// Keeping stored calls true to Graph: at start, the inbox left by a previous run is applied, every live call is
// re-read and its keepAlive rescheduled; while running, the watchdog's re-read of a call whose notification is
// overdue; in a cluster, the listeners for other instances' operation completions and newly stored calls.
import { forEachBounded } from '../runtime/bounded-parallel.js';
import { describeError } from '../runtime/errors.js';
import * as callActions from './call-actions.js';
import { CALL_EVENTS } from './call-events.js';
import { isLive, type CallSession } from './call-session.js';
import type { CallWatchdog } from './call-watchdog.js';
import type { CreateClaims } from './create-claims.js';
import { isNotFound, type KeepAliveScheduler } from './keep-alive.js';
import type { OperationTracker } from './operation-tracker.js';
import type { CallStore } from './call-store.js';
import type { NotificationInbox } from './notification-inbox.js';
import type { OrphanBuffer } from './orphan-buffer.js';
import { WATCHED_STATES, type CallCore } from './call-core.js';

/** Live calls re-read from Graph at once during start (the Graph transport pools 64 connections). */
export const RECONCILE_PARALLEL = 16;

export class CallReconciliation {
  private stopRemoteOperations: (() => void) | undefined;
  private stopRemoteStored: (() => void) | undefined;

  constructor(
    private readonly core: CallCore,
    private readonly parts: {
      calls: CallStore;
      inbox: NotificationInbox;
      orphans: OrphanBuffer;
      claims: CreateClaims;
      tracker: OperationTracker;
      watchdog: CallWatchdog;
      keepAlive: KeepAliveScheduler;
    },
  ) {}

  async start(): Promise<void> {
    const { calls, inbox, tracker, watchdog, keepAlive } = this.parts;
    const core = this.core;
    if (core.bus.distributed) this.listenToOtherInstances();
    await this.parts.claims.load(core.now(), core.deadlines.claimRetentionMs);
    const leftover = await inbox.loadLeftover();
    if (leftover > 0) core.logger.info({ count: leftover }, 'applying call notifications left from the last run');
    await inbox.idle();

    // Every live call is re-read, a few at a time: one GET after another made a restart with 1,000 calls take
    // seconds, and all of them at once would open a connection each. Each call's own steps stay in order.
    await forEachBounded(await calls.list({ live: true }), RECONCILE_PARALLEL, async (session) => {
      let current: CallSession | undefined;
      try {
        // Calls.Initiate.All · call-get
        const call = await callActions.getCall(core.graph, session.id);
        current = await calls.applyUpdate(session.id, call);
      } catch (err) {
        if (isNotFound(err)) {
          await calls.markEnded(session.id);
          return;
        }
        core.logger.warn({ err: describeError(err), callId: session.id }, 'could not re-read a call at start; keeping it');
        current = await calls.get(session.id);
      }
      if (current && WATCHED_STATES.has(current.state)) watchdog.watch(current.id);
      if (current && isLive(current) && current.state !== 'incoming') {
        const last = current.nextKeepAliveAt ? Date.parse(current.nextKeepAliveAt) - keepAlive.intervalMs : core.now();
        const due = core.iso(keepAlive.track(current.id, Number.isFinite(last) ? last : core.now()));
        // Written only when it moved (overdue, or spread): most calls keep the due time they were stored with.
        if (current.nextKeepAliveAt !== due) await calls.update(current.id, (s) => ({ ...s, nextKeepAliveAt: due }));
      }
    });
    // Operations left pending on calls that are gone can never complete.
    for (const record of await tracker.pending()) {
      const call = await calls.get(record.callId);
      if (!call || !isLive(call)) await tracker.failCall(record.callId);
    }
  }

  stop(): void {
    this.stopRemoteOperations?.();
    this.stopRemoteOperations = undefined;
    this.stopRemoteStored?.();
    this.stopRemoteStored = undefined;
  }

  /** The watchdog's re-read of a call whose next notification is overdue. Resolves true to keep watching. */
  async recheck(callId: string): Promise<boolean> {
    const { calls } = this.parts;
    const core = this.core;
    const before = await calls.get(callId);
    if (!before || !WATCHED_STATES.has(before.state) || core.stopped) return false;
    try {
      // Calls.Initiate.All · call-get
      const call = await callActions.getCall(core.graph, callId);
      await calls.applyUpdate(callId, call);
    } catch (err) {
      if (isNotFound(err)) {
        await calls.markEnded(callId);
        return false;
      }
      core.logger.warn({ err: describeError(err), callId }, 'could not re-read a call whose notification is overdue');
    }
    const after = await calls.get(callId);
    if (!after || !WATCHED_STATES.has(after.state)) return false;
    if (after.state !== before.state) return true;
    core.logger.info({ callId, state: after.state }, 'a call notification is overdue: re-read the call, still the same');
    const since = Date.parse(after.updatedAt);
    const stuck = Number.isFinite(since) && core.now() - since >= core.deadlines.giveUpMs;
    // An answered call that never connects, or a hang-up never confirmed: end it (again) rather than hold it open.
    if (stuck && ((after.state === 'establishing' && after.direction === 'incoming') || after.state === 'terminating')) {
      core.logger.warn({ callId, state: after.state }, 'a call is stuck; hanging up');
      await callActions.hangUp(core.graph, callId).catch(async (err) => {
        if (isNotFound(err)) await calls.markEnded(callId);
      });
    }
    return true;
  }

  private listenToOtherInstances(): void {
    const { orphans, tracker } = this.parts;
    const bus = this.core.bus;
    // An operation this instance waits for may complete by a notification another instance received. (A recording
    // operation's location and token never travel between instances: its waiter re-reads the operation.)
    this.stopRemoteStored ??= bus.on(CALL_EVENTS.stored, (event) => {
      if (typeof event.callId === 'string') void orphans.replay(event.callId).catch((err: unknown) => this.core.logger.warn({ err: describeError(err), callId: event.callId }, 'could not apply held notifications'));
    }, { scope: 'remote' });
    this.stopRemoteOperations ??= bus.on(CALL_EVENTS.operation, (e) => {
      // Published by another instance with this type; checked anyway before it completes a waiter here.
      if (typeof e.callId !== 'string' || typeof e.operationId !== 'string') return;
      if (e.status === 'completed' || e.status === 'failed') {
        void tracker.complete(e.callId, { id: e.operationId, type: e.operationType, status: e.status, ...(e.resultInfo ? { resultInfo: e.resultInfo } : {}), ...(e.clientContext !== undefined ? { clientContext: e.clientContext } : {}), ...(e.completionReason ? { completionReason: e.completionReason } : {}) });
      }
    }, { scope: 'remote' });
  }
}
