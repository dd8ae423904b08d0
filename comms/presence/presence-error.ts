// The one error type of comms/presence, with a stable `code`. Graph failures stay GraphError.

export type PresenceErrorCode = 'presence/invalid-argument' | 'presence/invalid-response';

export class PresenceError extends Error {
  readonly code: PresenceErrorCode;
  readonly status: number;

  constructor(code: PresenceErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PresenceError';
    this.code = code;
    this.status = code === 'presence/invalid-argument' ? 400 : 502;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, status: this.status };
  }
}
