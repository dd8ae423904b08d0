// Starts a real redis-server (Debian's package; npm test installs it when missing) on a free loopback port with its
// data in a temporary folder and AOF on, as production should run it. Tests stop it, kill it, or restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** A fresh client (the caller closes it). */
  client(options?: { worker?: boolean }): Redis;
  /** Stops the server (SIGTERM, AOF flushed) and starts it again on the same port and data folder. */
  restart(): Promise<void>;
  /** Stops the server without starting it again. */
  halt(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-redis-'));
  let child: ChildProcess | undefined;
  const clients: Redis[] = [];

  const start = async () => {
    child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += String(d)));
    child.stderr!.on('data', (d) => (output += String(d)));
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${output.slice(-500)}`);
      if (/Ready to accept connections/.test(output)) return;
      if (Date.now() - started > 15_000) throw new Error(`redis-server did not start: ${output.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const halt = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await start();
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    port,
    dir,
    client(options = {}) {
      const c = new Redis(port, '127.0.0.1', options.worker ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1 });
      clients.push(c);
      return c;
    },
    async restart() {
      await halt();
      await start();
    },
    halt,
    start,
    async stop() {
      for (const c of clients) c.disconnect();
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
