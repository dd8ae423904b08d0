// Keeps every live call alive: Graph ends a call with no successful keepAlive for 45 min, so each is refreshed every
// 15 min by default. A 404 means the call already ended; other failures are retried soon after and logged.
// Each call's next keepAlive is a job on the durable-timers seam (runtime/scheduler.ts), in both modes: embedded, an
// in-memory timer of this process (re-scheduled from the stored nextKeepAliveAt after a restart); distributed, a
// BullMQ job in Redis that whichever instance is alive runs. The job re-schedules itself after each keepAlive.
// Due times are spread: at most a few calls are due in any 100 ms on this instance — a crowded moment moves a call's
// keepAlive a little earlier (never later, except one already overdue, by at most a tenth of the interval), so calls
// that became due together (a restart, a burst of answers) do not all send at the same moment, forever after.
import { GraphError } from '../graph/index.js';
import { CallError } from './call-error.js';
import { EmbeddedScheduler, type Scheduler } from '../runtime/scheduler.js';
import { systemClock, systemTimers, type Clock, type Timers } from '../runtime/clock.js';
import { describeError } from '../runtime/errors.js';

const JOB_KIND = 'call-keepalive';
/** A job that fires on an instance that is shutting down is handed on: re-scheduled this much later, for the others. */
const HAND_OVER_MS = 1_000;

export const DEFAULT_KEEP_ALIVE_INTERVAL_MS = 15 * 60_000;
/** Graph's limit is 45 min; a schedule must leave room for a failed attempt and its retry. */
export const MAX_KEEP_ALIVE_INTERVAL_MS = 30 * 60_000;
/** The spreading: at most SLOT_CAPACITY keepAlives due in each SLOT_MS, moved by at most a tenth of the interval. */
export const KEEP_ALIVE_SLOT_MS = 100;
export const KEEP_ALIVE_SLOT_CAPACITY = 4;

export interface KeepAliveSchedulerOptions {
  send(callId: string): Promise<void>;
  /** keepAlive answered 404: the call is gone. */
  onEnded(callId: string): Promise<void>;
  /** A new due time was set (to persist it as the call's nextKeepAliveAt). */
  onScheduled?(callId: string, dueAt: number): Promise<void> | void;
  intervalMs?: number;
  /** Delay before retrying a keepAlive that failed for another reason than 404. */
  retryMs?: number;
  /** For the embedded timers when no scheduler is given. */
  timers?: Timers;
  now?: Clock;
  logger?: { warn(obj: object, msg?: string): void };
  /** The durable timers (the runtime's: in memory, or shared by a cluster). Default: in-memory timers of its own. */
  scheduler?: Scheduler;
  /**
   * Whether the call still needs keeping alive when its job fires and after each keepAlive (it may have ended, here
   * or on another instance). Default: while this scheduler tracks it.
   */
  stillLive?(callId: string): Promise<boolean>;
}

