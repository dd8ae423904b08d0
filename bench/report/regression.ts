// The regression column: every row of this run beside the same row of the previous run on the same machine and at
// the same size — latest.json first, then (for rows it lacks, after an --only run) the newest earlier results file
// that has them — with the change in percent of the ratio the row is judged by (value ÷ floor, else value ÷ limit,
// else the value), and the commit each run was made from.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ratio, type FigureResult, type FigureRow } from '../figure-row.js';

/** The commit a run was made from; `dirty` when tracked files differed from it. */
export interface RunCommit {
  sha: string;
  dirty: boolean;
}

/** What a row is compared with: the same row id in an earlier run. */
export interface RowBaseline {
  value: number;
  /** The ratio compared (see `basis`), in the earlier run. */
  ratio: number;
  basis: 'floor' | 'limit' | 'value';
  startedAt: string;
  commit?: RunCommit;
  /** The earlier results file, by name. */
  file: string;
  /** (now ÷ then − 1) × 100 of the ratio; positive = the ratio grew. */
  changePercent: number;
  /** Whether the change is for the better (by the row's `better`; ratios to a floor or limit count like the value). */
  improved: boolean;
}

export type Baselines = Map<string, RowBaseline>;

interface StoredRow {
  id: string;
  value?: number;
  ratioToFloor?: number;
  ratioToLimit?: number;
  skipped?: string;
}

interface StoredRun {
  startedAt: string;
  size: string;
  commit?: RunCommit;
  environment?: { cpus?: number; cpuModel?: string; platform?: string };
  figures?: Array<{ rows?: StoredRow[] }>;
}

/** `git rev-parse HEAD` of the bench's folder, and whether tracked files are changed; undefined outside a checkout. */
export function currentCommit(cwd: string): RunCommit | undefined {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /^[0-9a-f]{40}$/.test(sha) ? { sha, dirty: status.trim() !== '' } : undefined;
  } catch {
    return undefined;
  }
}

function readRun(file: string): StoredRun | undefined {
  try {
    const run = JSON.parse(readFileSync(file, 'utf8')) as StoredRun;
    return typeof run?.startedAt === 'string' && typeof run.size === 'string' ? run : undefined;
  } catch {
    return undefined;
  }
}

function sameMachine(a: StoredRun['environment'], b: StoredRun['environment']): boolean {
  return a?.cpus === b?.cpus && a?.cpuModel === b?.cpuModel && a?.platform === b?.platform;
}

function judged(row: { value?: number; ratioToFloor?: number; ratioToLimit?: number }): { ratio: number; basis: RowBaseline['basis'] } | undefined {
  if (typeof row.ratioToFloor === 'number' && Number.isFinite(row.ratioToFloor)) return { ratio: row.ratioToFloor, basis: 'floor' };
  if (typeof row.ratioToLimit === 'number' && Number.isFinite(row.ratioToLimit)) return { ratio: row.ratioToLimit, basis: 'limit' };
  if (typeof row.value === 'number' && Number.isFinite(row.value)) return { ratio: row.value, basis: 'value' };
  return undefined;
}

/**
 * The earlier runs in `outDir` (read before this run's files are written), newest first: latest.json, then the
 * timestamped files. Only runs of the same size on the same machine (CPU count and model, platform) count.
 */
export function earlierRuns(outDir: string, size: string, environment: StoredRun['environment']): Array<{ file: string; run: StoredRun }> {
  if (!existsSync(outDir)) return [];
  const runs: Array<{ file: string; run: StoredRun }> = [];
  const latest = readRun(join(outDir, 'latest.json'));
  if (latest) runs.push({ file: 'latest.json', run: latest });
  const stamped = readdirSync(outDir)
    .filter((f) => /^\d{4}-\d\d-\d\dT.*\.json$/.test(f))
    .sort()
    .reverse();
  for (const file of stamped) {
    const run = readRun(join(outDir, file));
    if (run && run.startedAt !== latest?.startedAt) runs.push({ file, run });
  }
  return runs.filter(({ run }) => run.size === size && sameMachine(run.environment, environment));
}

/** Each measured row of this run against the newest earlier run that measured the same row (by id). */
export function compareWithEarlier(figures: FigureResult[], earlier: Array<{ file: string; run: StoredRun }>): Baselines {
  const baselines: Baselines = new Map();
  for (const row of figures.flatMap((f) => f.rows)) {
    const now = judged({ value: row.value, ratioToFloor: ratio(row.value, row.floor), ratioToLimit: ratio(row.value, row.limit) });
    if (row.skipped || !now) continue;
    for (const { file, run } of earlier) {
      const then = run.figures?.flatMap((f) => f.rows ?? []).find((r) => r.id === row.id && !r.skipped);
      const thenJudged = then ? judged(then) : undefined;
      if (!then || !thenJudged || thenJudged.basis !== now.basis || typeof then.value !== 'number') continue;
      const changePercent = thenJudged.ratio === 0 ? (now.ratio === 0 ? 0 : Infinity) : (now.ratio / thenJudged.ratio - 1) * 100;
      baselines.set(row.id, {
        value: then.value,
        ratio: thenJudged.ratio,
        basis: thenJudged.basis,
        startedAt: run.startedAt,
        ...(run.commit ? { commit: run.commit } : {}),
        file,
        changePercent,
        improved: isImprovement(row, changePercent),
      });
      break;
    }
  }
  return baselines;
}

function isImprovement(row: FigureRow, changePercent: number): boolean {
  return row.better === 'higher' ? changePercent > 0 : changePercent < 0;
}

/** "+12%", "−3.4%", "±0%"; what the table prints beside the ratio. */
export function changeText(b: RowBaseline | undefined): string {
  if (!b) return '—';
  const c = b.changePercent;
  if (!Number.isFinite(c)) return 'new ≠ 0';
  if (Math.abs(c) < 0.05) return '±0%';
  const magnitude = Math.abs(c) >= 10 ? Math.round(Math.abs(c)).toLocaleString('en-US') : Math.abs(c).toFixed(1);
  return `${c > 0 ? '+' : '−'}${magnitude}%`;
}
