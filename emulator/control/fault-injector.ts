// Injected faults: each matches a method (optional) and a path (exact, or a prefix when it ends in '*'), and answers
// a status, delays, or drops the connection for its next `count` matching requests. The oldest matching fault wins.

export interface FaultSpec {
  match: { method?: string; path: string };
  count: number;
  status?: number;
  retryAfterSeconds?: number;
  body?: Record<string, unknown>;
  delayMs?: number;
  reset?: boolean;
  /** The request is processed first (its effect happens); only then is the answer delayed or the connection reset. */
  afterProcessing?: boolean;
}

export interface Fault extends FaultSpec {
  id: string;
  remaining: number;
  createdAt: string;
}

export class FaultInjector {
  private readonly faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const method = spec.match.method?.toUpperCase();
    const fault: Fault = {
      ...spec,
      match: method ? { method, path: spec.match.path } : { path: spec.match.path },
      id: `fault-${this.nextId++}`,
      remaining: spec.count,
      createdAt: new Date().toISOString(),
    };
    this.faults.push(fault);
    return { ...fault };
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  remove(id: string): boolean {
    const index = this.faults.findIndex((f) => f.id === id);
    if (index < 0) return false;
    this.faults.splice(index, 1);
    return true;
  }

  clear(): number {
    const removed = this.faults.length;
    this.faults.length = 0;
    return removed;
  }

  /** The fault that applies to this request, consuming one of its count (and removing it when spent). */
  take(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex((f) => matches(f, method.toUpperCase(), path));
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return { ...fault };
  }
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.match.method && fault.match.method !== method) return false;
  const pattern = fault.match.path;
  const inner = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
  if (!inner.includes('*')) return pattern.endsWith('*') ? path.startsWith(inner) : path === pattern;
  // A `*` inside the path stands for one path segment (e.g. /v1.0/communications/calls/*/playPrompt).
  const source = inner.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${source}${pattern.endsWith('*') ? '' : '$'}`).test(path);
}
