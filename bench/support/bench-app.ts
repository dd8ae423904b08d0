// Starts the real Switchboard in local mode inside the bench process against the bench's emulator: the same
// startSwitchboard as `npm start`, with logs at info level written nowhere (so they cost what they cost in
// production, without filling memory), on an ephemeral or fixed port, with its own data folder.
import { mkdtempSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startSwitchboard, type StartOverrides, type Switchboard } from '../../server/start.js';
import type { BenchEmulator } from './bench-emulator.js';

export interface BenchApp {
  app: Switchboard;
  url: string;
  port: number;
  dataDir: string;
  /** performance.now() when startSwitchboard resolved (before the bench waited for the front desk's prompts). */
  startedAt: number;
  /** performance.now() when the stored live calls had all been re-read from Graph (after startedAt: in the background). */
  reconciledAt: Promise<number>;
  stop(): Promise<void>;
}

export interface BenchAppOptions {
  /** Reuse a data folder (restart); default: a new temporary one. */
  dataDir?: string;
  /** A fixed port (restart: callbackUris must keep pointing at the app). */
  port?: number;
  env?: Record<string, string>;
  keepAliveIntervalMs?: StartOverrides['keepAliveIntervalMs'];
}

export function discardingStream(): Writable {
  return new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
}

export async function startBenchApp(emulator: BenchEmulator, options: BenchAppOptions = {}): Promise<BenchApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-bench-app-'));
  const config = loadConfig({ PORT: String(options.port ?? 0), EMULATOR_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...options.env });
  const app = await startSwitchboard(config, createLogger(config.logLevel, discardingStream()), {
    emulator: emulator.running,
    ...(options.keepAliveIntervalMs !== undefined ? { keepAliveIntervalMs: options.keepAliveIntervalMs } : {}),
  });
  const startedAt = performance.now();
  const reconciledAt = app.calls.reconcile().then(() => performance.now());
  await emulator.settled();
  await warmFrontDeskPrompts(app);
  const port = Number(new URL(app.url).port);
  return {
    app,
    url: app.url,
    port,
    dataDir,
    startedAt,
    reconciledAt,
    async stop() {
      await app.close();
    },
  };
}

/**
 * Waits for the front desk's prompts, which the app synthesizes in the background after start (seconds of CPU on a
 * fresh data folder): a figure should not measure that. speak() joins a synthesis already running for the same text.
 */
async function warmFrontDeskPrompts(app: Switchboard): Promise<void> {
  await app.frontDesk.warmPrompts();
}