export class KeepAliveScheduler {
  readonly intervalMs: number;
  private readonly retryMs: number;
  private readonly now: Clock;
  private readonly scheduler: Scheduler;
  /** The in-memory scheduler this instance made for itself (no runtime scheduler given): it stops it too. */
  private readonly own?: EmbeddedScheduler;
  private readonly due = new Map<string, number>();
  /** Calls due per slot (dueAt ÷ KEEP_ALIVE_SLOT_MS), and each call's slot. */
  private readonly slots = new Map<number, number>();
  private readonly slotOf = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: KeepAliveSchedulerOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_KEEP_ALIVE_INTERVAL_MS;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs < 1_000 || this.intervalMs > MAX_KEEP_ALIVE_INTERVAL_MS) {
      throw new CallError('calls/invalid-argument', `keepAlive interval must be from 1 s to ${MAX_KEEP_ALIVE_INTERVAL_MS / 60_000} min (Graph ends calls after 45 min)`);
    }
    this.retryMs = Math.min(options.retryMs ?? 60_000, this.intervalMs);
    this.now = options.now ?? systemClock;
    if (options.scheduler) {
      this.scheduler = options.scheduler;
    } else {
      this.own = new EmbeddedScheduler({ timers: options.timers ?? systemTimers, now: this.now });
      this.scheduler = this.own;
    }
    this.scheduler.define(JOB_KIND, (job) => this.fire(job.id));
  }

  /** Schedules keepAlive for a call; the first is due one interval after `lastAliveAt` (default: now). */
  track(callId: string, lastAliveAt = this.now()): number {
    const dueAt = this.spread(callId, this.firstDue(lastAliveAt));
    this.due.set(callId, dueAt);
    if (this.stopped) {
      this.stopped = false;
      void this.own?.start();
    }
    this.schedule(callId, dueAt);
    return dueAt;
  }

  /** The due time track(callId, lastAliveAt) would choose now; nothing is reserved or scheduled. */
  preview(callId: string, lastAliveAt = this.now()): number {
    return this.spread(callId, this.firstDue(lastAliveAt), false);
  }

  private firstDue(lastAliveAt: number): number {
    return Math.max(Math.min(lastAliveAt + this.intervalMs, this.now() + this.intervalMs), this.now());
  }

  untrack(callId: string): void {
    this.due.delete(callId);
    this.release(callId);
    this.scheduler.cancel(JOB_KIND, callId).catch((err: unknown) => this.options.logger?.warn({ err: describeError(err), callId }, 'could not cancel a keepAlive job'));
  }

  tracked(): string[] {
    return [...this.due.keys()];
  }

  dueAt(callId: string): number | undefined {
    return this.due.get(callId);
  }

  /** Stops keeping calls alive here. Shared timers stay scheduled (in Redis: for the other instances). */
  stop(): void {
    this.stopped = true;
    void this.own?.stop();
  }

  /**
   * The due time to use for `dueAt`: itself while its slot has room, else the nearest earlier slot with room (a later
   * one when it is due now already), within a tenth of the interval; the least crowded of those when all are full.
   */
  private spread(callId: string, dueAt: number, reserve = true): number {
    if (reserve) this.release(callId);
    // Without reserving, the call's own slot counts as free to it (as it is once released).
    const own = reserve ? undefined : this.slotOf.get(callId);
    const taken = (slot: number) => (this.slots.get(slot) ?? 0) - (slot === own ? 1 : 0);
    const wanted = Math.floor(dueAt / KEEP_ALIVE_SLOT_MS);
    let chosen = wanted;
    if (taken(wanted) >= KEEP_ALIVE_SLOT_CAPACITY) {
      const span = Math.max(1, Math.floor(this.intervalMs / 10 / KEEP_ALIVE_SLOT_MS));
      const nowSlot = Math.ceil(this.now() / KEEP_ALIVE_SLOT_MS);
      const step = wanted > nowSlot ? -1 : 1;
      let least = wanted;
      for (let k = 1; k <= span; k++) {
        const slot = wanted + step * k;
        if (step < 0 && slot < nowSlot) break;
        const count = taken(slot);
        if (count < KEEP_ALIVE_SLOT_CAPACITY) {
          least = slot;
          break;
        }
        if (count < taken(least)) least = slot;
      }
      chosen = least;
    }
    if (!reserve) return chosen === wanted ? dueAt : chosen * KEEP_ALIVE_SLOT_MS;
    this.slots.set(chosen, (this.slots.get(chosen) ?? 0) + 1);
    this.slotOf.set(callId, chosen);
    return chosen === wanted ? dueAt : chosen * KEEP_ALIVE_SLOT_MS;
  }

  private release(callId: string): void {
    const slot = this.slotOf.get(callId);
    if (slot === undefined) return;
    this.slotOf.delete(callId);
    const left = (this.slots.get(slot) ?? 1) - 1;
    if (left > 0) this.slots.set(slot, left);
    else this.slots.delete(slot);
  }

  private schedule(callId: string, dueAt: number): void {
    this.scheduler.schedule(JOB_KIND, callId, dueAt, {}).catch((err: unknown) => {
      this.options.logger?.warn({ err: describeError(err), callId }, 'could not schedule keepAlive');
    });
  }

  private stillLive(callId: string): Promise<boolean> {
    return this.options.stillLive ? this.options.stillLive(callId) : Promise.resolve(this.due.has(callId));
  }

  /** A call's keepAlive job fired (on this instance or, distributed, on any other of the cluster). */
  private async fire(callId: string): Promise<void> {
    if (this.stopped) {
      // Shutting down while shared timers still run here: hand the job on instead of dropping the call's chain.
      if (!this.own) await this.scheduler.schedule(JOB_KIND, callId, this.now() + HAND_OVER_MS, {});
      return;
    }
    this.release(callId);
    if (!(await this.stillLive(callId))) {
      this.due.delete(callId);
      return;
    }
    try {
      await this.options.send(callId);
      if (!(await this.stillLive(callId))) {
        this.due.delete(callId);
        return;
      }
      const dueAt = this.spread(callId, this.now() + this.intervalMs);
      this.due.set(callId, dueAt);
      await this.scheduler.schedule(JOB_KIND, callId, dueAt, {});
      await this.options.onScheduled?.(callId, dueAt);
    } catch (err) {
      if (isNotFound(err)) {
        this.due.delete(callId);
        await this.options.onEnded(callId).catch((endErr: unknown) => this.options.logger?.warn({ err: describeError(endErr), callId }, 'could not record a call that ended while unattended'));
        return;
      }
      this.options.logger?.warn({ err: describeError(err), callId, retryInMs: this.retryMs }, 'keepAlive failed; retrying');
      if (!(await this.stillLive(callId))) return;
      await this.scheduler.schedule(JOB_KIND, callId, this.now() + this.retryMs, {});
    }
  }
}

export function isNotFound(err: unknown): boolean {
  return (err instanceof GraphError && (err.code === 'graph/not-found' || err.status === 404)) || (err instanceof CallError && err.code === 'calls/not-found');
}

