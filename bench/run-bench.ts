// One bench run: starts the emulator (a child process by default) and the app in-process as the figures need it —
// or, with a URL, drives a running app and emulator — runs every figure in an order that reuses what the previous one
// built (figure 6 renders figure 4's meeting; figure 8 restarts figure 5's calls; memory per call is measured first,
// before other figures leave garbage behind), and returns the table and the JSON file. A figure that fails is
// reported as such; the others still run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CallingService } from '../emulator/calling/calling-service.js';
import { loadCallingKey } from '../emulator/replay/replay-captures.js';
import { LOCAL_APP } from '../server/config.js';
import type { AppTarget, BenchContext } from './bench-context.js';
import { SIZES, type SizeName } from './bench-sizes.js';
import type { FigureResult } from './figure-row.js';
import { formatTable } from './report/format-table.js';
import { compareWithEarlier, currentCommit, earlierRuns } from './report/regression.js';
import { writeResults, type BenchRun } from './report/results-file.js';
import { answerLatency } from './figures/answer-latency.js';
import { callQueuesFigure } from './figures/call-queues.js';
import { clusterFigure } from './figures/cluster.js';
import { concurrentCalls, type ConcurrentCallsResult } from './figures/concurrent-calls.js';
import { meetingChurn, type MeetingChurnResult } from './figures/meeting-churn.js';
import { promptSynthesis } from './figures/prompt-synthesis.js';
import { restart } from './figures/restart.js';
import { rosterIngest } from './figures/roster-ingest.js';
import { sidePanel } from './figures/side-panel.js';
import { spokenReplies } from './figures/spoken-replies.js';
import { webhookAck } from './figures/webhook-ack.js';
import { startBenchApp, type BenchApp } from './support/bench-app.js';
import { startBenchEmulator, type BenchEmulator, type EmulatorPlacement } from './support/bench-emulator.js';
import { EmulatorControl } from './support/emulator-control.js';

export const FIGURES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'] as const;

export interface BenchOptions {
  size: SizeName;
  /** Where the JSON goes (bench/results by default). */
  outDir: string;
  emulator?: EmulatorPlacement;
  /** Drive a running app at this URL instead of starting one (figures that need it in-process are skipped). */
  url?: string;
  /** With url: the running emulator, and its data folder (calling signing key and TLS certificate). */
  emulatorUrl?: string;
  emulatorDataDir?: string;
  /** Only these figures (numbers as strings); default all. */
  only?: string[];
  log?: (line: string) => void;
}

export interface BenchOutcome {
  run: BenchRun;
  table: string;
  file: string;
}

function failed(title: string, id: string, err: unknown): FigureResult {
  const message = (err as Error)?.message ?? String(err);
  return { title, rows: [{ id: `${id}a`, name: title.replace(/^\d+ /, ''), unit: '', skipped: `failed: ${message.split('\n')[0]}` }], details: { error: (err as Error)?.stack ?? message }, durationMs: 0 };
}

