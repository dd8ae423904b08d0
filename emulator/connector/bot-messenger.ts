// Posts activities to an app's messaging endpoint (/api/messages) the way the Bot Framework channel does — in order
// per conversation, after the notification delay — and records each one with the endpoint's answer. In local mode the
// endpoint is anonymous, so no Authorization header is sent.

import { request, type Dispatcher } from 'undici';
import type { Json } from '../calls/call-model.js';
import type { Scheduler } from '../calls/scheduler.js';
import type { EmulatorLogger } from '../emulator-options.js';
import type { ConnectorActivity, ConnectorStore } from './connector-store.js';

export interface BotMessengerOptions {
  store: ConnectorStore;
  dispatcher: Dispatcher;
  scheduler: Scheduler;
  logger: EmulatorLogger;
  delayMs: number;
  closing: AbortSignal;
  emit(type: string, fields: Record<string, unknown>): void;
}

const TIMEOUT_MS = 15_000;

export class BotMessenger {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly o: BotMessengerOptions) {}

  /** Queues the activity for the app's endpoint; returns its record (outcome filled in when it is answered). */
  post(endpoint: string, appId: string, conversationId: string, activity: Json): ConnectorActivity {
    const record = this.o.store.record({
      conversationId,
      activityId: String(activity.id),
      direction: 'to-bot',
      operation: 'send',
      appId,
      activity,
      outcome: 'queued',
    });
    const key = `${appId}\u0000${conversationId.toLowerCase()}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(endpoint, record, activity)).catch(() => undefined);
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return record;
  }

  private async deliver(endpoint: string, record: ConnectorActivity, activity: Json): Promise<void> {
    try {
      await this.o.scheduler.sleep(this.o.delayMs, this.o.closing);
    } catch {
      return;
    }
    try {
      const res = await request(endpoint, {
        method: 'POST',
        dispatcher: this.o.dispatcher,
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Microsoft-BotFramework/3.1 (Switchboard emulator)' },
        body: JSON.stringify(activity),
        signal: AbortSignal.any([this.o.closing, AbortSignal.timeout(TIMEOUT_MS)]),
      });
      record.httpStatus = res.statusCode;
      await res.body.dump().catch(() => undefined);
      record.outcome = res.statusCode < 300 ? 'delivered' : 'refused';
    } catch (err) {
      if (this.o.closing.aborted) return;
      record.outcome = 'failed';
      record.error = (err as Error).message;
      this.o.logger.warn({ err: record.error, conversationId: record.conversationId }, 'activity not delivered to the messaging endpoint');
    }
    this.o.emit('activity.to-bot', {
      conversationId: record.conversationId,
      activityId: record.activityId,
      activityType: activity.type,
      name: activity.name,
      outcome: record.outcome,
      httpStatus: record.httpStatus,
    });
  }
}
