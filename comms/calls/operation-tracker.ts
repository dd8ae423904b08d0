// Waits for asynchronous Graph operations (playPrompt, recordResponse, sendDtmfTones, invite, hold music) to finish:
// they resolve on their completion notification, never by sleeping, or fail on timeout or when the call ends.
import type { Store } from '../store/index.js';
import { CallError } from './call-error.js';
import type { CommsOperation } from './graph-shapes.js';
import { systemClock, systemTimers, type Clock, type TimerHandle, type Timers } from '../runtime/clock.js';

export const OPERATIONS_COLLECTION = 'call-operations';

/** What is stored for an operation still running, so a restart knows about it. */
export interface PendingOperationRecord {
  id: string;
  callId: string;
  type: string;
  clientContext?: string;
  startedAt: string;
  timeoutAt: string;
}

export interface OperationTrackerOptions {
  store: Store;
  timers?: Timers;
  now?: Clock;
  /** How long to wait for a completion notification. */
  defaultTimeoutMs?: number;
  /** How long a completion that arrived before its POST answered is remembered. */
  rememberMs?: number;
  logger?: { warn(obj: object, msg?: string): void };
}

interface Waiter {
  callId: string;
  resolve(op: CommsOperation): void;
  reject(err: CallError): void;
  timer: TimerHandle;
}

const MAX_REMEMBERED = 10_000;

export class OperationTracker {
  private readonly store: Store;
  private readonly timers: Timers;
  private readonly now: Clock;
  private readonly defaultTimeoutMs: number;
  private readonly rememberMs: number;
  private readonly logger?: OperationTrackerOptions['logger'];
  private readonly waiters = new Map<string, Waiter>();
  private readonly early = new Map<string, { callId: string; op: CommsOperation; at: number }>();

  constructor(options: OperationTrackerOptions) {
    this.store = options.store;
    this.timers = options.timers ?? systemTimers;
    this.now = options.now ?? systemClock;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 5 * 60_000;
    this.rememberMs = options.rememberMs ?? 10 * 60_000;
    this.logger = options.logger;
  }

  /** Resolves with the final operation; rejects with calls/operation-failed, calls/operation-timeout or calls/call-ended. */
  async track(callId: string, op: CommsOperation, options: { timeoutMs?: number } = {}): Promise<CommsOperation> {
    if (op.status === 'completed' || op.status === 'failed') return settled(callId, op);
    this.prune();
    const early = this.early.get(op.id);
    if (early) {
      this.early.delete(op.id);
      return settled(callId, { ...op, ...early.op });
    }
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    // The waiter is registered before anything is awaited, so a completion processed meanwhile finds it.
    const done = new Promise<CommsOperation>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        if (!this.waiters.delete(op.id)) return;
        void this.forget(op.id);
        reject(
          new CallError('calls/operation-timeout', `${op.type} ${op.id} on call ${callId} did not complete within ${timeoutMs} ms`, {
            callId,
            operationId: op.id,
          }),
        );
      }, timeoutMs);
      this.waiters.set(op.id, { callId, resolve, reject, timer });
    });
    // It can settle while the record is being written, before it is returned to anyone: never an unhandled rejection.
    done.catch(() => undefined);
    const record: PendingOperationRecord = {
      id: op.id,
      callId,
      type: op.type,
      startedAt: new Date(this.now()).toISOString(),
      timeoutAt: new Date(this.now() + timeoutMs).toISOString(),
      ...(op.clientContext !== undefined ? { clientContext: op.clientContext } : {}),
    };
    try {
      await this.store.put(OPERATIONS_COLLECTION, op.id, record);
    } catch (err) {
      // Nobody will wait for `done`: its waiter and timer go, or the timer would still fire and reject it.
      const waiter = this.waiters.get(op.id);
      if (waiter) {
        this.waiters.delete(op.id);
        this.timers.clearTimeout(waiter.timer);
      }
      throw err;
    }
    // It may have completed while the record was being written.
    if (!this.waiters.has(op.id)) await this.forget(op.id);
    return done;
  }

  /** A completion notification (changeType deleted on …/operations/{id}). Returns whether someone was waiting. */
  async complete(callId: string, op: CommsOperation): Promise<boolean> {
    const waiter = this.waiters.get(op.id);
    if (waiter && waiter.callId === callId) {
      this.waiters.delete(op.id);
      this.timers.clearTimeout(waiter.timer);
      await this.forget(op.id);
      settled(callId, op).then(waiter.resolve, waiter.reject);
      return true;
    }
    // Nobody waits (yet): the POST may still be on its way back, or the process restarted since.
    this.prune();
    if (this.early.size >= MAX_REMEMBERED) this.early.delete(this.early.keys().next().value as string);
    this.early.set(op.id, { callId, op, at: this.now() });
    await this.forget(op.id);
    return false;
  }

  /** The call ended: everything still pending on it fails with calls/call-ended. */
  async failCall(callId: string): Promise<void> {
    for (const [id, waiter] of [...this.waiters]) {
      if (waiter.callId !== callId) continue;
      this.waiters.delete(id);
      this.timers.clearTimeout(waiter.timer);
      waiter.reject(new CallError('calls/call-ended', `Call ${callId} ended before operation ${id} completed`, { callId, operationId: id }));
    }
    for (const item of await this.store.list<PendingOperationRecord>(OPERATIONS_COLLECTION)) {
      if (item.value.callId === callId) await this.store.delete(OPERATIONS_COLLECTION, item.key);
    }
  }

  async pending(callId?: string): Promise<PendingOperationRecord[]> {
    const items = await this.store.list<PendingOperationRecord>(OPERATIONS_COLLECTION);
    return items.map((i) => i.value).filter((r) => callId === undefined || r.callId === callId);
  }

  /** Stops every timer; waiters are left unresolved (the process is shutting down). */
  stop(): void {
    for (const waiter of this.waiters.values()) this.timers.clearTimeout(waiter.timer);
    this.waiters.clear();
  }

  private async forget(id: string): Promise<void> {
    try {
      await this.store.delete(OPERATIONS_COLLECTION, id);
    } catch (err) {
      this.logger?.warn({ err, operationId: id }, 'could not delete a finished operation record');
    }
  }

  private prune(): void {
    const cutoff = this.now() - this.rememberMs;
    for (const [id, entry] of this.early) if (entry.at < cutoff) this.early.delete(id);
  }
}

function settled(callId: string, op: CommsOperation): Promise<CommsOperation> {
  if (op.status === 'failed') {
    const code = op.resultInfo ? ` (${op.resultInfo.code}/${op.resultInfo.subcode ?? 0}${op.resultInfo.message ? ` ${op.resultInfo.message}` : ''})` : '';
    return Promise.reject(
      new CallError('calls/operation-failed', `${op.type} ${op.id} on call ${callId} failed${code}`, {
        callId,
        operationId: op.id,
        resultInfo: op.resultInfo,
        ...(op.completionReason ? { completionReason: op.completionReason } : {}),
      }),
    );
  }
  return Promise.resolve(op);
}
