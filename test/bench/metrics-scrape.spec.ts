// The bench reads the app's phase histograms from /metrics: parsing the exposition, the difference between two
// scrapes, and quantiles interpolated inside buckets as PromQL's histogram_quantile does.
import assert from 'node:assert/strict';
import { histogramDelta, histogramQuantile, parseHistograms } from '../../bench/support/metrics-scrape.js';

const exposition = (counts: number[], sum: number) =>
  [
    '# HELP switchboard_call_phase_seconds phases',
    '# TYPE switchboard_call_phase_seconds histogram',
    ...[0.1, 0.5, 1].map((le, i) => `switchboard_call_phase_seconds_bucket{le="${le}",direction="incoming",phase="answer"} ${counts[i]}`),
    `switchboard_call_phase_seconds_bucket{le="+Inf",direction="incoming",phase="answer"} ${counts[3]}`,
    `switchboard_call_phase_seconds_sum{direction="incoming",phase="answer"} ${sum}`,
    `switchboard_call_phase_seconds_count{direction="incoming",phase="answer"} ${counts[3]}`,
    'switchboard_call_phase_seconds_bucket{le="+Inf",direction="outgoing",phase="create"} 7',
  ].join('\n');

describe('bench/support: phases from /metrics', () => {
  it('parses one histogram per label value, only the series that match', () => {
    const h = parseHistograms(exposition([1, 3, 4, 4], 1.5), 'switchboard_call_phase_seconds', { direction: 'incoming' }, 'phase');
    assert.deepEqual([...h.keys()], ['answer']);
    assert.deepEqual(h.get('answer'), { buckets: [{ le: 0.1, count: 1 }, { le: 0.5, count: 3 }, { le: 1, count: 4 }, { le: Infinity, count: 4 }], sum: 1.5, count: 4 });
  });

  it('a step is the difference between the scrapes before and after it', () => {
    const before = parseHistograms(exposition([1, 3, 4, 4], 1.5), 'switchboard_call_phase_seconds', { direction: 'incoming' }, 'phase').get('answer')!;
    const after = parseHistograms(exposition([1, 5, 8, 10], 5.5), 'switchboard_call_phase_seconds', { direction: 'incoming' }, 'phase').get('answer')!;
    assert.deepEqual(histogramDelta(after, before), { buckets: [{ le: 0.1, count: 0 }, { le: 0.5, count: 2 }, { le: 1, count: 4 }, { le: Infinity, count: 6 }], sum: 4, count: 6 });
  });

  const table: Array<[number, number[], number | undefined, string]> = [
    [0.5, [2, 4, 4, 4], 0.1, 'the median on a bucket edge'],
    [0.5, [0, 4, 4, 4], 0.3, 'interpolated inside (0.1, 0.5]'],
    [0.5, [2, 2, 2, 2], 0.05, 'inside the first bucket, from 0'],
    [0.99, [0, 0, 2, 4], 1, 'past the last finite bound: that bound'],
    [0.5, [0, 0, 0, 0], undefined, 'no samples'],
  ];
  for (const [q, counts, expected, why] of table) {
    it(`quantile ${q}: ${why}`, () => {
      const h = parseHistograms(exposition(counts, 1), 'switchboard_call_phase_seconds', { direction: 'incoming' }, 'phase').get('answer')!;
      const got = histogramQuantile(q, h);
      if (expected === undefined) assert.equal(got, undefined);
      else assert.ok(Math.abs(got! - expected) < 1e-9, `${got} ≈ ${expected}`);
    });
  }
});
