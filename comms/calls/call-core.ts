// What the parts of CallService share: its dependencies with defaults resolved, whether it is stopped, and the small
// rules several parts apply (which states are watched, the not-found error).
import type { GraphClient } from '../graph/index.js';
import type { EventBus, Store } from '../store/index.js';
import { systemClock, systemTimers, type Clock, type Timers } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import { CallTraces } from '../runtime/tracing.js';
import { CallError } from './call-error.js';
import type { CallSession } from './call-session.js';
import { DEFAULT_DEADLINES, type CallDeadlines, type CallServiceOptions } from './call-options.js';

export const CALLS_COLLECTION = 'calls';
/** Each call's roster, apart from the call (see CallRoster). */
export const ROSTERS_COLLECTION = 'call-rosters';

/** States that must move on by notification; the watchdog re-reads a call that stays in one too long. */
export const WATCHED_STATES = new Set<CallSession['state']>(['establishing', 'ringing', 'transferring', 'transferAccepted', 'terminating']);

export class CallCore {
  readonly graph: GraphClient;
  readonly store: Store;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly now: Clock;
  readonly timers: Timers;
  readonly deadlines: Required<CallDeadlines>;
  /** Set by stop(), cleared by start(): no keepAlive is scheduled and no unknown call re-read while stopped. */
  stopped = false;
  /** Each call's trace (in memory; empty unless tracing is on). */
  readonly traces = new CallTraces();

  constructor(readonly options: CallServiceOptions) {
    this.graph = options.graph;
    this.store = options.store;
    this.bus = options.bus;
    this.logger = options.logger;
    this.now = options.now ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
  }

  iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}

export function notFound(callId: string): CallError {
  return new CallError('calls/not-found', `No call ${callId} is known`, { callId });
}

export function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (obj[key] !== undefined) out[key] = obj[key];
  return out;
}
