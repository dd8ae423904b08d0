// Test support for the doctor: a local Switchboard on an emulator registered the way a scenario needs (all roles,
// some roles, another secret), the doctor environment pointing at them, and small stand-ins for "the internet" (a
// transport that maps a public host to a local server, a server that is not Switchboard).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpTransport, REQUIRED_APP_ROLES, type HttpTransport } from '../../../comms/graph/index.js';
import { startEmulator, type EmulatedApp, type RunningEmulator } from '../../../emulator/index.js';
import { LOCAL_APP } from '../../../server/config.js';
import { emulatorSide, type DoctorEnvironment } from '../../../server/doctor/doctor-environment.js';
import type { CheckId, DoctorReport, Finding } from '../../../server/doctor/finding.js';
import { FAST_EMULATOR, startLocalSwitchboard, type LocalSwitchboard } from '../../support/local-switchboard.js';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const MANIFEST = join(ROOT, 'manifest.json');

export const LOCAL_REGISTRATION: EmulatedApp = { clientId: LOCAL_APP.id, clientSecret: LOCAL_APP.secret, displayName: 'Switchboard (doctor test)', roles: [...REQUIRED_APP_ROLES] };

export interface Stack {
  emulator: RunningEmulator;
  app: LocalSwitchboard;
  /** Trusts the emulator's certificate. */
  transport: HttpTransport;
  /** The doctor's environment for this local stack; override what the scenario changes. */
  env(overrides?: Partial<DoctorEnvironment>): DoctorEnvironment;
  emulatorJson(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Emulator keys and certificate are made once per run and shared by every stack (making them is the slow part). */
let sharedEmulatorDir: string | undefined;
process.once('exit', () => {
  if (sharedEmulatorDir) rmSync(sharedEmulatorDir, { recursive: true, force: true });
});

export async function startStack(registration: EmulatedApp = LOCAL_REGISTRATION): Promise<Stack> {
  sharedEmulatorDir ??= mkdtempSync(join(tmpdir(), 'switchboard-doctor-emulator-'));
  // The shared folder is for keys only: each stack's emulator starts with fresh state (persistState false).
  const emulator = await startEmulator({ port: 0, dataDir: sharedEmulatorDir, apps: [registration], ...FAST_EMULATOR, persistState: false });
  let app: LocalSwitchboard;
  try {
    app = await startLocalSwitchboard({ emulator });
  } catch (err) {
    await emulator.close();
    throw err;
  }
  const transport = createHttpTransport({ extraCaPem: emulator.caCertPem, defaultTimeoutMs: 5000 });
  return {
    emulator,
    app,
    transport,
    env: (overrides = {}) => ({
      variables: { PORT: '0', EMULATOR_PORT: '0', DATA_DIR: app.dataDir },
      cwd: ROOT,
      transport,
      microsoft: emulatorSide(emulator),
      webhookBaseUrl: app.url,
      manifestPath: MANIFEST,
      now: () => Date.now(),
      timeoutMs: 5000,
      ...overrides,
    }),
    emulatorJson: (method, path, body) => app.emulatorJson(method, path, body),
    async close() {
      await transport.close();
      await app.stop();
      await emulator.close();
    },
  };
}

/** A transport that sends requests for `publicOrigin` (as the internet would) to `localOrigin` instead. */
export function mapOrigin(inner: HttpTransport, publicOrigin: string, localOrigin: string): HttpTransport {
  return {
    send: (req) => inner.send(req.url.startsWith(publicOrigin) ? { ...req, url: localOrigin + req.url.slice(publicOrigin.length) } : req),
    close: async () => undefined,
  };
}

/** A plain HTTP server on 127.0.0.1 that answers everything with `status` — someone else's server, or a tunnel. */
export async function startOtherServer(status: number, body = '', headers: Record<string, string> = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function finding(report: DoctorReport, check: CheckId): Finding {
  const found = report.findings.filter((f) => f.check === check);
  if (found.length !== 1) throw new Error(`expected one ${check} finding, got ${found.length}: ${JSON.stringify(report.findings)}`);
  return found[0]!;
}

/** "check:status[:code]" for every finding, for whole-report assertions. */
export function summary(report: DoctorReport): string[] {
  return report.findings.map((f) => `${f.check}:${f.status}${f.status === 'pass' ? '' : `:${f.code}`}`);
}
