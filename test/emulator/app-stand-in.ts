// Test support: a small stand-in for the app on 127.0.0.1 — change-notification endpoints that answer Graph's
// validation handshake as a test scripts it (echo, wrong echo, still encoded, an error status, too slow, JSON), record
// every notification and answer it with scripted statuses, and a messaging endpoint that records Teams activities.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HandshakeMode = 'echo' | 'wrong' | 'encoded' | 'status-500' | 'slow' | 'json';

export interface Received {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  text: string;
  body: any;
}

export interface AppStandIn {
  url: string;
  received: Received[];
  /** Validation requests seen (they carry ?validationToken=). */
  validations: Received[];
  /** How the next handshakes are answered (default echo). */
  handshake: HandshakeMode;
  /** Statuses for the next notification POSTs, per path, before falling back to 202. */
  script: Map<string, number[]>;
  /** Delay (ms) before answering notifications on a path. */
  slowPaths: Map<string, number>;
  on(path: string): Received[];
  waitFor(predicate: (all: Received[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startAppStandIn(): Promise<AppStandIn> {
  const received: Received[] = [];
  const validations: Received[] = [];
  const script = new Map<string, number[]>();
  const slowPaths = new Map<string, number>();
  const stand: Partial<AppStandIn> = { handshake: 'echo' };
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const entry: Received = { path: url.pathname, query: url.searchParams, headers: req.headers, text, body };
      const token = url.searchParams.get('validationToken');
      // Never chain on writeHead: restify, loaded elsewhere in the test process, patches it to return nothing.
      if (token !== null) {
        validations.push(entry);
        const mode = stand.handshake!;
        if (mode === 'slow') return; // never answers: the emulator's timeout decides
        if (mode === 'status-500') {
          res.writeHead(500, { 'content-type': 'text/plain' });
          return void res.end(token);
        }
        if (mode === 'json') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify(token));
        }
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        return void res.end(mode === 'wrong' ? `${token}x` : mode === 'encoded' ? encodeURIComponent(token) : token);
      }
      received.push(entry);
      const answer = () => {
        res.writeHead(script.get(url.pathname)?.shift() ?? 202);
        res.end();
      };
      const delay = slowPaths.get(url.pathname);
      if (delay) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, delay);
        timers.add(timer);
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(stand, {
    url,
    received,
    validations,
    script,
    slowPaths,
    on: (path: string) => received.filter((r) => r.path === path),
    async waitFor(predicate: (all: Received[]) => boolean, what: string, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; received: ${JSON.stringify(received.map((r) => [r.path, r.body?.type ?? r.body?.value?.[0]?.changeType ?? r.body?.value?.[0]?.lifecycleEvent, r.body?.name]))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  }) as AppStandIn;
}
