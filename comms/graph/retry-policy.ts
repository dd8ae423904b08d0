// When and how long to wait before repeating a Graph request: only repeatable requests, only on 429/503/504 or a
// dropped connection, honouring Retry-After, otherwise capped exponential backoff with jitter.

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, baseDelayMs: 1_000, maxDelayMs: 30_000 };

const RETRYABLE_STATUS = new Set([429, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** Retry-After is either delta-seconds or an HTTP date. Returns seconds, or undefined when absent/unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/[a-z]/i.test(trimmed)) return undefined; // neither delta-seconds nor an HTTP date
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Delay before retry number `attempt` (1-based). */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterSeconds?: number, random = Math.random): number {
  if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, policy.maxDelayMs);
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  const jitter = exponential * 0.2 * random();
  return Math.min(exponential + jitter, policy.maxDelayMs);
}