export async function runBench(options: BenchOptions): Promise<BenchOutcome> {
  const startedAt = new Date();
  const t0 = performance.now();
  const log = options.log ?? (() => undefined);
  const sizes = SIZES[options.size];
  const wanted = new Set(options.only && options.only.length > 0 ? options.only : FIGURES);
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const figures = new Map<string, FigureResult>();
  const apps: BenchApp[] = [];
  let emulator: BenchEmulator | undefined;
  let control: EmulatorControl;
  let sign: BenchContext['signCallingToken'];
  let placement: string;

  if (options.url) {
    const emulatorUrl = options.emulatorUrl ?? 'https://127.0.0.1:3979';
    const dataDir = options.emulatorDataDir ?? join('.switchboard', 'emulator');
    control = new EmulatorControl(emulatorUrl, readFileSync(join(dataDir, 'tls-cert.pem'), 'utf8'));
    const signer = new CallingService(await loadCallingKey(dataDir), emulatorUrl, LOCAL_APP.tenantId);
    sign = (claims) => signer.signToken(claims);
    placement = `running at ${emulatorUrl}`;
  } else {
    log(`starting the emulator (${options.emulator ?? 'process'})`);
    emulator = await startBenchEmulator(options.emulator ?? 'process', scratch, { rosterBatchMs: sizes.meeting.rosterBatchMs });
    control = emulator.control;
    sign = (claims) => emulator!.running.signCallingToken(claims);
    placement = emulator.placement === 'process' ? 'child process' : 'in-process';
  }
  const ctx: BenchContext = {
    sizes,
    control,
    signCallingToken: sign,
    log,
    ...(emulator
      ? {
          emulator,
          startApp: async (o = {}) => {
            const app = await startBenchApp(emulator!, o);
            apps.push(app);
            return app;
          },
        }
      : {}),
  };
  const startTarget = async (): Promise<AppTarget> => (ctx.startApp ? { url: '', bench: await ctx.startApp() } : { url: options.url! });
  const withUrl = (t: AppTarget): AppTarget => (t.bench ? { ...t, url: t.bench.url } : t);
  const stopTarget = async (t: AppTarget) => {
    await t.bench?.stop().catch(() => undefined);
  };
  const figure = async <T extends FigureResult>(n: string, title: string, run: () => Promise<T>): Promise<T | undefined> => {
    if (!wanted.has(n)) return undefined;
    log(`figure ${title}`);
    try {
      const result = await run();
      figures.set(n, result);
      return result;
    } catch (err) {
      figures.set(n, failed(title, n, err));
      return undefined;
    }
  };

  try {
    // Memory per call first, while the process holds nothing from other figures.
    if (wanted.has('5') || wanted.has('8')) {
      let calls: ConcurrentCallsResult | undefined;
      try {
        calls = await figure('5', '5 Concurrent calls', () => concurrentCalls(ctx));
        if (wanted.has('8')) await figure('8', '8 Restart', () => restart(ctx, calls ?? { title: '', rows: [], details: {}, durationMs: 0 }));
      } finally {
        await calls?.kept?.bench.stop().catch(() => undefined);
      }
    }

    if (wanted.has('1') || wanted.has('3') || wanted.has('7')) {
      const target = withUrl(await startTarget());
      try {
        const answers = await figure('3', '3 Answer latency', () => answerLatency(ctx, target));
        await figure('7', '7 Prompt synthesis', () => promptSynthesis(ctx, target, answers?.promptUris ?? []));
        await figure('1', '1 Webhook acknowledgement', () => webhookAck(ctx, target));
      } finally {
        await stopTarget(target);
      }
    }

    if (wanted.has('4') || wanted.has('6')) {
      const target = withUrl(await startTarget());
      try {
        const churn: MeetingChurnResult | undefined = await figure('4', '4 Meeting churn', () => meetingChurn(ctx, target));
        await figure('6', '6 Side panel', () => sidePanel(ctx, target, churn?.meeting));
      } finally {
        await stopTarget(target);
      }
    }

    await figure('2', '2 Roster ingest', () => rosterIngest(sizes.rosterIngest));
    // Call queues: its own in-process emulator (its directory has the callers and agents the figure needs).
    await figure('10', '10 Call queues', () => callQueuesFigure(ctx));
    await figure('11', '11 Spoken replies', () => spokenReplies(ctx));
    // Several instances: its own cluster (child processes, its own emulator and Redis); not with --url.
    if (!options.url) await figure('9', '9 Several instances', () => clusterFigure(ctx));
  } finally {
    for (const app of apps) await app.stop().catch(() => undefined);
    if (emulator) await emulator.close();
    else await control.close();
    rmSync(scratch, { recursive: true, force: true });
    // The apps' own data folders (made under the system's temporary folder by the bench): up to hundreds of MB each.
    for (const dir of new Set(apps.map((a) => a.dataDir))) {
      if (dirname(dir) === tmpdir() && basename(dir).startsWith('switchboard-bench-')) rmSync(dir, { recursive: true, force: true });
    }
  }

  const ordered = FIGURES.filter((n) => figures.has(n)).map((n) => figures.get(n)!);
  const commit = currentCommit(fileURLToPath(new URL('../../', import.meta.url)));
  const environment = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    emulator: placement,
    app: options.url ? `running at ${options.url}` : 'in-process (startSwitchboard, local mode)',
  };
  // Read before this run's files are written: latest.json is still the previous run.
  const baselines = compareWithEarlier(ordered, earlierRuns(options.outDir, sizes.name, environment));
  const run: BenchRun = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    size: sizes.name,
    ...(commit ? { commit } : {}),
    environment,
    figures: ordered,
    baselines,
  };
  const heading = `Switchboard bench — ${sizes.name} run, ${run.startedAt}, ${Math.round(run.durationMs / 1000)} s · node ${process.version} · ${cpus().length} CPUs · emulator: ${placement} · app: ${options.url ?? 'in-process'}`;
  const table = formatTable(ordered, heading, { baselines, ...(commit ? { commit } : {}) });
  const file = writeResults(options.outDir, run);
  return { run, table, file };
}
