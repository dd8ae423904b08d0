// The one error type of the tab's routes: a stable `code` the browser code switches on, the HTTP status, and a message
// a person can act on. Failures from comms/ (meetings, calls, Graph) are translated once, in `toTabError`.
import { CallError } from '../../comms/calls/index.js';
import { GraphError } from '../../comms/graph/index.js';
import { MeetingError } from '../../comms/meetings/index.js';
import { RecordsError } from '../../comms/records/index.js';
import { TabAuthError } from './user-token.js';

export type TabErrorCode =
  | 'tab/unauthenticated'
  | 'tab/invalid-token'
  | 'tab/forbidden-tenant'
  | 'tab/missing-scope'
  | 'tab/not-a-participant'
  | 'tab/not-allowed'
  | 'tab/meeting-unknown'
  | 'tab/not-found'
  | 'tab/invalid-request'
  | 'tab/cannot-join'
  | 'tab/unavailable'
  | 'tab/too-many-streams'
  | 'tab/internal';

const STATUS: Record<TabErrorCode, number> = {
  'tab/unauthenticated': 401,
  'tab/invalid-token': 401,
  'tab/forbidden-tenant': 401,
  'tab/missing-scope': 401,
  'tab/not-a-participant': 403,
  'tab/not-allowed': 403,
  'tab/meeting-unknown': 404,
  'tab/not-found': 404,
  'tab/invalid-request': 400,
  'tab/cannot-join': 409,
  'tab/unavailable': 503,
  'tab/too-many-streams': 429,
  'tab/internal': 500,
};

export class TabError extends Error {
  /** A TabErrorCode, or the code of the comms/ failure behind it (`meetings/not-joined`, `graph/throttled`…). */
  readonly code: string;
  readonly status: number;

  constructor(code: TabErrorCode | (string & {}), message: string, status?: number) {
    super(message);
    this.name = 'TabError';
    this.code = code;
    this.status = status ?? STATUS[code as TabErrorCode] ?? 500;
  }

  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Any failure → what the browser is told. Unknown errors say nothing about their insides. */
export function toTabError(err: unknown): TabError {
  if (err instanceof TabError) return err;
  if (err instanceof TabAuthError) return new TabError(err.code, err.message);
  if (err instanceof MeetingError) return new TabError(err.code, err.message, err.status);
  if (err instanceof CallError) {
    const status = err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403 ? err.status : 502;
    return new TabError(err.code, err.message, status);
  }
  if (err instanceof GraphError) {
    // Graph's own 401/403 are the app's problem, not the user's: never let them read as "sign in again".
    const status = err.code === 'graph/throttled' || err.code === 'graph/unavailable' ? 503 : err.code === 'graph/not-found' ? 404 : 502;
    return new TabError(err.code, err.message, status);
  }
  if (err instanceof RecordsError) return new TabError(err.code, err.message, err.status >= 500 ? 502 : err.status);
  return new TabError('tab/internal', 'Something went wrong on the server; try again (the server log has this request id).');
}
