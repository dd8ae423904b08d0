// Starts a real Switchboard in local mode (embedded emulator) on ephemeral ports with a temporary data folder, and
// gives tests the emulator's control API and a record of everything published on the event bus.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Agent, request } from 'undici';
import { REQUIRED_APP_ROLES } from '../../comms/graph/index.js';
import type { CommsEvent } from '../../comms/store/index.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { LOCAL_APP, loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startSwitchboard, type StartOverrides, type Switchboard } from '../../server/start.js';

export interface LocalSwitchboard extends Switchboard {
  dataDir: string;
  /** Everything the app logged, as JSON lines (for secret-hygiene checks). */
  logs: string[];
  /** Every event published on the bus since start. */
  events: CommsEvent[];
  /** An undici agent that trusts the emulator's certificate. */
  emulatorAgent: Agent;
  emulatorJson(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Waits until `find` returns something for an event published on the bus (past or future). */
  waitForEvent<T extends CommsEvent>(find: (e: CommsEvent) => boolean, what: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export interface LocalOptions extends StartOverrides {
  env?: Record<string, string>;
  /** Reuse a data folder (restart tests); it is then not deleted on stop. */
  dataDir?: string;
  /** A fixed app port (restart tests: callbackUris must keep pointing at the app). */
  port?: number;
}

/**
 * Emulator settings for tests: quick notifications, prompts played 20× faster than real time, and people who answer
 * only when a test makes them (npm start's people answer by themselves: tests that want that say peopleAnswer 'auto').
 */
export const FAST_EMULATOR = { notificationDelayMs: 5, mediaSpeed: 20, peopleAnswer: 'manual' } as const;

let promptCache: string | undefined;
/**
 * One prompt folder for every app a test process starts (PROMPT_CACHE_DIR): each distinct prompt is synthesized once
 * per run instead of once per app — eSpeak NG was most of an app's start. Removed when the process exits.
 */
function sharedPromptCache(): string {
  if (!promptCache) {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-prompts-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    promptCache = dir;
  }
  return promptCache;
}

export async function startLocalSwitchboard(options: LocalOptions = {}): Promise<LocalSwitchboard> {
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const config = loadConfig({ PORT: String(options.port ?? 0), EMULATOR_PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'debug', PROMPT_CACHE_DIR: sharedPromptCache(), ...options.env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await startSwitchboard(config, createLogger(config.logLevel, sink), {
    emulator: options.emulator,
    emulatorOptions: { ...FAST_EMULATOR, ...options.emulatorOptions },
    keepAliveIntervalMs: options.keepAliveIntervalMs,
    reminders: { tickMs: 200, retryDelayMs: 1000, answerWaitMs: 3000, ...options.reminders },
    callDeadlines: options.callDeadlines,
    ivrDeadlines: options.ivrDeadlines,
    queues: options.queues,
  });
  const events: CommsEvent[] = [];
  const waiters = new Set<() => void>();
  app.bus.subscribe((event) => {
    events.push(event);
    for (const wake of [...waiters]) wake();
  });
  const emulatorAgent = new Agent({ connect: { ca: app.emulator!.caCertPem } });
  return {
    ...app,
    dataDir: dir,
    logs,
    events,
    emulatorAgent,
    async emulatorJson(method, path, body) {
      const res = await request(app.emulator!.url + path, {
        method: method as 'GET',
        dispatcher: emulatorAgent,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // leave as text
      }
      return { status: res.statusCode, body: parsed };
    },
    waitForEvent<T extends CommsEvent>(find: (e: CommsEvent) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const hit = events.find(find);
          if (!hit) return false;
          cleanup();
          resolve(hit as T);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${what}; events seen: ${events.map((e) => e.type).join(', ')}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        const wake = () => void check();
        if (!check()) waiters.add(wake);
      });
    },
    async stop() {
      await app.close();
      await emulatorAgent.close();
      if (!options.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `probe` returns a truthy value. */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A TCP port that was free a moment ago (for restart tests that need the same address twice). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * An emulator that outlives app restarts (Microsoft's side stays up while the app stops and starts again), and a
 * fixed app port, so the callbackUris of calls placed before the restart still reach the app after it.
 */
export async function startRestartableEmulator(dataDir: string, overrides: { mediaSpeed?: number } = {}): Promise<{ emulator: RunningEmulator; port: number }> {
  const emulator = await startEmulator({
    port: 0,
    dataDir: join(dataDir, 'emulator'),
    tenantId: LOCAL_APP.tenantId,
    apps: [{ clientId: LOCAL_APP.id, clientSecret: LOCAL_APP.secret, displayName: 'Switchboard (local)', roles: REQUIRED_APP_ROLES }],
    ...FAST_EMULATOR,
    ...overrides,
  });
  return { emulator, port: await freePort() };
}
