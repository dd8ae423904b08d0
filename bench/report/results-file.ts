// The run as JSON: bench/results/<timestamp>.json and latest.json (the folder's *.json are not committed), with every
// row's ratios worked out and each figure's details.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ratio, type FigureResult } from '../figure-row.js';

export interface BenchRun {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  size: string;
  environment: Record<string, unknown>;
  figures: FigureResult[];
}

export function toJson(run: BenchRun): unknown {
  return {
    version: 1,
    ...run,
    figures: run.figures.map((f) => ({
      title: f.title,
      durationMs: Math.round(f.durationMs),
      details: f.details,
      rows: f.rows.map((r) => ({ ...r, ratioToLimit: ratio(r.value, r.limit), ratioToFloor: ratio(r.value, r.floor) })),
    })),
  };
}

/** Writes the run; returns the timestamped file's path. */
export function writeResults(outDir: string, run: BenchRun): string {
  mkdirSync(outDir, { recursive: true });
  const text = `${JSON.stringify(toJson(run), null, 2)}\n`;
  const file = join(outDir, `${run.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, text);
  writeFileSync(join(outDir, 'latest.json'), text);
  return file;
}
