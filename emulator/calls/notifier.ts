// Delivers commsNotifications to a call's callbackUri as Microsoft's calling service does: signed bearer JWT, the
// observed Skype headers, one ordered queue per call, retries with backoff on 5xx/network errors, none on 4xx.

import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import type { CallingService } from '../calling/calling-service.js';
import type { EmulatorLogger } from '../emulator-options.js';
import type { EmulatedCall, Json, NotificationRecord } from './call-model.js';
import type { CallingEvents } from './calling-events.js';
import type { NotificationFault, NotificationFaults } from './notification-faults.js';
import type { Scheduler } from './scheduler.js';
import type { WireChangeType, WireCommsNotifications } from '../../graph-models/index.js';

export interface CommsNotification {
  changeType: WireChangeType;
  resourceUrl: string;
  /** Legacy `/app/calls/...` form (a documented variation). */
  resource?: string;
  callbackUri?: string;
  resourceData: Json | Json[];
}

interface Item {
  call: EmulatedCall;
  url: string;
  notification: CommsNotification;
  messageId: string;
  record: NotificationRecord;
}

interface CallQueue {
  items: Item[];
  held: Item[];
  running: boolean;
  flushCancel?: () => void;
}

export interface NotifierOptions {
  delayMs: number;
  calling: CallingService;
  events: CallingEvents;
  faults: NotificationFaults;
  scheduler: Scheduler;
  logger: EmulatorLogger;
}

const MAX_ATTEMPTS = 4;
/**
 * A bearer token is reused for this long (it is valid for an hour): like any OAuth client, the calling service does
 * not mint a JWT for every POST, and signing one (RS256) cost the emulator a fifth of its CPU in a 100-call burst.
 */
const TOKEN_REUSE_MS = 5 * 60_000;
const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_RECORDS_PER_CALL = 500;
export const USER_AGENT = 'Microsoft-Skype/3.0,(Calling/1.0)';

export class Notifier {
  private readonly queues = new Map<string, CallQueue>();
  private readonly agent = new Agent({ connect: { timeout: 5_000 } });
  private readonly closing = new AbortController();
  private seq = 0;
  private readonly tokens = new Map<string, { token: Promise<string>; signedAt: number }>();

  constructor(private readonly o: NotifierOptions) {}

  /** The calling service's token for this app and tenant: a fresh one every TOKEN_REUSE_MS, the same one between. */
  private bearerToken(call: EmulatedCall): Promise<string> {
    const key = `${call.appId}\n${call.tenantId}`;
    const now = Date.now();
    const held = this.tokens.get(key);
    if (held && now - held.signedAt >= 0 && now - held.signedAt < TOKEN_REUSE_MS) return held.token;
    const token = this.o.calling.signToken({ audience: call.appId, tenantId: call.tenantId });
    this.tokens.set(key, { token, signedAt: now });
    token.catch(() => {
      if (this.tokens.get(key)?.token === token) this.tokens.delete(key);
    });
    return token;
  }

  /** Queues a notification for the call (to its current callbackUri unless `url` is given). */
  send(call: EmulatedCall, notification: CommsNotification, url: string = call.callbackUri): void {
    if (this.closing.signal.aborted) return;
    const resourceData = notification.resourceData as Json;
    const record: NotificationRecord = {
      seq: ++this.seq,
      time: new Date().toISOString(),
      changeType: notification.changeType,
      resourceUrl: notification.resourceUrl,
      ...(typeof resourceData?.state === 'string' ? { state: resourceData.state } : {}),
      status: 'queued',
      attempts: 0,
    };
    call.notifications.push(record);
    if (call.notifications.length > MAX_RECORDS_PER_CALL) call.notifications.splice(0, call.notifications.length - MAX_RECORDS_PER_CALL);
    const queue = this.queueFor(call.id);
    queue.items.push({ call, url, notification, messageId: randomUUID(), record });
    void this.drain(call.id, queue);
  }

  async close(): Promise<void> {
    this.closing.abort(new Error('emulator closing'));
    for (const q of this.queues.values()) q.flushCancel?.();
    await this.agent.close().catch(() => undefined);
  }

  private queueFor(callId: string): CallQueue {
    let queue = this.queues.get(callId);
    if (!queue) {
      queue = { items: [], held: [], running: false };
      this.queues.set(callId, queue);
    }
    return queue;
  }

