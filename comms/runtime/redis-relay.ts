// Events between instances over Redis pub/sub (distributed mode). Pub/sub delivers only to instances connected now,
// which is what live streams need; anything a late joiner needs is in the store (and the side panel's resume backlog).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describeError } from './errors.js';
import type { BusEvent, EventRelay } from './event-bus.js';
import { silentLogger, type Logger } from './logger.js';

export class RedisEventRelay implements EventRelay {
  readonly instanceId = randomUUID();
  private readonly listeners: Array<(event: BusEvent) => void> = [];
  private readonly channel: string;
  private readonly logger: Logger;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    options: { channel?: string; logger?: Logger } = {},
  ) {
    this.channel = options.channel ?? 'sb:events';
    const logger = options.logger ?? silentLogger;
    this.logger = logger;
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      let parsed: { from: string; event: BusEvent };
      try {
        parsed = JSON.parse(message) as { from: string; event: BusEvent };
      } catch (err) {
        logger.warn({ err: describeError(err) }, 'an unreadable event arrived on the cluster channel');
        return;
      }
      if (parsed.from === this.instanceId) return;
      for (const listener of this.listeners) listener(parsed.event);
    });
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
  }

  send(event: BusEvent): void {
    this.publisher.publish(this.channel, JSON.stringify({ from: this.instanceId, event })).catch((err: unknown) => {
      this.logger.warn({ event: event.type, err: describeError(err) }, 'an event could not be sent to the other instances');
    });
  }

  onReceive(listener: (event: BusEvent) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }
}
