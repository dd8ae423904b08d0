// ISO-8601 durations as callRecords print them (`PT0.016S`, `PT1M2.5S`, `P1DT2H`) → milliseconds.

const DURATION = /^P(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,9}(?:\.\d{1,9})?)S)?)?$/;

/** Milliseconds, or undefined for anything that is not a non-negative day/time duration. */
export function parseIsoDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const m = DURATION.exec(value);
  if (!m) return undefined;
  const [, d, h, min, s] = m;
  if (d === undefined && h === undefined && min === undefined && s === undefined) return undefined;
  if (value.endsWith('T')) return undefined;
  const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
  return Number.isFinite(ms) ? ms : undefined;
}
