// Standalone start (`npm run emulator`): listens on EMULATOR_PORT (default 3979) with data in
// EMULATOR_DATA_DIR (default .switchboard/emulator), prints where everything is, stops cleanly on SIGINT/SIGTERM.

import { resolve } from 'node:path';
import { pino } from 'pino';
import { DEFAULT_PORT, startEmulator } from './index.js';
import { defaultApp } from './emulator-options.js';

async function main(): Promise<void> {
  const logger = pino({ name: 'emulator', level: process.env.LOG_LEVEL ?? 'info' });
  const portText = process.env.EMULATOR_PORT?.trim();
  const port = portText ? Number(portText) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`EMULATOR_PORT "${portText}" is not a port number: use e.g. 3979.\n`);
    process.exit(2);
  }
  const dataDir = resolve(process.env.EMULATOR_DATA_DIR?.trim() || '.switchboard/emulator');
  const app = defaultApp();

  // People answer by themselves (the console switches one to manual); EMULATOR_PEOPLE_ANSWER=manual for everyone.
  const peopleAnswer = process.env.EMULATOR_PEOPLE_ANSWER?.trim() === 'manual' ? 'manual' : 'auto';
  const emulator = await startEmulator({ port, dataDir, logger, peopleAnswer });
  process.stdout.write(
    [
      '',
      `Switchboard emulator on ${emulator.url}`,
      `  tenant           ${emulator.tenantId}`,
      `  app (client id)  ${app.clientId}  (secret: EMULATOR_APP_SECRET, or the built-in development value)`,
      `  authority        ${emulator.authorityUrl}`,
      `  Graph            ${emulator.graphUrl}`,
      `  calling OpenID   ${emulator.callingOpenIdMetadataUrl}`,
      `  control API      ${emulator.url}/emulator`,
      `  web console      ${emulator.url}/emulator/console`,
      `  TLS certificate  ${emulator.caCertPath}  (trust it, e.g. NODE_EXTRA_CA_CERTS=${emulator.caCertPath})`,
      `  data             ${dataDir}  (state.json: meetings, subscriptions, call records… kept across restarts)`,
      `  people           answer ${peopleAnswer === 'auto' ? 'by themselves after a couple of rings (switch one to manual in the console)' : 'only through the console or control API'}`,
      '',
    ].join('\n') + '\n',
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'emulator stopping');
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err: (err as Error).message }, 'emulator did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  process.stderr.write(`The emulator could not start${e.code ? ` (${e.code})` : ''}: ${e.message ?? String(err)}\n`);
  process.exit(1);
});
