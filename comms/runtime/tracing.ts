// Traces through @opentelemetry/api only: comms/ never sets up a provider or an exporter (server/tracing does, when
// configured). Without one every call here is a no-op: spans are non-recording and nothing is kept.
// Span attributes never carry a secret, a token, a join URL or anything derived from media: ids and codes only.
import { context, isSpanContextValid, ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';

export const TRACER_NAME = 'switchboard';

/** The attribute names Switchboard puts on its spans (its own namespace; OpenTelemetry's names for HTTP). */
export const TRACE_ATTRIBUTES = {
  callId: 'switchboard.call.id',
  /** A webhook batch that carried notifications for several calls. */
  callIds: 'switchboard.call.ids',
  callChainId: 'switchboard.call.chain_id',
  direction: 'switchboard.call.direction',
  state: 'switchboard.call.state',
  notificationKind: 'switchboard.notification.kind',
  changeType: 'switchboard.notification.change_type',
  notificationCount: 'switchboard.notification.count',
  operationType: 'switchboard.operation.type',
  operationStatus: 'switchboard.operation.status',
  participantCount: 'switchboard.participants.count',
  ivrStep: 'switchboard.ivr.step',
  ivrMenu: 'switchboard.ivr.menu',
  ivrRetry: 'switchboard.ivr.retry',
  /** Whether the key pressed was one of the menu's options (never the key itself). */
  ivrKeyKnown: 'switchboard.ivr.key_known',
  frontDeskRule: 'switchboard.front_desk.rule',
  frontDeskAction: 'switchboard.front_desk.action',
  errorType: 'error.type',
} as const;

/** The tracer, looked up at each use: a provider registered after this module loaded (or replaced) is the one used. */
export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Runs `fn` inside a new span, a child of `parent` (default: the active context), ended when `fn` settles. A failure
 * marks the span as an error with the error's code only (messages may name people or addresses).
 */
export async function inSpan<T>(name: string, options: SpanOptions & { parent?: Context }, fn: (span: Span) => Promise<T>): Promise<T> {
  const { parent = context.active(), ...spanOptions } = options;
  const span = tracer().startSpan(name, spanOptions, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    const code = errorCode(err);
    span.setAttribute(TRACE_ATTRIBUTES.errorType, code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Each call's trace, by call id, in memory: the span context its later spans (notifications processed, IVR steps,
 * Graph requests) are children of. Only valid (recording) contexts are kept, so with tracing off it stays empty;
 * at most `limit` calls, the oldest dropped first.
 */
export class CallTraces {
  private readonly roots = new Map<string, ReturnType<Span['spanContext']>>();

  constructor(private readonly limit = 10_000) {}

  /** The parent for a span of this call, when its trace is known here. */
  parentOf(callId: string): Context | undefined {
    const root = this.roots.get(callId);
    return root ? trace.setSpanContext(ROOT_CONTEXT, root) : undefined;
  }

  /** Makes the span of `parent` the call's trace (`replace`: even when it had one, e.g. the span that placed it). */
  remember(callId: string, parent: Context, options: { replace?: boolean } = {}): void {
    const spanContext = trace.getSpanContext(parent);
    if (!spanContext || !isSpanContextValid(spanContext)) return;
    if (this.roots.has(callId) && !options.replace) return;
    this.roots.delete(callId);
    if (this.roots.size >= this.limit) this.roots.delete(this.roots.keys().next().value as string);
    this.roots.set(callId, spanContext);
  }

  forget(callId: string): void {
    this.roots.delete(callId);
  }

  get size(): number {
    return this.roots.size;
  }
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code.length <= 80) return code;
  return (err as { name?: unknown } | undefined)?.name === undefined ? 'error' : String((err as Error).name).slice(0, 80);
}
