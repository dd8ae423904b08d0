// Figure 2 — roster ingest: CPU per 1,000-participant roster notification turned into a roster diff in-process
// (JSON.parse, the notification schema, applyCallUpdate with its roster diff, MeetingRoster: what the app does with a
// roster, which the inbox never hashes), against JSON.parse of the same text; then the same through the whole
// CallService (inbox in an in-memory SQLite store, processing after the ack); and the bytes the side panel receives per
// change against the full roster. The in-memory path and the bytes again for a 10,000-attendee town hall (2d, 2e).
import { performance } from 'node:perf_hooks';
import { applyCallUpdate, CALLS_COLLECTION, CallService, diffRoster, parseNotificationBatch, type CallSession, type Participant } from '../../comms/calls/index.js';
import { GraphClient, type HttpTransport, type TokenProvider } from '../../comms/graph/index.js';
import { MeetingRoster, type RosterDiff } from '../../comms/meetings/index.js';
import { EventBus, openSqliteStore } from '../../comms/store/index.js';
import { openEventStream } from '../../tab/server/event-stream.js';
import { LOCAL_APP } from '../../server/config.js';
import type { BenchSizes } from '../bench-sizes.js';
import type { FigureResult, FigureRow } from '../figure-row.js';
import { gc } from '../support/gc.js';
import { participant } from '../support/payloads.js';
import { round } from '../support/stats.js';

const MEETING_KEY = '19:meeting_YmVuY2gtaW5nZXN0@thread.v2';
const CALL_ID = 'b3c40000-0000-4000-8000-0000000000aa';

