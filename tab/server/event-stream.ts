// Server-sent events for the tab: one stream per client, each event numbered so a reconnecting client resumes from
// Last-Event-ID with nothing missed (kept in a bounded backlog; too old → the client reloads the snapshot).
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface StreamEvent {
  id: number;
  type: string;
  data: unknown;
  /** What the feed keeps beside the event (never sent). */
  meta?: { version?: number };
}

export class EventBacklog {
  private readonly events: StreamEvent[] = [];
  private nextId = 1;

  constructor(private readonly capacity = 5000) {}

  get lastId(): number {
    return this.nextId - 1;
  }

  push(type: string, data: unknown, meta?: StreamEvent['meta']): StreamEvent {
    const event: StreamEvent = { id: this.nextId++, type, data, ...(meta ? { meta } : {}) };
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.shift();
    return event;
  }

  /** Every event still held, oldest first. */
  held(): readonly StreamEvent[] {
    return this.events;
  }

  /** Events after `id`; undefined when some of them have already been dropped (the client must reload). */
  since(id: number): StreamEvent[] | undefined {
    if (id >= this.lastId) return [];
    const first = this.events[0];
    if (!first || first.id > id + 1) return undefined;
    return this.events.filter((e) => e.id > id);
  }
}

export interface EventStreamWriter {
  /** `id` is what the client sends back as Last-Event-ID (default: the event's number). */
  send(event: StreamEvent, id?: string): void;
  /** An event that is not resumable (no id line): e.g. `reset`. */
  signal(type: string, data?: unknown): void;
  comment(text: string): void;
}

export function openEventStream(res: ServerResponse): EventStreamWriter {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 1000\n\n');
  return {
    send(event, id) {
      res.write(`id: ${id ?? event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    },
    signal(type, data = {}) {
      res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    comment(text) {
      res.write(`: ${text}\n\n`);
    },
  };
}

/**
 * Holds an opened stream until the client goes or the feed ends it, with a heartbeat comment meanwhile (so proxies
 * and the client's quiet timer keep it open). `open` subscribes, gets the function that ends the stream, and returns
 * its unsubscribe. Resolves when the stream is over.
 */
export function holdEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  writer: EventStreamWriter,
  heartbeatMs: number,
  open: (end: () => void) => () => void,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let done = false;
    let close: (() => void) | undefined;
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(heartbeat);
      close?.();
      if (!res.writableEnded) res.end();
      resolve();
    };
    close = open(finish);
    if (done) {
      close();
      return;
    }
    heartbeat = setInterval(() => writer.comment('heartbeat'), heartbeatMs);
    heartbeat.unref();
    req.once('close', finish);
    res.once('close', finish);
    // The client may have gone while it was being authorized: no close event would come any more.
    if (req.socket?.destroyed) finish();
  });
}
