// The one error type of comms/calls: a stable `code` tests and cards switch on, the HTTP status where one applies,
// and, for a failed Graph operation, the resultInfo Graph reported.
import type { ResultInfo } from './graph-shapes.js';

export type CallErrorCode =
  | 'calls/not-found'
  | 'calls/invalid-state'
  | 'calls/invalid-argument'
  | 'calls/call-ended'
  | 'calls/operation-failed'
  | 'calls/operation-timeout'
  | 'calls/invalid-notification'
  | 'calls/invalid-response'
  | 'calls/unauthorized'
  | 'calls/forbidden'
  | 'calls/auth-unavailable'
  | 'calls/recording-host-not-allowed'
  | 'calls/recording-missing'
  | 'calls/recording-too-large'
  | 'calls/recording-download-failed'
  | 'calls/outcome-unknown';

const STATUS: Partial<Record<CallErrorCode, number>> = {
  'calls/not-found': 404,
  'calls/invalid-state': 409,
  'calls/invalid-argument': 400,
  'calls/call-ended': 410,
  'calls/invalid-notification': 400,
  'calls/unauthorized': 401,
  'calls/forbidden': 403,
  'calls/auth-unavailable': 503,
  'calls/operation-timeout': 504,
  'calls/operation-failed': 502,
  'calls/outcome-unknown': 504,
};

export interface CallErrorDetails {
  status?: number;
  callId?: string;
  operationId?: string;
  resultInfo?: ResultInfo;
  /** A failed operation's completionReason (e.g. a recording's `initialSilenceTimeout`). */
  completionReason?: string;
  /** Machine-readable detail safe to return to the sender (e.g. the zod issues of a rejected notification). */
  detail?: string;
  cause?: unknown;
}

export class CallError extends Error {
  readonly code: CallErrorCode;
  readonly status?: number;
  readonly callId?: string;
  readonly operationId?: string;
  readonly resultInfo?: ResultInfo;
  readonly completionReason?: string;
  readonly detail?: string;

  constructor(code: CallErrorCode, message: string, details: CallErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CallError';
    this.code = code;
    this.status = details.status ?? STATUS[code];
    this.callId = details.callId;
    this.operationId = details.operationId;
    this.resultInfo = details.resultInfo;
    if (details.completionReason !== undefined) this.completionReason = details.completionReason;
    this.detail = details.detail;
  }

  /** What is safe to log or show: never tokens, never bodies. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      callId: this.callId,
      operationId: this.operationId,
      resultInfo: this.resultInfo,
    };
  }
}
