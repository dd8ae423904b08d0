// The base of every area's error class (GraphError, CallError, …): a stable string code, the HTTP status where there
// is one, and a JSON form safe to log. describeError turns anything thrown into that safe form.

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
