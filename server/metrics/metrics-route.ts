// Where /metrics is served. Local mode: on the app's loopback address, open. Cloud mode: only with METRICS_TOKEN
// (a bearer token, compared in constant time) on the app's address; otherwise not at all (404). METRICS_PORT (either
// mode) also serves it on 127.0.0.1:<port> only, without a token, for a scraper beside the process.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as NodeServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

export const METRICS_PATH = '/metrics';

export interface MetricsAccess {
  mode: 'local' | 'cloud';
  token?: string;
}

/** How /metrics is exposed on the app's own address: open, behind the token, or not at all. */
export function metricsExposure(access: MetricsAccess): 'open' | 'token' | 'hidden' {
  if (access.token) return 'token';
  return access.mode === 'local' ? 'open' : 'hidden';
}

export function registerMetricsRoute(server: Server, metrics: Pick<Metrics, 'text' | 'contentType'>, access: MetricsAccess): void {
  const exposure = metricsExposure(access);
  if (exposure === 'hidden') return; // restify answers 404: nothing says the route exists
  const expected = exposure === 'token' ? digest(access.token!) : undefined;
  server.get(METRICS_PATH, async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    if (expected && !bearerMatches(req.headers.authorization, expected)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      res.send(401, { error: { code: 'metrics/unauthorized', message: 'GET /metrics needs the METRICS_TOKEN as a bearer token.' } });
      return;
    }
    const text = await metrics.text();
    res.writeHead(200, { 'content-type': metrics.contentType, 'x-content-type-options': 'nosniff' });
    res.end(text);
  });
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** /metrics alone on 127.0.0.1:<port> (no token: only this machine reaches it; foreign Host headers get 421). */
export async function startMetricsServer(metrics: Pick<Metrics, 'text' | 'contentType'>, port: number, logger: Logger): Promise<MetricsServer> {
  const server: NodeServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const own = (server.address() as AddressInfo).port;
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${own}` && host !== `localhost:${own}`) return answer(res, 421, 'This address answers only to 127.0.0.1.');
    const path = (req.url ?? '/').split('?')[0];
    if (path !== METRICS_PATH) return answer(res, 404, 'Only /metrics is served here.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'Use GET.');
    metrics.text().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err: Error) => {
        logger.error({ message: err.message }, 'metrics could not be collected');
        answer(res, 500, 'Metrics could not be collected.');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}${METRICS_PATH}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function answer(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(message);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares digests, so neither the token's length nor its content shows in the time taken. */
function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer ([^\s]+)$/i.exec(header ?? '');
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), expected);
}
