// The one error type of comms/queues, with a stable `code` (chat cards and the tab show its message).
import { CommsError } from '../runtime/errors.js';

export type QueueErrorCode =
  /** No queue of that name in the front desk in force. */
  | 'queues/unknown-queue'
  /** The person is not an agent of that queue. */
  | 'queues/not-an-agent'
  /** The offer was already answered, missed or withdrawn. */
  | 'queues/offer-gone'
  /** The call is not one the queue can take (ended, not answered, already queued). */
  | 'queues/invalid-call';

const STATUS: Record<QueueErrorCode, number> = {
  'queues/unknown-queue': 404,
  'queues/not-an-agent': 403,
  'queues/offer-gone': 409,
  'queues/invalid-call': 409,
};

export class QueueError extends CommsError {
  declare readonly code: QueueErrorCode;

  constructor(code: QueueErrorCode, message: string, cause?: unknown) {
    super(code, message, { status: STATUS[code], cause });
  }
}
