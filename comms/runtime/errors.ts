// The base of every area's error class (GraphError, CallError, …): a stable string code, the HTTP status where there
// is one, and a JSON form safe to log. describeError turns anything thrown into that safe form.

import type { Logger } from './logger.js';

export class CommsError extends Error {
  readonly code: string;
  readonly status?: number;

  constructor(code: string, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, status: this.status, message: this.message };
  }
}

/** A loggable description of any thrown value: an error's own JSON form when it has one, else its message. */
export function describeError(err: unknown): Record<string, unknown> {
  if (err && typeof err === 'object' && typeof (err as { toJSON?: unknown }).toJSON === 'function' && err instanceof Error) {
    return (err as Error & { toJSON(): Record<string, unknown> }).toJSON();
  }
  if (err instanceof Error) return { name: err.name, message: err.message, ...('code' in err ? { code: (err as { code: unknown }).code } : {}) };
  return { message: String(err) };
}

/**
 * The rejection handler for work nobody awaits (started from an event, a timer or under a lock): the failure is
 * logged at warn with `fields` and the described error, never left as an unhandled rejection (which marks the process
 * damaged). `p.catch(warnOnFailure(log, 'could not …', { callId }))`.
 */
export function warnOnFailure(logger: Pick<Logger, 'warn'>, message: string, fields: Record<string, unknown> = {}): (err: unknown) => void {
  return (err) => logger.warn({ ...fields, err: describeError(err) }, message);
}
