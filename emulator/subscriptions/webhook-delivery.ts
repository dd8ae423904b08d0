// Delivers change and lifecycle notifications to an app's endpoint as Graph does: POST application/json, 2xx within the
// publisher's timeout (3 s) counts; 5xx, timeouts and network errors are retried with backoff for the retry window
// (Graph: 4 hours), 4xx is not retried. Every outcome is written into the delivery record.

import { request, type Dispatcher } from 'undici';
import type { Scheduler } from '../calls/scheduler.js';
import type { EmulatorLogger } from '../emulator-options.js';
import type { DeliveryRecord } from './subscription-model.js';

export interface WebhookDeliveryOptions {
  dispatcher: Dispatcher;
  scheduler: Scheduler;
  logger: EmulatorLogger;
  /** Before the first attempt, and the base of the retry backoff. */
  delayMs: number;
  timeoutMs: number;
  retryWindowMs: number;
  closing: AbortSignal;
}

const MAX_BACKOFF_MS = 60_000;

export class WebhookDelivery {
  constructor(private readonly o: WebhookDeliveryOptions) {}

  /** Delivers in the background; `stillWanted` is asked before each attempt (an expired subscription stops). */
  deliver(url: string, body: unknown, record: DeliveryRecord, stillWanted: () => boolean, done?: (record: DeliveryRecord) => void): void {
    void this.run(url, JSON.stringify(body), record, stillWanted).finally(() => done?.(record));
  }

  private async run(url: string, body: string, record: DeliveryRecord, stillWanted: () => boolean): Promise<void> {
    const firstAttempt = Date.now();
    try {
      await this.o.scheduler.sleep(this.o.delayMs, this.o.closing);
    } catch {
      return;
    }
    for (let attempt = 1; ; attempt++) {
      if (this.o.closing.aborted) return;
      if (!stillWanted()) {
        record.status = 'lost';
        record.error = 'the subscription ended before the notification was delivered';
        return;
      }
      record.attempts = attempt;
      let status: number | undefined;
      let error: string | undefined;
      try {
        const res = await request(url, {
          method: 'POST',
          dispatcher: this.o.dispatcher,
          headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
          body,
          signal: AbortSignal.any([this.o.closing, AbortSignal.timeout(this.o.timeoutMs)]),
        });
        status = res.statusCode;
        await res.body.dump().catch(() => undefined);
      } catch (err) {
        if (this.o.closing.aborted) return;
        error = (err as Error).name === 'TimeoutError' ? `no answer within ${this.o.timeoutMs} ms` : (err as Error).message;
      }
      if (status !== undefined) record.httpStatus = status;
      if (status !== undefined && status >= 200 && status < 300) {
        record.status = 'delivered';
        record.deliveredAt = new Date().toISOString();
        delete record.error;
        return;
      }
      if (status !== undefined && status < 500) {
        record.status = 'refused';
        this.o.logger.warn({ status, url: record.url }, 'change notification refused by the app (4xx): not retried');
        return;
      }
      if (error) record.error = error;
      const wait = Math.min(MAX_BACKOFF_MS, Math.max(50, this.o.delayMs) * 2 ** (attempt - 1));
      if (Date.now() + wait - firstAttempt > this.o.retryWindowMs) {
        record.status = 'failed';
        this.o.logger.warn({ status, error, url: record.url, attempts: attempt }, 'change notification not delivered within the retry window');
        return;
      }
      record.status = 'retrying';
      try {
        await this.o.scheduler.sleep(wait, this.o.closing);
      } catch {
        return;
      }
    }
  }
}
