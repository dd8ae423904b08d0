// The one error type of comms/records, with a stable `code` tests and routes switch on. Graph failures stay GraphError.

export type RecordsErrorCode =
  | 'records/invalid-notification'
  | 'records/invalid-response'
  | 'records/invalid-argument'
  | 'records/not-found'
  | 'records/subscription-failed';

const STATUS: Record<RecordsErrorCode, number> = {
  'records/invalid-notification': 400,
  'records/invalid-response': 502,
  'records/invalid-argument': 400,
  'records/not-found': 404,
  'records/subscription-failed': 502,
};

export class RecordsError extends Error {
  readonly code: RecordsErrorCode;
  readonly status: number;

  constructor(code: RecordsErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'RecordsError';
    this.code = code;
    this.status = STATUS[code];
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, status: this.status };
  }
}
