// The emulator's request/reply values: route handlers take a parsed request and return a reply, and the pipeline
// writes it, so every response can be recorded in the request log.

import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

export interface EmulatorRequest {
  /** Upper case. */
  readonly method: string;
  /** The URL path as received (still percent-encoded), without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** Generated per request; Graph returns it as `request-id`, Entra as `trace_id`. */
  readonly requestId: string;
  /** The client's `client-request-id` header, or a generated one. */
  readonly clientRequestId: string;
  /** The app the request acted for, once known (for the request log and logs; never the token itself). */
  appId?: string;
}

export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON (Content-Type defaults to application/json; charset=utf-8). */
  json?: unknown;
  /** Sent as is; give a Content-Type header. */
  text?: string;
  /** Binary body, sent as is; give a Content-Type header. */
  body?: Buffer;
  /** A long-lived response (server-sent events): headers are written, then the response is handed over. */
  stream?: (res: ServerResponse) => void;
}

export type RouteParams = Record<string, string>;
export type RouteHandler = (request: EmulatorRequest, params: RouteParams) => HttpReply | Promise<HttpReply>;

export function headerValue(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
