// Repeating a call request whose meaning is known here (the Graph client never repeats a POST on its own):
// 429 and 503 mean Graph did not process the request, so it is sent again after Retry-After, within a deadline;
// a dropped connection, a timeout, 502 or 504 are ambiguous — Graph may have acted — so the caller decides (re-read
// the call and carry on, repeat because repeating is harmless, or give up).
import { GraphError } from '../graph/index.js';
import type { Clock, Timers } from '../runtime/clock.js';

export type FailureKind = 'unprocessed' | 'ambiguous' | 'failed';

export function classifyFailure(err: unknown): FailureKind {
  if (!(err instanceof GraphError)) return 'failed';
  if (err.code === 'graph/network' || err.code === 'graph/timeout') return 'ambiguous';
  if (err.status === 429 || err.status === 503) return 'unprocessed';
  if (err.status === 502 || err.status === 504) return 'ambiguous';
  return 'failed';
}

/** What to do after an ambiguous failure: send again, or carry on with a value because Graph did act. */
export type AmbiguousDecision<T> = { retry: true } | { done: T };

export interface RetryOptions<T> {
  timers: Timers;
  now: Clock;
  /** No attempt starts after this moment (e.g. Graph's answer window). */
  deadlineAt?: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff when Graph gives no Retry-After: base × 2^(n-1). */
  baseDelayMs: number;
  /** Called on an ambiguous failure; without it an ambiguous failure is thrown. */
  onAmbiguous?: (err: GraphError, attempt: number) => Promise<AmbiguousDecision<T>>;
  onRetry?: (err: GraphError, attempt: number, delayMs: number) => void;
}

export async function withRetry<T>(send: (attempt: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send(attempt);
    } catch (err) {
      const kind = classifyFailure(err);
      if (kind === 'failed' || attempt >= options.maxAttempts) throw err;
      const graphErr = err as GraphError;
      let delayMs = 0;
      if (kind === 'ambiguous') {
        if (!options.onAmbiguous) throw err;
        const decision = await options.onAmbiguous(graphErr, attempt);
        if ('done' in decision) return decision.done;
      } else {
        delayMs = graphErr.retryAfterSeconds !== undefined ? graphErr.retryAfterSeconds * 1000 : options.baseDelayMs * 2 ** (attempt - 1);
      }
      if (options.deadlineAt !== undefined && options.now() + delayMs > options.deadlineAt) throw err;
      options.onRetry?.(graphErr, attempt, delayMs);
      if (delayMs > 0) await sleep(options.timers, delayMs);
    }
  }
}

export function sleep(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => void timers.setTimeout(resolve, ms));
}
