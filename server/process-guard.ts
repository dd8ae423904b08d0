// What happens when code escapes every handler: an uncaught exception or an unhandled rejection is logged with its
// error, the request it happened under (tracked with AsyncLocalStorage) is answered 500 if it is still open, the
// process keeps serving — and it is marked damaged, so /readyz answers 503 and an orchestrator can replace it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import type { Logger } from './logger.js';

export interface OpenRequest {
  /** Cleared when the response closes: timers a request started (keepAlive…) must not keep it alive. */
  res: ServerResponse | undefined;
  log: Logger;
}

/** The request whose handling is running (set by the HTTP server for every request). */
export const openRequests = new AsyncLocalStorage<OpenRequest>();

/** Runs `fn` (the request's handling) with the request known to the guards until its response closes. */
export function runInRequest<T>(res: ServerResponse, log: Logger, fn: () => T): T {
  const open: OpenRequest = { res, log };
  res.once('close', () => {
    open.res = undefined;
  });
  return openRequests.run(open, fn);
}

export class ProcessHealth {
  private reason: string | undefined;

  /** Keeps the first reason: the first failure is the one that explains the rest. */
  markDamaged(reason: string): void {
    this.reason ??= reason;
  }

  /** undefined while the process is sound. */
  get damage(): string | undefined {
    return this.reason;
  }
}

/** The process's own health (main.ts installs the guards on it; /readyz reads it). */
export const processHealth = new ProcessHealth();

const INTERNAL_ERROR = JSON.stringify({ error: { code: 'InternalError', message: 'Internal error; see the server log for this request id.' } });

/** Answers 500 on the request the failure happened under, if that request is still open. */
export function failOpenRequest(): boolean {
  const res = openRequests.getStore()?.res;
  if (!res || res.writableEnded) return false;
  if (res.headersSent) {
    res.end();
    return true;
  }
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(INTERNAL_ERROR), connection: 'close' });
  res.end(INTERNAL_ERROR);
  return true;
}

/** Process-wide handlers (npm start). Returns a function that removes them. */
export function installProcessGuards(logger: Logger, health: ProcessHealth = processHealth): () => void {
  const onFailure = (kind: 'uncaught exception' | 'unhandled promise rejection') => (err: unknown) => {
    const open = openRequests.getStore();
    // The request's logger (its id) only while that request is still open.
    const log = open?.res ? open.log : logger;
    const answered = failOpenRequest();
    const name = err instanceof Error ? err.name : typeof err;
    health.markDamaged(`${kind.replace(/ /g, '-')} (${name})`);
    log.error({ err, answered500: answered }, `${kind}: kept running, /readyz now answers 503 until the process is restarted`);
  };
  const onException = onFailure('uncaught exception');
  const onRejection = onFailure('unhandled promise rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
