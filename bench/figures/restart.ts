// Figure 8 — restart: the app from figure 5 stops with its calls still up in the emulator, and starts again on the
// same port and data folder. On start it loads the live calls from its store and schedules their keepAlive; then,
// in the background while it serves, it re-reads every one from Graph (a GET per call). 8a is timed from the start
// call until the app is ready: startSwitchboard has resolved and GET /readyz answers 200 — which no longer implies
// the calls were re-read; 8b is the same start until the last of them had been (calls.reconcile() resolved, /readyz
// `reconciled`). Floor of both: the same start from a copy of the data folder with the calls taken out.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { CALLS_COLLECTION, INBOX_COLLECTION, isLive, OPERATIONS_COLLECTION, ROSTERS_COLLECTION, type CallSession } from '../../comms/calls/index.js';
import { openSqliteStore } from '../../comms/store/index.js';
import type { BenchContext } from '../bench-context.js';
import { NEEDS_IN_PROCESS } from '../bench-context.js';
import type { FigureResult, FigureRow } from '../figure-row.js';
import type { BenchApp, BenchAppOptions } from '../support/bench-app.js';
import { freePort } from '../support/free-port.js';
import { round, sleep } from '../support/stats.js';
import type { ConcurrentCallsResult } from './concurrent-calls.js';

interface Timed {
  readyMs: number;
  startedMs: number;
  reconciledMs: number;
  firstReadyzMs?: number;
  liveAfter: number;
  bench: BenchApp;
}

async function timedStart(ctx: BenchContext, options: BenchAppOptions & { port: number }): Promise<Timed> {
  const t0 = performance.now();
  let firstReadyzMs: number | undefined;
  let polling = true;
  const poll = (async () => {
    while (polling && performance.now() - t0 < 180_000) {
      try {
        const res = await request(`http://127.0.0.1:${options.port}/readyz`, { signal: AbortSignal.timeout(2_000) });
        await res.body.dump();
        if (res.statusCode === 200) {
          firstReadyzMs ??= performance.now() - t0;
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(10);
    }
  })();
  const bench = await ctx.startApp!(options);
  const startedMs = bench.startedAt - t0;
  await Promise.race([poll, sleep(60_000)]);
  polling = false;
  const readyMs = Math.max(startedMs, firstReadyzMs ?? Infinity);
  const reconciledMs = Math.max(readyMs, (await bench.reconciledAt) - t0);
  const liveAfter = (await bench.app.calls.listCalls({ live: true })).length;
  return { readyMs, startedMs, reconciledMs, ...(firstReadyzMs !== undefined ? { firstReadyzMs } : {}), liveAfter, bench };
}

export async function restart(ctx: BenchContext, before: ConcurrentCallsResult): Promise<FigureResult> {
  const started = performance.now();
  const kept = before.kept;
  if (!ctx.startApp || !kept) {
    return { title: '8 Restart', rows: [{ id: '8a', name: 'Restart to ready', unit: 'ms', skipped: ctx.startApp ? 'skipped: figure 5 kept no calls' : NEEDS_IN_PROCESS }], details: {}, durationMs: performance.now() - started };
  }
  const liveIds = new Set((await kept.bench.app.store.list<CallSession>(CALLS_COLLECTION)).filter((i) => isLive(i.value)).map((i) => i.key));
  const stored = liveIds.size;
  ctx.log(`  restart: stopping the app with ${stored} live calls in its store, starting it again`);
  await kept.bench.stop();
  // The floor's data folder: a copy of this one (prompt cache, subscriptions, everything) without the calls.
  const floorDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-no-calls-'));
  cpSync(kept.dataDir, floorDir, { recursive: true });
  const floorStore = openSqliteStore(join(floorDir, 'switchboard.db'));
  for (const collection of [CALLS_COLLECTION, ROSTERS_COLLECTION, INBOX_COLLECTION, OPERATIONS_COLLECTION]) {
    for (const item of await floorStore.list(collection)) await floorStore.delete(collection, item.key);
  }
  await floorStore.close();
  const withCalls = await timedStart(ctx, { port: kept.port, dataDir: kept.dataDir });
  const emulatorLive = ((await ctx.control.ok('GET', '/emulator/calls')).value as Array<{ id: string; state: string }>).filter((c) => liveIds.has(c.id) && c.state === 'established').length;
  await withCalls.bench.stop();

  ctx.log('  restart: the same start without the calls (floor)');
  const empty = await timedStart(ctx, { port: await freePort(), dataDir: floorDir });
  await empty.bench.stop();

  const readyzNote =
    withCalls.firstReadyzMs !== undefined && withCalls.firstReadyzMs < withCalls.startedMs - 50
      ? `; /readyz said 200 already at ${Math.round(withCalls.firstReadyzMs)} ms, before startSwitchboard resolved`
      : '';
  const floorLabel = 'the same start, same data folder without the calls';
  const rows: FigureRow[] = [
    {
      id: '8a',
      name: `Restart to ready with ${stored} live calls in the store (calls served from the store, re-read after)`,
      value: round(withCalls.readyMs),
      unit: 'ms',
      floor: { value: round(empty.readyMs)!, label: floorLabel },
      note: `${withCalls.liveAfter} calls live after the restart (emulator: ${emulatorLive} established)${readyzNote}`,
    },
    {
      id: '8b',
      name: `Restart to reconciled: all ${stored} live calls re-read from Graph`,
      value: round(withCalls.reconciledMs),
      unit: 'ms',
      floor: { value: round(empty.reconciledMs)!, label: floorLabel },
      note: 'from the same start call as 8a, until calls.reconcile() resolved (/readyz says reconciled: true)',
    },
  ];
  return {
    title: '8 Restart',
    rows,
    details: {
      storedLiveCalls: stored,
      withCalls: { readyMs: round(withCalls.readyMs), startedMs: round(withCalls.startedMs), reconciledMs: round(withCalls.reconciledMs), firstReadyzMs: round(withCalls.firstReadyzMs), liveAfter: withCalls.liveAfter },
      emptyStore: { readyMs: round(empty.readyMs), startedMs: round(empty.startedMs), reconciledMs: round(empty.reconciledMs), firstReadyzMs: round(empty.firstReadyzMs) },
      emulatorEstablished: emulatorLive,
      measured: '8a: startSwitchboard() called → it resolved (live calls loaded from the store, keepAlive scheduled) and GET /readyz answered 200; 8b: → every live call re-read with GET (calls.reconcile() resolved)',
    },
    durationMs: performance.now() - started,
  };
}
