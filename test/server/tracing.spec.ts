// Traces of a real emulated call (local mode, in-memory exporter): one trace per call across the webhook request that
// announced it, the notifications processed, the front desk's decision, the IVR steps and the Graph requests, all
// carrying the call id; later webhook requests linked into it; the log lines written inside it carry its trace id; a
// throttled Graph GET is two client spans (the 429 with its Retry-After, then the repeat); no secret in any attribute.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { LOCAL_APP } from '../../server/config.js';
import { startTracing, type Tracing } from '../../server/tracing/index.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, dial, directoryIds, truth, UPN } from '../e2e/people.js';

const CALL_ID = 'switchboard.call.id';

describe('server/tracing: one trace per call (local mode, in-memory exporter)', function () {
  this.timeout(30_000);
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let app: LocalSwitchboard;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-tracing-'));
    const desk = join(dir, 'desk.json');
    writeFileSync(desk, JSON.stringify({
      timezone: 'UTC',
      people: {},
      rules: [],
      default: { action: 'answer', menu: 'main' },
      menus: { main: { prompt: { text: 'Welcome. Press 1.' }, options: { '1': { action: 'hangup' } }, timeoutSeconds: 60 } },
    }));
    tracing = await startTracing({ serviceName: 'switchboard-test' }, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
    app = await startLocalSwitchboard({ env: { FRONT_DESK_FILE: desk } });
  });
  after(async () => {
    await app?.stop();
    await tracing?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  const spans = () => exporter.getFinishedSpans();
  const seen: ReadableSpan[] = []; // everything exported before a reset, for the hygiene check
  const traceOf = (s: ReadableSpan) => s.spanContext().traceId;
  const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

  it('an incoming call answered through the front desk is one trace: webhook → notification → decision → IVR → Graph', async () => {
    const callId = await dial(app, 'hana');
    await eventually(async () => (await truth(app, callId)).prompts.some((p: any) => p.status === 'playing' || p.status === 'played'), 'the menu prompt to play');
    await act(app, callId, 'tones', { tones: '1', person: UPN.hana });
    await eventually(() => spans().some((s) => s.name === 'ivr hangup' && s.attributes[CALL_ID] === callId), 'the hang-up step');
    await eventually(() => spans().some((s) => s.name === 'notification call' && s.attributes[CALL_ID] === callId && s.attributes['switchboard.notification.change_type'] === 'deleted'), 'the call to end');

    const ofCall = spans().filter((s) => s.attributes[CALL_ID] === callId && s.kind !== SpanKind.SERVER);
    const traceId = traceOf(ofCall[0]!);
    assert.ok(ofCall.every((s) => traceOf(s) === traceId), 'every span about the call is in one trace');
    const inTrace = spans().filter((s) => traceOf(s) === traceId);

    // Its root: the webhook request that announced the call (a server span named by its route template).
    const roots = inTrace.filter((s) => parentOf(s) === undefined);
    assert.equal(roots.length, 1, 'one root');
    const [root] = roots;
    assert.equal(root!.name, 'POST /api/calling');
    assert.equal(root!.kind, SpanKind.SERVER);
    assert.equal(root!.attributes['http.route'], '/api/calling');
    assert.equal(root!.attributes['http.response.status_code'], 202);
    assert.equal(root!.attributes[CALL_ID], callId);

    const named = (name: string) => inTrace.filter((s) => s.name === name);
    const incoming = named('notification call').find((s) => s.attributes['switchboard.notification.change_type'] === 'created');
    assert.ok(incoming, 'the incoming-call notification processed');
    assert.equal(parentOf(incoming), root!.spanContext().spanId, 'a child of the request that delivered it');
    assert.equal(incoming.attributes['switchboard.call.state'], 'incoming');
    assert.ok(typeof incoming.attributes['switchboard.call.chain_id'] === 'string', 'callChainId carried');

    const decide = named('front-desk decide');
    assert.equal(decide.length, 1);
    assert.equal(parentOf(decide[0]!), incoming.spanContext().spanId, 'decided while the notification was processed');
    assert.equal(decide[0]!.attributes['switchboard.front_desk.action'], 'answer');
    const answer = named('POST /v1.0/communications/calls/{id}/answer');
    assert.equal(answer.length, 1, 'the answer request');
    assert.equal(parentOf(answer[0]!), decide[0]!.spanContext().spanId, 'sent by the decision');
    assert.equal(answer[0]!.kind, SpanKind.CLIENT);
    assert.equal(answer[0]!.attributes['http.request.method'], 'POST');
    assert.equal(answer[0]!.attributes['url.template'], '/v1.0/communications/calls/{id}/answer');
    assert.equal(answer[0]!.attributes['server.address'], '127.0.0.1');
    assert.ok(Number(answer[0]!.attributes['http.response.status_code']) < 300);

    for (const step of ['ivr menu', 'ivr key', 'ivr hangup']) assert.ok(named(step).length >= 1, `${step} in the trace`);
    assert.equal(named('ivr menu')[0]!.attributes['switchboard.ivr.menu'], 'main');
    assert.ok(!('switchboard.ivr.key' in named('ivr key')[0]!.attributes), 'the key pressed is not recorded');
    assert.ok(named('POST /v1.0/communications/calls/{id}/playPrompt').length >= 1, 'the menu prompt request');
    assert.ok(named('DELETE /v1.0/communications/calls/{id}').length >= 1, 'the hang-up request');

    // Later notifications are children of the root, each linked to the webhook request (a trace of its own) that brought it.
    const later = inTrace.filter((s) => s.name.startsWith('notification ') && s !== incoming);
    assert.ok(later.length >= 3, 'state, operation and tone notifications');
    const webhookRequests = new Map(spans().filter((s) => s.name === 'POST /api/calling').map((s) => [s.spanContext().spanId, s]));
    for (const n of later) {
      assert.equal(parentOf(n), root!.spanContext().spanId, `${n.name} under the call's root`);
      assert.equal(n.links.length, 1, `${n.name} links the request that delivered it`);
      const request = webhookRequests.get(n.links[0]!.context.spanId);
      assert.ok(request, 'the linked span is a webhook request');
      assert.notEqual(traceOf(request), traceId, 'that request is its own short trace');
      assert.equal(request.attributes[CALL_ID], callId, 'and says which call it was about');
    }
  });

  it('the log lines written inside the call carry its trace id', async () => {
    const lines = app.logs.map((l) => JSON.parse(l));
    const incoming = lines.find((l) => l.msg === 'incoming call');
    assert.ok(incoming, 'the incoming-call line');
    assert.match(incoming.trace_id, /^[0-9a-f]{32}$/);
    assert.match(incoming.span_id, /^[0-9a-f]{16}$/);
    const callSpans = spans().filter((s) => s.attributes[CALL_ID] === incoming.callId && s.kind !== SpanKind.SERVER);
    assert.equal(incoming.trace_id, traceOf(callSpans[0]!), 'the call\'s trace');
    const summary = lines.find((l) => l.msg === 'call phases' && l.callId === incoming.callId);
    assert.equal(summary?.trace_id, incoming.trace_id, 'the call phases line too');
  });

  it('a throttled Graph GET: a 429 span with its Retry-After, then the repeat with its resend count', async () => {
    const ids = await directoryIds(app);
    seen.push(...spans());
    exporter.reset();
    assert.equal((await app.emulatorJson('POST', '/emulator/faults', { match: { method: 'GET', path: '/v1.0/users/*' }, count: 1, status: 429, retryAfterSeconds: 0 })).status, 201);
    await app.graph.get(`/users/${ids.jonas}`, { query: { $select: 'id,displayName' } });
    const gets = spans().filter((s) => s.name === 'GET /v1.0/users/{id}');
    assert.equal(gets.length, 2);
    const [throttled, repeat] = gets;
    assert.equal(throttled!.attributes['http.response.status_code'], 429);
    assert.equal(throttled!.attributes['switchboard.graph.retry_after_seconds'], 0);
    assert.equal(throttled!.attributes['error.type'], '429');
    assert.equal(repeat!.attributes['http.response.status_code'], 200);
    assert.equal(repeat!.attributes['http.request.resend_count'], 1);
    assert.ok(!('http.request.resend_count' in throttled!.attributes));
  });

  it('no span attribute carries a token, a secret, a query or a user id in a name', () => {
    const all = [...seen, ...spans()];
    assert.ok(all.length > 20);
    for (const s of all) {
      for (const [key, value] of Object.entries(s.attributes)) {
        const text = String(value);
        assert.ok(!text.includes(LOCAL_APP.secret), `${s.name} ${key}`);
        assert.doesNotMatch(text, /eyJ[\w-]+\.[\w-]+/, `${s.name} ${key} looks like a JWT`);
        assert.doesNotMatch(text, /bearer/i, `${s.name} ${key}`);
        assert.ok(!text.includes('?') && !text.includes('$select'), `${s.name} ${key} has no query`);
      }
      assert.doesNotMatch(s.name, /[0-9a-f]{8}-[0-9a-f]{4}-/i, `span name ${s.name} has no id`);
    }
  });
});
