// The in-memory request log: every non-control request in a bounded ring (oldest dropped first), each with a
// monotonically increasing `seq` so a reader can poll with `since`.

export interface RequestLogEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** 0 when the connection was reset by a fault. */
  status: number;
  durationMs: number;
  appId?: string;
  faultId?: string;
  requestBody?: unknown;
  responseBody?: unknown;
}

export interface RequestLogQuery {
  since?: number;
  pathPrefix?: string;
  limit?: number;
}

export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity = 2000) {}

  record(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const stored = { seq: ++this.seq, ...entry };
    this.entries.push(stored);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return stored;
  }

  list(query: RequestLogQuery = {}): RequestLogEntry[] {
    const since = query.since ?? 0;
    const matching = this.entries.filter((e) => e.seq > since && (query.pathPrefix === undefined || e.path.startsWith(query.pathPrefix)));
    return query.limit === undefined ? matching : matching.slice(0, query.limit);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Empties the log; `seq` keeps counting so pollers never see a number twice. */
  clear(): number {
    const removed = this.entries.length;
    this.entries.length = 0;
    return removed;
  }
}
