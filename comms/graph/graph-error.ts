// The one error type for everything that goes wrong talking to Microsoft Graph or its token issuer.
// `code` is stable (tests and cards switch on it); `advice` is what a person should do about it.

export type GraphErrorCode =
  | 'graph/bad-request'
  | 'graph/unauthorized'
  | 'graph/forbidden'
  | 'graph/access-policy-missing'
  | 'graph/not-found'
  | 'graph/conflict'
  | 'graph/throttled'
  | 'graph/unavailable'
  | 'graph/server-error'
  | 'graph/timeout'
  | 'graph/network'
  | 'graph/token-failed'
  | 'graph/invalid-response';

export interface GraphErrorDetails {
  status?: number;
  graphCode?: string;
  requestId?: string;
  retryAfterSeconds?: number;
  method?: string;
  path?: string;
  cause?: unknown;
}

const ADVICE: Record<GraphErrorCode, string> = {
  'graph/bad-request': 'Graph rejected the request as malformed; check the values you gave and try again.',
  'graph/unauthorized': 'Graph did not accept the app token; check MicrosoftAppId, its credential and MicrosoftAppTenantId (npm run doctor).',
  'graph/forbidden': 'The app lacks a Graph permission for this; grant it with admin consent (README › Cloud setup › Permissions).',
  'graph/access-policy-missing':
    'The app is not allowed to act for this user: a Teams admin must run New-CsApplicationAccessPolicy -Identity Switchboard -AppIds <app id>, then Grant-CsApplicationAccessPolicy -PolicyName Switchboard -Identity <user id> (or -Global); it can take 30 minutes to apply (README › Cloud setup › Access policy).',
  'graph/not-found': 'Graph has no such item; it may have ended or been deleted.',
  'graph/conflict': 'Graph reports a conflict with the current state; refresh and try again.',
  'graph/throttled': 'Graph is throttling the app; wait a minute and try again.',
  'graph/unavailable': 'Graph is temporarily unavailable; try again in a minute.',
  'graph/server-error': 'Graph had an internal error; try again, and quote the request id if it persists.',
  'graph/timeout': 'Graph did not answer in time; try again.',
  'graph/network': 'Graph could not be reached; check the network and GRAPH base URL.',
  'graph/token-failed': 'No app token could be obtained; check the app id, credential and tenant (npm run doctor).',
  'graph/invalid-response': 'Graph answered with something unexpected; try again, and quote the request id if it persists.',
};

export class GraphError extends Error {
  readonly code: GraphErrorCode;
  readonly status?: number;
  readonly graphCode?: string;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  readonly method?: string;
  readonly path?: string;

  constructor(code: GraphErrorCode, message: string, details: GraphErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'GraphError';
    this.code = code;
    this.status = details.status;
    this.graphCode = details.graphCode;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.method = details.method;
    this.path = details.path;
  }

  get advice(): string {
    return ADVICE[this.code];
  }

  /** What is safe to log or show: no tokens, no bodies. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      graphCode: this.graphCode,
      requestId: this.requestId,
      method: this.method,
      path: this.path,
    };
  }
}

export function codeForStatus(status: number, graphCode?: string, message = ''): GraphErrorCode {
  if (status === 403 && /not (?:authorized|allowed) to .* on behalf of (?:the )?user|application access polic(?:y|ies)/i.test(message)) {
    return 'graph/access-policy-missing';
  }
  if (status === 400) return 'graph/bad-request';
  if (status === 401) return 'graph/unauthorized';
  if (status === 403) return 'graph/forbidden';
  if (status === 404) return 'graph/not-found';
  if (status === 409 || status === 412) return 'graph/conflict';
  if (status === 429 || graphCode === 'activityLimitReached') return 'graph/throttled';
  if (status === 503 || status === 504) return 'graph/unavailable';
  if (status >= 500) return 'graph/server-error';
  return 'graph/bad-request';
}
