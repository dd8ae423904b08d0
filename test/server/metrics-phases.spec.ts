// The call phases from synthetic bus events and Graph answers (outgoing calls, order, one summary line), and
// operation names that never carry an id.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { CALLS_COLLECTION } from '../../comms/calls/index.js';
import { EventBus, type Store } from '../../comms/store/index.js';
import { createLogger } from '../../server/logger.js';
import { graphOperationPath, Metrics } from '../../server/metrics/index.js';
import { parseExposition, valueOf } from './metrics-support.js';

const CALL = '491f0b00-1f2e-4a5b-9c8d-7e6f5a4b3c2d';
const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse('2026-03-02T10:00:00.000Z');

function harness(sessions: Record<string, { createdAt: string }> = {}) {
  const lines: any[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  let now = T0;
  const metrics = new Metrics(createLogger('info', sink), { now: () => now });
  const bus = new EventBus();
  const store = { get: async (collection: string, key: string) => (collection === CALLS_COLLECTION ? sessions[key] : undefined) } as unknown as Store;
  metrics.watch(bus, store);
  return {
    metrics,
    bus,
    lines,
    setNow: (ms: number) => {
      now = ms;
    },
    samples: async () => parseExposition(await metrics.text()),
  };
}

describe('server/metrics: call phases', () => {
  it('an outgoing call: create → ringing → answered → first prompt, each once, then one summary line', async () => {
    const h = harness();
    h.setNow(T0 + 300);
    h.metrics.graphObserver.attempt({ method: 'POST', path: '/communications/calls', status: 201, durationMs: 300, attempt: 0, resourceId: CALL });
    h.bus.publish({ type: 'call.state', callId: CALL, state: 'ringing', previous: 'establishing', at: iso(T0 + 500) });
    h.bus.publish({ type: 'call.state', callId: CALL, state: 'established', previous: 'ringing', at: iso(T0 + 2500) });
    h.setNow(T0 + 2900);
    h.metrics.graphObserver.attempt({ method: 'POST', path: `/communications/calls/${CALL}/playPrompt`, status: 200, durationMs: 40, attempt: 0 });
    h.setNow(T0 + 5000);
    h.metrics.graphObserver.attempt({ method: 'POST', path: `/communications/calls/${CALL}/playPrompt`, status: 200, durationMs: 40, attempt: 0 });
    const samples = await h.samples();
    const expected = { create: 0.3, ringing: 0.2, answered: 2, first_prompt: 0.4 };
    for (const [phase, seconds] of Object.entries(expected)) {
      assert.equal(valueOf(samples, 'switchboard_call_phase_seconds_count', { direction: 'outgoing', phase }), 1, phase);
      assert.ok(Math.abs(valueOf(samples, 'switchboard_call_phase_seconds_sum', { direction: 'outgoing', phase })! - seconds) < 1e-9, phase);
    }
    assert.equal(valueOf(samples, 'switchboard_calls_live'), 1);
    h.bus.publish({ type: 'call.state', callId: CALL, state: 'terminated', previous: 'established', at: iso(T0 + 9000) });
    const summaries = h.lines.filter((l) => l.msg === 'call phases');
    assert.equal(summaries.length, 1);
    assert.deepEqual(summaries[0].phasesMs, { create: 300, ringing: 200, answered: 2000, first_prompt: 400 });
    assert.equal(summaries[0].untilFirstPromptMs, 2900);
    assert.equal(summaries[0].callId, CALL);
    assert.equal(valueOf(await h.samples(), 'switchboard_calls_live'), 0);
    h.metrics.close();
  });

  it('an outgoing call Graph never reports ringing: answered counts from the create answer', async () => {
    const h = harness();
    h.metrics.graphObserver.attempt({ method: 'POST', path: '/communications/calls', status: 201, durationMs: 100, attempt: 0, resourceId: CALL });
    h.bus.publish({ type: 'call.state', callId: CALL, state: 'established', previous: 'establishing', at: iso(T0 + 1200) });
    const samples = await h.samples();
    assert.equal(valueOf(samples, 'switchboard_call_phase_seconds_count', { direction: 'outgoing', phase: 'ringing' }) ?? 0, 0);
    assert.ok(Math.abs(valueOf(samples, 'switchboard_call_phase_seconds_sum', { direction: 'outgoing', phase: 'answered' })! - 1.2) < 1e-9);
    h.metrics.close();
  });

  it('an incoming call that ends unanswered: the summary has only the phases it reached; failed prompts are not a first prompt', async () => {
    const h = harness({ [CALL]: { createdAt: iso(T0) } });
    h.bus.publish({ type: 'call.incoming', callId: CALL, tenantId: 't', at: iso(T0 + 5) });
    await new Promise((r) => setImmediate(r)); // the session read
    h.metrics.graphObserver.attempt({ method: 'POST', path: `/communications/calls/${CALL}/playPrompt`, status: 429, durationMs: 5, attempt: 0 });
    h.bus.publish({ type: 'call.state', callId: CALL, state: 'terminated', previous: 'incoming', at: iso(T0 + 900) });
    const [summary, ...more] = h.lines.filter((l) => l.msg === 'call phases');
    assert.equal(more.length, 0);
    assert.deepEqual(summary.phasesMs, { notify: 5 });
    assert.equal(summary.untilFirstPromptMs, undefined);
    h.metrics.close();
  });

  it('distributed mode: a call counts on the instance that answered it, and ends there when another instance hears the end', async () => {
    let deliver: (event: any) => void = () => undefined;
    const relay = { send: () => undefined, onReceive: (listener: (event: any) => void) => void (deliver = listener), close: async () => undefined };
    const metrics = new Metrics(createLogger('silent'));
    const bus = new EventBus({ relay });
    metrics.watch(bus, { get: async () => undefined } as unknown as Store);
    const live = async () => valueOf(parseExposition(await metrics.text()), 'switchboard_calls_live');
    deliver({ type: 'call.incoming', callId: 'elsewhere', tenantId: 't', at: iso(T0) });
    assert.equal(await live(), 0, 'a call another instance announced is not counted here');
    bus.publish({ type: 'call.incoming', callId: CALL, tenantId: 't', at: iso(T0) });
    deliver({ type: 'ivr.step', callId: CALL, step: 'menu', at: iso(T0) });
    assert.equal(await live(), 1);
    assert.equal(valueOf(parseExposition(await metrics.text()), 'switchboard_ivr_steps_total') ?? 0, 0, 'events are counted by the instance that published them');
    deliver({ type: 'call.state', callId: CALL, state: 'terminated', previous: 'established', at: iso(T0 + 1) });
    assert.equal(await live(), 0, 'the end processed by another instance');
    metrics.close();
  });

  it('names Graph operations without ids', () => {
    const cases: Array<[string, string]> = [
      [`/communications/calls/${CALL}/playPrompt`, '/communications/calls/{id}/playPrompt'],
      [`/communications/calls/${CALL}/participants/${CALL}/mute`, '/communications/calls/{id}/participants/{id}/mute'],
      ['/users/hana.sato@switchboard.test', '/users/{id}'],
      [`/users/${CALL}/presence?$select=availability`, '/users/{id}/presence'],
      ["/communications/onlineMeetings(joinWebUrl='https%3A%2F%2Fteams')", '/communications/onlineMeetings({key})'],
      ['/communications/callRecords/abcdefabcdefabcdefabcdefabcdefabcdefabcdef', '/communications/callRecords/{id}'],
      ['/subscriptions', '/subscriptions'],
    ];
    for (const [path, name] of cases) assert.equal(graphOperationPath(path), name, path);
  });
});