/** Roster texts, each one change away from the one before: a mute toggles, one person leaves, one joins. */
function rosterTexts(size: number, count: number): string[] {
  const slots = Array.from({ length: size }, (_, n) => participant(n, 1, n % 5 === 0));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const seq = i + 2;
    const leaving = 1 + (i % (size - 1));
    slots[0] = participant(0, seq, i % 2 === 0);
    slots[leaving] = participant(size + i, seq, false);
    out.push(JSON.stringify({ value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${CALL_ID}/participants`, resourceData: slots }] }));
  }
  return out;
}

function cpuMs(fn: () => void): { cpuMs: number; wallMs: number } {
  gc();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  fn();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

/** The exact bytes of one roster event on the side panel's stream (tab/server/event-stream.ts frames it). */
function sseBytes(diff: RosterDiff, id: string): number {
  let bytes = 0;
  const res = { writeHead() {}, write(chunk: string) { bytes += Buffer.byteLength(chunk); return true; } };
  const writer = openEventStream(res as never);
  bytes = 0; // the stream preamble is sent once per connection, not per change
  const { joined, left, changed, count, version } = diff;
  writer.send({ id: version, type: 'roster', data: { joined, left, changed, count, version } }, id);
  return bytes;
}

interface InMemoryRun {
  first: string;
  warm: string[];
  measured: string[];
  perNotificationCpuMs: number;
  parseFloorMs: number;
  wallMs: number;
  stages: Record<string, number | undefined>;
  diffs: RosterDiff[];
  perChangeBytes: number;
  fullRosterBytes: number;
  notificationBytes: number;
}

/** The in-memory path (the comms/calls reducer and the meeting roster model) on `iterations` roster notifications. */
function inMemory(rosterSize: number, iterations: number, maxWarmup: number): InMemoryRun {
  const warmup = Math.min(maxWarmup, iterations);
  const texts = rosterTexts(rosterSize, iterations + warmup + 1);
  const first = texts.shift()!;
  const diffs: RosterDiff[] = [];
  const roster = new MeetingRoster(MEETING_KEY, { now: Date.now, publish: (d) => diffs.push(d) });
  const now = new Date().toISOString();
  let session: CallSession = { id: CALL_ID, state: 'established', createdAt: now, updatedAt: now, participants: [], toneHistory: [], context: {} };
  const stages = { parse: 0, schema: 0, apply: 0, diff: 0, roster: 0 };
  const ingest = (text: string, timed: boolean) => {
    let t = performance.now();
    const lap = (stage: keyof typeof stages) => {
      const n = performance.now();
      if (timed) stages[stage] += n - t;
      t = n;
    };
    const body = JSON.parse(text) as { value: unknown[] };
    lap('parse');
    const [notification] = parseNotificationBatch(body);
    lap('schema');
    const after = applyCallUpdate(session, notification!);
    lap('apply');
    const diff = diffRoster(session.participants, after.participants);
    lap('diff');
    roster.applyCallDiff(diff);
    lap('roster');
    session = after;
  };
  ingest(first, false);
  const warm = texts.slice(0, warmup);
  for (const text of warm) ingest(text, false);
  diffs.length = 0;
  const measured = texts.slice(warmup);
  const pipeline = cpuMs(() => {
    for (const text of measured) ingest(text, true);
  });
  const floor = cpuMs(() => {
    for (const text of measured) JSON.parse(text);
  });
  const n = measured.length;
  // Bytes on the side panel's stream per change, against the whole roster.
  const tag = 'a1b2c3d4-1';
  const frameBytes = diffs.map((d) => sseBytes(d, `${tag}.${d.version}`));
  return {
    first,
    warm,
    measured,
    perNotificationCpuMs: pipeline.cpuMs / n,
    parseFloorMs: floor.cpuMs / n,
    wallMs: pipeline.wallMs,
    stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(v / n, 3)])),
    diffs,
    perChangeBytes: frameBytes.reduce((a, b) => a + b, 0) / Math.max(1, frameBytes.length),
    fullRosterBytes: Buffer.byteLength(JSON.stringify(roster.snapshot())),
    notificationBytes: Buffer.byteLength(measured[0]!),
  };
}

export async function rosterIngest(sizes: BenchSizes['rosterIngest']): Promise<FigureResult> {
  const started = performance.now();
  const run = inMemory(sizes.rosterSize, sizes.iterations, 10);
  const n = run.measured.length;

  // --- the same notifications through CallService (inbox, store, processing), in-memory SQLite -------------------------
  const service = await serviceIngest(run.first, run.warm, run.measured);

  // --- a town hall: the in-memory path again at 10,000 attendees (the text is released before it starts) -------------
  const big = sizes.townHall;
  const hall = inMemory(big.rosterSize, big.iterations, 3);
  const hallSize = big.rosterSize.toLocaleString('en-US');

  const rows: FigureRow[] = [
    {
      id: '2a',
      name: `Roster ingest: CPU per ${sizes.rosterSize.toLocaleString('en-US')}-person roster notification → diff (in-memory)`,
      value: round(run.perNotificationCpuMs, 3),
      unit: 'ms',
      floor: { value: round(run.parseFloorMs, 3)!, label: 'JSON.parse of the same text' },
      note: `${n} notifications, 1 mute + 1 leave + 1 join each`,
    },
    {
      id: '2b',
      name: 'Roster ingest: the same through CallService (inbox, store, apply, publish)',
      value: round(service.perNotificationCpuMs, 3),
      unit: 'ms',
      floor: { value: round(run.parseFloorMs, 3)!, label: 'JSON.parse of the same text' },
      note: 'in-memory SQLite; no HTTP, no token check',
    },
    {
      id: '2c',
      name: 'Roster ingest: bytes the side panel receives per change',
      value: Math.round(run.perChangeBytes),
      unit: 'B',
      floor: { value: run.fullRosterBytes, label: 'the full roster JSON (snapshot)' },
      note: `the notification itself is ${Math.round(run.notificationBytes / 1024)} KB`,
    },
    {
      id: '2d',
      name: `Roster ingest: CPU per ${hallSize}-person roster notification → diff (in-memory)`,
      value: round(hall.perNotificationCpuMs, 3),
      unit: 'ms',
      floor: { value: round(hall.parseFloorMs, 3)!, label: 'JSON.parse of the same text' },
      note: `${hall.measured.length} notifications, 1 mute + 1 leave + 1 join each`,
    },
    {
      id: '2e',
      name: `Roster ingest: bytes the side panel receives per change (${hallSize} attendees)`,
      value: Math.round(hall.perChangeBytes),
      unit: 'B',
      floor: { value: hall.fullRosterBytes, label: 'the full roster JSON (snapshot)' },
      note: `the notification itself is ${Math.round(hall.notificationBytes / 1024)} KB`,
    },
  ];
  return {
    title: '2 Roster ingest',
    rows,
    details: {
      rosterSize: sizes.rosterSize,
      notifications: n,
      notificationBytes: run.notificationBytes,
      pipelineCpuMs: round(run.perNotificationCpuMs * n),
      pipelineWallMs: round(run.wallMs),
      perNotificationCpuMs: round(run.perNotificationCpuMs, 3),
      stagesMsPerNotification: run.stages,
      jsonParseCpuMsPerNotification: round(run.parseFloorMs, 3),
      service: { ...service, perNotificationCpuMs: round(service.perNotificationCpuMs, 3) },
      diffEvents: run.diffs.length,
      diffFrameBytesAvg: Math.round(run.perChangeBytes),
      fullRosterBytes: run.fullRosterBytes,
      townHall: {
        rosterSize: big.rosterSize,
        notifications: hall.measured.length,
        notificationBytes: hall.notificationBytes,
        perNotificationCpuMs: round(hall.perNotificationCpuMs, 3),
        stagesMsPerNotification: hall.stages,
        jsonParseCpuMsPerNotification: round(hall.parseFloorMs, 3),
        diffEvents: hall.diffs.length,
        diffFrameBytesAvg: Math.round(hall.perChangeBytes),
        fullRosterBytes: hall.fullRosterBytes,
      },
    },
    durationMs: performance.now() - started,
  };
}

async function serviceIngest(first: string, warm: string[], measured: string[]): Promise<{ perNotificationCpuMs: number; wallMs: number; diffsPublished: number }> {
  const store = openSqliteStore(':memory:');
  const bus = new EventBus();
  const unused = () => Promise.reject(new Error('no Graph in this figure'));
  const transport = { send: unused, close: async () => undefined } as unknown as HttpTransport;
  const tokens = { getToken: unused } as unknown as TokenProvider;
  const silent = { info() {}, warn() {}, error() {}, debug() {} };
  const calls = new CallService({
    graph: new GraphClient({ baseUrl: 'http://127.0.0.1:9/v1.0', tokens, transport }),
    store,
    bus,
    logger: silent,
    callbackUri: 'http://127.0.0.1:9/api/calling',
    appId: LOCAL_APP.id,
    tenantId: LOCAL_APP.tenantId,
    transport,
    recordingHosts: [],
  });
  const roster = new MeetingRoster(MEETING_KEY, { now: Date.now, publish: () => undefined });
  let published = 0;
  bus.subscribe((event) => {
    if (event.type !== 'call.participants') return;
    published += 1;
    roster.applyCallDiff(event as never);
  });
  const now = new Date().toISOString();
  const session: CallSession = { id: CALL_ID, state: 'established', createdAt: now, updatedAt: now, participants: [] as Participant[], toneHistory: [], context: {}, tenantId: LOCAL_APP.tenantId };
  await store.put(CALLS_COLLECTION, CALL_ID, session);
  const feed = async (texts: string[]) => {
    for (const text of texts) {
      await calls.receive(JSON.parse(text), LOCAL_APP.tenantId);
      await calls.idle();
    }
  };
  await feed([first, ...warm]);
  published = 0;
  gc();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await feed(measured);
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - wall;
  calls.stop();
  await store.close();
  return { perNotificationCpuMs: (used.user + used.system) / 1000 / measured.length, wallMs: round(wallMs)!, diffsPublished: published };
}
