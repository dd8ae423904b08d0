// A small round-robin HTTP front for a local cluster (trying distributed mode on one machine; use a real load
// balancer in production). Each request goes to the next instance; an instance that refuses the connection is
// skipped (nothing was delivered, so trying the next one is safe for any method). Streams (the side panel's
// server-sent events) are piped through as they come. Each answer names the instance that gave it
// (X-Switchboard-Instance).
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The largest body the app accepts anywhere (the calling webhook's 8 MiB), with room to spare. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface RoundRobinFront {
  url: string;
  /** Replaces the list of instance base URLs (an instance restarted on another port, or was removed). */
  setTargets(targets: string[]): void;
  /** How many requests each target was sent (for tests and the banner). */
  counts(): Record<string, number>;
  close(): Promise<void>;
}

export async function startRoundRobinFront(options: { port: number; host?: string; targets: string[] }): Promise<RoundRobinFront> {
  let targets = [...options.targets];
  let next = 0;
  const sent = new Map<string, number>();

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, tried: number) => {
    if (targets.length === 0 || tried >= targets.length) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'front/no-instance', message: 'No Switchboard instance is answering.' } }));
      return;
    }
    const target = new URL(targets[next++ % targets.length]!);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host, 'x-forwarded-host': req.headers.host ?? '' } },
      (answer) => {
        sent.set(target.origin, (sent.get(target.origin) ?? 0) + 1);
        // Which instance answered (for trying things out and for tests: a stream's reconnect lands elsewhere).
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-switchboard-instance': target.origin });
        answer.pipe(res);
        res.on('close', () => answer.destroy());
        // The instance went away mid-answer (a stream it served, a kill -9): the client's connection ends too.
        answer.on('close', () => {
          if (!answer.complete) res.destroy();
        });
      },
    );
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent) return res.destroy();
      if (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET') return forward(req, res, body, tried + 1);
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'front/upstream-failed', message: err.message } }));
    });
    upstream.end(body);
  };

  const server: Server = createServer((req, res) => {
    // Bodies are held so a refused connection can be retried on the next instance; bounded like the app's own reader.
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ error: { code: 'front/too-large', message: 'The request body is larger than the front forwards.' } }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size <= MAX_BODY_BYTES) forward(req, res, Buffer.concat(chunks), 0);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setTargets(list) {
      targets = [...list];
    },
    counts: () => Object.fromEntries(sent),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
