// `npm run cluster -- --instances 3`: a local cluster for trying distributed mode (see local-cluster.ts). Prints
// every address; Ctrl+C stops it all.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../logger.js';
import { redactUrl } from '../distributed.js';
import { startLocalCluster } from './local-cluster.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      instances: { type: 'string', default: '3' },
      port: { type: 'string', default: process.env.PORT ?? '3978' },
      'emulator-port': { type: 'string', default: process.env.EMULATOR_PORT ?? '3979' },
    },
  });
  const instances = Number(values.instances);
  const port = Number(values.port);
  const emulatorPort = Number(values['emulator-port']);
  if (!Number.isInteger(instances) || instances < 1 || instances > 16) fail('--instances must be a whole number from 1 to 16, e.g. --instances 3');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be a port number, e.g. 3978');
  if (!Number.isInteger(emulatorPort) || emulatorPort < 0 || emulatorPort > 65535) fail('--emulator-port must be a port number, e.g. 3979');
  const dataDir = resolve(process.env.DATA_DIR ?? '.switchboard');
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const cluster = await startLocalCluster({
    instances,
    port,
    emulatorPort,
    dataDir,
    redisUrl: process.env.REDIS_URL,
    logger,
    env: process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {},
    // As under npm start: emulated people answer by themselves unless the console switches them to manual.
    emulatorOptions: { peopleAnswer: 'auto' },
  }).catch((err: Error) => fail(`the cluster could not start: ${err.message}`));
  const lines = [
    '',
    `Switchboard local cluster: ${instances} instance${instances === 1 ? '' : 's'} behind a round-robin front (for trying it; use a real load balancer in production)`,
    `  Public address (front)  ${cluster.front.url}   messaging endpoint ${cluster.front.url}/api/messages`,
    ...cluster.instances.map((i) => `  Instance ${i.index + 1}              ${i.url}   pid ${i.pid}   log ${i.logFile}`),
    `  Redis                   ${redactUrl(cluster.redisUrl)}${cluster.redis ? `   data ${cluster.redis.dir} (AOF on)` : ''}`,
    `  Emulator (Microsoft)    ${cluster.emulator.url}   console ${cluster.emulator.url}/emulator/console`,
    '  Try: kill -9 one instance\'s pid in the middle of a call: the call goes on.',
    '  Stop with Ctrl+C',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    await cluster.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

function fail(message: string): never {
  process.stderr.write(`npm run cluster: ${message}\n`);
  process.exit(2);
}

// parseArgs refuses an unknown option by throwing: said like the other refusals, not as an unhandled rejection.
main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
