// `npm run doctor [-- --env <name>]`: checks this configuration end to end and prints each finding with its fix;
// exits 1 when any check fails. Cloud mode probes Entra ID, Graph and the public URL. Local mode checks the
// Switchboard already running on PORT (and its emulator), or starts a temporary one on free ports with a throw-away
// data folder, so nothing of yours (calls, reminders) is touched. `--env <name>` checks the built
// appPackage/build/manifest.<name>.json instead of manifest.json.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { createHttpTransport, type HttpTransport } from '../../comms/graph/index.js';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../logger.js';
import { startSwitchboard } from '../start.js';
import { emulatorSide, type MicrosoftSide } from './doctor-environment.js';
import { hasFailures } from './finding.js';
import { formatReport } from './report-format.js';
import { runDoctor } from './run-doctor.js';

interface Session {
  transport: HttpTransport;
  microsoft?: (tenantId: string) => MicrosoftSide;
  webhookBaseUrl?: string;
  note?: string;
  close(): Promise<void>;
}

/** Where the emulator keeps its certificate inside DATA_DIR (emulator/keys/tls-certificate.ts). */
const EMULATOR_CERT = join('emulator', 'tls-cert.pem');

function readVariables(cwd: string): Record<string, string | undefined> {
  const fromFile = existsSync(join(cwd, '.env')) ? parse(readFileSync(join(cwd, '.env'))) : {};
  return { ...fromFile, ...process.env };
}

function option(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === name) return args[i + 1];
    if (args[i]!.startsWith(`${name}=`)) return args[i]!.slice(name.length + 1);
  }
  return undefined;
}

async function connectToRunning(config: Config): Promise<Session | undefined> {
  if (config.port === 0 || config.emulator.port === 0) return undefined;
  const certPath = join(config.dataDir, EMULATOR_CERT);
  if (!existsSync(certPath)) return undefined;
  const transport = createHttpTransport({ extraCaPem: readFileSync(certPath, 'utf8'), defaultTimeoutMs: 3000 });
  const appUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const emulatorUrl = `https://127.0.0.1:${config.emulator.port}`;
  try {
    const [app, emulator] = await Promise.all([
      transport.send({ method: 'GET', url: `${appUrl}/healthz` }),
      transport.send({ method: 'GET', url: `${emulatorUrl}/emulator/health` }),
    ]);
    if (app.status !== 200 || emulator.status !== 200) throw new Error('not Switchboard');
  } catch {
    await transport.close();
    return undefined;
  }
  return {
    transport,
    microsoft: emulatorSide({ url: emulatorUrl, graphUrl: `${emulatorUrl}/v1.0` }),
    webhookBaseUrl: appUrl,
    note: `Checked the Switchboard running at ${appUrl} and its emulator at ${emulatorUrl}.`,
    close: () => transport.close(),
  };
}

async function startTemporary(config: Config): Promise<Session> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-doctor-'));
  try {
    const app = await startSwitchboard({ ...config, port: 0, dataDir, emulator: { ...config.emulator, port: 0 } }, createLogger('silent'));
    const transport = createHttpTransport({ extraCaPem: app.emulator!.caCertPem, defaultTimeoutMs: 10_000 });
    return {
      transport,
      microsoft: emulatorSide(app.emulator!),
      webhookBaseUrl: app.url,
      note: `No Switchboard was running on port ${config.port}: checked a temporary one (${app.url}, emulator ${app.emulator!.url}).`,
      async close() {
        await transport.close();
        await app.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

async function main(): Promise<void> {
  const cwd = process.cwd();
  const envName = option(process.argv.slice(2), '--env');
  const manifestPath = envName ? join(cwd, 'appPackage', 'build', `manifest.${envName}.json`) : join(cwd, 'manifest.json');
  const variables = readVariables(cwd);
  let config: Config | undefined;
  try {
    config = loadConfig(variables, cwd);
  } catch {
    // runDoctor reports every configuration problem with its fix
  }
  let session: Session;
  if (config?.mode === 'local') {
    session = (await connectToRunning(config)) ?? (await startTemporary(config));
  } else {
    const transport = createHttpTransport({ defaultTimeoutMs: config?.graphTimeoutMs ?? 10_000 });
    session = { transport, close: () => transport.close() };
  }
  let failed = true;
  try {
    const report = await runDoctor({
      variables,
      cwd,
      transport: session.transport,
      microsoft: session.microsoft,
      webhookBaseUrl: session.webhookBaseUrl,
      manifestPath,
      now: () => Date.now(),
    });
    process.stdout.write(formatReport(report));
    if (session.note) process.stdout.write(`${session.note}\n`);
    failed = hasFailures(report);
  } finally {
    await session.close();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err: Error) => {
  process.stderr.write(`The doctor could not run: ${err.message}\n`);
  process.exit(1);
});
