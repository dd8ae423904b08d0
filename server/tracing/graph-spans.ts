// A client span for every Graph request attempt, made from the GraphClient's observer hook (comms/graph stays free of
// any tracing library): named "POST /communications/calls/{id}/playPrompt" after the operation — never the raw path,
// the query, a header or the token — with its status, which repeat it was (http.request.resend_count), the
// Retry-After Graph asked for, Graph's error code and request-id. A child of whatever is active where the request was
// made: the notification, IVR step or chat command it belongs to.
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { SEMCONV } from './semconv.js';
import type { GraphAttempt, GraphObserver } from '../../comms/graph/index.js';
import { tracer } from '../../comms/runtime/index.js';
import { graphOperationPath } from '../metrics/index.js';

export const GRAPH_ATTRIBUTES = {
  urlTemplate: SEMCONV.urlTemplate,
  retryAfterSeconds: 'switchboard.graph.retry_after_seconds',
  graphErrorCode: 'switchboard.graph.error_code',
  requestId: 'switchboard.graph.request_id',
} as const;

/** Spans for the Graph client at `baseUrl` (for server.address and the template's version prefix). */
export function graphSpanObserver(baseUrl: string): GraphObserver {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, ''); // "/v1.0"
  const server: Attributes = { [SEMCONV.serverAddress]: base.hostname, [SEMCONV.serverPort]: Number(base.port || (base.protocol === 'https:' ? 443 : 80)) };
  return {
    attempt(o: GraphAttempt): void {
      const template = `${prefix}${graphOperationPath(o.path)}`;
      const end = performance.timeOrigin + performance.now();
      // The wait before a repeat shows as the gap between two attempts' spans (its seconds are in the metrics).
      const span = tracer().startSpan(`${o.method} ${template}`, {
        kind: SpanKind.CLIENT,
        startTime: end - o.durationMs,
        attributes: {
          ...server,
          [SEMCONV.httpRequestMethod]: o.method,
          [GRAPH_ATTRIBUTES.urlTemplate]: template,
          ...(o.attempt > 0 ? { [SEMCONV.httpRequestResendCount]: o.attempt } : {}),
          ...(o.status !== undefined ? { [SEMCONV.httpResponseStatusCode]: o.status } : {}),
          ...(o.retryAfterSeconds !== undefined ? { [GRAPH_ATTRIBUTES.retryAfterSeconds]: o.retryAfterSeconds } : {}),
          ...(o.graphCode ? { [GRAPH_ATTRIBUTES.graphErrorCode]: o.graphCode.slice(0, 100) } : {}),
          ...(o.requestId ? { [GRAPH_ATTRIBUTES.requestId]: o.requestId.slice(0, 100) } : {}),
        },
      });
      const failed = o.status === undefined || o.status >= 400;
      if (failed) {
        span.setAttribute(SEMCONV.errorType, o.status !== undefined ? String(o.status) : o.code === 'graph/timeout' ? 'timeout' : 'network');
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end(end);
    },
  };
}

/** Both hooks: metrics and spans (the GraphClient takes one observer). */
export function bothObservers(first: GraphObserver, second: GraphObserver): GraphObserver {
  return {
    attempt: (o) => {
      first.attempt(o);
      second.attempt(o);
    },
    retryWait: (w) => {
      first.retryWait?.(w);
      second.retryWait?.(w);
    },
  };
}
