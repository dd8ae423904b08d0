// The bench's one table, as plain text: figure, value, limit, floor (both measured or fixed in this run), and the
// ratios value ÷ limit and value ÷ floor; then one line per row naming what the limit and floor are, and notes.
import { ratio, type FigureResult, type FigureRow } from '../figure-row.js';

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

export function formatTable(figures: FigureResult[], heading: string): string {
  const header = ['#', 'figure', 'value', 'limit', 'floor', 'value÷limit', 'value÷floor'];
  const rows = figures.flatMap((f) => f.rows);
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
  return out.join('\n');
}

function cells(row: FigureRow): string[] {
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
