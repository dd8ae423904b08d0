// Entra ID's token-endpoint error shape (`error`, `error_description` starting with AADSTSnnnn and ending with trace
// lines, `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`), which MSAL maps to a ServerError.

import type { EmulatorRequest, HttpReply } from '../http/http-types.js';
import { headerValue } from '../http/http-types.js';

export class EntraError extends Error {
  override readonly name = 'EntraError';

  constructor(
    readonly status: number,
    /** OAuth error: invalid_client, unauthorized_client, invalid_request, invalid_scope, … */
    readonly error: string,
    /** The AADSTS number. */
    readonly aadsts: number,
    /** Text after "AADSTSnnnn: ". */
    readonly description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }
}

export function entraHeaders(request: EmulatorRequest): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'x-ms-request-id': request.requestId,
  };
  if (headerValue(request, 'client-request-id')) headers['client-request-id'] = request.clientRequestId;
  return headers;
}

/** `2023-05-06 06:03:00Z`, Entra's timestamp format. */
function entraTimestamp(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ') + 'Z';
}

export function entraErrorReply(request: EmulatorRequest, err: EntraError): HttpReply {
  const timestamp = entraTimestamp();
  const correlationId = request.clientRequestId;
  return {
    status: err.status,
    headers: entraHeaders(request),
    json: {
      error: err.error,
      error_description: `AADSTS${err.aadsts}: ${err.description}\r\nTrace ID: ${request.requestId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [err.aadsts],
      timestamp,
      trace_id: request.requestId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${err.aadsts}`,
    },
  };
}

/** An Entra-style error for a bare status (injected faults, size limit). */
export function entraStatusError(status: number): EntraError {
  if (status === 429 || status >= 500) {
    return new EntraError(status, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.');
  }
  return new EntraError(status, 'invalid_request', 900144, 'The request could not be processed.');
}

export function unknownTenantError(tenant: string): EntraError {
  return new EntraError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
}
