// Which instances of a cluster are alive. A flow that lives in one instance's memory (an IVR menu waiting on a
// prompt, a reminder call ringing) records its owner; another instance takes it over only when that owner is gone.
// Each instance holds a short-lived Redis key that it refreshes (a lease); a killed instance's key expires.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { describeError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';

export interface InstanceRegistry {
  readonly instanceId: string;
  /** How long a killed instance still looks alive. */
  readonly leaseMs: number;
  isAlive(instanceId: string): Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class RedisInstanceRegistry implements InstanceRegistry {
  readonly instanceId: string;
  private timer: NodeJS.Timeout | undefined;
  readonly leaseMs: number;
  private readonly logger: Logger;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: { name?: string; ttlMs?: number; prefix?: string; logger?: Logger } = {},
  ) {
    this.instanceId = `${options.name ?? hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`.replace(/[^\w.-]/g, '_');
    this.leaseMs = options.ttlMs ?? 6_000;
    this.prefix = options.prefix ?? 'sb';
    this.logger = options.logger ?? silentLogger;
  }

  private key(id: string): string {
    return `${this.prefix}:instance:${id}`;
  }

  async isAlive(instanceId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(instanceId))) === 1;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.logger.warn({ err: describeError(err) }, 'could not renew this instance\'s lease in Redis'));
    }, Math.floor(this.leaseMs / 3));
    this.timer.unref();
  }

  /** Graceful stop: the lease goes at once, so the flows this instance leaves are taken over without waiting. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.del(this.key(this.instanceId)).catch(() => undefined);
  }

  private async refresh(): Promise<void> {
    await this.redis.set(this.key(this.instanceId), String(Date.now()), 'PX', this.leaseMs);
  }
}
