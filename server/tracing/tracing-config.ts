// The variables that turn traces on, validated with the rest of the configuration (server/config.ts): an OTLP/HTTP
// collector (the standard OTEL_EXPORTER_OTLP_* names) and/or Application Insights. Neither set → no tracing at all.
import { z } from 'zod';

export interface TracingConfig {
  /** OTLP/HTTP: where spans are posted (…/v1/traces) and the headers sent with them (e.g. an API key). */
  otlp?: { url: string; headers: Record<string, string> };
  /** Azure Monitor's OpenTelemetry distro → Application Insights. */
  azureMonitor?: { connectionString: string };
  /** service.name on every span (OTEL_SERVICE_NAME, default "switchboard"). */
  serviceName: string;
  /**
   * Which traces are kept (OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, OpenTelemetry's names and values); unset:
   * the SDK's default, every trace (parent-based, always on). The OTLP path only: Application Insights' distro samples
   * by rate on its own.
   */
  sampler?: { kind: TraceSamplerKind; ratio?: number };
}

export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TraceSamplerKind = (typeof TRACE_SAMPLERS)[number];

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const httpUrl = z.preprocess(blankToUndefined, z.string().trim().refine(isHttpUrl).optional());
// key=value pairs separated by commas (W3C baggage style, values may be percent-encoded).
const HEADER_LIST = /^\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^,]*(,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^,]*)*$/;
const headerList = z.preprocess(blankToUndefined, z.string().regex(HEADER_LIST).optional());

export const TRACING_ENV = {
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_HEADERS: headerList,
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: headerList,
  OTEL_SERVICE_NAME: z.preprocess(blankToUndefined, z.string().trim().regex(/^[\x21-\x7e][\x20-\x7e]{0,254}$/).optional()),
  OTEL_SDK_DISABLED: z.preprocess(blankToUndefined, z.enum(['true', 'false']).optional()),
  OTEL_TRACES_SAMPLER: z.preprocess(blankToUndefined, z.enum(TRACE_SAMPLERS).optional()),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(blankToUndefined, z.string().trim().regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/).optional()),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.preprocess(blankToUndefined, z.string().trim().refine(isConnectionString).optional()),
};

/** Their values may hold credentials (an API key header, the ingestion key): an error never repeats them. */
export const TRACING_SECRET_VARIABLES = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'APPLICATIONINSIGHTS_CONNECTION_STRING'];

export const TRACING_FIXES: Record<keyof typeof TRACING_ENV, string> = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'use the collector\'s OTLP/HTTP base address, e.g. http://127.0.0.1:4318 (spans go to its /v1/traces), or leave it unset for no OTLP export',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'use the full OTLP/HTTP traces address, e.g. http://127.0.0.1:4318/v1/traces, or leave it unset',
  OTEL_EXPORTER_OTLP_HEADERS: 'use comma-separated key=value pairs, e.g. api-key=…,x-tenant=ops',
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'use comma-separated key=value pairs, e.g. api-key=…',
  OTEL_SERVICE_NAME: 'use a short printable name, e.g. switchboard-helpdesk',
  OTEL_SDK_DISABLED: 'use true (no traces whatever else is set) or false',
  OTEL_TRACES_SAMPLER: `use one of ${TRACE_SAMPLERS.join(', ')} (e.g. parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG=0.1 keeps a tenth of the calls), or leave it unset for every trace`,
  OTEL_TRACES_SAMPLER_ARG: 'use the share of traces to keep, a number from 0 to 1 (e.g. 0.1), with OTEL_TRACES_SAMPLER=parentbased_traceidratio or traceidratio',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'copy the whole connection string from the Application Insights resource\'s Overview page (InstrumentationKey=<GUID>;IngestionEndpoint=https://…), or leave it unset',
};

type TracingEnv = { [K in keyof typeof TRACING_ENV]?: string };

export function tracingConfig(e: TracingEnv): TracingConfig {
  const serviceName = e.OTEL_SERVICE_NAME ?? 'switchboard';
  if (e.OTEL_SDK_DISABLED === 'true') return { serviceName };
  const url = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT ? tracesPath(e.OTEL_EXPORTER_OTLP_ENDPOINT) : undefined);
  const kind = e.OTEL_TRACES_SAMPLER as TraceSamplerKind | undefined; // checked by TRACING_ENV
  const sampler = kind ? { kind, ...(kind.endsWith('traceidratio') ? { ratio: e.OTEL_TRACES_SAMPLER_ARG === undefined ? 1 : Number(e.OTEL_TRACES_SAMPLER_ARG) } : {}) } : undefined;
  return {
    serviceName,
    ...(sampler ? { sampler } : {}),
    ...(url ? { otlp: { url, headers: { ...parseHeaders(e.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaders(e.OTEL_EXPORTER_OTLP_TRACES_HEADERS) } } } : {}),
    ...(e.APPLICATIONINSIGHTS_CONNECTION_STRING ? { azureMonitor: { connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING } } : {}),
  };
}

/** The OTLP rule: the base endpoint gets v1/traces appended (after a slash). */
function tracesPath(base: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}v1/traces`;
}

function parseHeaders(list: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (list ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const value = pair.slice(at + 1).trim();
    let decoded = value;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      // not percent-encoded: kept as it is
    }
    headers[pair.slice(0, at).trim().toLowerCase()] = decoded;
  }
  return headers;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** InstrumentationKey=<GUID> and, when present, https endpoints: what Application Insights shows on its Overview page. */
function isConnectionString(value: string): boolean {
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    if (at <= 0) return false;
    fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  if (!GUID.test(fields.get('instrumentationkey') ?? '')) return false;
  for (const key of ['ingestionendpoint', 'liveendpoint']) {
    const endpoint = fields.get(key);
    if (endpoint === undefined) continue;
    try {
      if (new URL(endpoint).protocol !== 'https:') return false;
    } catch {
      return false;
    }
  }
  return true;
}
