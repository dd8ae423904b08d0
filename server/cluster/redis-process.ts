// Runs Debian's redis-server on a loopback port with its data in a folder of ours and AOF persistence on (as
// production should run it: BullMQ's guidance), for a local cluster and for the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';

export const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisProcess {
  url: string;
  port: number;
  dir: string;
  start(): Promise<void>;
  /** SIGTERM: Redis flushes the AOF and exits. */
  stop(): Promise<void>;
  /** SIGKILL: no flush (what a crash looks like). */
  kill(): Promise<void>;
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

export async function startRedisProcess(options: { dir: string; port?: number }): Promise<RedisProcess> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`${REDIS_SERVER} is missing: install Debian's redis-server (apt-get install -y redis-server), or set REDIS_URL to a running Redis`);
  }
  mkdirSync(options.dir, { recursive: true });
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;

  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', options.dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'];
    const c = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let output = '';
    c.stdout!.on('data', (d) => (output += String(d)));
    c.stderr!.on('data', (d) => (output += String(d)));
    const started = Date.now();
    for (;;) {
      if (c.exitCode !== null) throw new Error(`redis-server exited: ${output.slice(-400)}`);
      if (/Ready to accept connections/.test(output)) {
        c.stdout!.removeAllListeners('data');
        c.stdout!.resume();
        return;
      }
      if (Date.now() - started > 15_000) throw new Error(`redis-server did not start within 15 s: ${output.slice(-400)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const end = async (signal: NodeJS.Signals) => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, dir: options.dir, start, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}
