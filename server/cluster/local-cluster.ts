// A local cluster for trying distributed mode on one machine: Redis (REDIS_URL, or a redis-server of our own with its
// data under DATA_DIR/cluster/redis), one emulator, N app instances as separate processes sharing them, and a
// round-robin front on the public port. Tests use it to kill an instance (-9) in the middle of things.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { REQUIRED_APP_ROLES } from '../../comms/graph/index.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';
import { LOCAL_APP } from '../config.js';
import type { Logger } from '../logger.js';
import { freePort, startRedisProcess, type RedisProcess } from './redis-process.js';
import { startRoundRobinFront, type RoundRobinFront } from './round-robin-front.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

export interface ClusterInstance {
  index: number;
  url: string;
  port: number;
  logFile: string;
  readonly pid: number | undefined;
  readonly alive: boolean;
  /** kill -9: no shutdown, no drain (a crashed VM). */
  kill(): Promise<void>;
  /** SIGTERM: graceful shutdown (drains). */
  stop(): Promise<void>;
  /** Starts the instance again on the same port. */
  start(): Promise<void>;
}

export interface LocalCluster {
  front: RoundRobinFront;
  emulator: RunningEmulator;
  redisUrl: string;
  redis?: RedisProcess;
  instances: ClusterInstance[];
  close(): Promise<void>;
}

export interface LocalClusterOptions {
  instances: number;
  /** Public port (the front). 0 = any free port. */
  port: number;
  emulatorPort: number;
  dataDir: string;
  /** Use this Redis instead of starting one. */
  redisUrl?: string;
  logger: Logger;
  /** Extra environment for every instance (LOG_LEVEL, FRONT_DESK_FILE, …). */
  env?: Record<string, string>;
  emulatorOptions?: Partial<EmulatorOptions>;
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    let redis: RedisProcess | undefined;
    let redisUrl = options.redisUrl;
    if (!redisUrl) {
      redis = await startRedisProcess({ dir: join(options.dataDir, 'cluster', 'redis') });
      redisUrl = redis.url;
      const started = redis;
      cleanups.push(() => started.stop());
    }
    const emulator = await startEmulator({
      port: options.emulatorPort,
      dataDir: join(options.dataDir, 'emulator'),
      tenantId: LOCAL_APP.tenantId,
      apps: [{ clientId: LOCAL_APP.id, clientSecret: LOCAL_APP.secret, displayName: 'Switchboard (local)', roles: REQUIRED_APP_ROLES }],
      logger: options.logger.child({ component: 'emulator' }),
      ...options.emulatorOptions,
    });
    cleanups.push(() => emulator.close());

    const ports = await Promise.all(Array.from({ length: options.instances }, () => freePort()));
    const front = await startRoundRobinFront({ port: options.port, targets: ports.map((p) => `http://127.0.0.1:${p}`) });
    cleanups.push(() => front.close());

    const instances = ports.map((port, index) =>
      makeInstance({
        index,
        port,
        dataDir: join(options.dataDir, 'cluster', `instance-${index + 1}`),
        env: {
          ...options.env,
          SWITCHBOARD_MODE: 'local',
          PORT: String(port),
          REDIS_URL: redisUrl!,
          EMULATOR_URL: emulator.url,
          EMULATOR_CA_FILE: emulator.caCertPath,
          LOCAL_PUBLIC_URL: front.url,
          INSTANCE_NAME: `instance-${index + 1}`,
        },
      }),
    );
    cleanups.push(async () => {
      await Promise.all(instances.map((i) => i.stop()));
    });
    await Promise.all(instances.map((i) => i.start()));
    return { front, emulator, redisUrl, redis, instances, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function makeInstance(o: { index: number; port: number; dataDir: string; env: Record<string, string> }): ClusterInstance {
  let child: ChildProcess | undefined;
  const url = `http://127.0.0.1:${o.port}`;
  mkdirSync(o.dataDir, { recursive: true });
  const logFile = join(o.dataDir, 'instance.log');
  const end = async (signal: NodeJS.Signals) => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  };
  return {
    index: o.index,
    url,
    port: o.port,
    logFile,
    get pid() {
      return child?.pid;
    },
    get alive() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
    async start() {
      const log = createWriteStream(logFile, { flags: 'a' });
      const c = spawn(process.execPath, ['--no-deprecation', '--enable-source-maps', MAIN], {
        env: { ...process.env, ...o.env, DATA_DIR: o.dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      c.stdout!.pipe(log);
      c.stderr!.pipe(log);
      const started = Date.now();
      for (;;) {
        if (c.exitCode !== null) throw new Error(`instance ${o.index + 1} exited with code ${c.exitCode}: see ${logFile}`);
        const ready = await request(`${url}/readyz`).then(
          async (r) => {
            await r.body.dump();
            return r.statusCode === 200;
          },
          () => false,
        );
        if (ready) return;
        if (Date.now() - started > READY_TIMEOUT_MS) throw new Error(`instance ${o.index + 1} was not ready within ${READY_TIMEOUT_MS / 1000} s: see ${logFile}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
