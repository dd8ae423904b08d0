// The restify host: request ids, one access-log line per request, JSON error bodies ({ error: { code, message } }
// that never carry internal error text), no Server header, local mode's Host and Origin checks (DNS rebinding, CSRF),
// and the request context the process guards answer 500 on. Bodies are read per route with server/body-reader.ts
// (never global: the calling webhook authenticates before it reads a body).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import restify, { type Request, type Response, type Server } from 'restify';
import type { Logger } from './logger.js';
import { runInRequest } from './process-guard.js';

export { bodyBytesOf, DEFAULT_BODY_LIMIT, jsonBody } from './body-reader.js';

const requestLoggers = new WeakMap<Request, Logger>();

/** The per-request child logger (carries the request id). */
export function requestLog(req: Request): Logger {
  return requestLoggers.get(req)!;
}

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface HttpServerOptions {
  /**
   * Local mode: only requests whose Host is the bound loopback address are served (421 otherwise), and a
   * state-changing request with an Origin header must come from the app itself or from one of these origins (403).
   */
  local?: { trustedOrigins: string[] };
  /** Called once per answered request, beside its access-log line (metrics); a hook that throws is logged, not fatal. */
  onResponse?: (req: Request, res: Response) => void;
}

export function createHttpServer(logger: Logger, options: HttpServerOptions = {}): Server {
  // No name: restify would send it as a Server header.
  const server = restify.createServer({ name: '', handleUncaughtExceptions: false, ignoreTrailingSlash: true });

  server.pre((req, res, next) => {
    const incoming = headerValue(req, 'request-id') ?? headerValue(req, 'x-request-id');
    const id = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    (req.id as (reqId: string) => string)(id);
    const log = logger.child({ reqId: id });
    requestLoggers.set(req, log);
    res.setHeader('request-id', id);
    // Everything this request runs, sync or async, knows its response (process-guard answers 500 on it).
    return runInRequest(res, log, () => next());
  });

  if (options.local) {
    const trusted = new Set(options.local.trustedOrigins.map((o) => o.toLowerCase()));
    // The bound port, remembered: while the server is closing address() is null, and a request still arriving then
    // must be answered, not crash the handler.
    let boundPort: number | undefined;
    server.pre((req, res, next) => {
      // Asked once (address() is a getsockname system call, on every request otherwise).
      boundPort ??= (server.address() as AddressInfo | null)?.port;
      const port = boundPort;
      const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
      const host = (headerValue(req, 'host') ?? '').toLowerCase();
      if (!hosts.includes(host)) {
        requestLog(req).warn({ host: host.slice(0, 100) }, 'request refused: foreign Host header (local mode serves only its loopback address)');
        return refuse(res, next, 421, 'http/misdirected', 'This server answers only to its own loopback address.');
      }
      const origin = headerValue(req, 'origin');
      if (origin !== undefined && !SAFE_METHODS.has(req.method ?? 'GET')) {
        const o = origin.toLowerCase();
        if (!hosts.some((h) => o === `http://${h}`) && !trusted.has(o)) {
          requestLog(req).warn({ origin: origin.slice(0, 100) }, 'request refused: foreign Origin on a state-changing request');
          return refuse(res, next, 403, 'http/foreign-origin', 'Requests from another origin are not accepted.');
        }
      }
      return next();
    });
  }

  server.on('after', (req: Request, res, _route, err) => {
    const status = res.statusCode;
    const line = { method: req.method, path: req.getPath(), status, ms: Math.round(Date.now() - req.time()) };
    const log = requestLog(req) ?? logger;
    if (status >= 500) log.error({ ...line, err }, 'request failed');
    else log.info(line, 'request');
    try {
      options.onResponse?.(req, res);
    } catch (hookErr) {
      log.warn({ message: (hookErr as Error)?.message }, 'the response hook threw; ignored');
    }
  });

  server.on('restifyError', (_req, res, err, callback) => {
    const status = typeof err?.statusCode === 'number' ? (err.statusCode as number) : 500;
    if (status >= 500) {
      // A 5xx never says what went wrong inside (the 'after' log line does, under the request id). Answered here:
      // restify would otherwise wrap a plain Error's text into its own body.
      if (!res.headersSent) res.send(status, { error: { code: 'InternalError', message: 'Internal error; see the server log for this request id.' } });
      return callback();
    }
    const code = (err.body?.code as string | undefined) ?? err.name ?? 'BadRequest';
    err.toJSON = () => ({ error: { code, message: err.message } });
    return callback();
  });

  return server;
}

function refuse(res: Response, next: (arg?: false) => void, status: number, code: string, message: string): void {
  res.setHeader('cache-control', 'no-store');
  res.send(status, { error: { code, message } });
  next(false);
}

export function headerValue(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
