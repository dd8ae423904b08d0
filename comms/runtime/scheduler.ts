// Durable timers: "run job `id` of kind `kind` at `dueAt`". Scheduling the same (kind, id) again moves it; cancelling
// removes it. The embedded scheduler keeps timers in memory (services re-schedule from their stored state on start:
// keepAlive from each live call's nextKeepAliveAt); the Redis scheduler (redis-scheduler.ts, BullMQ delayed jobs)
// keeps them in Redis, and exactly one instance of the cluster runs each — another one when the instance that
// scheduled it is gone. The services are written once against this interface; the runtime picks the implementation.
import { systemClock, systemTimers, type Clock, type TimerHandle, type Timers } from './clock.js';
import { describeError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';

export interface ScheduledJob<D> {
  kind: string;
  id: string;
  dueAt: number;
  data: D;
}

export type JobHandler<D> = (job: ScheduledJob<D>) => Promise<void>;

export interface Scheduler {
  /** Registers the handler for one kind of job (before start). */
  define<D>(kind: string, handler: JobHandler<D>): void;
  /** Runs the handler of `kind` for `id` at `dueAt` (now if past); replaces an earlier schedule of the same job. */
  schedule<D>(kind: string, id: string, dueAt: number, data: D): Promise<void>;
  cancel(kind: string, id: string): Promise<void>;
  start(): Promise<void>;
  /** Stops taking jobs; resolves when the running ones are done. */
  stop(): Promise<void>;
}

export class EmbeddedScheduler implements Scheduler {
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly pending = new Map<string, { handle: TimerHandle; job: ScheduledJob<unknown> }>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers: Timers;
  private readonly now: Clock;
  private readonly logger: Logger;
  private stopped = false;

  constructor(options: { timers?: Timers; now?: Clock; logger?: Logger } = {}) {
    this.timers = options.timers ?? systemTimers;
    this.now = options.now ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  define<D>(kind: string, handler: JobHandler<D>): void {
    this.handlers.set(kind, handler as JobHandler<unknown>);
  }

  async schedule<D>(kind: string, id: string, dueAt: number, data: D): Promise<void> {
    if (this.stopped) return;
    const key = `${kind}\u0000${id}`;
    const earlier = this.pending.get(key);
    if (earlier) this.timers.clearTimeout(earlier.handle);
    const job: ScheduledJob<unknown> = { kind, id, dueAt, data };
    const handle = this.timers.setTimeout(() => this.fire(key, job), Math.max(0, dueAt - this.now()));
    this.pending.set(key, { handle, job });
  }

  async cancel(kind: string, id: string): Promise<void> {
    const key = `${kind}\u0000${id}`;
    const entry = this.pending.get(key);
    if (!entry) return;
    this.timers.clearTimeout(entry.handle);
    this.pending.delete(key);
  }

  async start(): Promise<void> {
    this.stopped = false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const { handle } of this.pending.values()) this.timers.clearTimeout(handle);
    this.pending.clear();
    await Promise.allSettled([...this.running]);
  }

  /** Jobs waiting to run (tests and status). */
  get size(): number {
    return this.pending.size;
  }

  /** The ids of the jobs of one kind waiting to run, with when each is due (tests and status). */
  scheduled(kind: string): Array<{ id: string; dueAt: number }> {
    return [...this.pending.values()].filter((p) => p.job.kind === kind).map((p) => ({ id: p.job.id, dueAt: p.job.dueAt }));
  }

  private fire(key: string, job: ScheduledJob<unknown>): void {
    if (this.pending.get(key)?.job !== job) return;
    this.pending.delete(key);
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      this.logger.error({ kind: job.kind, id: job.id }, 'a timer fired with no handler for its kind');
      return;
    }
    const run = handler(job)
      .catch((err: unknown) => this.logger.error({ kind: job.kind, id: job.id, err: describeError(err) }, 'a timer job failed'))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }
}
