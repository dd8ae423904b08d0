// Keeping stored calls true to Graph: at start, the inbox left by a previous run is applied and the live calls are
// found in the store; then, in the background while the instance serves, each one's keepAlive is rescheduled from
// its stored due time and each is re-read; while running, the watchdog's re-read of a call whose notification is
// overdue; in a cluster, the listeners for other instances' operation completions and newly stored calls.
import { forEachBounded } from '../runtime/bounded-parallel.js';
import { describeError } from '../runtime/errors.js';
import * as callActions from './call-actions.js';
import { CALL_EVENTS } from './call-events.js';
import { isLive, type CallRecord } from './call-session.js';
import { applyCallData } from './call-state.js';
import { sameJson } from './roster-diff.js';
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
  /** The live calls start() found, waiting for reconcile() to re-read them. */
  private pending: CallRecord[] = [];
  private reconciling: Promise<void> | undefined;
  private progress = { total: 0, reread: 0, done: false };

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

  /**
   * Start without Graph: the inbox left by a previous run is applied and the stored live calls are found (those in a
   * state that must move on are watched). Keeping them alive and re-reading them from Graph is `reconcile()`, which
   * runs after this in the background: a restart with 1,000 live calls no longer waits for 1,000 GETs before serving.
   */
  async start(): Promise<void> {
    const { calls, inbox, watchdog } = this.parts;
    const core = this.core;
    this.progress = { total: 0, reread: 0, done: false };
    this.reconciling = undefined;
    this.pending = [];
    if (core.bus.distributed) this.listenToOtherInstances();
    await this.parts.claims.load(core.now(), core.deadlines.claimRetentionMs);
    const leftover = await inbox.loadLeftover();
    if (leftover > 0) core.logger.info({ count: leftover }, 'applying call notifications left from the last run');
    await inbox.idle();

    const live = await calls.listRecords({ live: true });
    for (const stored of live) if (WATCHED_STATES.has(stored.state)) watchdog.watch(stored.id);
    this.pending = live;
    this.progress.total = live.length;
  }

  /**
   * Schedules the keepAlive of every live call found at start from its stored due time, then re-reads each from
   * Graph, a few at a time; resolves when all have been (or the service stopped), never rejects. Started once per
   * start(); later calls return the same promise. keepAlives that fell due while the app was down are sent from here
   * on, once the instance serves: Graph allows 45 minutes without one and the interval is 15, so a start's few
   * hundred milliseconds put no call at risk. A call's answer from Graph is applied only when nothing changed the
   * stored call since it was asked for: a notification applied meanwhile is newer than the answer (a 404 is applied
   * regardless: the call is gone).
   */
  reconcile(): Promise<void> {
    this.reconciling ??= this.rereadAll().catch((err: unknown) => {
      this.core.logger.warn({ err: describeError(err) }, 'reconciling live calls with Graph failed');
    }).finally(() => {
      this.progress.done = true;
    });
    return this.reconciling;
  }

  /** How far reconciliation has got: live calls found at start, how many re-read so far, whether it has ended. */
  status(): { total: number; reread: number; done: boolean } {
    return { ...this.progress };
  }

  private async rereadAll(): Promise<void> {
    const { calls, tracker } = this.parts;
    const core = this.core;
    const sessions = this.pending;
    this.pending = [];
    for (const stored of sessions) {
      if (core.stopped) return;
      this.keepAliveFromStore(stored);
    }
    // A few at a time: one GET after another made a restart with 1,000 calls take seconds, and all of them at once
    // would open a connection each. Each call's own steps stay in order.
    await forEachBounded(sessions, RECONCILE_PARALLEL, async (stored) => {
      if (core.stopped) return;
      try {
        const asked = (await calls.getRecord(stored.id)) ?? stored;
        if (!isLive(asked)) return;
        // Calls.Initiate.All · call-get
        const call = await callActions.getCall(core.graph, stored.id);
        await calls.update(stored.id, (s) => this.withDueTime(stored, sameJson(s, asked) ? applyCallData(s, call) : s));
      } catch (err) {
        if (isNotFound(err)) await calls.markEnded(stored.id);
        else {
          core.logger.warn({ err: describeError(err), callId: stored.id }, 'could not re-read a call at start; keeping it');
          await calls.update(stored.id, (s) => this.withDueTime(stored, s)).catch(() => undefined);
        }
      } finally {
        this.progress.reread += 1;
      }
    });
    if (core.stopped) return;
    // Operations left pending on calls that are gone can never complete.
    for (const record of await tracker.pending()) {
      const call = await calls.getRecord(record.callId);
      if (!call || !isLive(call)) await tracker.failCall(record.callId);
    }
  }

  /** Tracks a stored live call's keepAlive from its stored due time (in memory: withDueTime stores it if it moved). */
  private keepAliveFromStore(session: CallRecord): void {
    const { keepAlive } = this.parts;
    const core = this.core;
    if (session.state === 'incoming') return;
    const last = session.nextKeepAliveAt ? Date.parse(session.nextKeepAliveAt) - keepAlive.intervalMs : core.now();
    keepAlive.track(session.id, Number.isFinite(last) ? last : core.now());
  }

  /**
   * The call with the due time start() gave its keepAlive, when that moved (overdue, or spread) and nothing has
   * stored a newer one since (a keepAlive sent meanwhile does): written with the call's re-read, in the same
   * transaction, instead of one write per call before the instance is ready. Most calls keep their stored due time.
   */
  private withDueTime(stored: CallRecord, next: CallRecord): CallRecord {
    const dueAt = this.parts.keepAlive.dueAt(stored.id);
    if (dueAt === undefined || !isLive(next) || next.nextKeepAliveAt !== stored.nextKeepAliveAt) return next;
    const due = this.core.iso(dueAt);
    return due === next.nextKeepAliveAt ? next : { ...next, nextKeepAliveAt: due };
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
    const before = await calls.getRecord(callId);
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
    const after = await calls.getRecord(callId);
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
