// Applies one recorded notification: a new incoming call is stored and announced (by one instance of a cluster), a
// notification for a call not stored yet is held, an operation's completes its waiter, the rest update the call.
import { CALL_EVENTS } from './call-events.js';
import { newCallSession, type CallRecord } from './call-session.js';
import { applyCallData, applyCallUpdate, applyRoster } from './call-state.js';
import { trackContentSharing } from './content-sharing.js';
import type { CallNotification, RosterNotification } from './notification-schema.js';
import type { OperationTracker } from './operation-tracker.js';
import type { CreateClaims } from './create-claims.js';
import type { CallChanges } from './call-changes.js';
import type { CallStore } from './call-store.js';
import type { OrphanBuffer } from './orphan-buffer.js';
import { pick, type CallCore } from './call-core.js';
import { warnOnFailure } from '../runtime/errors.js';

export class NotificationApplier {
  constructor(
    private readonly core: CallCore,
    private readonly parts: {
      calls: CallStore;
      changes: CallChanges;
      orphans: OrphanBuffer;
      claims: CreateClaims;
      tracker: OperationTracker;
      /** A notification for an unknown call while a create is uncertain: the call may be that create's. */
      resolveOrphan: (callId: string) => Promise<void>;
    },
  ) {}

  async apply(notification: CallNotification, tenantId: string | undefined, receivedAt?: string): Promise<void> {
    const { calls, orphans } = this.parts;
    if (notification.kind === 'other') {
      this.core.logger.debug({ resourceUrl: notification.resourceUrl, changeType: notification.changeType }, 'ignored a call notification of another kind');
      return;
    }
    const callId = notification.callId;
    if (await this.updateKnownCall(notification, tenantId)) return;
    // Decided under the call's lock, so a call being stored by placeCall either is seen here or gets this replayed.
    const found = await calls.withLock(callId, async () => {
      const existing = await calls.getRecord(callId);
      if (existing) return { session: existing, created: false };
      if (notification.kind === 'call' && notification.changeType === 'created' && notification.call.state === 'incoming') {
        // createdAt is when the notification arrived: Graph's answer window is counted from then.
        const fresh = newCallSession({ id: callId, state: 'incoming', createdAt: receivedAt ?? this.core.iso(this.core.now()), direction: 'incoming', tenantId });
        const session = applyCallUpdate(fresh, notification);
        // Only one instance of a cluster creates the call (and so announces it, once).
        if (await calls.putNew(session)) return { session, created: true };
        const raced = await calls.getRecord(callId);
        return raced ? { session: raced, created: false } : undefined;
      }
      orphans.keep(notification, tenantId);
      return undefined;
    });
    if (!found) {
      // Nothing awaits it: a store failure while it re-reads the call is logged here.
      if (this.parts.claims.anyUncertain) void this.parts.resolveOrphan(callId).catch(warnOnFailure(this.core.logger, 'could not resolve a notification for an unknown call', { callId }));
      return;
    }
    if (found.created) {
      this.announceStored(callId);
      this.announceIncoming(found.session, tenantId);
      // Notifications that overtook the call's first one (a reordered delivery) apply now.
      for (const item of orphans.take(callId)) await this.apply(item.notification, item.tenantId);
      return;
    }
    const session = found.session;
    if (isForeign(session, tenantId)) {
      this.warnForeign(callId, tenantId);
      return;
    }
    if (notification.kind === 'operation') {
      await this.applyOperation(notification);
      return;
    }
    if (notification.kind === 'contentSharing') {
      // Who is sharing (contentSharingSession created / updated / deleted): kept on the call, published as call.sharing.
      await trackContentSharing(notification, {
        update: (id, fn) => calls.update(id, fn),
        participants: async (id) => (await calls.get(id))?.participants ?? [],
        publish: (e) => this.parts.changes.publish(e),
        now: () => this.core.iso(this.core.now()),
      });
      return;
    }
    if (notification.kind === 'participants') await calls.applyRoster(callId, notification);
    else await calls.applyUpdate(callId, notification.call);
  }

