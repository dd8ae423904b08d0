// Typed publish/subscribe for state changes. One event map per area (the unions in call-events.ts, meeting-events.ts,
// …) makes `on('call.tone', e => …)` typed without casts. A listener that throws or rejects is logged, never
// swallowed, and never stops delivery to the others.
//
// Scopes: a `local` listener (the default) hears events published by this instance — that is where the work that
// follows an event happens (answering, the next IVR step, a card update), so it happens once in a cluster. A
// `cluster` listener also hears events published by other instances through the relay (Redis pub/sub in distributed
// mode): live streams (the side panel) use that scope. A `remote` listener hears only other instances' events
// (waiters on this instance for work that completed on another one: an operation's completion notification).
import { describeError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';

export interface BusEvent {
  type: string;
  at: string;
}

export type EventScope = 'local' | 'cluster' | 'remote';

/** Carries events between instances. */
export interface EventRelay {
  /** Sends an event published here to the other instances. */
  send(event: BusEvent): void;
  /** Events published on other instances (never this one's own). */
  onReceive(listener: (event: BusEvent) => void): void;
  close(): Promise<void>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type Publishable<E extends BusEvent> = DistributiveOmit<E, 'at'> & { at?: string };
export type Listener<E> = (event: E) => unknown;
/** The event of one type; a loosely typed event map (type: string) gives the loose event. */
export type EventOf<E extends BusEvent, T extends E['type']> = [Extract<E, { type: T }>] extends [never] ? E : Extract<E, { type: T }>;

interface Registration<E> {
  listener: Listener<E>;
  scope: EventScope;
  type?: string;
}

export class TypedEventBus<E extends BusEvent> {
  private readonly registrations = new Set<Registration<E>>();
  private readonly logger: Logger;
  private readonly relay?: EventRelay;

  constructor(options: { logger?: Logger; relay?: EventRelay } = {}) {
    this.logger = options.logger ?? silentLogger;
    this.relay = options.relay;
    this.relay?.onReceive((event) => this.deliver(event as E, true));
  }

  publish(event: Publishable<E>): void {
    const full = { ...event, at: event.at ?? new Date().toISOString() } as unknown as E;
    this.deliver(full, false);
    this.relay?.send(full);
  }

  /** Every event (of this instance, or of the whole cluster with `scope: 'cluster'`). */
  subscribe(listener: Listener<E>, options: { scope?: EventScope } = {}): () => void {
    return this.add({ listener, scope: options.scope ?? 'local' });
  }

  /** Events of one type, typed. */
  on<T extends E['type']>(type: T, listener: Listener<EventOf<E, T>>, options: { scope?: EventScope } = {}): () => void {
    return this.add({ listener: listener as Listener<E>, scope: options.scope ?? 'local', type });
  }

  /** True when events also travel between instances. */
  get distributed(): boolean {
    return this.relay !== undefined;
  }

  private add(registration: Registration<E>): () => void {
    this.registrations.add(registration);
    return () => {
      this.registrations.delete(registration);
    };
  }

  private deliver(event: E, remote: boolean): void {
    for (const r of [...this.registrations]) {
      if (remote ? r.scope === 'local' : r.scope === 'remote') continue;
      if (r.type !== undefined && r.type !== event.type) continue;
      try {
        const result = r.listener(event);
        if (result instanceof Promise) {
          result.catch((err: unknown) => this.logger.error({ event: event.type, err: describeError(err) }, 'an event listener failed'));
        }
      } catch (err) {
        this.logger.error({ event: event.type, err: describeError(err) }, 'an event listener failed');
      }
    }
  }
}
