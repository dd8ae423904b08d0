// OTEL_EXPORTER_OTLP_ENDPOINT set: spans reach the collector over OTLP/HTTP (JSON, the exporter's default encoding)
// at <endpoint>/v1/traces with the configured headers and Switchboard's service name. A local HTTP server stands in
// for the collector; nothing leaves the machine.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, TRACE_ATTRIBUTES } from '../../comms/runtime/index.js';
import { loadConfig } from '../../server/config.js';
import { startTracing, type Tracing } from '../../server/tracing/index.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

describe('server/tracing: OTLP/HTTP export to a collector', () => {
  let collector: Server;
  let tracing: Tracing | undefined;
  const received: Received[] = [];

  before(async () => {
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await tracing?.shutdown();
    await new Promise((resolve) => collector.close(resolve));
  });

  it('posts the spans as OTLP JSON to /v1/traces with the headers and the service name', async () => {
    const { port } = collector.address() as AddressInfo;
    const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=collector-key', OTEL_SERVICE_NAME: 'switchboard-otlp-test' }, '/tmp');
    tracing = await startTracing(config.tracing);
    assert.equal(tracing.active, true);
    assert.deepEqual(tracing.destinations, [`OTLP http://127.0.0.1:${port}/v1/traces`]);

    await inSpan('notification call', { kind: SpanKind.INTERNAL, attributes: { [TRACE_ATTRIBUTES.callId]: 'call-1' } }, async () => {
      await inSpan('front-desk decide', {}, async () => undefined);
    });
    await tracing.flush();

    assert.ok(received.length >= 1, 'the collector was called');
    const [first] = received;
    assert.equal(first!.method, 'POST');
    assert.equal(first!.url, '/v1/traces');
    assert.match(String(first!.headers['content-type']), /^application\/json/);
    assert.equal(first!.headers['x-api-key'], 'collector-key');
    const resourceSpans = received.flatMap((r) => r.body.resourceSpans);
    const service = resourceSpans[0].resource.attributes.find((a: any) => a.key === 'service.name');
    assert.equal(service.value.stringValue, 'switchboard-otlp-test');
    const spans = resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
    const byName = new Map(spans.map((s: any) => [s.name, s]));
    const parent: any = byName.get('notification call');
    const child: any = byName.get('front-desk decide');
    assert.ok(parent && child, `both spans arrived: ${[...byName.keys()].join(', ')}`);
    assert.equal(child.parentSpanId, parent.spanId);
    assert.equal(child.traceId, parent.traceId);
    assert.deepEqual(parent.attributes.find((a: any) => a.key === TRACE_ATTRIBUTES.callId).value, { stringValue: 'call-1' });
  });
});
