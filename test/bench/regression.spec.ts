// The bench's regression column: each row beside the same row of the previous run on the same machine and size —
// latest.json first, then older results files for rows it lacks — with the change of its ratio in percent.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FigureResult } from '../../bench/figure-row.js';
import { formatTable } from '../../bench/report/format-table.js';
import { changeText, compareWithEarlier, currentCommit, earlierRuns } from '../../bench/report/regression.js';
import { toJson } from '../../bench/report/results-file.js';

const MACHINE = { cpus: 2, cpuModel: 'Test CPU', platform: 'linux x64' };
const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

function figure(rows: FigureResult['rows']): FigureResult {
  return { title: '1 Test', rows, details: {}, durationMs: 1 };
}

function stored(startedAt: string, rows: Array<{ id: string; value: number; floor?: number; limit?: number }>, extra: Record<string, unknown> = {}) {
  return {
    version: 1,
    startedAt,
    size: 'quick',
    environment: MACHINE,
    commit: { sha: SHA_A, dirty: false },
    figures: [{ rows: rows.map((r) => ({ ...r, ratioToFloor: r.floor ? r.value / r.floor : undefined, ratioToLimit: r.limit ? r.value / r.limit : undefined })) }],
    ...extra,
  };
}

describe('bench regression column', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-regression-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, run: unknown) => writeFileSync(join(dir, name), JSON.stringify(run));

  it('compares each row with latest.json by id, the ratio to its floor, and says which way is better', () => {
    write('latest.json', stored('2026-12-01T10:00:00.000Z', [{ id: '1b', value: 40, floor: 10 }, { id: '1d', value: 100, floor: 400 }]));
    const now = [
      figure([
        { id: '1b', name: 'ack p99 @ 200 req/s', value: 30, unit: 'ms', floor: { value: 15, label: 'bare' } },
        { id: '1d', name: 'rate', value: 200, unit: 'req/s', better: 'higher', floor: { value: 400, label: 'bare' } },
      ]),
    ];
    const baselines = compareWithEarlier(now, earlierRuns(dir, 'quick', MACHINE));
    const b = baselines.get('1b')!;
    assert.equal(b.basis, 'floor');
    assert.equal(b.ratio, 4);
    assert.equal(Math.round(b.changePercent), -50, '4× → 2×');
    assert.equal(b.improved, true);
    assert.equal(b.commit?.sha, SHA_A);
    assert.equal(Math.round(baselines.get('1d')!.changePercent), 100);
    assert.equal(baselines.get('1d')!.improved, true, 'higher is better');
    assert.equal(changeText(b), '−50%');
    assert.equal(changeText(baselines.get('1d')), '+100%');
  });

  it('takes rows latest.json lacks (an --only run) from the newest earlier file that has them', () => {
    write('2026-12-01T09-00-00-000Z.json', stored('2026-12-01T09:00:00.000Z', [{ id: '8a', value: 3000, floor: 300 }, { id: '1b', value: 99, floor: 1 }]));
    write('2026-12-01T10-00-00-000Z.json', stored('2026-12-01T10:00:00.000Z', [{ id: '8a', value: 2000, floor: 200 }], { commit: { sha: SHA_B, dirty: true } }));
    write('latest.json', stored('2026-12-01T11:00:00.000Z', [{ id: '1b', value: 40, floor: 10 }]));
    const now = [figure([
      { id: '1b', name: 'ack', value: 40, unit: 'ms', floor: { value: 10, label: 'bare' } },
      { id: '8a', name: 'restart', value: 400, unit: 'ms', floor: { value: 200, label: 'empty' } },
    ])];
    const baselines = compareWithEarlier(now, earlierRuns(dir, 'quick', MACHINE));
    assert.equal(baselines.get('1b')!.file, 'latest.json');
    assert.equal(changeText(baselines.get('1b')), '±0%');
    assert.equal(baselines.get('8a')!.file, '2026-12-01T10-00-00-000Z.json');
    assert.equal(baselines.get('8a')!.commit?.sha, SHA_B);
    assert.equal(Math.round(baselines.get('8a')!.changePercent), -80, '10× → 2×');
  });

  it('ignores runs of another size, another machine, unreadable files, and rows skipped then', () => {
    write('latest.json', { ...stored('2026-12-01T11:00:00.000Z', [{ id: '1b', value: 1, floor: 1 }]), size: 'full' });
    write('2026-12-01T10-00-00-000Z.json', { ...stored('2026-12-01T10:00:00.000Z', [{ id: '1b', value: 1, floor: 1 }]), environment: { ...MACHINE, cpus: 16 } });
    write('2026-12-01T09-00-00-000Z.json', '{ not json');
    write('2026-12-01T08-00-00-000Z.json', { ...stored('2026-12-01T08:00:00.000Z', []), figures: [{ rows: [{ id: '1b', skipped: 'failed: x' }] }] });
    const now = [figure([{ id: '1b', name: 'ack', value: 40, unit: 'ms', floor: { value: 10, label: 'bare' } }])];
    assert.equal(compareWithEarlier(now, earlierRuns(dir, 'quick', MACHINE)).size, 0);
    assert.deepEqual(earlierRuns(join(dir, 'missing'), 'quick', MACHINE), []);
  });

  it('prints the change beside the ratios, names the runs compared with, and keeps it in the JSON', () => {
    write('latest.json', stored('2026-12-01T10:00:00.000Z', [{ id: '1b', value: 20, floor: 10 }, { id: '2a', value: 5, limit: 10 }]));
    const now = [figure([
      { id: '1b', name: 'ack', value: 60, unit: 'ms', floor: { value: 10, label: 'bare' } },
      { id: '2a', name: 'cpu', value: 5, unit: 'ms', limit: { value: 10, label: 'limit' } },
      { id: '3a', name: 'new row', value: 1, unit: 'ms', floor: { value: 1, label: 'x' } },
    ])];
    const baselines = compareWithEarlier(now, earlierRuns(dir, 'quick', MACHINE));
    const table = formatTable(now, 'heading', { baselines, commit: { sha: SHA_B, dirty: false } });
    assert.match(table, /value÷floor\s+vs previous/);
    assert.match(table, /^1b\s.*6\.0×\s+\+200%$/m);
    assert.match(table, /^2a\s.*±0%$/m);
    assert.match(table, /^3a\s.*—$/m);
    assert.match(table, /This run: bbbbbbbbbb\./);
    assert.match(table, /against latest\.json \(2026-12-01T10:00:00\.000Z, aaaaaaaaaa\): 1b, 2a/);
    assert.match(table, /Worse by 20 % or more: 1b \(\+200%\)/);
    const json = toJson({ startedAt: 'x', finishedAt: 'y', durationMs: 1, size: 'quick', environment: MACHINE, figures: now, commit: { sha: SHA_B, dirty: false }, baselines }) as {
      commit: { sha: string };
      baselines?: unknown;
      figures: Array<{ rows: Array<{ id: string; previous?: { changePercent: number } }> }>;
    };
    assert.equal(json.commit.sha, SHA_B);
    assert.equal(json.baselines, undefined);
    assert.equal(Math.round(json.figures[0]!.rows[0]!.previous!.changePercent), 200);
    assert.equal(json.figures[0]!.rows[2]!.previous, undefined);
  });

  it('reads the commit of the checkout it runs in', () => {
    const commit = currentCommit(process.cwd());
    if (commit) assert.match(commit.sha, /^[0-9a-f]{40}$/);
    assert.equal(currentCommit(dir), undefined, 'not a checkout');
  });
});
