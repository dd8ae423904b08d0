// What a call request does after one failure: 429/503 repeated after Retry-After and never past the deadline (Graph's
// answer window), ambiguous failures left to the caller, real failures thrown at once; and how a correlation id
// rides in a callbackUri and is read back (hostile values refused).
import assert from 'node:assert/strict';
import { GraphError } from '../../../comms/graph/index.js';
import { correlationOf, withCorrelation } from '../../../comms/calls/create-claims.js';
import { classifyFailure, withRetry } from '../../../comms/calls/request-retry.js';
import type { Timers } from '../../../comms/runtime/clock.js';

/** A clock that moves only when a timer is waited on. */
function simulated(): { timers: Timers; now: () => number; waits: number[] } {
  let t = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    timers: {
      setTimeout(fn, ms) {
        waits.push(ms);
        t += ms;
        queueMicrotask(fn);
        return 0;
      },
      clearTimeout() {},
    },
  };
}

const throttled = (retryAfterSeconds?: number) => new GraphError('graph/throttled', '429', { status: 429, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
const unavailable = () => new GraphError('graph/unavailable', '503', { status: 503 });
const reset = () => new GraphError('graph/network', 'socket hang up');
const timedOut = () => new GraphError('graph/timeout', 'timed out');

describe('request retry: 429/503 repeated, ambiguous failures decided by the caller', () => {
  const kinds: Array<[string, unknown, string]> = [
    ['429', throttled(), 'unprocessed'],
    ['503', unavailable(), 'unprocessed'],
    ['connection reset', reset(), 'ambiguous'],
    ['timeout', timedOut(), 'ambiguous'],
    ['504', new GraphError('graph/unavailable', '504', { status: 504 }), 'ambiguous'],
    ['409 conflict', new GraphError('graph/conflict', '409', { status: 409 }), 'failed'],
    ['400', new GraphError('graph/bad-request', '400', { status: 400 }), 'failed'],
    ['not a Graph error', new Error('boom'), 'failed'],
  ];
  for (const [name, err, kind] of kinds) {
    it(`classifies ${name} as ${kind}`, () => assert.equal(classifyFailure(err), kind));
  }

  it('repeats after a 429, waiting its Retry-After', async () => {
    const clock = simulated();
    let calls = 0;
    const result = await withRetry(async () => {
      calls += 1;
      if (calls === 1) throw throttled(2);
      return 'ok';
    }, { ...clock, maxAttempts: 4, baseDelayMs: 100 });
    assert.equal(result, 'ok');
    assert.equal(calls, 2);
    assert.deepEqual(clock.waits, [2000]);
  });

  it('does not start an attempt after the deadline (e.g. Graph\'s answer window): the 429 is thrown', async () => {
    const clock = simulated();
    let calls = 0;
    await assert.rejects(
      withRetry(async () => {
        calls += 1;
        throw throttled(20);
      }, { ...clock, maxAttempts: 4, baseDelayMs: 100, deadlineAt: 14_000 }),
      (err: GraphError) => err.status === 429,
    );
    assert.equal(calls, 1);
    assert.deepEqual(clock.waits, []);
  });

  it('backs off exponentially on 503 without Retry-After and gives up after maxAttempts', async () => {
    const clock = simulated();
    let calls = 0;
    await assert.rejects(withRetry(async () => {
      calls += 1;
      throw unavailable();
    }, { ...clock, maxAttempts: 3, baseDelayMs: 100 }));
    assert.equal(calls, 3);
    assert.deepEqual(clock.waits, [100, 200]);
  });

  it('throws an ambiguous failure unless the caller decides', async () => {
    const clock = simulated();
    await assert.rejects(withRetry(async () => Promise.reject(reset()), { ...clock, maxAttempts: 4, baseDelayMs: 100 }), (err: GraphError) => err.code === 'graph/network');
  });

  it('carries on without repeating when the caller finds Graph did act (re-read: answered)', async () => {
    const clock = simulated();
    let calls = 0;
    const result = await withRetry<string>(async () => {
      calls += 1;
      throw reset();
    }, { ...clock, maxAttempts: 4, baseDelayMs: 100, onAmbiguous: async () => ({ done: 'answered already' }) });
    assert.equal(result, 'answered already');
    assert.equal(calls, 1);
  });

  it('repeats when the caller finds Graph did not act (re-read: still incoming)', async () => {
    const clock = simulated();
    let calls = 0;
    const result = await withRetry(async () => {
      calls += 1;
      if (calls === 1) throw timedOut();
      return 'answered';
    }, { ...clock, maxAttempts: 4, baseDelayMs: 100, onAmbiguous: async () => ({ retry: true }) });
    assert.equal(result, 'answered');
    assert.equal(calls, 2);
  });

  it('never repeats a real failure', async () => {
    const clock = simulated();
    let calls = 0;
    await assert.rejects(withRetry(async () => {
      calls += 1;
      throw new GraphError('graph/bad-request', '400', { status: 400 });
    }, { ...clock, maxAttempts: 4, baseDelayMs: 100, onAmbiguous: async () => ({ retry: true }) }));
    assert.equal(calls, 1);
  });
});

describe('create claims: the correlation id in the callbackUri', () => {
  it('round-trips through the callbackUri and keeps its other parts', () => {
    const uri = withCorrelation('https://bot.example.com/api/calling?x=1', 'rem.0b6c.2');
    assert.equal(new URL(uri).pathname, '/api/calling');
    assert.equal(new URL(uri).searchParams.get('x'), '1');
    assert.equal(correlationOf(uri), 'rem.0b6c.2');
  });

  const hostile: Array<[string, string | undefined | null]> = [
    ['no callbackUri', undefined],
    ['null', null],
    ['not a URL', 'not a url'],
    ['no parameter', 'https://bot.example.com/api/calling'],
    ['an empty value', 'https://bot.example.com/api/calling?switchboard-call='],
    ['a value with a slash', 'https://bot.example.com/api/calling?switchboard-call=a%2Fb'],
    ['a value too long', `https://bot.example.com/api/calling?switchboard-call=${'a'.repeat(101)}`],
    ['a value with spaces', 'https://bot.example.com/api/calling?switchboard-call=a%20b'],
  ];
  for (const [name, uri] of hostile) {
    it(`reads no correlation id from ${name}`, () => assert.equal(correlationOf(uri), undefined));
  }
});
