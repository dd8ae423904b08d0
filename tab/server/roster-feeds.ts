// One live feed per meeting for the side panel: every `meeting.roster` diff and `meeting.state` change published on
// the bus goes into that meeting's bounded backlog, numbered, so a client that lost its stream resumes from its
// Last-Event-ID with nothing missed. A position is `<tag>.<n>.<version>`: the feed's tag (process epoch + feed
// generation), the event's number in that feed, and the roster version the client has once it applied that event.
// The same feed resumes by number. Any other feed — another instance of a cluster (every instance hears every roster
// diff), or this one after a restart — resumes by roster version: the diffs it holds above the client's version, in
// order (the client skips those it has, and a version it has no diff for is a gap it reloads on), and the route sends
// the meeting's current state beside them, since state changes carry no version. Only a position that says nothing
// usable (no version, from another feed) is answered with `reset`: reload the snapshot.
import { randomBytes } from 'node:crypto';
import { MEETING_EVENTS } from '../../comms/meetings/index.js';
import type { CommsEvent, EventBus } from '../../comms/store/index.js';
import { EventBacklog, type StreamEvent } from './event-stream.js';

export interface FeedListener {
  send(event: StreamEvent, id: string): void;
  /** The server is closing this stream (shutdown, or a test cutting streams). */
  end(): void;
}

export interface FeedSubscription {
  /** Events to send first; undefined: the position cannot be resumed (send `reset`). */
  replay: Array<{ event: StreamEvent; id: string }> | undefined;
  /** Resumed from another feed's position (by roster version): the state events in between are not replayed. */
  byVersion: boolean;
  close(): void;
}

interface Feed {
  tag: string;
  backlog: EventBacklog;
  listeners: Set<FeedListener>;
  /** The roster version of the latest diff heard (0: none yet). */
  version: number;
}

const POSITION = /^([0-9a-f]{8}-\d+)\.(\d{1,15})(?:\.(\d{1,15}))?$/;

export interface RosterFeedsOptions {
  /** Events kept per meeting for resuming (default 2,000). */
  capacity?: number;
  /** Meetings with a feed at once; the least recently used idle feed goes first (default 500). */
  maxFeeds?: number;
}

export class RosterFeeds {
  private readonly epoch = randomBytes(4).toString('hex');
  private generation = 0;
  private readonly feeds = new Map<string, Feed>();
  private readonly capacity: number;
  private readonly maxFeeds: number;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly bus: EventBus, options: RosterFeedsOptions = {}) {
    this.capacity = options.capacity ?? 2_000;
    this.maxFeeds = options.maxFeeds ?? 500;
  }

  start(): void {
    // Cluster scope: a roster change that arrived at another instance reaches the streams open on this one.
    this.unsubscribe ??= this.bus.subscribe((event) => this.onEvent(event), { scope: 'cluster' });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.disconnectAll();
  }

  /** Where the feed is now: a client that loads the snapshot after reading this misses nothing from here on. */
  position(meetingKey: string): string {
    const feed = this.feed(meetingKey);
    return `${feed.tag}.${feed.backlog.lastId}.${feed.version}`;
  }

  /** Replays what came after `lastEventId` and delivers everything new to `listener`, synchronously in order. */
  subscribe(meetingKey: string, lastEventId: string | undefined, listener: FeedListener): FeedSubscription {
    const feed = this.feed(meetingKey);
    let replay: FeedSubscription['replay'] = [];
    let byVersion = false;
    if (lastEventId !== undefined) {
      const match = POSITION.exec(lastEventId);
      if (match && match[1] === feed.tag) {
        replay = feed.backlog.since(Number(match[2]))?.map((event) => ({ event, id: this.idOf(feed, event) }));
      } else if (match?.[3] !== undefined) {
        const version = Number(match[3]);
        byVersion = true;
        replay = feed.backlog
          .held()
          .filter((event) => event.type === 'roster' && versionOf(event) > version)
          .map((event) => ({ event, id: this.idOf(feed, event) }));
      } else {
        replay = undefined;
      }
    }
    feed.listeners.add(listener);
    return { replay, byVersion, close: () => void feed.listeners.delete(listener) };
  }

  /** Ends every open stream (clients reconnect with their Last-Event-ID). */
  disconnectAll(): void {
    for (const feed of this.feeds.values()) {
      for (const listener of [...feed.listeners]) {
        feed.listeners.delete(listener);
        listener.end();
      }
    }
  }

  get openStreams(): number {
    let n = 0;
    for (const feed of this.feeds.values()) n += feed.listeners.size;
    return n;
  }

  private onEvent(event: CommsEvent): void {
    if (event.type !== MEETING_EVENTS.roster && event.type !== MEETING_EVENTS.state && event.type !== MEETING_EVENTS.call) return;
    if (!event.meetingKey) return;
    let pushed: StreamEvent;
    const feed = this.feed(event.meetingKey);
    if (event.type === MEETING_EVENTS.roster) {
      const { joined, left, changed, count, version } = event;
      pushed = feed.backlog.push('roster', { joined, left, changed, count, version }, { version });
      feed.version = Math.max(feed.version, version);
    } else if (event.type === MEETING_EVENTS.call) {
      // The meeting's own call (its call events), which the bot may not be in.
      pushed = feed.backlog.push('call', { state: event.state, at: event.at }, { version: feed.version });
    } else {
      pushed = feed.backlog.push('state', { state: event.state, ...(event.callId ? { callId: event.callId } : {}) }, { version: feed.version });
    }
    const id = this.idOf(feed, pushed);
    for (const listener of [...feed.listeners]) listener.send(pushed, id);
  }

  private idOf(feed: Feed, event: StreamEvent): string {
    return `${feed.tag}.${event.id}.${versionOf(event)}`;
  }

  private feed(meetingKey: string): Feed {
    let feed = this.feeds.get(meetingKey);
    if (feed) {
      // Most recently used last, so eviction takes the oldest idle feed.
      this.feeds.delete(meetingKey);
      this.feeds.set(meetingKey, feed);
      return feed;
    }
    if (this.feeds.size >= this.maxFeeds) {
      for (const [key, candidate] of this.feeds) {
        if (candidate.listeners.size === 0) {
          this.feeds.delete(key);
          break;
        }
      }
    }
    feed = { tag: `${this.epoch}-${++this.generation}`, backlog: new EventBacklog(this.capacity), listeners: new Set(), version: 0 };
    this.feeds.set(meetingKey, feed);
    return feed;
  }
}

/** The roster version a client has once it applied `event` (kept with the event when it was pushed). */
function versionOf(event: StreamEvent): number {
  return event.meta?.version ?? 0;
}
