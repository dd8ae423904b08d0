// Distributed mode (REDIS_URL set): the shared store, the event relay between instances and the durable timers, all
// on one Redis. Without REDIS_URL the embedded store, bus and timers of one instance are used instead, unchanged.
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { EmbeddedScheduler, RedisEventRelay, RedisInstanceRegistry, RedisScheduler, type EventRelay, type InstanceRegistry, type Scheduler } from '../comms/runtime/index.js';
import { openAppendLog, openRedisStore, openSqliteStore, type AppendLog, type Store } from '../comms/store/index.js';
import type { Logger } from './logger.js';

export interface Runtime {
  kind: 'embedded' | 'redis';
  store: Store;
  /** Embedded mode: where full rosters are recorded (one instance's own disk). */
  rosterLog?: AppendLog;
  relay?: EventRelay;
  scheduler: Scheduler;
  /** Distributed mode: which instances are alive (flows of a gone instance are taken over). */
  instances?: InstanceRegistry;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

export function openEmbeddedRuntime(storeFile: string, logger: Logger): Runtime {
  const store = openSqliteStore(storeFile);
  // Beside the store file: the webhook's full rosters, appended as they came (see comms/store/append-log.ts).
  let rosterLog: AppendLog;
  try {
    rosterLog = openAppendLog(join(dirname(storeFile), 'inbox-log'));
  } catch (err) {
    void store.close();
    throw err;
  }
  return {
    kind: 'embedded',
    store,
    rosterLog,
    scheduler: new EmbeddedScheduler({ logger: logger.child({ component: 'timers' }) }),
    close: async () => {
      rosterLog.close();
      await store.close();
    },
  };
}

export async function openRedisRuntime(url: string, logger: Logger): Promise<Runtime> {
  const log = logger.child({ component: 'redis' });
  // Commands fail fast while Redis is unreachable (the webhook then answers 503 and Graph retries); the worker's
  // connection waits and reconnects by itself, as BullMQ requires.
  const commands = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS });
  const publisher = commands;
  const subscriber = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS });
  const worker = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS });
  const clients = [commands, subscriber, worker];
  let reported = false;
  for (const c of clients) {
    c.on('error', (err: Error) => {
      if (!reported) log.warn({ message: err.message }, 'Redis connection problem (reconnecting by itself)');
      reported = true;
    });
    c.on('ready', () => {
      if (reported) log.info({}, 'Redis connection restored');
      reported = false;
    });
  }
  try {
    await Promise.all(clients.map((c) => c.connect()));
  } catch (err) {
    for (const c of clients) c.disconnect();
    throw Object.assign(new Error(`REDIS_URL ${redactUrl(url)} cannot be reached (${(err as Error).message}): start Redis, fix REDIS_URL, or unset it to run one embedded instance`), { code: 'config/redis-unreachable' });
  }
  const relay = new RedisEventRelay(publisher, subscriber, { logger: log });
  await relay.start();
  const scheduler = new RedisScheduler({ redis: commands, workerRedis: worker, logger: logger.child({ component: 'timers' }) });
  const instances = new RedisInstanceRegistry(commands, { name: process.env.INSTANCE_NAME, logger: log });
  await instances.start();
  return {
    kind: 'redis',
    store: openRedisStore(commands),
    relay,
    scheduler,
    instances,
    async close() {
      await instances.stop();
      await relay.close();
      for (const c of clients) await c.quit().catch(() => c.disconnect());
    },
  };
}

/** A Redis URL as it may be logged: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = 'redacted';
    return u.toString();
  } catch {
    return 'redis://…';
  }
}
