// Reads the app's own measurements from GET /metrics (Prometheus text) instead of timing the same thing again: a
// histogram's buckets, sum and count per label set, the difference between two scrapes (what one step of a figure
// added), and quantiles estimated from the buckets the way PromQL's histogram_quantile does.
import { request } from 'undici';

export interface ScrapedHistogram {
  /** Cumulative counts by upper bound, ascending; the last bound is +Inf. */
  buckets: Array<{ le: number; count: number }>;
  sum: number;
  count: number;
}

/** Every series of histogram `name` whose labels include `match`, keyed by the value of label `by`. */
export async function scrapeHistograms(appUrl: string, name: string, match: Record<string, string>, by: string): Promise<Map<string, ScrapedHistogram>> {
  const res = await request(`${appUrl}/metrics`);
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`GET /metrics answered ${res.statusCode}`);
  return parseHistograms(text, name, match, by);
}

export function parseHistograms(text: string, name: string, match: Record<string, string>, by: string): Map<string, ScrapedHistogram> {
  const out = new Map<string, ScrapedHistogram>();
  const get = (key: string) => {
    let h = out.get(key);
    if (!h) out.set(key, (h = { buckets: [], sum: 0, count: 0 }));
    return h;
  };
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    if (!Object.entries(match).every(([k, v]) => labels[k] === v)) continue;
    const key = labels[by];
    if (key === undefined) continue;
    const value = Number(m[3]);
    if (m[1] === `${name}_bucket`) get(key).buckets.push({ le: labels.le === '+Inf' ? Infinity : Number(labels.le), count: value });
    else if (m[1] === `${name}_sum`) get(key).sum = value;
    else if (m[1] === `${name}_count`) get(key).count = value;
  }
  for (const h of out.values()) h.buckets.sort((a, b) => a.le - b.le);
  return out;
}

/** What was observed between two scrapes of the same histogram. */
export function histogramDelta(after: ScrapedHistogram, before: ScrapedHistogram | undefined): ScrapedHistogram {
  if (!before) return after;
  return {
    buckets: after.buckets.map((b) => ({ le: b.le, count: b.count - (before.buckets.find((x) => x.le === b.le)?.count ?? 0) })),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  };
}

/** The q-quantile (0–1), interpolated linearly inside its bucket (histogram_quantile); undefined for no samples. */
export function histogramQuantile(q: number, h: ScrapedHistogram): number | undefined {
  if (h.count <= 0 || h.buckets.length === 0) return undefined;
  const rank = q * h.count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const b of h.buckets) {
    if (b.count >= rank) {
      // Beyond the last finite bound nothing is known but that bound.
      if (b.le === Infinity) return lowerBound;
      const inBucket = b.count - lowerCount;
      return inBucket <= 0 ? b.le : lowerBound + ((b.le - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = b.le;
    lowerCount = b.count;
  }
  return lowerBound;
}
