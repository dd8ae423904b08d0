// Where a call's notifications go in its trace. Graph's webhook requests carry no trace context and arrive long after
// the request that started a call, so each call's trace is kept by call id in memory (CallTraces): the webhook request
// that delivered an incoming call — or the span that placed an outgoing one — roots it, and every notification
// processed later is a child of that root, with a link to the webhook request that delivered it (a trace of its own).
import { context, isSpanContextValid, ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { inSpan, TRACE_ATTRIBUTES, type CallTraces } from '../runtime/tracing.js';
import type { CallNotification } from './notification-schema.js';

/** Marks the webhook request being answered (the active span) with the calls its batch is about. */
export function tagWebhookRequest(notifications: readonly CallNotification[]): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  const callIds = [...new Set(notifications.flatMap((n) => (n.callId ? [n.callId] : [])))];
  span.setAttribute(TRACE_ATTRIBUTES.notificationCount, notifications.length);
  if (callIds.length === 1) span.setAttribute(TRACE_ATTRIBUTES.callId, callIds[0]!);
  else if (callIds.length > 1) span.setAttribute(TRACE_ATTRIBUTES.callIds, callIds.slice(0, 50));
}

/** The request's context as the inbox keeps it beside a queued notification (in memory only), when it is traced. */
export function requestContext(): Context | undefined {
  const spanContext = trace.getSpanContext(context.active());
  return spanContext && isSpanContextValid(spanContext) ? context.active() : undefined;
}

/** Applies one notification inside its span in the call's trace. */
export function processInTrace(traces: CallTraces, notification: CallNotification, delivered: Context | undefined, apply: () => Promise<void>): Promise<void> {
  const callId = notification.callId;
  const root = callId ? traces.parentOf(callId) : undefined;
  const deliveredBy = delivered ? trace.getSpanContext(delivered) : undefined;
  const links: Link[] = root && deliveredBy ? [{ context: deliveredBy }] : [];
  const parent = root ?? delivered ?? ROOT_CONTEXT;
  return inSpan(`notification ${notification.kind}`, { kind: SpanKind.INTERNAL, attributes: attributesOf(notification), links, parent }, async () => {
    // The first notification of a call not known here (an incoming call, or one another instance started) roots it.
    if (callId && !root) traces.remember(callId, delivered ?? context.active());
    await apply();
    if (callId && notification.kind === 'call' && notification.changeType === 'deleted') traces.forget(callId);
  });
}

function attributesOf(n: CallNotification): Attributes {
  const a: Attributes = { [TRACE_ATTRIBUTES.notificationKind]: n.kind, [TRACE_ATTRIBUTES.changeType]: n.changeType };
  if (n.callId) a[TRACE_ATTRIBUTES.callId] = n.callId;
  switch (n.kind) {
    case 'call':
      if (n.call.state) a[TRACE_ATTRIBUTES.state] = n.call.state;
      if (n.call.direction) a[TRACE_ATTRIBUTES.direction] = n.call.direction;
      if (n.call.callChainId) a[TRACE_ATTRIBUTES.callChainId] = n.call.callChainId;
      break;
    case 'operation':
      a[TRACE_ATTRIBUTES.operationType] = n.operation.type;
      a[TRACE_ATTRIBUTES.operationStatus] = n.operation.status;
      break;
    case 'participants':
      a[TRACE_ATTRIBUTES.participantCount] = n.participants.length;
      break;
    default:
      break;
  }
  return a;
}
