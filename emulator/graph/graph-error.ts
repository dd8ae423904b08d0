// Microsoft Graph's response conventions: the OData JSON content type, request-id / client-request-id headers and
// the `{ error: { code, message, innerError } }` body, plus the default error codes used for injected faults.

import type { EmulatorRequest, HttpReply } from '../http/http-types.js';

export const GRAPH_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Thrown by Graph route handlers; rendered by the Graph dispatcher in Graph's error shape. */
export class GraphError extends Error {
  override readonly name = 'GraphError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function graphHeaders(request: EmulatorRequest): Record<string, string> {
  return {
    'content-type': GRAPH_CONTENT_TYPE,
    'request-id': request.requestId,
    'client-request-id': request.clientRequestId,
    'cache-control': 'no-cache',
  };
}

export function graphReply(request: EmulatorRequest, status: number, json?: unknown, headers: Record<string, string> = {}): HttpReply {
  return json === undefined
    ? { status, headers: { ...graphHeaders(request), ...headers } }
    : { status, json, headers: { ...graphHeaders(request), ...headers } };
}

/** Graph's innerError: date without milliseconds or zone, as Graph prints it. */
export function innerError(request: EmulatorRequest): Record<string, string> {
  return {
    date: new Date().toISOString().slice(0, 19),
    'request-id': request.requestId,
    'client-request-id': request.clientRequestId,
  };
}

export function graphErrorReply(request: EmulatorRequest, error: GraphError): HttpReply {
  return graphReply(request, error.status, { error: { code: error.code, message: error.message, innerError: innerError(request) } }, error.headers);
}

const DEFAULTS: Record<number, { code: string; message: string }> = {
  400: { code: 'BadRequest', message: 'The request is malformed or incorrect.' },
  401: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' },
  403: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
  404: { code: 'itemNotFound', message: 'The requested resource doesn\'t exist.' },
  405: { code: 'Request_BadRequest', message: 'Specified HTTP method is not allowed for the request target.' },
  409: { code: 'conflict', message: 'The current state conflicts with what the request expects.' },
  413: { code: 'RequestEntityTooLarge', message: 'The request exceeds the maximum allowed size.' },
  429: { code: 'TooManyRequests', message: 'Please retry again later.' },
  500: { code: 'generalException', message: 'There was an internal server error while processing the request.' },
  502: { code: 'badGateway', message: 'The server, while acting as a gateway, received an invalid response from the upstream server.' },
  503: { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, which may be specified in a Retry-After header.' },
  504: { code: 'gatewayTimeout', message: 'The server, while acting as a proxy, did not receive a timely response from the upstream server it needed to access in attempting to complete the request.' },
};

/** A Graph-style error for a bare status (injected faults, size limit). */
export function graphStatusError(status: number): GraphError {
  const known = DEFAULTS[status] ?? (status >= 500 ? DEFAULTS[500]! : DEFAULTS[400]!);
  return new GraphError(status, known.code, known.message);
}
