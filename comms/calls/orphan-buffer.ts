// Early notifications: those for a call not stored yet (its create request still answering, a reordered delivery,
// or — in a cluster — another instance storing it right now) are held briefly and applied once the call is stored.
import type { CallNotification } from './notification-schema.js';
import type { CallCore } from './call-core.js';
import { warnOnFailure } from '../runtime/errors.js';

export interface HeldNotification {
  notification: CallNotification;
  tenantId?: string;
}

const MAX_ORPHAN_CALLS = 500;
const MAX_ORPHANS_PER_CALL = 200;
const ORPHAN_RECHECK_MS = 250;

export class OrphanBuffer {
  private readonly orphans = new Map<string, { since: number; items: HeldNotification[] }>();
  readonly ttlMs: number;

  constructor(
    private readonly core: CallCore,
    private readonly parts: { isStored: (callId: string) => Promise<boolean>; apply: (item: HeldNotification) => Promise<void> },
  ) {
    this.ttlMs = core.options.orphanTtlMs ?? 2 * 60_000;
  }

  /** The calls notifications are held for. */
  callIds(): string[] {
    return [...this.orphans.keys()];
  }

  keep(notification: CallNotification & { callId: string }, tenantId: string | undefined): void {
    const now = this.core.now();
    for (const [id, entry] of this.orphans) if (now - entry.since > this.ttlMs) this.orphans.delete(id);
    let entry = this.orphans.get(notification.callId);
    if (!entry) {
      if (this.orphans.size >= MAX_ORPHAN_CALLS) this.orphans.delete(this.orphans.keys().next().value as string);
      entry = { since: now, items: [] };
      this.orphans.set(notification.callId, entry);
    }
    if (entry.items.length < MAX_ORPHANS_PER_CALL) entry.items.push({ notification, tenantId });
    this.core.logger.info({ callId: notification.callId, kind: notification.kind }, 'notification for an unknown call: acknowledged and held briefly');
    // In a cluster the call may be stored by another instance right now, its announcement crossing this read.
    if (this.core.bus.distributed) {
      const callId = notification.callId;
      // The store may be unreachable when the timer fires: that is logged, not left to reject unheard.
      this.core.timers.setTimeout(
        () => void this.replay(callId).catch(warnOnFailure(this.core.logger, 'could not apply held notifications', { callId })),
        ORPHAN_RECHECK_MS,
      );
    }
  }

  /** Takes what is held for a call (nothing once held longer than the TTL). */
  take(callId: string): HeldNotification[] {
    const entry = this.orphans.get(callId);
    if (!entry) return [];
    this.orphans.delete(callId);
    return this.core.now() - entry.since > this.ttlMs ? [] : entry.items;
  }

  /** Applies held notifications for a call that is stored now (by another instance of the cluster). */
  async replay(callId: string): Promise<void> {
    if (!this.orphans.has(callId) || !(await this.parts.isStored(callId))) return;
    for (const item of this.take(callId)) await this.parts.apply(item);
  }
}
