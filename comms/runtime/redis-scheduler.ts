// Durable timers on BullMQ delayed jobs (distributed mode): a job lives in Redis, so it fires even when the instance
// that scheduled it is gone, and exactly one worker of the cluster runs it.
//
// BullMQ ignores an `add` whose jobId exists, and a running job cannot be removed, so "move job X" cannot reuse X's
// id while X runs (a keepAlive re-scheduling itself from its own handler). Each schedule therefore gets its own jobId
// (`<kind>.<id>.<dueAt>`) and one Redis hash records which jobId is current for each (kind, id); a job that is no
// longer current does nothing when it fires. Two instances scheduling the same (kind, id, dueAt) produce one job.
// A move is: record the new jobId, add its job, remove the old one; a move cut short by kill -9 after the first step
// leaves the old job as the timer (process() sees the current jobId has no job), so a timer is late at worst, never lost.
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from './clock.js';
import { describeError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import type { JobHandler, ScheduledJob, Scheduler } from './scheduler.js';

const QUEUE = 'sb-timers';
const COMPARE_AND_DELETE = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`;

interface TimerPayload {
  kind: string;
  id: string;
  dueAt: number;
  data: unknown;
}

export interface RedisSchedulerOptions {
  /** A connection for commands (fails fast when Redis is down). */
  redis: Redis;
  /** A connection for the worker (BullMQ requires maxRetriesPerRequest: null); duplicated for blocking reads. */
  workerRedis: Redis;
  prefix?: string;
  concurrency?: number;
  now?: Clock;
  logger?: Logger;
}

export class RedisScheduler implements Scheduler {
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly queue: Queue;
  private worker?: Worker;
  private readonly currentKey: string;
  private readonly now: Clock;
  private readonly logger: Logger;

  constructor(private readonly options: RedisSchedulerOptions) {
    const prefix = options.prefix ?? 'sbq';
    this.queue = new Queue(QUEUE, { connection: options.redis, prefix });
    this.queue.on('error', () => undefined); // connection problems are reported once by the runtime's own listeners
    this.currentKey = `${prefix}:${QUEUE}:current`;
    this.now = options.now ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  define<D>(kind: string, handler: JobHandler<D>): void {
    this.handlers.set(kind, handler as JobHandler<unknown>);
  }

  async schedule<D>(kind: string, id: string, dueAt: number, data: D): Promise<void> {
    const field = fieldOf(kind, id);
    const jobId = `${field}.${Math.round(dueAt)}`;
    const previous = await this.options.redis.hget(this.currentKey, field);
    await this.options.redis.hset(this.currentKey, field, jobId);
    const payload: TimerPayload = { kind, id, dueAt, data };
    await this.queue.add(kind, payload, {
      jobId,
      delay: Math.max(0, dueAt - this.now()),
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
    });
    if (previous && previous !== jobId) await this.removeJob(previous);
  }

  async cancel(kind: string, id: string): Promise<void> {
    const field = fieldOf(kind, id);
    const current = await this.options.redis.hget(this.currentKey, field);
    if (!current) return;
    await this.options.redis.eval(COMPARE_AND_DELETE, 1, this.currentKey, field, current);
    await this.removeJob(current);
  }

  async start(): Promise<void> {
    if (this.worker) return;
    this.worker = new Worker(QUEUE, (job) => this.process(job), {
      connection: this.options.workerRedis,
      prefix: this.options.prefix ?? 'sbq',
      concurrency: this.options.concurrency ?? 16,
      // A job that was running on an instance killed with -9 is found stalled and run elsewhere after at most about
      // lockDuration + stalledInterval: 20 s instead of BullMQ's default 30 + 30 s. Our handlers are short (a timer's
      // work is started, not awaited, where it is long) and BullMQ renews the lock of a longer one every 7.5 s.
      lockDuration: 15_000,
      stalledInterval: 5_000,
    });
    this.worker.on('error', (err) => this.logger.warn({ err: describeError(err) }, 'timer worker: Redis error (it reconnects by itself)'));
    this.worker.on('failed', (job, err) => this.logger.error({ job: job?.id, err: describeError(err) }, 'a timer job failed'));
    await this.worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    // Finishes the jobs this instance is running; delayed ones stay in Redis for the other instances.
    await this.worker?.close();
    this.worker = undefined;
    await this.queue.close();
  }

  private async process(job: Job): Promise<void> {
    const payload = job.data as TimerPayload;
    const field = fieldOf(payload.kind, payload.id);
    const current = await this.options.redis.hget(this.currentKey, field);
    // Moved or cancelled since — unless the move never finished: an instance killed between recording the new jobId
    // and adding its job leaves a current jobId with no job behind it, and then this one is the timer.
    const dangling = current !== null && current !== job.id && !(await this.queue.getJob(current));
    if (current !== job.id && !dangling) return;
    const handler = this.handlers.get(payload.kind);
    if (!handler) throw new Error(`no handler for timers of kind ${payload.kind}`);
    if (dangling) this.logger.info({ kind: payload.kind, id: payload.id }, 'a timer whose move was cut short (its instance stopped) fires at its earlier time');
    const scheduled: ScheduledJob<unknown> = { kind: payload.kind, id: payload.id, dueAt: payload.dueAt, data: payload.data };
    await handler(scheduled);
    // Done, unless the handler scheduled the next one (then the current jobId is another). A dangling jobId is
    // cleared unless a move finished meanwhile (its job exists now).
    const done = dangling ? current : job.id!;
    if (dangling && (await this.queue.getJob(current))) return;
    await this.options.redis.eval(COMPARE_AND_DELETE, 1, this.currentKey, field, done);
  }

  private async removeJob(jobId: string): Promise<void> {
    try {
      await (await this.queue.getJob(jobId))?.remove();
    } catch {
      // Running right now (locked): it will find it is no longer current and do nothing.
    }
  }
}

/** A BullMQ job id may not contain ':' and may not be all digits. */
function fieldOf(kind: string, id: string): string {
  return `${kind}.${id}`.replace(/:/g, '_');
}
