// Figure 5 — concurrent calls: the bot places calls to emulated people who answer, up to 100 and then 1,000 live
// calls at once, with keepAlive running on a shortened interval; with all of them up, the app's event-loop delay
// (p99 over a window longer than the interval, so every call gets its keepAlive) and its memory per call (RSS and
// heap growth over the idle app, after a full GC). Resident memory per call leaves out V8's young generation (new
// space): it grows once, under any burst of allocation, to twice --max-semi-space-size (32 MB by default on 64-bit
// Node 20) and is kept, however many calls there are — a fixed cost of a busy process that an idle baseline does not
// have yet, which divided by the calls looked like 30–40 KB each at 1,000. The raw RSS growth is kept beside it. Floors: the idle app's event-loop delay over the same window, and
// the call's own stored state (its JSON in the store). The calls stay up for figure 8 (restart).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { CALL_EVENTS, CALLS_COLLECTION } from '../../comms/calls/index.js';
import type { BenchContext } from '../bench-context.js';
import { NEEDS_IN_PROCESS } from '../bench-context.js';
import type { FigureResult, FigureRow } from '../figure-row.js';
import type { BenchApp } from '../support/bench-app.js';
import { freePort } from '../support/free-port.js';
import { gc } from '../support/gc.js';
import { round, sleep } from '../support/stats.js';

export interface ConcurrentCallsResult extends FigureResult {
  /** The app with its calls still up (figure 8 restarts it), and where it lives. */
  kept?: { bench: BenchApp; port: number; dataDir: string; liveCalls: number };
}

interface Level {
  target: number;
  placed: number;
  established: number;
  failedToPlace: number;
  placeMs: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** RSS growth over the idle app less the young generation's growth, ÷ live calls (5b, 5e). */
  residentPerCallKB: number;
  /** The raw RSS growth ÷ live calls. */
  rssPerCallKB: number;
  heapPerCallKB: number;
  storedBytesPerCall: number;
  rssMB: number;
  heapMB: number;
  /** V8's committed heap and memory outside it (Buffers, native objects), after the GC. */
  heapTotalMB: number;
  externalMB: number;
  /** V8's young generation (new space) as committed at the reading. */
  newSpaceMB: number;
  /** TCP sockets open in the process at the memory reading, and at most during the window (both directions). */
  openSockets: number;
  peakSockets: number;
  keepAlivesInWindow: number;
  callsKeptAlive: number;
}

/** Event-loop delay over a window, and the most TCP sockets open at once in it (sampled every 100 ms). */
async function loopDelay(windowMs: number): Promise<{ p99: number; max: number; peakSockets: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  let peakSockets = sockets();
  const sampler = setInterval(() => (peakSockets = Math.max(peakSockets, sockets())), 100);
  h.enable();
  await sleep(windowMs);
  h.disable();
  clearInterval(sampler);
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, peakSockets };
}

function sockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

function memory(): { rss: number; heap: number; heapTotal: number; external: number; newSpace: number } {
  gc();
  const m = process.memoryUsage();
  // What of the young generation is resident, not what V8 reserved for it: subtracting the reservation (space_size)
  // took away pages RSS never counted, and 5e came out below zero (−13.8 KB a call on 12-04).
  const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size ?? 0;
  return { rss: m.rss, heap: m.heapUsed, heapTotal: m.heapTotal, external: m.external, newSpace };
}

