// The variables that turn traces on: bad values stop the start naming the variable and the fix (never repeating a
// header or connection string), good ones give the exporter's address and headers; Application Insights gets the
// distro with its double-counting auto-instrumentations off.
import assert from 'node:assert/strict';
import { ConfigError } from '../../server/config-error.js';
import { loadConfig } from '../../server/config.js';
import { azureMonitorOptions, startTracing } from '../../server/tracing/index.js';
import { defaultResource } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { trace } from '@opentelemetry/api';

const KEY = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const CONNECTION = `InstrumentationKey=${KEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/`;

function problemsOf(env: Record<string, string>): ConfigError['problems'] {
  try {
    loadConfig(env, '/tmp');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('server/tracing: configuration', () => {
  const refused: Array<[string, string, string]> = [
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'localhost:4318', 'not a URL'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'ftp://collector:4318', 'not http(s)'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'http://user:pass@collector:4318', 'credentials in the URL'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'collector/v1/traces', 'not a URL'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'api-key', 'no value'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'bad key=secret-value', 'a space in the key'],
    ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'secret-value', 'not key=value pairs'],
    ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'IngestionEndpoint=https://x.in.applicationinsights.azure.com/', 'no InstrumentationKey'],
    ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'InstrumentationKey=secret-value', 'a key that is not a GUID'],
    ['APPLICATIONINSIGHTS_CONNECTION_STRING', `InstrumentationKey=${KEY};IngestionEndpoint=http://x.in.applicationinsights.azure.com/`, 'a plain-http endpoint'],
    ['APPLICATIONINSIGHTS_CONNECTION_STRING', `InstrumentationKey=${KEY};IngestionEndpoint=not a url`, 'an endpoint that is not a URL'],
    ['OTEL_SDK_DISABLED', 'yes', 'not true or false'],
    ['OTEL_SERVICE_NAME', '\u0007bell', 'a control character'],
    ['OTEL_TRACES_SAMPLER', 'sometimes', 'not one of OpenTelemetry\'s samplers'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5', 'above 1'],
    ['OTEL_TRACES_SAMPLER_ARG', 'half', 'not a number'],
  ];
  for (const [variable, value, why] of refused) {
    it(`refuses ${variable}: ${why}`, () => {
      const problems = problemsOf({ [variable]: value });
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.variable, variable);
      assert.equal(problems[0]!.code, `config/invalid-${variable}`);
      assert.ok(problems[0]!.message.startsWith(`${variable} has an invalid value`), problems[0]!.message);
      assert.match(problems[0]!.message, /: (use|copy) /, 'says what to do');
      if (/HEADERS|CONNECTION_STRING/.test(variable)) assert.ok(!problems[0]!.message.includes('secret-value'), 'the value is not repeated');
    });
  }

  it('nothing set: no tracing configured', () => {
    assert.deepEqual(loadConfig({}, '/tmp').tracing, { serviceName: 'switchboard' });
  });

  it('the base endpoint gets /v1/traces; the traces endpoint is used as it is and wins; headers merge, decoded', () => {
    const base = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%20b, X-Team=ops', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=calls', OTEL_SERVICE_NAME: 'helpdesk' }, '/tmp').tracing;
    assert.deepEqual(base, { serviceName: 'helpdesk', otlp: { url: 'http://collector:4318/v1/traces', headers: { 'api-key': 'a b', 'x-team': 'calls' } } });
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector/otlp/' }, '/tmp').tracing.otlp?.url, 'https://collector/otlp/v1/traces');
    const specific = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:9000/traces' }, '/tmp').tracing;
    assert.equal(specific.otlp?.url, 'http://other:9000/traces');
  });

  it('Application Insights from a connection string; OTEL_SDK_DISABLED=true turns everything off', () => {
    assert.deepEqual(loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }, '/tmp').tracing, { serviceName: 'switchboard', azureMonitor: { connectionString: CONNECTION } });
    assert.deepEqual(loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }, '/tmp').tracing, { serviceName: 'switchboard' });
  });

  it('the Azure Monitor distro gets the connection string, our span processors, and no auto-instrumentation', () => {
    const processor = new SimpleSpanProcessor(new InMemorySpanExporter());
    const options = azureMonitorOptions(CONNECTION, defaultResource(), [processor]);
    assert.equal(options.azureMonitorExporterOptions?.connectionString, CONNECTION);
    assert.deepEqual(options.spanProcessors, [processor]);
    assert.equal(options.enableLiveMetrics, false);
    const instrumentations = options.instrumentationOptions ?? {};
    for (const name of ['http', 'azureSdk', 'mongoDb', 'mySql', 'postgreSql', 'redis', 'redis4', 'bunyan', 'winston'] as const) {
      assert.equal(instrumentations[name]?.enabled, false, `${name} off`);
    }
  });

  it('startTracing hands Application Insights to the distro (stand-in) and reports itself active; shutdown stops it', async () => {
    const calls: unknown[] = [];
    let stopped = 0;
    const tracing = await startTracing(
      { serviceName: 'switchboard', azureMonitor: { connectionString: CONNECTION } },
      { useAzureMonitor: (o) => void calls.push(o), shutdownAzureMonitor: async () => void (stopped += 1) },
    );
    assert.equal(tracing.active, true);
    assert.deepEqual(tracing.destinations, ['Application Insights']);
    assert.equal(calls.length, 1);
    assert.equal((calls[0] as { azureMonitorExporterOptions: { connectionString: string } }).azureMonitorExporterOptions.connectionString, CONNECTION);
    await tracing.shutdown();
    assert.equal(stopped, 1);
  });

  it('OTEL_TRACES_SAMPLER / _ARG choose the sampler: a ratio of 0 records no root span, of 1 every one', async () => {
    assert.deepEqual(loadConfig({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }, '/tmp').tracing.sampler, { kind: 'parentbased_traceidratio', ratio: 0.1 });
    assert.deepEqual(loadConfig({ OTEL_TRACES_SAMPLER: 'traceidratio' }, '/tmp').tracing.sampler, { kind: 'traceidratio', ratio: 1 }, 'no ratio given: all of them');
    assert.deepEqual(loadConfig({ OTEL_TRACES_SAMPLER: 'always_off' }, '/tmp').tracing.sampler, { kind: 'always_off' });
    assert.equal(loadConfig({}, '/tmp').tracing.sampler, undefined);
    const recorded = async (ratio: number) => {
      const exporter = new InMemorySpanExporter();
      const tracing = await startTracing({ serviceName: 'switchboard', sampler: { kind: 'parentbased_traceidratio', ratio } }, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
      try {
        const tracer = trace.getTracer('probe');
        for (let i = 0; i < 20; i += 1) tracer.startSpan('root').end();
        return exporter.getFinishedSpans().length;
      } finally {
        await tracing.shutdown();
      }
    };
    assert.equal(await recorded(0), 0);
    assert.equal(await recorded(1), 20);
  });

  it('nothing configured: startTracing registers nothing (spans stay non-recording)', async () => {
    const tracing = await startTracing({ serviceName: 'switchboard' });
    assert.equal(tracing.active, false);
    const span = trace.getTracer('probe').startSpan('probe');
    assert.equal(span.isRecording(), false);
    span.end();
  });
});
