// What the parts of MeetingService share: its options and dependencies with defaults resolved, the meeting events it
// publishes, and the error helpers every part uses.
import { CallError, type CallService } from '../calls/index.js';
import { GraphError, type GraphClient } from '../graph/index.js';
import type { EventBus, Store } from '../store/index.js';
import { systemTimers, type Clock, type InstanceRegistry, type Scheduler, type Timers } from '../runtime/index.js';
import type { Logger } from '../runtime/logger.js';
import { MeetingError } from './meeting-error.js';
import type { MeetingEvent } from './meeting-events.js';

export const DEFAULT_REPAIR_INTERVAL_MS = 60_000;

export interface MeetingServiceOptions {
  graph: GraphClient;
  calls: CallService;
  bus: EventBus;
  store: Store;
  logger: Logger;
  /** The app's tenant: where short (`/meet/<id>`) links and join-meeting-id joins run. */
  tenantId?: string;
  /** Tenants whose meetings may be joined; undefined: any. */
  allowedTenants?: string[];
  now?: Clock;
  timers?: Timers;
  repairIntervalMs?: number;
  /**
   * Distributed mode: a meeting's roster is kept by the instance that joined it (its owner, named in the record),
   * which hears the call's events from every instance; the others read its stored snapshot, hand it Teams meeting
   * events, and take the meeting over when the owner is gone.
   */
  cluster?: InstanceRegistry;
  /** Distributed mode: the durable timers that let another instance finish a mute-all whose instance is gone. */
  scheduler?: Scheduler;
}

export class MeetingCore {
  readonly graph: GraphClient;
  readonly calls: CallService;
  readonly bus: EventBus;
  readonly store: Store;
  readonly logger: Logger;
  readonly now: Clock;
  readonly timers: Timers;
  readonly repairIntervalMs: number;
  stopped = true;

  constructor(readonly options: MeetingServiceOptions) {
    this.graph = options.graph;
    this.calls = options.calls;
    this.bus = options.bus;
    this.store = options.store;
    this.logger = options.logger;
    this.now = options.now ?? (() => Date.now());
    this.timers = options.timers ?? systemTimers;
    this.repairIntervalMs = Math.max(1_000, options.repairIntervalMs ?? DEFAULT_REPAIR_INTERVAL_MS);
  }

  publish(event: MeetingEvent): void {
    this.bus.publish({ ...event, at: this.iso() });
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.timers.setTimeout(resolve, ms));
  }
}

export function invalid(message: string): MeetingError {
  return new MeetingError('meetings/invalid-argument', message);
}

export function errorCode(err: unknown): string {
  if (err instanceof GraphError || err instanceof CallError || err instanceof MeetingError) return err.code;
  return 'unknown';
}
