// A real redis-server for a test (Debian's package; npm test installs it when missing) on a free loopback port, with
// its data in a temporary folder and AOF on. Tests stop it, restart it, or take it away for a while.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedisProcess } from '../../server/cluster/redis-process.js';

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** A fresh client (closed by stop()). Worker clients wait for Redis instead of failing. */
  client(options?: { worker?: boolean }): Redis;
  /** Stops the server (SIGTERM, AOF flushed) and starts it again on the same port and data folder. */
  restart(): Promise<void>;
  /** Stops the server without starting it again. */
  halt(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-redis-'));
  const server = await startRedisProcess({ dir });
  const clients: Redis[] = [];
  return {
    url: server.url,
    port: server.port,
    dir,
    client(options = {}) {
      const c = new Redis(server.port, '127.0.0.1', options.worker ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1 });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    },
    async restart() {
      await server.stop();
      await server.start();
    },
    halt: () => server.stop(),
    start: () => server.start(),
    async stop() {
      for (const c of clients) c.disconnect();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
