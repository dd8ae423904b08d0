// Faults on the calling service's notifications (not on HTTP requests): duplicate, drop, delay, or reorder (swap with
// the next notification of the same call) the next `count` notifications that match a call id and a resourceUrl part.

export type NotificationFaultAction = 'duplicate' | 'drop' | 'delay' | 'reorder';

export interface NotificationFaultSpec {
  /** state: the call state the notification reports (e.g. established); tone: only key-press notifications. */
  match: { callId?: string; resource?: string; state?: string; tone?: boolean };
  count: number;
  action: NotificationFaultAction;
  delayMs?: number;
}

export interface NotificationFault extends NotificationFaultSpec {
  id: string;
  remaining: number;
  createdAt: string;
}

export class NotificationFaults {
  private readonly faults: NotificationFault[] = [];
  private nextId = 1;

  add(spec: NotificationFaultSpec): NotificationFault {
    const fault: NotificationFault = { ...spec, match: { ...spec.match }, id: `notification-fault-${this.nextId++}`, remaining: spec.count, createdAt: new Date().toISOString() };
    this.faults.push(fault);
    return { ...fault };
  }

  list(): NotificationFault[] {
    return this.faults.map((f) => ({ ...f, match: { ...f.match } }));
  }

  clear(): number {
    const removed = this.faults.length;
    this.faults.length = 0;
    return removed;
  }

  /** The oldest fault matching this notification, consuming one of its count. */
  take(callId: string, resourceUrl: string, resourceData?: unknown): NotificationFault | undefined {
    const data = resourceData && typeof resourceData === 'object' && !Array.isArray(resourceData) ? (resourceData as Record<string, unknown>) : {};
    const index = this.faults.findIndex((f) => {
      if (f.match.callId && f.match.callId.toLowerCase() !== callId.toLowerCase()) return false;
      if (f.match.resource && !resourceUrl.toLowerCase().includes(f.match.resource.toLowerCase())) return false;
      if (f.match.state && data.state !== f.match.state) return false;
      if (f.match.tone !== undefined && f.match.tone !== (data.toneInfo !== undefined && data.toneInfo !== null)) return false;
      return true;
    });
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return { ...fault };
  }
}
