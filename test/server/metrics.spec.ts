// GET /metrics during a real emulated call: live calls up then down, the four phases of the call recorded once and
// in order (and in one summary log line at its end), Graph requests by operation and status, a throttled GET counted
// as a 429, HTTP requests by route template, and no id in any label.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, dial, directoryIds, truth, UPN } from '../e2e/people.js';
import { parseExposition, valueOf, type Sample } from './metrics-support.js';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const PHASES = ['notify', 'answer', 'connect', 'first_prompt'];

describe('server/metrics: GET /metrics during a call (local mode)', function () {
  this.timeout(30_000);
  let app: LocalSwitchboard;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-metrics-'));
    const desk = join(dir, 'desk.json');
    writeFileSync(desk, JSON.stringify({
      timezone: 'UTC',
      people: {},
      rules: [],
      default: { action: 'answer', menu: 'main' },
      menus: { main: { prompt: { text: 'Welcome. Press 1.' }, options: { '1': { action: 'hangup' } }, timeoutSeconds: 60 } },
    }));
    app = await startLocalSwitchboard({ env: { FRONT_DESK_FILE: desk } });
  });
  after(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function scrape(): Promise<{ text: string; samples: Sample[] }> {
    const res = await request(`${app.url}/metrics`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = await res.body.text();
    return { text, samples: parseExposition(text) };
  }

  it('counts a call live while it lasts, records its four phases once and in order, and logs one summary line at its end', async () => {
    const callId = await dial(app, 'hana');
    await eventually(async () => (await truth(app, callId)).prompts.some((p: any) => p.status === 'playing' || p.status === 'played'), 'the menu prompt to play');
    const live = await eventually(async () => {
      const { samples } = await scrape();
      return valueOf(samples, 'switchboard_call_phase_seconds_count', { direction: 'incoming', phase: 'first_prompt' }) === 1 && samples;
    }, 'the first_prompt phase to be recorded');

    assert.equal(valueOf(live, 'switchboard_calls_live'), 1);
    for (const phase of PHASES) {
      assert.equal(valueOf(live, 'switchboard_call_phase_seconds_count', { direction: 'incoming', phase }), 1, `${phase} recorded once`);
      assert.ok(valueOf(live, 'switchboard_call_phase_seconds_sum', { direction: 'incoming', phase })! >= 0, `${phase} has a duration`);
    }
    assert.equal(valueOf(live, 'switchboard_call_phase_seconds_count', { direction: 'outgoing' }) ?? 0, 0, 'no outgoing call was placed');
    // Graph requests by operation (ids replaced) and status; their latency; the webhook by its route template.
    const answered = live.filter((s) => s.name === 'switchboard_graph_requests_total' && s.labels.operation === '/communications/calls/{id}/answer');
    assert.ok(answered.length > 0 && answered.every((s) => /^2\d\d$/.test(s.labels.status!) && s.labels.method === 'POST'), 'answer counted as 2xx');
    assert.ok(valueOf(live, 'switchboard_graph_requests_total', { method: 'POST', operation: '/communications/calls/{id}/playPrompt' })! >= 1);
    assert.ok(valueOf(live, 'switchboard_graph_request_duration_seconds_count', { method: 'POST', operation: '/communications/calls/{id}/answer' })! >= 1);
    assert.ok(valueOf(live, 'switchboard_http_requests_total', { method: 'POST', route: '/api/calling', status: '202' })! >= 2, 'webhook deliveries counted by route');
    assert.ok(valueOf(live, 'switchboard_http_request_duration_seconds_count', { route: '/api/calling' })! >= 2);
    assert.ok(valueOf(live, 'switchboard_notification_lag_seconds_count')! >= 2, 'processed notifications measured');
    assert.ok(valueOf(live, 'switchboard_store_operation_duration_seconds_count', { backend: 'embedded', operation: 'putIfAbsent' })! >= 1);
    assert.ok(valueOf(live, 'switchboard_ivr_steps_total', { step: 'menu' })! >= 1);
    assert.ok(valueOf(live, 'nodejs_eventloop_lag_seconds') !== undefined && valueOf(live, 'process_resident_memory_bytes')! > 0, 'Node defaults are there');

    await act(app, callId, 'hangup', { person: UPN.hana });
    const ended = await eventually(async () => {
      const { samples } = await scrape();
      return valueOf(samples, 'switchboard_calls_live') === 0 && samples;
    }, 'live calls to drop to 0');
    for (const phase of PHASES) assert.equal(valueOf(ended, 'switchboard_call_phase_seconds_count', { direction: 'incoming', phase }), 1, `${phase} still recorded once`);

    const summaries = await eventually(() => {
      const lines = app.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'call phases' && l.callId === callId);
      return lines.length > 0 && lines;
    }, 'the call phases log line');
    assert.equal(summaries.length, 1, 'one summary line per call');
    const [summary] = summaries;
    assert.equal(summary.level, 30, 'info level');
    assert.equal(summary.direction, 'incoming');
    assert.deepEqual(Object.keys(summary.phasesMs), PHASES, 'the four phases, in order');
    // In order: each phase starts where the one before ended, so together they make the whole wait.
    const sum = PHASES.reduce((total, phase) => total + summary.phasesMs[phase], 0);
    assert.ok(Math.abs(sum - summary.untilFirstPromptMs) <= PHASES.length, `phases ${JSON.stringify(summary.phasesMs)} add up to ${summary.untilFirstPromptMs}`);
  });

  it('counts a throttled Graph GET as a 429, the Retry-After waited, and the repeat that succeeded', async () => {
    const ids = await directoryIds(app);
    const fault = await app.emulatorJson('POST', '/emulator/faults', { match: { method: 'GET', path: '/v1.0/users/*' }, count: 1, status: 429, retryAfterSeconds: 0 });
    assert.equal(fault.status, 201);
    const user = await app.graph.get<{ id: string }>(`/users/${ids.jonas}`);
    assert.equal(user.id, ids.jonas);
    const { samples } = await scrape();
    const op = { method: 'GET', operation: '/users/{id}' };
    assert.equal(valueOf(samples, 'switchboard_graph_requests_total', { ...op, status: '429' }), 1);
    assert.ok(valueOf(samples, 'switchboard_graph_requests_total', { ...op, status: '200' })! >= 1);
    assert.equal(valueOf(samples, 'switchboard_graph_throttled_total', op), 1);
    assert.equal(valueOf(samples, 'switchboard_graph_retries_total', { reason: 'retry_after' }), 1);
    assert.equal(valueOf(samples, 'switchboard_graph_retry_wait_seconds_total', { reason: 'retry_after' }), 0, 'Retry-After: 0 was waited as asked');
  });

  it('follows a meeting: the bot in it, the people in its roster, and its call live until the bot leaves', async () => {
    const ids = await directoryIds(app);
    const meeting = await app.meetings.create({ organizerId: ids.amara, subject: 'Metrics', attendees: [{ userId: ids.jonas, upn: UPN.jonas }] });
    for (const person of [UPN.jonas, UPN.priya]) assert.ok((await app.emulatorJson('POST', `/emulator/meetings/${meeting.id}/people`, { person })).status < 300);
    const { meetingKey } = await app.meetings.join({ link: meeting.joinWebUrl! });
    const people = async () => (await app.meetings.roster(meetingKey)).entries.length;
    await eventually(async () => (await app.meetings.roster(meetingKey)).entries.filter((e) => !e.isBot).length === 2, 'both people in the roster');
    const inMeeting = await eventually(async () => {
      const { samples } = await scrape();
      return valueOf(samples, 'switchboard_meeting_participants') === (await people()) && samples;
    }, 'the roster size in the metrics');
    assert.equal(valueOf(inMeeting, 'switchboard_meetings_live'), 1);
    assert.equal(valueOf(inMeeting, 'switchboard_calls_live'), 1, "the meeting's call");
    assert.ok(valueOf(inMeeting, 'switchboard_meeting_roster_size_count')! >= 1);
    assert.equal(valueOf(inMeeting, 'switchboard_call_phase_seconds_count', { direction: 'outgoing', phase: 'create' }), 1, 'joining is an outgoing call');
    assert.ok(valueOf(inMeeting, 'switchboard_graph_requests_total', { method: 'POST', operation: '/communications/calls', status: '201' })! >= 1);

    await app.meetings.leave(meetingKey);
    const left = await eventually(async () => {
      const { samples } = await scrape();
      return valueOf(samples, 'switchboard_meetings_live') === 0 && valueOf(samples, 'switchboard_calls_live') === 0 && samples;
    }, 'the meeting and its call to end in the metrics');
    assert.equal(valueOf(left, 'switchboard_meeting_participants'), 0);
  });

  it('carries no id in any label: route templates and operation names only', async () => {
    const { text, samples } = await scrape();
    const labelled = samples.filter((s) => Object.keys(s.labels).length > 0);
    assert.ok(labelled.length > 20);
    for (const s of labelled) {
      for (const value of Object.values(s.labels)) {
        assert.doesNotMatch(value, GUID, `${s.name} ${JSON.stringify(s.labels)}`);
        assert.doesNotMatch(value, /@/, `${s.name} ${JSON.stringify(s.labels)}`);
      }
    }
    assert.doesNotMatch(text, GUID);
    assert.ok(samples.some((s) => s.labels.route === '/metrics'), 'the scrape itself is counted by its route');
  });
});
