// The queue dashboard's live feed. `queue.changed` only names the queue that changed, so the feed re-reads that
// queue's whole status (QueueService.statusOf) and sends it to every open dashboard that may see it: one read per
// burst of changes (coalesced), however many dashboards are open, and one read at a time per queue so a newer status
// is never overtaken by an older one. A dashboard gets its snapshot first (read in the same order as the updates),
// and a new snapshot when the front desk reloads (queues or agents may have changed). A reconnecting client simply
// gets a fresh snapshot: statuses are whole, so there is nothing to replay.
import { FRONT_DESK_EVENTS } from '../../comms/ivr/index.js';
import { QUEUE_EVENTS, type QueueStatus } from '../../comms/queues/index.js';
import { describeError } from '../../comms/runtime/index.js';
import type { CommsEvent, EventBus } from '../../comms/store/index.js';
import type { ApiLogger } from './api-handler.js';
import type { TabUser } from './user-token.js';

/** What the feed needs of the call queues (QueueService has it). */
export interface QueueStatusSource {
  names(): string[];
  statusOf(name: string): Promise<QueueStatus | undefined>;
  queuesOf(userId: string): string[];
}

/** What a dashboard is sent: the queues it may see (and how many the front desk has), or one queue's new status. */
export interface QueueSnapshot {
  queues: QueueStatus[];
  /** Queues in the front desk, seen or not (the empty state tells "none at all" from "none of yours"). */
  total: number;
}

export interface QueueFeedListener {
  snapshot(snapshot: QueueSnapshot): void;
  queue(status: QueueStatus): void;
  /** The server is closing this stream (shutdown, or the snapshot could not be read). */
  end(): void;
}

export interface QueueFeedsOptions {
  /** Changes to one queue within this window are sent as one status (default 250 ms). */
  coalesceMs?: number;
  logger: ApiLogger;
}

interface Viewer {
  user: TabUser;
  listener: QueueFeedListener;
  /** The queues this viewer may see (recomputed with each snapshot). */
  sees: Set<string>;
  /** Waiting for its snapshot: the newest status read meanwhile, per queue. */
  held: Map<string, Read> | undefined;
  /** The read each queue was last sent from. */
  sent: Map<string, number>;
}

interface Read {
  seq: number;
  status: QueueStatus | undefined;
}

/** Who may see a queue on the dashboard: its agents (the people the front desk lists for it, signed in or not). */
export function visibleQueues(source: QueueStatusSource, user: TabUser): string[] {
  const mine = new Set(source.queuesOf(user.userId));
  return source.names().filter((name) => mine.has(name));
}

export class QueueFeeds {
  private readonly viewers = new Set<Viewer>();
  private readonly dirty = new Set<string>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly coalesceMs: number;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly source: QueueStatusSource,
    private readonly options: QueueFeedsOptions,
  ) {
    this.coalesceMs = options.coalesceMs ?? 250;
  }

  start(): void {
    // Cluster scope: a caller who joined on another instance shows on the dashboards open on this one.
    this.unsubscribe ??= this.bus.subscribe((event) => this.onEvent(event), { scope: 'cluster' });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.disconnectAll();
  }

  /** The queues `user` may see, read now. */
  async snapshot(user: TabUser): Promise<QueueSnapshot> {
    const names = visibleQueues(this.source, user);
    const reads = await Promise.all(names.map((n) => this.read(n)));
    return { queues: reads.flatMap((r) => (r.status ? [r.status] : [])), total: this.source.names().length };
  }

  /** Sends `listener` the snapshot, then every change to the queues the user may see, in order. */
  subscribe(user: TabUser, listener: QueueFeedListener): () => void {
    const viewer: Viewer = { user, listener, sees: new Set(), held: undefined, sent: new Map() };
    this.viewers.add(viewer);
    void this.resnapshot(viewer);
    return () => void this.viewers.delete(viewer);
  }

  /** Ends every open stream (clients reconnect and get a fresh snapshot). */
  disconnectAll(): void {
    for (const viewer of [...this.viewers]) {
      this.viewers.delete(viewer);
      viewer.listener.end();
    }
  }

  get openStreams(): number {
    return this.viewers.size;
  }

  private onEvent(event: CommsEvent): void {
    if (event.type === QUEUE_EVENTS.changed) {
      this.dirty.add(event.queue);
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.coalesceMs);
    } else if (event.type === FRONT_DESK_EVENTS.loaded) {
      for (const viewer of this.viewers) void this.resnapshot(viewer);
    }
  }

  private async resnapshot(viewer: Viewer): Promise<void> {
    viewer.held = new Map();
    try {
      const names = visibleQueues(this.source, viewer.user);
      viewer.sees = new Set(names);
      const reads = await Promise.all(names.map((n) => this.read(n)));
      if (!this.viewers.has(viewer)) return;
      viewer.sent = new Map(names.map((n, i) => [n, reads[i]!.seq]));
      viewer.listener.snapshot({ queues: reads.flatMap((r) => (r.status ? [r.status] : [])), total: this.source.names().length });
      const held = viewer.held;
      viewer.held = undefined;
      for (const [name, read] of held) this.deliver(viewer, name, read);
    } catch (err) {
      this.options.logger.warn({ err: describeError(err) }, 'tab: a queue dashboard\'s snapshot could not be read; its stream ends (the client reconnects)');
      if (this.viewers.delete(viewer)) viewer.listener.end();
    }
  }

  private async flush(): Promise<void> {
    const names = [...this.dirty];
    this.dirty.clear();
    await Promise.all(
      names.map(async (name) => {
        if (![...this.viewers].some((v) => v.sees.has(name))) return;
        try {
          const read = await this.read(name);
          for (const viewer of [...this.viewers]) this.deliver(viewer, name, read);
        } catch (err) {
          this.options.logger.warn({ queue: name, err: describeError(err) }, 'tab: a queue\'s status could not be read for the dashboards; the next change sends it');
        }
      }),
    );
  }

  private deliver(viewer: Viewer, name: string, read: Read): void {
    if (!viewer.sees.has(name) || !read.status) return;
    if (viewer.held) {
      const kept = viewer.held.get(name);
      if (!kept || kept.seq < read.seq) viewer.held.set(name, read);
      return;
    }
    if ((viewer.sent.get(name) ?? -1) >= read.seq) return;
    viewer.sent.set(name, read.seq);
    viewer.listener.queue(read.status);
  }

  /** One read at a time per queue: reads finish in the order they were numbered. */
  private read(name: string): Promise<Read> {
    const seq = ++this.seq;
    const previous = this.chains.get(name) ?? Promise.resolve();
    const next = previous.then(
      () => this.source.statusOf(name),
      () => this.source.statusOf(name),
    );
    const tail = next.catch(() => undefined);
    this.chains.set(name, tail);
    void tail.then(() => {
      if (this.chains.get(name) === tail) this.chains.delete(name);
    });
    return next.then((status) => ({ seq, status }));
  }
}
