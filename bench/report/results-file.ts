// The run as JSON: bench/results/<timestamp>.json and latest.json (the folder's *.json are not committed), with the
// commit it was made from, every row's ratios worked out, its comparison with the previous run, and each figure's
// details.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ratio, type FigureResult } from '../figure-row.js';
import type { Baselines, RunCommit } from './regression.js';

export interface BenchRun {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  size: string;
  environment: Record<string, unknown>;
  figures: FigureResult[];
  commit?: RunCommit;
  /** Per row id: the same row in the previous run on this machine (regression.ts). */
  baselines?: Baselines;
}

export function toJson(run: BenchRun): unknown {
  const { baselines, ...rest } = run;
  return {
    version: 1,
    ...rest,
    figures: run.figures.map((f) => ({
      title: f.title,
      durationMs: Math.round(f.durationMs),
      details: f.details,
      rows: f.rows.map((r) => {
        const previous = baselines?.get(r.id);
        return { ...r, ratioToLimit: ratio(r.value, r.limit), ratioToFloor: ratio(r.value, r.floor), ...(previous ? { previous } : {}) };
      }),
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
