// The bench harness in miniature, so `npm run bench` cannot rot unnoticed: every figure runs with tiny sizes (a few
// webhook requests, a 20-attendee meeting, 3 calls, one synthesized prompt, a 2-instance cluster) and must produce a number, and the JSON
// file must be written. Nothing about time is judged here: performance belongs to `npm run bench`.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIGURES, runBench, type BenchOutcome } from '../../bench/run-bench.js';

describe('npm run bench (smoke run with tiny sizes)', function () {
  // Ten figures, two of them starting Redis clusters: minutes on two cores, not seconds.
  this.timeout(420_000);
  let outDir: string;
  let outcome: BenchOutcome;

  before(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-smoke-'));
    outcome = await runBench({ size: 'smoke', outDir });
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('runs every figure, in order', () => {
    assert.deepEqual(
      outcome.run.figures.map((f) => f.title.split(' ')[0]),
      [...FIGURES],
    );
  });

  it('gives every row a number (the side panel may only say the tab is not built)', () => {
    const rows = outcome.run.figures.flatMap((f) => f.rows);
    assert.ok(rows.length >= 20, `${rows.length} rows`);
    for (const row of rows) {
      if (row.id.startsWith('6') && row.skipped === 'skipped: tab not built') continue;
      assert.equal(row.skipped, undefined, `${row.id} ${row.name}: ${row.skipped}`);
      assert.equal(typeof row.value, 'number', `${row.id} ${row.name} has a value`);
      assert.ok(Number.isFinite(row.value), `${row.id} ${row.name}: ${row.value}`);
      for (const against of [row.limit, row.floor]) if (against) assert.ok(Number.isFinite(against.value), `${row.id}: ${against.label}`);
      assert.ok(row.limit || row.floor, `${row.id} is compared with a limit or a floor`);
    }
  });

  it('writes the run as JSON (timestamped and latest.json) and prints the same rows in the table', () => {
    assert.ok(existsSync(outcome.file), outcome.file);
    const written = JSON.parse(readFileSync(outcome.file, 'utf8'));
    const latest = JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8'));
    assert.deepEqual(latest, written);
    assert.equal(written.size, 'smoke');
    assert.equal(written.figures.length, FIGURES.length);
    for (const figure of written.figures) {
      for (const row of figure.rows) {
        assert.match(outcome.table, new RegExp(`^${row.id}\\s`, 'm'), `row ${row.id} is in the table`);
        if (row.floor && typeof row.value === 'number') assert.equal(typeof row.ratioToFloor, row.floor.value === 0 ? 'undefined' : 'number');
      }
    }
  });
});
