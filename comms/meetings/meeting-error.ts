// The one error type of comms/meetings: a stable `code` tests and cards switch on, the HTTP status a route should
// answer with, and a message a person can act on ("the link is not a Teams meeting link").
// Graph failures (throttling, a missing access policy…) stay GraphError: they are not re-wrapped here.

export type MeetingErrorCode =
  | 'meetings/invalid-join-link'
  | 'meetings/invalid-argument'
  | 'meetings/not-found'
  | 'meetings/not-joined'
  | 'meetings/organizer-unknown'
  | 'meetings/invalid-response';

const STATUS: Record<MeetingErrorCode, number> = {
  'meetings/invalid-join-link': 400,
  'meetings/invalid-argument': 400,
  'meetings/not-found': 404,
  'meetings/not-joined': 409,
  'meetings/organizer-unknown': 400,
  'meetings/invalid-response': 502,
};

export interface MeetingErrorDetails {
  meetingKey?: string;
  cause?: unknown;
}

export class MeetingError extends Error {
  readonly code: MeetingErrorCode;
  readonly status: number;
  readonly meetingKey?: string;

  constructor(code: MeetingErrorCode, message: string, details: MeetingErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MeetingError';
    this.code = code;
    this.status = STATUS[code];
    this.meetingKey = details.meetingKey;
  }

  /** What is safe to log or show. */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, status: this.status, meetingKey: this.meetingKey };
  }
}
