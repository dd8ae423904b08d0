// Starts the emulator for a bench run — in a child process (default: the app's figures then measure the app alone)
// or inside the bench process (--emulator in-process, exactly like local mode) — and hands back what the app needs
// (a RunningEmulator to pass to startSwitchboard) and what the figures need (the control API and the process id).
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REQUIRED_APP_ROLES } from '../../comms/graph/index.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';
import { LOCAL_APP } from '../../server/config.js';
import type { ChildReady, ChildReply, ChildRequest } from './emulator-child.js';
import { EmulatorControl } from './emulator-control.js';

export type EmulatorPlacement = 'process' | 'in-process';

export interface BenchEmulator {
  running: RunningEmulator;
  control: EmulatorControl;
  placement: EmulatorPlacement;
  /** The child's pid (placement 'process'). */
  pid?: number;
  /** Resolves when every webhook/endpoint registration sent so far has been applied. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Emulator timing for the bench: quick notifications and media, Graph's own answer window; call records only after the run (so their fetches do not land in the middle of a figure). */
export const BENCH_EMULATOR: Partial<EmulatorOptions> = { notificationDelayMs: 5, mediaSpeed: 20, callRecordDelayMs: 600_000 };

export async function startBenchEmulator(placement: EmulatorPlacement, dataDir: string, extra: Partial<EmulatorOptions> = {}): Promise<BenchEmulator> {
  const options: EmulatorOptions = {
    port: 0,
    dataDir: join(dataDir, 'emulator'),
    tenantId: LOCAL_APP.tenantId,
    apps: [{ clientId: LOCAL_APP.id, clientSecret: LOCAL_APP.secret, displayName: 'Switchboard (local)', roles: [...REQUIRED_APP_ROLES] }],
    ...BENCH_EMULATOR,
    ...extra,
  };
  if (placement === 'in-process') {
    const running = await startEmulator(options);
    const control = new EmulatorControl(running.url, running.caCertPem);
    return {
      running,
      control,
      placement,
      settled: async () => undefined,
      async close() {
        await control.close();
        await running.close();
      },
    };
  }
  return startChild(options);
}

async function startChild(options: EmulatorOptions): Promise<BenchEmulator> {
  const entry = join(fileURLToPath(new URL('.', import.meta.url)), 'emulator-child.js');
  const child: ChildProcess = fork(entry, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--no-deprecation', '--no-warnings'] });
  const ready = await new Promise<ChildReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bench emulator did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the bench emulator exited (${code}) before it was ready`)));
    child.once('message', (message: ChildReady) => {
      clearTimeout(timer);
      resolve(message);
    });
  }).catch((err) => {
    child.kill();
    throw err;
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const registrations = new Set<Promise<unknown>>();
  child.on('message', (message: ChildReply) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new Error(message.error));
  });
  child.on('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('the bench emulator exited'));
    pending.clear();
  });
  const ask = <T>(body: DistributiveOmit<ChildRequest, 'id'>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...body, id } as ChildRequest);
    });
  const register = (body: DistributiveOmit<ChildRequest, 'id'>) => {
    const done = ask(body).finally(() => registrations.delete(done));
    registrations.add(done);
  };
  const running: RunningEmulator = {
    url: ready.url,
    port: ready.port,
    tenantId: ready.tenantId,
    caCertPem: ready.caCertPem,
    caCertPath: ready.caCertPath,
    authorityUrl: ready.authorityUrl,
    graphUrl: ready.graphUrl,
    callingOpenIdMetadataUrl: ready.callingOpenIdMetadataUrl,
    connectorUrl: ready.connectorUrl,
    signCallingToken: (claims) => ask<string>({ type: 'sign', claims }),
    setCallingWebhook: (clientId, url) => register({ type: 'calling-webhook', clientId, url }),
    setMessagingEndpoint: (url, clientId) => register({ type: 'messaging-endpoint', url, ...(clientId ? { clientId } : {}) }),
    close: async () => undefined, // the bench closes the child itself
  };
  const control = new EmulatorControl(running.url, running.caCertPem);
  return {
    running,
    control,
    placement: 'process',
    pid: child.pid,
    settled: async () => {
      await Promise.all([...registrations]);
    },
    async close() {
      await control.close();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await Promise.race([ask({ type: 'close' }).catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
