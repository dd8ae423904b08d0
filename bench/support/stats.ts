// Small statistics for benchmark samples: percentiles (nearest rank), the mean, and a rate over a time span.

/** The p-th percentile (0–100) by nearest rank; undefined for no samples. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function mean(samples: readonly number[]): number | undefined {
  if (samples.length === 0) return undefined;
  let sum = 0;
  for (const s of samples) sum += s;
  return sum / samples.length;
}

export function max(samples: readonly number[]): number | undefined {
  let out: number | undefined;
  for (const s of samples) if (out === undefined || s > out) out = s;
  return out;
}

/** p50, p99 and max of a sample set, rounded to 0.01. */
export function summary(samples: readonly number[]): { n: number; p50?: number; p99?: number; max?: number } {
  return { n: samples.length, p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)), max: round(max(samples)) };
}

export function round(value: number | undefined, digits = 2): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The most events in any window of `windowMs` (timestamps in ms, any order): a peak rate per window. */
export function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
