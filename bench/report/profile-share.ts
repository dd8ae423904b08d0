// Where the CPU of a profiled bench run went, by part of the
// process (the app's rooms, its libraries, the instrumentation), from a V8 profile written by
// `node --cpu-prof --cpu-prof-dir <dir> dist/bench/main.js …` (the largest file in the folder is the main thread).
// It answers "what does the instrumentation cost?" without a build that lacks it: the bench reads the four phases
// from /metrics, so metrics cannot simply be switched off for an A/B run.
//
// Self time is counted per sample's own function. "Inside" adds the time of the functions a part calls (prom-client
// formatting a label, the tracing SDK serialising a span); it is counted only for parts that do not wrap the app's
// own work (the metrics' store timer and a span's `context.with` run the app inside them, so inclusive time there
// would charge the app to the instrumentation).
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Parts of the process, first match wins (a frame's script URL). */
const PARTS: Array<[name: string, url: RegExp]> = [
  ['metrics: prom-client', /node_modules\/prom-client\//],
  ['metrics: server/metrics', /\/dist\/server\/metrics\//],
  ['tracing: OpenTelemetry', /node_modules\/@opentelemetry\//],
  ['tracing: server/tracing', /\/dist\/server\/tracing\//],
  ['bench driver', /\/dist\/bench\//],
  ['app: comms', /\/dist\/comms\//],
  ['app: server', /\/dist\/server\//],
  ['app: bot', /\/dist\/bot\//],
  ['speech: eSpeak NG, wavefile', /node_modules\/(espeak-ng|wavefile)\/|^wasm:/],
  ['restify', /node_modules\/(restify|find-my-way)\//],
  ['undici', /node_modules\/undici\//],
  ['zod', /node_modules\/zod\//],
  ['pino', /node_modules\/pino/],
  ['other libraries', /node_modules\//],
  ['Node.js itself', /^node:|^internal\//],
];
/** Parts whose callees count as theirs (they never run the app's own work inside them). */
const INCLUSIVE = [/node_modules\/prom-client\//, /node_modules\/@opentelemetry\/(sdk-trace|exporter|otlp|resources)/];

export interface ProfileShare {
  busyMs: number;
  idleMs: number;
  parts: Array<{ part: string; selfMs: number; share: number }>;
  /** Time inside prom-client and inside the tracing SDK's span handling and export, callees included. */
  inside: Array<{ part: string; ms: number; share: number }>;
}

/** Frames without a script: V8's own (the collector, the compiler) by name, builtins and Node's bindings together. */
function nativePart(name: string): string {
  if (name === '(garbage collector)') return 'V8: garbage collector';
  if (name === '(program)') return 'V8: (program)';
  return 'native builtins and bindings';
}

export function profileShare(profile: CpuProfile): ProfileShare {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const timeOf = new Map<number, number>();
  profile.samples.forEach((id, i) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let busy = 0;
  let idle = 0;
  const self = new Map<string, number>();
  const inside = INCLUSIVE.map(() => 0);
  for (const [id, micros] of timeOf) {
    const node = byId.get(id);
    if (!node) continue;
    if (node.callFrame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    busy += micros;
    const url = node.callFrame.url;
    const part = url === '' ? nativePart(node.callFrame.functionName) : (PARTS.find(([, re]) => re.test(url))?.[0] ?? 'other');
    self.set(part, (self.get(part) ?? 0) + micros);
    INCLUSIVE.forEach((re, k) => {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        if (re.test(byId.get(cur)?.callFrame.url ?? '')) {
          inside[k] = (inside[k] ?? 0) + micros;
          return;
        }
      }
    });
  }
  const share = (micros: number) => (busy > 0 ? micros / busy : 0);
  return {
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    parts: [...self].sort((a, b) => b[1] - a[1]).map(([part, micros]) => ({ part, selfMs: micros / 1000, share: share(micros) })),
    inside: [
      { part: 'inside prom-client', ms: (inside[0] ?? 0) / 1000, share: share(inside[0] ?? 0) },
      { part: 'inside the tracing SDK and exporter', ms: (inside[1] ?? 0) / 1000, share: share(inside[1] ?? 0) },
    ],
  };
}

export function formatProfileShare(s: ProfileShare): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const lines = [`busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms (main thread)`, '', 'self time by part:'];
  for (const p of s.parts) lines.push(`  ${p.part.padEnd(28)} ${p.selfMs.toFixed(1).padStart(9)} ms  ${pct(p.share).padStart(8)}`);
  lines.push('', 'callees included:');
  for (const p of s.inside) lines.push(`  ${p.part.padEnd(40)} ${p.ms.toFixed(1).padStart(9)} ms  ${pct(p.share).padStart(8)}`);
  const instrumentation = s.parts.filter((p) => /^(metrics|tracing):/.test(p.part)).reduce((sum, p) => sum + p.share, 0);
  lines.push('', `instrumentation's own functions (metrics and tracing parts above): ${pct(instrumentation)} of busy CPU`);
  return lines.join('\n');
}
