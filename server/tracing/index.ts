// server/tracing: the process's traces — provider and exporters (OTLP/HTTP, Application Insights), HTTP server spans,
// Graph client spans, IVR step spans — and the configuration that turns them on.
export { startTracing, tracingActive, azureMonitorOptions, type Tracing, type TracingOptions } from './tracing.js';
export { tracingConfig, TRACING_ENV, type TracingConfig } from './tracing-config.js';
export { traceRequests } from './request-spans.js';
export { bothObservers, graphSpanObserver, GRAPH_ATTRIBUTES } from './graph-spans.js';
export { traceCallEvents } from './call-spans.js';
