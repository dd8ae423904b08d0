// The restify host: request ids, one access-log line per request, JSON error bodies ({ error: { code, message } }),
// and body parsing per route (never global: the calling webhook authenticates before it reads a body).
import { randomUUID } from 'node:crypto';
import restify, { type Request, type RequestHandler, type Server } from 'restify';
import type { Logger } from './logger.js';

const requestLoggers = new WeakMap<Request, Logger>();

/** The per-request child logger (carries the request id). */
export function requestLog(req: Request): Logger {
  return requestLoggers.get(req)!;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export function createHttpServer(logger: Logger): Server {
  const server = restify.createServer({ name: 'switchboard', handleUncaughtExceptions: false, ignoreTrailingSlash: true });

  server.pre((req, res, next) => {
    const incoming = headerValue(req, 'request-id') ?? headerValue(req, 'x-request-id');
    const id = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    (req.id as (reqId: string) => string)(id);
    requestLoggers.set(req, logger.child({ reqId: id }));
    res.setHeader('request-id', id);
    return next();
  });

  server.on('after', (req: Request, res, _route, err) => {
    const status = res.statusCode;
    const line = { method: req.method, path: req.getPath(), status, ms: Math.round(Date.now() - req.time()) };
    const log = requestLog(req) ?? logger;
    if (status >= 500) log.error({ ...line, err }, 'request failed');
    else log.info(line, 'request');
  });

  server.on('restifyError', (_req, _res, err, callback) => {
    const code = (err.body?.code as string | undefined) ?? err.name ?? 'InternalError';
    const status = err.statusCode ?? 500;
    const message = status >= 500 && !err.body?.code ? 'Internal error; see the server log for this request id.' : err.message;
    err.toJSON = () => ({ error: { code, message } });
    return callback();
  });

  return server;
}

/** JSON body parsing with a size limit: 413 when too large, 400 on malformed JSON, 415 on other content types. */
export function jsonBody(maxBodySize = DEFAULT_BODY_LIMIT): RequestHandler[] {
  return restify.plugins.bodyParser({ maxBodySize, mapParams: false, mapFiles: false, rejectUnknown: true }) as RequestHandler[];
}

export function headerValue(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
