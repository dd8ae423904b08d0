// The emulator's control API as the bench uses it: JSON requests over HTTPS (trusting the emulator's own
// certificate), and a tap on its live event stream (GET /emulator/events) that keeps the events a figure asks for.
import { Agent, request } from 'undici';

export interface CallingEvent {
  seq: number;
  time: string;
  type: string;
  callId?: string;
  [key: string]: unknown;
}

export class EmulatorControl {
  readonly url: string;
  readonly agent: Agent;

  constructor(url: string, caCertPem: string) {
    this.url = url;
    this.agent = new Agent({ connect: { ca: caCertPem }, connections: 16 });
  }

  async json(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await request(this.url + path, {
      method: method as 'GET',
      dispatcher: this.agent,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // leave as text
    }
    return { status: res.statusCode, body: parsed };
  }

  /** Like json(), but a status of 300 or more is an error naming the route and the answer. */
  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const res = await this.json(method, path, body);
    if (res.status >= 300) throw new Error(`emulator ${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  }

  /**
   * Starts keeping the emulator's events, from now on: those of the given types (the emulator sends only those — the
   * whole stream carries every request and notification, and reading it is the bench's CPU in the app's process), or
   * those a predicate selects (the emulator sends everything).
   */
  async tap(select: string[] | ((e: CallingEvent) => boolean)): Promise<EventTap> {
    const tap = typeof select === 'function' ? new EventTap(this, select) : new EventTap(this, (e) => select.includes(e.type), select);
    await tap.open();
    return tap;
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

/** A live reader of GET /emulator/events (server-sent events), bounded by what `keep` selects. */
export class EventTap {
  readonly events: CallingEvent[] = [];
  private readonly abort = new AbortController();
  private readonly waiters = new Set<() => void>();
  private reading: Promise<void> | undefined;

  constructor(
    private readonly control: EmulatorControl,
    private readonly keep: (e: CallingEvent) => boolean,
    private readonly types?: string[],
  ) {}

  async open(): Promise<void> {
    const { lastSeq } = await this.control.ok('GET', '/emulator/events/recent?type=none');
    const res = await request(`${this.control.url}/emulator/events?since=${lastSeq}${this.types ? `&type=${encodeURIComponent(this.types.join(','))}` : ''}`, { method: 'GET', dispatcher: this.control.agent, signal: this.abort.signal });
    if (res.statusCode !== 200) throw new Error(`emulator events stream answered ${res.statusCode}`);
    this.reading = (async () => {
      let buffer = '';
      try {
        for await (const chunk of res.body) {
          buffer += String(chunk);
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split('\n').find((line) => line.startsWith('data: '));
            if (!data) continue;
            const event = JSON.parse(data.slice(6)) as CallingEvent;
            if (this.keep(event)) {
              this.events.push(event);
              for (const wake of [...this.waiters]) wake();
            }
          }
        }
      } catch {
        // closed
      }
    })();
  }

  /** Waits until `done` holds over the kept events (checked on each new one), or the time is up (resolves false). */
  until(done: (events: CallingEvent[]) => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (!done(this.events)) return false;
        finish(true);
        return true;
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(value);
      };
      const wake = () => void check();
      if (!check()) this.waiters.add(wake);
    });
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.reading;
  }
}

/**
 * A check for tap.until: every one of the calls has had one of the event types. It reads only the events that came
 * since it last looked (the tap calls it on every event; it runs in the app's process, and filtering every event
 * kept so far each time grew with the square of the bench's length).
 */
export function everyCallHad(callIds: string[], types: string[]): (events: CallingEvent[]) => boolean {
  const waiting = new Set(callIds);
  let seen = 0;
  return (events) => {
    for (; seen < events.length; seen++) {
      const e = events[seen]!;
      if (e.callId !== undefined && types.includes(e.type)) waiting.delete(e.callId);
    }
    return waiting.size === 0;
  };
}
