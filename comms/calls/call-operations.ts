// How every call operation runs: the call must exist (and be live), a failed Graph request is recorded on the call
// and published as call.error, 429/503 are retried, an ambiguous failure is repeated or reported as outcome-unknown,
// and an operation is awaited until its completion notification (re-read from Graph when it is overdue).
import { GraphError } from '../graph/index.js';
import { describeError } from '../runtime/errors.js';
import { CallError } from './call-error.js';
import { CALL_EVENTS } from './call-events.js';
import { isLive, type CallRecord } from './call-session.js';
import type { CommsOperation } from './graph-shapes.js';
import { isNotFound } from './keep-alive.js';
import * as media from './media-actions.js';
import type { OperationTracker } from './operation-tracker.js';
import { classifyFailure, withRetry } from './request-retry.js';
import type { CallChanges } from './call-changes.js';
import type { CallStore } from './call-store.js';
import { notFound, type CallCore } from './call-core.js';

export class CallOperations {
  constructor(
    private readonly core: CallCore,
    private readonly parts: { calls: CallStore; changes: CallChanges; tracker: OperationTracker },
  ) {}

  /** The call (without its roster), or calls/not-found. */
  async requireCall(callId: string): Promise<CallRecord> {
    const session = await this.parts.calls.getRecord(callId);
    if (!session) throw notFound(callId);
    return session;
  }

  async requireLive(callId: string, states?: CallRecord['state'][]): Promise<CallRecord> {
    const session = await this.requireCall(callId);
    if (!isLive(session)) throw new CallError('calls/call-ended', `Call ${callId} has ended`, { callId });
    if (states && !states.includes(session.state)) {
      throw new CallError('calls/invalid-state', `Call ${callId} is ${session.state}; this needs it ${states.join(' or ')}`, { callId });
    }
    return session;
  }

  /** Runs one Graph request of a flow: on failure the call keeps a known state and call.error is published. */
  async step<T>(callId: string, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof GraphError) {
        this.core.logger.warn({ err: err.toJSON(), callId }, `${what} failed`);
        await this.recordError(callId, err.code, err.message);
        if (isNotFound(err)) await this.parts.calls.markEnded(callId);
      }
      throw err;
    }
  }

  async recordError(callId: string, code: string, message: string): Promise<void> {
    await this.parts.calls.update(callId, (s) => ({ ...s, lastError: { code, message, at: this.core.iso(this.core.now()) } }));
    this.parts.changes.publish({ type: CALL_EVENTS.error, callId, code, message });
  }

  /** Sends an operation request: 429/503 retried; after an ambiguous failure repeated (optionally after `beforeRepeat`) or reported as unknown. */
  send(callId: string, what: string, onAmbiguous: 'repeat' | 'fail' | undefined, send: () => Promise<CommsOperation>, beforeRepeat?: () => Promise<void>): Promise<CommsOperation> {
    return withRetry(send, {
      ...this.retryOptions(what, callId),
      onAmbiguous: async (err) => {
        if (onAmbiguous !== 'repeat') {
          throw new CallError('calls/outcome-unknown', `${what} on call ${callId}: Graph's answer was lost, so it may or may not have started (${err.code})`, { callId, cause: err });
        }
        await beforeRepeat?.();
        return { retry: true };
      },
    });
  }

  /**
   * Waits for an operation's completion notification; when it is overdue, re-reads the operation (GET
   * …/operations/{id}): completed or failed settles it, running waits once more, anything else is a timeout.
   */
  async await(callId: string, op: CommsOperation, timeoutMs?: number): Promise<CommsOperation> {
    const { tracker } = this.parts;
    for (let round = 0; ; round += 1) {
      try {
        return await tracker.track(callId, op, { timeoutMs });
      } catch (err) {
        if (!(err instanceof CallError) || err.code !== 'calls/operation-timeout') throw err;
        let current: CommsOperation | undefined;
        try {
          current = await media.getOperation(this.core.graph, callId, op.id, op.type);
        } catch (readErr) {
          this.core.logger.warn({ err: describeError(readErr), callId, operationId: op.id }, 'an overdue operation could not be re-read');
        }
        if (current && (current.status === 'completed' || current.status === 'failed')) {
          this.core.logger.info({ callId, operationId: op.id, status: current.status }, 'an operation completion notification was overdue; re-read it');
          return tracker.track(callId, { ...op, ...current });
        }
        if (current && round === 0 && (await this.parts.calls.getRecord(callId).then((s) => s && isLive(s)))) continue;
        await this.recordError(callId, err.code, err.message);
        throw err;
      }
    }
  }

  retryOptions(what: string, callId: string) {
    return {
      timers: this.core.timers,
      now: this.core.now,
      maxAttempts: this.core.deadlines.maxAttempts,
      baseDelayMs: this.core.deadlines.retryBaseMs,
      onRetry: (err: GraphError, attempt: number, delayMs: number) =>
        this.core.logger.warn({ err: err.toJSON(), callId, attempt, delayMs, kind: classifyFailure(err) }, `${what} failed; trying again`),
    };
  }
}
