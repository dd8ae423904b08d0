// Retry timing rules: Retry-After in both forms, exponential backoff capped.
import assert from 'node:assert/strict';
import { parseRetryAfter, retryDelayMs } from '../../../comms/graph/index.js';

describe('comms/graph retry policy', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  const cases: Array<[input: string | undefined, expected: number | undefined]> = [
    [undefined, undefined],
    ['', undefined],
    ['0', 0],
    ['2', 2],
    [' 7 ', 7],
    ['1.5', 1.5],
    ['Mon, 23 Nov 2026 10:00:30 GMT', 30],
    ['Mon, 23 Nov 2026 09:59:00 GMT', 0],
    ['soon', undefined],
    ['-3', undefined],
  ];
  for (const [input, expected] of cases) {
    it(`reads Retry-After ${JSON.stringify(input)} as ${String(expected)}`, () => {
      assert.equal(parseRetryAfter(input, now), expected);
    });
  }

  const policy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 };
  it('honours Retry-After, capped at the policy maximum', () => {
    assert.equal(retryDelayMs(policy, 1, 2), 2000);
    assert.equal(retryDelayMs(policy, 1, 600), 30_000);
  });
  it('backs off exponentially without Retry-After', () => {
    const noJitter = () => 0;
    assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(policy, n, undefined, noJitter)), [1000, 2000, 4000, 8000]);
    assert.equal(retryDelayMs(policy, 10, undefined, noJitter), 30_000);
    assert.ok(retryDelayMs(policy, 1, undefined, () => 1) <= 1200);
  });
});
