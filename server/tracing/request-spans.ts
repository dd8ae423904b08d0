// One server span per HTTP request (when tracing is on), named by its route template ("POST /api/calling") once
// restify has routed it, active while its handlers run so the work they start (a webhook batch recorded, a chat
// command placing a call) is its child. Never the raw path, the query or a header. Health and metrics probes are
// not traced (a scraper would fill the traces with them). Incoming trace context is not trusted: each request is a
// root (Graph's webhooks carry none; the call's own trace is linked in comms/calls/notification-traces.ts).
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { SEMCONV } from './semconv.js';
import type { Request, Response, Server } from 'restify';
import { tracer } from '../../comms/runtime/index.js';

const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

export function traceRequests(server: Server): void {
  const spans = new WeakMap<Request, Span>();
  server.pre((req, _res, next) => {
    if (UNTRACED.has(req.getPath())) return next();
    const method = req.method ?? 'GET';
    const span = tracer().startSpan(method, { kind: SpanKind.SERVER, attributes: { [SEMCONV.httpRequestMethod]: method, [SEMCONV.urlScheme]: 'http' } }, ROOT_CONTEXT);
    spans.set(req, span);
    return context.with(trace.setSpan(ROOT_CONTEXT, span), () => next());
  });
  server.on('after', (req: Request, res: Response) => {
    const span = spans.get(req);
    if (!span) return;
    spans.delete(req);
    const template = req.getRoute?.()?.path;
    const method = req.method ?? 'GET';
    if (template !== undefined) {
      span.setAttribute(SEMCONV.httpRoute, String(template));
      span.updateName(`${method} ${String(template)}`);
    }
    span.setAttribute(SEMCONV.httpResponseStatusCode, res.statusCode);
    if (res.statusCode >= 500) {
      span.setAttribute(SEMCONV.errorType, String(res.statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  });
}
