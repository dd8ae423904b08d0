// Keeps every live call alive: Graph ends a call with no successful keepAlive for 45 min, so each is refreshed every
// 15 min by default. A 404 means the call already ended; other failures are retried soon after and logged.
// With a durable scheduler (distributed mode) each call's keepAlive is a job in Redis that whichever instance is alive
// runs; without one, a single in-memory timer serves every call of this instance.
import { GraphError } from '../graph/index.js';
import { CallError } from './call-error.js';
import type { Scheduler } from '../runtime/index.js';
import { systemClock, systemTimers, type Clock, type TimerHandle, type Timers } from '../runtime/clock.js';
import { describeError } from '../runtime/errors.js';

const JOB_KIND = 'call-keepalive';

export const DEFAULT_KEEP_ALIVE_INTERVAL_MS = 15 * 60_000;
/** Graph's limit is 45 min; a schedule must leave room for a failed attempt and its retry. */
export const MAX_KEEP_ALIVE_INTERVAL_MS = 30 * 60_000;

export interface KeepAliveSchedulerOptions {
  send(callId: string): Promise<void>;
  /** keepAlive answered 404: the call is gone. */
  onEnded(callId: string): Promise<void>;
  /** A new due time was set (to persist it as the call's nextKeepAliveAt). */
  onScheduled?(callId: string, dueAt: number): Promise<void> | void;
  intervalMs?: number;
  /** Delay before retrying a keepAlive that failed for another reason than 404. */
  retryMs?: number;
  timers?: Timers;
  now?: Clock;
  logger?: { warn(obj: object, msg?: string): void };
  /** Durable timers shared by a cluster. */
  scheduler?: Scheduler;
  /** Durable mode: whether the call still needs keeping alive when its job fires (it may have ended elsewhere). */
  stillLive?(callId: string): Promise<boolean>;
}

export class KeepAliveScheduler {
  readonly intervalMs: number;
  private readonly retryMs: number;
  private readonly timers: Timers;
  private readonly now: Clock;
  private readonly due = new Map<string, number>();
  private timer: TimerHandle | undefined;
  private timerAt: number | undefined;
  private running = false;
  private stopped = false;

  constructor(private readonly options: KeepAliveSchedulerOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_KEEP_ALIVE_INTERVAL_MS;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs < 1_000 || this.intervalMs > MAX_KEEP_ALIVE_INTERVAL_MS) {
      throw new CallError('calls/invalid-argument', `keepAlive interval must be from 1 s to ${MAX_KEEP_ALIVE_INTERVAL_MS / 60_000} min (Graph ends calls after 45 min)`);
    }
    this.retryMs = Math.min(options.retryMs ?? 60_000, this.intervalMs);
    this.timers = options.timers ?? systemTimers;
    this.now = options.now ?? systemClock;
    options.scheduler?.define(JOB_KIND, (job) => this.fireDurable(job.id));
  }

  /** Schedules keepAlive for a call; the first is due one interval after `lastAliveAt` (default: now). */
  track(callId: string, lastAliveAt = this.now()): number {
    const dueAt = Math.max(Math.min(lastAliveAt + this.intervalMs, this.now() + this.intervalMs), this.now());
    this.due.set(callId, dueAt);
    this.stopped = false;
    if (this.options.scheduler) this.scheduleDurable(callId, dueAt);
    else this.arm();
    return dueAt;
  }

  untrack(callId: string): void {
    this.due.delete(callId);
    this.options.scheduler?.cancel(JOB_KIND, callId).catch((err: unknown) => this.options.logger?.warn({ err: describeError(err), callId }, 'could not cancel a keepAlive job'));
  }

  tracked(): string[] {
    return [...this.due.keys()];
  }

  dueAt(callId: string): number | undefined {
    return this.due.get(callId);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
  }

  private scheduleDurable(callId: string, dueAt: number): void {
    this.options.scheduler!.schedule(JOB_KIND, callId, dueAt, {}).catch((err: unknown) => {
      this.options.logger?.warn({ err: describeError(err), callId }, 'could not schedule keepAlive in the shared store');
    });
  }

  /** A durable keepAlive job fired (on this instance or any other of the cluster). */
  private async fireDurable(callId: string): Promise<void> {
    if (this.stopped) return;
    if (this.options.stillLive && !(await this.options.stillLive(callId))) {
      this.due.delete(callId);
      return;
    }
    try {
      await this.options.send(callId);
      const dueAt = this.now() + this.intervalMs;
      this.due.set(callId, dueAt);
      await this.options.scheduler!.schedule(JOB_KIND, callId, dueAt, {});
      await this.options.onScheduled?.(callId, dueAt);
    } catch (err) {
      if (isNotFound(err)) {
        this.due.delete(callId);
        await this.options.onEnded(callId).catch((endErr: unknown) => this.options.logger?.warn({ err: describeError(endErr), callId }, 'could not record a call that ended while unattended'));
        return;
      }
      this.options.logger?.warn({ err: describeError(err), callId, retryInMs: this.retryMs }, 'keepAlive failed; retrying');
      await this.options.scheduler!.schedule(JOB_KIND, callId, this.now() + this.retryMs, {});
    }
  }

  private arm(): void {
    if (this.running || this.stopped || this.due.size === 0) return;
    const next = Math.min(...this.due.values());
    if (this.timer !== undefined && this.timerAt !== undefined && this.timerAt <= next) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      void this.tick();
    }, Math.max(0, next - this.now()));
  }

  private async tick(): Promise<void> {
    this.running = true;
    try {
      const now = this.now();
      const dueNow = [...this.due].filter(([, at]) => at <= now).map(([id]) => id);
      await Promise.all(dueNow.map((callId) => this.keepAlive(callId)));
    } finally {
      this.running = false;
      this.arm();
    }
  }

  private async keepAlive(callId: string): Promise<void> {
    try {
      await this.options.send(callId);
      if (!this.due.has(callId)) return;
      const dueAt = this.now() + this.intervalMs;
      this.due.set(callId, dueAt);
      await this.options.onScheduled?.(callId, dueAt);
    } catch (err) {
      if (isNotFound(err)) {
        this.due.delete(callId);
        try {
          await this.options.onEnded(callId);
        } catch (endErr) {
          this.options.logger?.warn({ err: describeError(endErr), callId }, 'could not record a call that ended while unattended');
        }
        return;
      }
      if (!this.due.has(callId)) return;
      this.due.set(callId, this.now() + this.retryMs);
      this.options.logger?.warn({ err: describeError(err), callId, retryInMs: this.retryMs }, 'keepAlive failed; retrying');
    }
  }
}

export function isNotFound(err: unknown): boolean {
  return (err instanceof GraphError && (err.code === 'graph/not-found' || err.status === 404)) || (err instanceof CallError && err.code === 'calls/not-found');
}

