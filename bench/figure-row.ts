// One row of the benchmark table: a measured value with the limit it must stay under and/or the floor (the same
// work done by the simplest possible thing) measured in the same run, and the ratios to each.

export interface Comparator {
  value: number;
  /** What it is, e.g. "Graph answer deadline" or "bare restify route, same payloads". */
  label: string;
}

export interface FigureRow {
  /** Figure number and letter, e.g. "1b". */
  id: string;
  /** e.g. "Webhook ack p99 @ 200 req/s". */
  name: string;
  /** undefined when the figure was skipped or could not be measured (see `skipped`). */
  value?: number;
  unit: string;
  /** Which way is good (default lower: latencies, CPU, bytes). */
  better?: 'lower' | 'higher';
  limit?: Comparator;
  floor?: Comparator;
  /** Why there is no value ("skipped: tab not built"). */
  skipped?: string;
  /** One line that qualifies the value (what was measured exactly, what went wrong). */
  note?: string;
}

export interface FigureResult {
  /** e.g. "1 Webhook acknowledgement". */
  title: string;
  rows: FigureRow[];
  /** Everything measured, for the JSON file (per-step samples summaries, counts, settings). */
  details: Record<string, unknown>;
  durationMs: number;
}

export function ratio(value: number | undefined, against: Comparator | undefined): number | undefined {
  if (value === undefined || against === undefined || !Number.isFinite(value) || !Number.isFinite(against.value) || against.value === 0) return undefined;
  return value / against.value;
}

export function skippedRow(id: string, name: string, unit: string, reason: string): FigureRow {
  return { id, name, unit, skipped: reason };
}
