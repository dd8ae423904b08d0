// `npm start`: read .env and the environment, validate, start Switchboard, print where everything is,
// and shut down cleanly on SIGINT/SIGTERM.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { ConfigError } from './config-error.js';
import { loadConfig } from './config.js';
import { createLogger, releaseStartupLogs } from './logger.js';
import { installProcessGuards } from './process-guard.js';
import { startSwitchboard, type Switchboard } from './start.js';
import { startTracing } from './tracing/index.js';

function readEnv(): Record<string, string | undefined> {
  // Real environment variables win over .env, as dotenv does by default.
  const fromFile = existsSync('.env') ? parse(readFileSync('.env')) : {};
  return { ...fromFile, ...process.env };
}

function banner(app: Switchboard): string {
  const lines = [
    '',
    `Switchboard is running in ${app.config.mode} mode`,
    `  ${app.config.modeReason ?? ''}`,
    '',
    `  Bot messaging endpoint  ${app.url}/api/messages`,
    `  Health / readiness      ${app.url}/healthz  ${app.url}/readyz`,
    `  Tab: meeting side panel ${app.url}/tab/side-panel?meeting=<meeting chat id>`,
    `  Tab: call history       ${app.url}/tab/personal`,
  ];
  if (app.emulator) {
    lines.push(
      `  Emulator (Microsoft)    ${app.emulator.url}   control API: ${app.emulator.url}/emulator`,
      `  Act as a caller         ${app.emulator.url}/emulator/console  (self-signed certificate: accept it once)`,
      `  Graph (emulated)        ${app.emulator.graphUrl}`,
      '',
      '  Chat with the bot       npm run playground   (the Agents Playground, signed in as Amara Okafor, an emulated person)',
      `                          or, in this folder: npx @microsoft/m365agentsplayground -e ${app.url}/api/messages -c msteams`,
    );
  } else {
    lines.push(`  Public base URL         ${app.config.publicBaseUrl}`);
  }
  lines.push('', '  Logs follow (LOG_LEVEL=debug adds every request; LOG_FORMAT=json for JSON lines). Stop with Ctrl+C', '');
  setImmediate(releaseStartupLogs); // the start-up lines a terminal held back follow the banner
  return lines.join('\n');
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(readEnv());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // Traces first, so everything that starts after is traced (a no-op unless an exporter is configured).
  const tracing = await startTracing(config.tracing, { instanceId: process.env.INSTANCE_NAME });
  const logger = createLogger(config.logLevel);
  if (tracing.active) logger.info({ destinations: tracing.destinations, serviceName: config.tracing.serviceName }, 'traces are exported');
  let app: Switchboard;
  try {
    app = await startSwitchboard(config, logger);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const hint = e.code === 'EADDRINUSE' ? ' Another process uses that port: stop it, or set PORT / EMULATOR_PORT.' : '';
    process.stderr.write(`Switchboard could not start: ${e.message ?? String(err)}.${hint}\n`);
    process.exit(1);
  }
  process.stdout.write(banner(app));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await tracing.shutdown().catch(() => undefined); // sends the spans still buffered
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // An uncaught exception or unhandled rejection is logged, answered 500 where a request is open, and marks the
  // process damaged (/readyz 503) — it keeps serving, so one bad request cannot take everything down.
  installProcessGuards(logger);
}

// A failure before the guards are installed (tracing, the logger) ends the start, as an uncaught one would: said, exit 1.
main().catch((err: unknown) => {
  process.stderr.write(`Switchboard could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