  private async drain(callId: string, queue: CallQueue): Promise<void> {
    if (queue.running) return;
    queue.running = true;
    queue.flushCancel?.();
    try {
      while (queue.items.length > 0 && !this.closing.signal.aborted) {
        const item = queue.items.shift()!;
        await this.o.scheduler.sleep(this.o.delayMs, this.closing.signal);
        const fault = this.o.faults.take(callId, item.notification.resourceUrl, item.notification.resourceData);
        if (fault) item.record.fault = fault.action;
        if (fault?.action === 'drop') {
          item.record.status = 'dropped';
          this.emit(item, { outcome: 'dropped', faultId: fault.id });
          continue;
        }
        if (fault?.action === 'delay') {
          item.record.status = 'held';
          this.emit(item, { outcome: 'delayed', faultId: fault.id, delayMs: fault.delayMs ?? 0 });
          this.o.scheduler.after(fault.delayMs ?? 0, () => void this.deliver(item));
          continue;
        }
        if (fault?.action === 'reorder') {
          item.record.status = 'held';
          this.emit(item, { outcome: 'held-for-reorder', faultId: fault.id });
          queue.held.push(item);
          continue;
        }
        await this.deliver(item);
        if (fault?.action === 'duplicate') await this.deliver(item, fault);
        while (queue.held.length > 0) await this.deliver(queue.held.shift()!);
      }
    } catch {
      // closing: pending sleeps reject.
    } finally {
      queue.running = false;
    }
    if (queue.items.length > 0 && !this.closing.signal.aborted) {
      void this.drain(callId, queue);
    } else if (queue.held.length > 0) {
      // Nothing followed a held notification: send it after a while rather than never.
      queue.flushCancel = this.o.scheduler.after(Math.max(250, this.o.delayMs * 5), () => {
        if (queue.running) return;
        const held = queue.held.splice(0);
        void (async () => {
          for (const item of held) await this.deliver(item);
        })();
      });
    }
  }

  private async deliver(item: Item, duplicateOf?: NotificationFault): Promise<void> {
    const { call, url } = item;
    const envelope: WireCommsNotifications & { value: Array<{ resource?: string }> } = {
      '@odata.type': '#microsoft.graph.commsNotifications',
      value: [{ '@odata.type': '#microsoft.graph.commsNotification', ...item.notification }],
    };
    const body = JSON.stringify(envelope);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && !this.closing.signal.aborted; attempt++) {
      item.record.attempts += 1;
      let status: number | undefined;
      let error: string | undefined;
      try {
        const token = await this.bearerToken(call);
        const res = await request(url, {
          method: 'POST',
          dispatcher: this.agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json',
            'user-agent': USER_AGENT,
            'x-microsoft-skype-chain-id': call.callChainId,
            'x-microsoft-skype-message-id': item.messageId,
          },
          body,
          signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
        });
        status = res.statusCode;
        await res.body.dump().catch(() => undefined);
      } catch (err) {
        if (this.closing.signal.aborted) return;
        error = (err as Error).message;
      }
      item.record.httpStatus = status;
      if (status !== undefined && status < 300) {
        item.record.status = 'delivered';
        this.emit(item, { outcome: duplicateOf ? 'delivered-duplicate' : 'delivered', httpStatus: status, attempt });
        return;
      }
      if (status !== undefined && status < 500) {
        item.record.status = 'failed';
        this.o.logger.warn({ callId: call.id, status, resourceUrl: item.notification.resourceUrl }, 'calling notification refused by the app (4xx): not retried');
        this.emit(item, { outcome: 'refused', httpStatus: status, attempt });
        return;
      }
      const last = attempt === MAX_ATTEMPTS;
      this.emit(item, { outcome: last ? 'failed' : 'retrying', ...(status !== undefined ? { httpStatus: status } : { error }), attempt });
      if (last) {
        item.record.status = 'failed';
        this.o.logger.warn({ callId: call.id, status, error, resourceUrl: item.notification.resourceUrl }, 'calling notification not delivered after retries');
        return;
      }
      try {
        await this.o.scheduler.sleep(Math.max(50, this.o.delayMs) * 2 ** (attempt - 1), this.closing.signal);
      } catch {
        return;
      }
    }
  }

  private emit(item: Item, fields: Record<string, unknown>): void {
    const data = item.notification.resourceData as Json;
    this.o.events.emit('notification', {
      callId: item.call.id,
      notificationSeq: item.record.seq,
      url: item.url.split('?')[0],
      changeType: item.notification.changeType,
      resourceUrl: item.notification.resourceUrl,
      state: Array.isArray(data) ? undefined : (data?.state as string | undefined),
      ...fields,
    });
  }
}
