// The instrumentation's share of a profiled bench run (bench/report/profile-share.ts): self time per part of the
// process, callees counted for prom-client and the tracing SDK only, never the app's work a wrapper runs inside it —
// and, end to end, a real V8 profile of this process read the same way.
import assert from 'node:assert/strict';
import { Session } from 'node:inspector/promises';
import { Counter, Registry } from 'prom-client';
import { formatProfileShare, profileShare, type CpuProfile } from '../../bench/report/profile-share.js';

const APP = 'file:///srv/switchboard/dist/comms/calls/call-service.js';
const METRICS = 'file:///srv/switchboard/dist/server/metrics/metrics.js';
const PROM = 'file:///srv/switchboard/node_modules/prom-client/lib/counter.js';
const OTEL_SDK = 'file:///srv/switchboard/node_modules/@opentelemetry/sdk-trace-base/build/src/Span.js';
const OTEL_API = 'file:///srv/switchboard/node_modules/@opentelemetry/api/build/src/api/context.js';

function frame(id: number, functionName: string, url: string, children: number[] = []) {
  return { id, callFrame: { functionName, url, lineNumber: 0 }, children };
}

/** root → idle; root → app → prom (→ app-less callee); root → metrics timer → app work; root → context.with → app; root → span.end → app code */
function sample(): CpuProfile {
  const nodes = [
    frame(1, '(root)', '', [2, 3, 6, 8, 10]),
    frame(2, '(idle)', ''),
    frame(3, 'apply', APP, [4]),
    frame(4, 'inc', PROM, [5]),
    frame(5, 'hashObject', 'node:internal/util'),
    frame(6, 'timed', METRICS, [7]),
    frame(7, 'update', APP),
    frame(8, 'with', OTEL_API, [9]),
    frame(9, 'handle', APP),
    frame(10, 'end', OTEL_SDK, [11]),
    frame(11, 'toJSON', 'node:internal/json'),
  ];
  // microseconds per node: idle 500, app 100, prom 20, its callee 30, timer 5, app under it 200, with 2, app under it 300, span end 10, its callee 15
  const times: Array<[number, number]> = [[2, 500], [3, 100], [4, 20], [5, 30], [6, 5], [7, 200], [8, 2], [9, 300], [10, 10], [11, 15]];
  return { nodes, samples: times.map(([id]) => id), timeDeltas: times.map(([, t]) => t) };
}

describe('bench profile share: what the instrumentation costs in a CPU profile', () => {
  it('counts self time per part, and callees only under prom-client and the tracing SDK', () => {
    const s = profileShare(sample());
    const busy = 100 + 20 + 30 + 5 + 200 + 2 + 300 + 10 + 15;
    assert.equal(s.busyMs, busy / 1000);
    assert.equal(s.idleMs, 0.5);
    const self = Object.fromEntries(s.parts.map((p) => [p.part, p.selfMs * 1000]));
    assert.equal(self['app: comms'], 600, 'the app, also where a metrics timer or a context.with runs it');
    assert.equal(self['metrics: prom-client'], 20);
    assert.equal(self['metrics: server/metrics'], 5);
    assert.equal(self['tracing: OpenTelemetry'], 12);
    assert.equal(self['Node.js itself'], 45);
    const inside = Object.fromEntries(s.inside.map((p) => [p.part, Math.round(p.ms * 1000)]));
    assert.equal(inside['inside prom-client'], 50, 'prom-client and what it called');
    assert.equal(inside['inside the tracing SDK and exporter'], 25, 'span.end and its callee, not the app under context.with');
    assert.match(formatProfileShare(s), /instrumentation's own functions \(metrics and tracing parts above\): 5\.\d\d % of busy CPU/);
  });

  it('reads a real V8 profile of this process: prom-client work shows up as metrics', async function () {
    this.timeout(20_000);
    const session = new Session();
    session.connect();
    try {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
      const registry = new Registry();
      const counter = new Counter({ name: 'profile_share_test_total', help: 'test', labelNames: ['route', 'status'], registers: [registry] });
      const until = Date.now() + 300;
      for (let i = 0; Date.now() < until; i += 1) counter.inc({ route: `/r${i % 500}`, status: String(200 + (i % 7)) });
      const { profile } = await session.post('Profiler.stop');
      const s = profileShare(profile as unknown as CpuProfile);
      const prom = s.parts.find((p) => p.part === 'metrics: prom-client');
      assert.ok(prom && prom.selfMs > 0, `prom-client frames were counted: ${formatProfileShare(s)}`);
      assert.ok((s.inside[0]?.ms ?? 0) >= prom.selfMs, 'callees included is at least the self time');
    } finally {
      session.disconnect();
    }
  });
});