  /**
   * Rosters of one call that queued up one after another (a meeting in churn, applied behind a burst): applied in order
   * to one read of the roster and written once — the same roster as applying them one by one, one diff published for
   * them all. When the call is not stored (yet) they take the careful path one by one.
   */
  async applyRosters(notifications: readonly RosterNotification[], tenantId: string | undefined, receivedAt?: string): Promise<void> {
    if (notifications.length > 1 && (await this.updateKnownRoster(notifications, tenantId))) return;
    for (const n of notifications) await this.apply(n, tenantId, receivedAt);
  }

  /**
   * The common case in one read: a state change or a roster for a call already stored is applied by its update (the
   * tenant checked inside it), without reading the call first — a meeting call holding a 1,000-person roster costs
   * milliseconds to parse. False when the call is not stored (yet), or for a notification that may create it: the
   * careful path decides.
   */
  private async updateKnownCall(notification: Extract<CallNotification, { kind: 'call' | 'participants' | 'operation' | 'contentSharing' }>, tenantId: string | undefined): Promise<boolean> {
    if (notification.kind === 'participants') return this.updateKnownRoster([notification], tenantId);
    if (notification.kind !== 'call' || notification.changeType === 'created') return false;
    let foreign = false;
    const after = await this.parts.calls.update(notification.callId, (s) => ((foreign = isForeign(s, tenantId)) ? s : applyCallData(s, notification.call)));
    if (!after) return false;
    if (foreign) this.warnForeign(notification.callId, tenantId);
    return true;
  }

  /** Rosters of one stored call applied in order by one roster update (false when the call is not stored). */
  private async updateKnownRoster(notifications: readonly RosterNotification[], tenantId: string | undefined): Promise<boolean> {
    const callId = notifications[0]!.callId;
    let foreign = false;
    const after = await this.parts.calls.updateRoster(callId, (r, call) => ((foreign = isForeign(call, tenantId)) ? r : notifications.reduce((roster, n) => applyRoster(roster, n), r)));
    if (!after) return false;
    if (foreign) this.warnForeign(callId, tenantId);
    return true;
  }

  private warnForeign(callId: string, tenantId: string | undefined): void {
    this.core.logger.warn({ callId, tenantId }, 'ignored a notification signed for another tenant than the call');
  }

  /** Cluster: tells the other instances a call is now stored, so notifications they hold for it are applied. */
  announceStored(callId: string): void {
    if (this.core.bus.distributed) this.core.bus.publish({ type: CALL_EVENTS.stored, callId });
  }

  private async applyOperation(n: Extract<CallNotification, { kind: 'operation' }>): Promise<void> {
    const op = n.operation;
    if (op.status === 'completed' || op.status === 'failed' || n.changeType === 'deleted') {
      await this.parts.tracker.complete(n.callId, op);
    }
    this.parts.changes.publish({
      type: CALL_EVENTS.operation,
      callId: n.callId,
      operationId: op.id,
      operationType: op.type,
      status: op.status,
      ...(op.resultInfo ? { resultInfo: op.resultInfo } : {}),
      ...(op.clientContext !== undefined ? { clientContext: op.clientContext } : {}),
      ...(op.completionReason ? { completionReason: op.completionReason } : {}),
      ...(op.type === 'recordOperation' ? { hasRecording: Boolean(op.recordingLocation) } : {}),
    });
  }

  private announceIncoming(session: CallRecord, tenantId: string | undefined): void {
    this.core.logger.info({ callId: session.id, tenantId }, 'incoming call');
    this.parts.changes.publish({
      type: CALL_EVENTS.incoming,
      callId: session.id,
      tenantId: tenantId ?? '',
      ...pick(session, ['direction', 'source', 'targets', 'requestedModalities', 'meetingInfo', 'chatInfo', 'incomingContext', 'myParticipantId', 'callChainId']),
    });
  }
}

/** A notification signed for another tenant than the call's is not applied to it. */
function isForeign(call: CallRecord, tenantId: string | undefined): boolean {
  return Boolean(call.tenantId && tenantId && call.tenantId !== tenantId);
}
