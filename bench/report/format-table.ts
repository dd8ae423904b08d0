// The bench's one table, as plain text: figure, value, limit, floor (both measured or fixed in this run), the
// ratios value ÷ limit and value ÷ floor, and the change since the previous run on this machine (regression.ts); then
// one line per row naming what the limit and floor are, and notes, and which earlier runs the changes are against.
import { ratio, type FigureResult, type FigureRow } from '../figure-row.js';
import { changeText, type Baselines, type RunCommit } from './regression.js';

export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (Number.isInteger(value) || abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1 || abs === 0) return value.toFixed(2).replace(/\.00$/, '');
  return value.toPrecision(2);
}

function withUnit(value: number | undefined, unit: string): string {
  if (value === undefined) return '—';
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

function ratioText(r: number | undefined, kind: 'limit' | 'floor'): string {
  if (r === undefined) return '—';
  const text = Math.abs(r) >= 10 ? Math.round(r).toLocaleString('en-US') : Math.abs(r) >= 1 ? r.toFixed(1) : Math.abs(r) >= 0.01 ? r.toFixed(2) : r.toPrecision(2);
  return kind === 'floor' ? `${text}×` : text;
}

export interface Comparison {
  baselines: Baselines;
  commit?: RunCommit;
}

export function formatTable(figures: FigureResult[], heading: string, comparison?: Comparison): string {
  const header = ['#', 'figure', 'value', 'limit', 'floor', 'value÷limit', 'value÷floor', ...(comparison ? ['vs previous'] : [])];
  const rows = figures.flatMap((f) => f.rows);
  const cells = (row: FigureRow) => [...rowCells(row), ...(comparison ? [changeText(comparison.baselines.get(row.id))] : [])];
  const measured = rows.filter((r) => !r.skipped).map(cells);
  const widths = header.map((h, i) => Math.max(h.length, ...measured.map((c) => c[i]!.length), ...(i < 2 ? rows.map((r) => (i === 0 ? r.id : r.name).length) : [])));
  const line = (c: string[]) => c.map((text, i) => (i >= 2 ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [heading, '', line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of rows) out.push(row.skipped ? `${row.id.padEnd(widths[0]!)}  ${row.name.padEnd(widths[1]!)}  ${row.skipped}` : line(cells(row)));
  out.push('', 'What each limit and floor is, and notes:');
  for (const row of rows) {
    const parts: string[] = [];
    if (row.limit) parts.push(`limit: ${row.limit.label}`);
    if (row.floor) parts.push(`floor: ${row.floor.label}`);
    if (row.better === 'higher') parts.push('higher is better');
    if (row.note) parts.push(row.note);
    if (parts.length > 0) out.push(`  ${row.id.padEnd(widths[0]!)}  ${parts.join('; ')}`);
  }
  if (comparison) out.push('', ...comparisonLines(rows, comparison));
  return out.join('\n');
}

const short = (c: RunCommit | undefined) => (c ? `${c.sha.slice(0, 10)}${c.dirty ? ' + uncommitted changes' : ''}` : 'commit unknown');

function comparisonLines(rows: FigureRow[], comparison: Comparison): string[] {
  const lines = [`This run: ${short(comparison.commit)}. vs previous: how value÷floor (else value÷limit, else the value) changed since the same row's last run on this machine at this size (+ is worse, unless higher is better).`];
  const byRun = new Map<string, string[]>();
  for (const row of rows) {
    const b = comparison.baselines.get(row.id);
    if (!b) continue;
    const key = `${b.file} (${b.startedAt}, ${short(b.commit)})`;
    byRun.set(key, [...(byRun.get(key) ?? []), row.id]);
  }
  if (byRun.size === 0) lines.push('  No earlier run of this size on this machine to compare with.');
  for (const [run, ids] of byRun) lines.push(`  against ${run}: ${ids.join(', ')}`);
  const worse = rows.filter((r) => {
    const b = comparison.baselines.get(r.id);
    return b && !b.improved && Math.abs(b.changePercent) >= 20;
  });
  if (worse.length > 0) lines.push(`  Worse by 20 % or more: ${worse.map((r) => `${r.id} (${changeText(comparison.baselines.get(r.id))})`).join(', ')}`);
  return lines;
}

function rowCells(row: FigureRow): string[] {
  return [
    row.id,
    row.name,
    withUnit(row.value, row.unit),
    row.limit ? withUnit(row.limit.value, row.unit) : '—',
    row.floor ? withUnit(row.floor.value, row.unit) : '—',
    ratioText(ratio(row.value, row.limit), 'limit'),
    ratioText(ratio(row.value, row.floor), 'floor'),
  ];
}