export async function concurrentCalls(ctx: BenchContext): Promise<ConcurrentCallsResult> {
  const started = performance.now();
  const sizes = ctx.sizes.calls;
  if (!ctx.startApp) {
    return { title: '5 Concurrent calls', rows: [{ id: '5a', name: 'Concurrent calls', unit: '', skipped: NEEDS_IN_PROCESS }], details: {}, durationMs: performance.now() - started };
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-calls-'));
  const bench = await ctx.startApp({ port, dataDir, keepAliveIntervalMs: sizes.keepAliveIntervalMs });
  const app = bench.app;
  const users = (await ctx.control.ok('GET', '/emulator/users')).value as Array<{ id: string; userPrincipalName: string }>;
  for (const u of users) await ctx.control.ok('PUT', `/emulator/people/${u.userPrincipalName}/behavior`, { onCall: 'answer', answerDelayMs: 20 });

  const established = new Set<string>();
  const ended = new Set<string>();
  const unsubscribe = app.bus.subscribe((e) => {
    if (e.type !== CALL_EVENTS.state || typeof e.callId !== 'string') return;
    if (e.state === 'established') established.add(e.callId);
    if (e.state === 'terminated') ended.add(e.callId);
  });
  const tap = await ctx.control.tap(['call.keep-alive']);

  // The idle app: collected, settled, then watched for as long as each level is.
  memory();
  await sleep(1_000);
  const idleLoop = await loopDelay(sizes.windowMs);
  const base = memory();
  const baseSockets = sockets();
  const placedIds: string[] = [];
  const levels: Level[] = [];
  const deadline = Date.now() + sizes.timeBoxMs;
  let failedToPlace = 0;
  try {
    for (const target of sizes.counts) {
      const t = performance.now();
      ctx.log(`  concurrent calls: placing up to ${target} (keepAlive every ${sizes.keepAliveIntervalMs / 1000} s)`);
      let next = placedIds.length;
      await Promise.all(
        Array.from({ length: sizes.placeConcurrency }, async () => {
          while (next < target && Date.now() < deadline) {
            const i = next++;
            try {
              const call = await app.calls.placeCall({ target: { kind: 'user', id: users[i % users.length]!.id }, purpose: 'bench' });
              placedIds.push(call.id);
            } catch {
              failedToPlace += 1;
            }
          }
        }),
      );
      while (placedIds.some((id) => !established.has(id) && !ended.has(id)) && Date.now() < deadline + 30_000) await sleep(100);
      const placeMs = performance.now() - t;
      const live = placedIds.filter((id) => established.has(id) && !ended.has(id)).length;
      ctx.log(`  concurrent calls: ${live} live; measuring for ${sizes.windowMs / 1000} s`);
      const windowStart = Date.now();
      const loop = await loopDelay(sizes.windowMs);
      const kept = tap.events.filter((e) => Date.parse(e.time) >= windowStart);
      const mem = memory();
      const stored = (await app.store.list<unknown>(CALLS_COLLECTION)).filter((i) => placedIds.includes(i.key));
      const storedBytes = stored.reduce((sum, i) => sum + Buffer.byteLength(JSON.stringify(i.value)), 0) / Math.max(1, stored.length);
      levels.push({
        target,
        placed: placedIds.length,
        established: live,
        failedToPlace,
        placeMs: round(placeMs)!,
        eventLoopP99Ms: round(loop.p99)!,
        eventLoopMaxMs: round(loop.max)!,
        residentPerCallKB: round((mem.rss - base.rss - (mem.newSpace - base.newSpace)) / 1024 / Math.max(1, live), 1)!,
        rssPerCallKB: round((mem.rss - base.rss) / 1024 / Math.max(1, live), 1)!,
        heapPerCallKB: round((mem.heap - base.heap) / 1024 / Math.max(1, live), 1)!,
        storedBytesPerCall: Math.round(storedBytes),
        rssMB: round(mem.rss / 2 ** 20)!,
        heapMB: round(mem.heap / 2 ** 20)!,
        heapTotalMB: round(mem.heapTotal / 2 ** 20)!,
        externalMB: round(mem.external / 2 ** 20)!,
        newSpaceMB: round(mem.newSpace / 2 ** 20)!,
        openSockets: sockets(),
        peakSockets: loop.peakSockets,
        keepAlivesInWindow: kept.length,
        callsKeptAlive: new Set(kept.map((e) => e.callId)).size,
      });
      if (Date.now() >= deadline) break;
    }
  } finally {
    unsubscribe();
    await tap.close();
  }

  const [low, high] = [levels[0], levels.at(-1)];
  const marginal =
    low && high && high.established > low.established
      ? {
          between: `${low.established} and ${high.established} calls`,
          residentKB: round(((high.rssMB - high.newSpaceMB - (low.rssMB - low.newSpaceMB)) * 1024) / (high.established - low.established), 1),
          rssKB: round(((high.rssMB - low.rssMB) * 1024) / (high.established - low.established), 1),
          heapKB: round(((high.heapMB - low.heapMB) * 1024) / (high.established - low.established), 1),
        }
      : undefined;
  const rows: FigureRow[] = [];
  levels.forEach((level, i) => {
    const isTop = i === levels.length - 1 && i > 0;
    const short = level.established < level.target ? ` (${level.established} of ${level.target} came up in the time box)` : '';
    const coverage = `${level.callsKeptAlive} of ${level.established} calls kept alive in the window (${level.keepAlivesInWindow} keepAlives)`;
    const letter = (k: number) => `5${String.fromCharCode(97 + i * 3 + k)}`;
    rows.push({
      id: letter(0),
      name: `Concurrent calls: event-loop delay p99 @ ${level.target} live calls${short}`,
      value: level.eventLoopP99Ms,
      unit: 'ms',
      floor: { value: round(idleLoop.p99)!, label: 'the idle app, same window' },
      note: coverage,
    });
    rows.push({
      id: letter(1),
      name: `Concurrent calls: resident memory per call @ ${level.target}`,
      value: level.residentPerCallKB,
      unit: 'KB',
      floor: { value: round(level.storedBytesPerCall / 1024, 2)!, label: 'the call\'s stored JSON' },
      note: `RSS growth over the idle app after a full GC, less V8's young generation (${round(base.newSpace / 2 ** 20)} → ${level.newSpaceMB} MB), ÷ live calls; raw RSS growth ${level.rssPerCallKB} KB a call; sockets: ${level.peakSockets} at most in the window, ${level.openSockets} at the reading${isTop && marginal ? `; from ${marginal.between}: ${marginal.residentKB} KB a call (raw ${marginal.rssKB})` : ''}`,
    });
    rows.push({
      id: letter(2),
      name: `Concurrent calls: heap per call @ ${level.target}`,
      value: level.heapPerCallKB,
      unit: 'KB',
      floor: { value: round(level.storedBytesPerCall / 1024, 2)!, label: 'the call\'s stored JSON' },
      note: `${level.placed} placed in ${Math.round(level.placeMs / 1000)} s${isTop && marginal ? `; from ${marginal.between}: ${marginal.heapKB} KB a call` : ''}`,
    });
  });
  const liveCalls = placedIds.filter((id) => established.has(id) && !ended.has(id)).length;
  return {
    title: '5 Concurrent calls',
    rows,
    details: {
      keepAliveIntervalMs: sizes.keepAliveIntervalMs,
      windowMs: sizes.windowMs,
      idleEventLoop: { p99Ms: round(idleLoop.p99), maxMs: round(idleLoop.max) },
      baseline: { rssMB: round(base.rss / 2 ** 20), heapMB: round(base.heap / 2 ** 20), heapTotalMB: round(base.heapTotal / 2 ** 20), externalMB: round(base.external / 2 ** 20), newSpaceMB: round(base.newSpace / 2 ** 20), openSockets: baseSockets },
      emulator: ctx.emulator?.placement ?? 'remote',
      levels,
      marginalPerCall: marginal,
    },
    durationMs: performance.now() - started,
    kept: { bench, port, dataDir, liveCalls },
  };
}
