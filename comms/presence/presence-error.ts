// The one error type of comms/presence, with a stable `code` (and, for a refused notification, why). Graph failures
// stay GraphError.

export type PresenceErrorCode =
  | 'presence/invalid-argument'
  | 'presence/invalid-response'
  /** A change notification failed its checks (validationTokens, clientState, certificate, signature): dropped. */
  | 'presence/notification-refused'
  /** The notification certificate is missing or unreadable. */
  | 'presence/certificate';

export class PresenceError extends Error {
  readonly code: PresenceErrorCode;
  readonly status: number;
  /** For 'presence/notification-refused': which check failed (safe to log). */
  readonly reason: string | undefined;

  constructor(code: PresenceErrorCode, message: string, cause?: unknown, reason?: string) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PresenceError';
    this.code = code;
    this.reason = reason;
    this.status = code === 'presence/invalid-argument' ? 400 : code === 'presence/notification-refused' ? 403 : 502;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, status: this.status, ...(this.reason ? { reason: this.reason } : {}) };
  }
}
