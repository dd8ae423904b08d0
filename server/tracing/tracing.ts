// Starts traces for the process, before anything else runs: the OpenTelemetry Node tracer provider with an OTLP/HTTP
// exporter (OTEL_EXPORTER_OTLP_ENDPOINT), and/or Azure Monitor's distro (APPLICATIONINSIGHTS_CONNECTION_STRING) for
// Application Insights. Neither configured → nothing is registered, and comms/'s @opentelemetry/api calls stay no-ops.
import { readFileSync } from 'node:fs';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { Sampler, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import { SEMCONV } from './semconv.js';
import type { TracingConfig } from './tracing-config.js';

export interface Tracing {
  /** Whether spans are recorded and exported. */
  readonly active: boolean;
  /** Where they go, in words for the log ("OTLP http://…/v1/traces", "Application Insights"). */
  readonly destinations: string[];
  /** Sends what is buffered (tests, before a report). */
  flush(): Promise<void>;
  /** Sends what is buffered and stops (on shutdown). */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Extra span processors (tests: an in-memory exporter); with them tracing starts even when nothing is configured. */
  spanProcessors?: SpanProcessor[];
  /** service.instance.id (INSTANCE_NAME in distributed mode). */
  instanceId?: string;
  /** The distro's entry point (tests replace it: Application Insights cannot be reached from here). */
  useAzureMonitor?: (options: AzureMonitorOpenTelemetryOptions) => void;
  shutdownAzureMonitor?: () => Promise<void>;
}

const OFF: Tracing = { active: false, destinations: [], flush: async () => undefined, shutdown: async () => undefined };
let running: Tracing = OFF;

/** Whether this process records spans (the HTTP server adds its request spans only then). */
export function tracingActive(): boolean {
  return running.active;
}

export async function startTracing(config: TracingConfig, options: TracingOptions = {}): Promise<Tracing> {
  if (running.active) await running.shutdown();
  const extra = options.spanProcessors ?? [];
  if (!config.otlp && !config.azureMonitor && extra.length === 0) return (running = OFF);
  // The SDK is loaded only now: a start without tracing does not pay for loading it.
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const resource = resources.defaultResource().merge(
    resources.resourceFromAttributes({
      [SEMCONV.serviceName]: config.serviceName,
      [SEMCONV.serviceVersion]: packageVersion(),
      ...(options.instanceId ? { [SEMCONV.serviceInstanceId]: options.instanceId } : {}),
    }),
  );
  const processors: SpanProcessor[] = [...extra];
  const destinations: string[] = [];
  if (config.otlp) {
    // url and headers come from the validated configuration (so .env works too); timeout, compression and
    // certificates are the exporter's own OTEL_EXPORTER_OTLP_* variables, read from the environment.
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlp.url, headers: config.otlp.headers })));
    destinations.push(`OTLP ${new URL(config.otlp.url).origin}${new URL(config.otlp.url).pathname}`);
  }
  let stop: () => Promise<void>;
  let flush: () => Promise<void>;
  if (config.azureMonitor) {
    const use = options.useAzureMonitor ?? (await import('@azure/monitor-opentelemetry')).useAzureMonitor;
    const shutdownDistro = options.shutdownAzureMonitor ?? (await import('@azure/monitor-opentelemetry')).shutdownAzureMonitor;
    // The distro registers its own Node SDK (tracer provider, context manager, sampler) with our processors added.
    use(azureMonitorOptions(config.azureMonitor.connectionString, resource, processors));
    destinations.push('Application Insights');
    stop = async () => {
      await shutdownDistro();
    };
    flush = async () => {
      await Promise.all(processors.map((p) => p.forceFlush()));
    };
  } else {
    const sampler = config.sampler ? samplerFor(config.sampler, await import('@opentelemetry/sdk-trace-base')) : undefined;
    const provider = new NodeTracerProvider({ resource, spanProcessors: processors, ...(sampler ? { sampler } : {}) });
    provider.register(); // the AsyncLocalStorage context manager, and W3C trace-context propagation
    stop = async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    };
    flush = () => provider.forceFlush();
  }
  running = {
    active: true,
    destinations,
    flush,
    shutdown: async () => {
      running = OFF;
      await stop();
    },
  };
  return running;
}

/**
 * Azure Monitor's distro with Switchboard's spans only. Its auto-instrumentations are turned off: incoming requests and
 * Graph calls already have spans of our own (server/tracing/request-spans.ts, graph-spans.ts), so the HTTP one would
 * count each twice (and Graph goes through undici, which it does not see); Switchboard uses no Azure SDK, MongoDB,
 * MySQL, PostgreSQL or `redis` client (ioredis is not among them), and its logs are pino, not Bunyan or Winston.
 * Standard metrics (request and dependency rates and durations, derived from these spans) stay on; live metrics off.
 */
export function azureMonitorOptions(connectionString: string, resource: Resource, spanProcessors: SpanProcessor[]): AzureMonitorOpenTelemetryOptions {
  const off = { enabled: false };
  return {
    azureMonitorExporterOptions: { connectionString },
    resource,
    spanProcessors,
    enableLiveMetrics: false,
    instrumentationOptions: { http: off, azureSdk: off, mongoDb: off, mySql: off, postgreSql: off, redis: off, redis4: off, bunyan: off, winston: off },
  };
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** OTEL_TRACES_SAMPLER's values as the SDK's samplers (built from the validated configuration, so .env works too). */
function samplerFor(choice: NonNullable<TracingConfig['sampler']>, sdk: typeof import('@opentelemetry/sdk-trace-base')): Sampler {
  const ratio = new sdk.TraceIdRatioBasedSampler(choice.ratio ?? 1);
  switch (choice.kind) {
    case 'always_on':
      return new sdk.AlwaysOnSampler();
    case 'always_off':
      return new sdk.AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_on':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new sdk.ParentBasedSampler({ root: ratio });
  }
}
