// Everything the calling service does, as a stream of events for the console and tests: notifications sent and
// their answers, calls created and ended, prompts played, people's actions. Kept in a bounded list and pushed live.

export interface CallingEvent {
  seq: number;
  time: string;
  type: string;
  callId?: string;
  [key: string]: unknown;
}

type Listener = (event: CallingEvent) => void;

export class CallingEvents {
  private readonly recent: CallingEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private seq = 0;

  constructor(private readonly capacity = 1000) {}

  emit(type: string, fields: Record<string, unknown> & { callId?: string | undefined }): CallingEvent {
    // The event's own seq, time and type come last: a field of the same name never overrides them.
    const event: CallingEvent = { ...stripUndefined(fields), seq: ++this.seq, time: new Date().toISOString(), type };
    this.recent.push(event);
    // Trimmed a tenth of the capacity at a time (list() returns only the last `capacity`): one splice of the whole
    // list per event was a copy of a thousand slots each time.
    if (this.recent.length > this.capacity + Math.ceil(this.capacity / 10)) this.recent.splice(0, this.recent.length - this.capacity);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        this.listeners.delete(listener);
      }
    }
    return event;
  }

  list(since = 0, type?: string): CallingEvent[] {
    const kept = this.recent.length > this.capacity ? this.recent.slice(-this.capacity) : this.recent;
    return kept.filter((e) => e.seq > since && (type === undefined || e.type === type));
  }

  get lastSeq(): number {
    return this.seq;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function stripUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
