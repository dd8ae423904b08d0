// Call control: answer (inside Graph's answer window), reject, redirect, transfer and hang-up, each with the retry
// semantics its request allows — what is harmless to repeat is repeated, what is not is re-read first.
import { GraphError } from '../graph/index.js';
import * as callActions from './call-actions.js';
import { CallError } from './call-error.js';
import { isLive, type CallRecord } from './call-session.js';
import type { CallWatchdog } from './call-watchdog.js';
import { isNotFound } from './keep-alive.js';
import { withRetry, type AmbiguousDecision } from './request-retry.js';
import type { CallOperations } from './call-operations.js';
import type { CallStore } from './call-store.js';
import { pick, type CallCore } from './call-core.js';

/** The last answer attempt starts this long before the window closes (Graph must still get it in time). */
const ANSWER_MARGIN_MS = 1_000;

export class CallControl {
  constructor(
    private readonly core: CallCore,
    private readonly parts: { ops: CallOperations; calls: CallStore; watchdog: CallWatchdog },
  ) {}

  // One 429/503 is retried (Graph did not process it) after Retry-After, as long as the attempt still starts inside
  // Graph's answer window; a reset or timeout is ambiguous, so the call is re-read: still incoming → answer again;
  // establishing or established → it was answered, carry on. A 409 after an ambiguous attempt means the same.
  async answer(callId: string, options: { acceptedModalities?: callActions.AnswerInput['acceptedModalities']; preFetchMedia?: callActions.MediaInfoInput[]; callbackUri?: string } = {}): Promise<CallRecord> {
    const { ops, calls } = this.parts;
    const graph = this.core.graph;
    const session = await ops.requireLive(callId, ['incoming']);
    const arrivedAt = Date.parse(session.createdAt);
    const deadlineAt = (Number.isFinite(arrivedAt) ? arrivedAt : this.core.now()) + this.core.deadlines.answerWindowMs - ANSWER_MARGIN_MS;
    let ambiguous = false;
    const answeredAlready = async (): Promise<AmbiguousDecision<void>> => {
      // Calls.Initiate.All · call-get
      const call = await callActions.getCall(graph, callId);
      if (call.state === 'incoming') return { retry: true };
      await calls.applyUpdate(callId, call);
      if (call.state === 'establishing' || call.state === 'established') return { done: undefined };
      throw new CallError('calls/call-ended', `Call ${callId} is ${call.state ?? 'gone'}: it can no longer be answered`, { callId });
    };
    await ops.step(callId, 'answer', () =>
      withRetry(
        async () => {
          try {
            await callActions.answer(graph, callId, { callbackUri: options.callbackUri ?? this.core.options.callbackUri, ...pick(options, ['acceptedModalities', 'preFetchMedia']) });
          } catch (err) {
            if (ambiguous && err instanceof GraphError && err.status === 409) {
              const decision = await answeredAlready();
              if ('done' in decision) return;
            }
            throw err;
          }
        },
        {
          ...ops.retryOptions('answer', callId),
          deadlineAt,
          onAmbiguous: async () => {
            ambiguous = true;
            return answeredAlready();
          },
        },
      ),
    );
    const after = (await calls.setState(callId, 'establishing'))!;
    if (after.state === 'establishing') this.parts.watchdog.watch(callId);
    return after;
  }

  async reject(callId: string, reason: callActions.RejectReason = 'none'): Promise<void> {
    await this.parts.ops.requireLive(callId, ['incoming']);
    await this.parts.ops.step(callId, 'reject', () => callActions.reject(this.core.graph, callId, { reason }));
  }

  async redirect(callId: string, input: Omit<callActions.RedirectInput, 'callbackUri'>): Promise<void> {
    await this.parts.ops.requireLive(callId, ['incoming']);
    await this.parts.ops.step(callId, 'redirect', () => callActions.redirect(this.core.graph, callId, { ...input, callbackUri: this.core.options.callbackUri }));
  }

  // 429/503 retried; a reset or timeout re-reads the call: transferring (or gone) means Graph took the transfer,
  // still established means it did not, and it is sent again.
  async transfer(callId: string, input: callActions.TransferInput): Promise<void> {
    const { ops, calls } = this.parts;
    const graph = this.core.graph;
    await ops.requireLive(callId, ['established', 'hold']);
    await ops.step(callId, 'transfer', () =>
      withRetry(() => callActions.transfer(graph, callId, input), {
        ...ops.retryOptions('transfer', callId),
        onAmbiguous: async () => {
          let call: callActions.GraphCall;
          try {
            call = await callActions.getCall(graph, callId);
          } catch (err) {
            if (isNotFound(err)) return { done: undefined }; // already transferred away
            throw err;
          }
          if (call.state === 'established' || call.state === 'hold') return { retry: true };
          await calls.applyUpdate(callId, call);
          return { done: undefined };
        },
      }),
    );
  }

  async hangUp(callId: string): Promise<CallRecord> {
    const { ops, calls } = this.parts;
    const session = await ops.requireCall(callId);
    if (!isLive(session)) return session;
    if (!session.endRequestedAt) await calls.update(callId, (s) => ({ ...s, endRequestedAt: this.core.iso(this.core.now()) }));
    try {
      // DELETE is harmless to repeat (a second one answers 404: the call is gone), so ambiguous failures repeat too.
      await withRetry(() => callActions.hangUp(this.core.graph, callId), { ...ops.retryOptions('hang up', callId), onAmbiguous: async () => ({ retry: true }) });
    } catch (err) {
      if (isNotFound(err)) {
        await calls.markEnded(callId);
        return (await calls.getRecord(callId))!;
      }
      return ops.step(callId, 'hang up', () => Promise.reject(err));
    }
    return (await calls.setState(callId, 'terminating'))!;
  }
}
