// The calling part of the control API: registering the calling webhook, people and their behaviour, the truth view
// of a call, people's actions and their errors (stable codes), hold/resume, and the start-up options it validates.

import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { startEmulator } from '../../emulator/index.js';
import { AMARA, CALLS_APP, JONAS, PRIYA, answeredIncomingCall, answeredOutboundCall, startCallsHarness, type CallsHarness } from './calls-harness.js';
import { newDataDir } from './emulator-harness.js';

describe('emulator calling: control API', () => {
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness();
  });

  after(async () => {
    await h.close();
  });

  it('lists the new calling routes in the index', async () => {
    const routes = (await h.control('GET', '')).json.routes.map((r: { method: string; path: string }) => `${r.method} ${r.path}`);
    for (const expected of [
      'PUT /emulator/apps/{clientId}/calling-webhook', 'GET /emulator/people', 'PUT /emulator/people/{person}/behavior', 'POST /emulator/people/{person}/dial',
      'GET /emulator/calls', 'GET /emulator/calls/{callId}', 'POST /emulator/calls/{callId}/answer', 'POST /emulator/calls/{callId}/decline',
      'POST /emulator/calls/{callId}/tones', 'POST /emulator/calls/{callId}/speak', 'POST /emulator/calls/{callId}/hold', 'POST /emulator/calls/{callId}/resume',
      'POST /emulator/calls/{callId}/hangup', 'POST /emulator/calls/{callId}/people', 'DELETE /emulator/calls/{callId}/people/{person}',
      'POST /emulator/calls/{callId}/people/{person}/mute', 'GET /emulator/events', 'GET /emulator/events/recent',
      'POST /emulator/notification-faults', 'GET /emulator/notification-faults', 'DELETE /emulator/notification-faults',
    ]) assert.ok(routes.includes(expected), `index lists ${expected}`);
  });

  it('setCallingWebhook (the handle) registers the webhook; the control route reports it', async () => {
    h.emulator.setCallingWebhook(CALLS_APP.clientId, `${h.receiver.url}/api/calling`);
    assert.throws(() => h.emulator.setCallingWebhook(CALLS_APP.clientId, 'ftp://127.0.0.1/x'), { code: 'emulator/invalid-webhook-url' });
    assert.throws(() => h.emulator.setCallingWebhook('no-such-app', 'https://bot.contoso.com/api/calling'), { code: 'emulator/unknown-app' });
    const reply = await h.control('PUT', `/apps/${CALLS_APP.clientId}/calling-webhook`, { url: `${h.receiver.url}/api/calling` });
    assert.deepEqual(reply.json, { clientId: CALLS_APP.clientId, callingWebhookUrl: `${h.receiver.url}/api/calling` });
  });

  it('lists people with behaviour and calls; a behaviour is set by id or UPN', async () => {
    const set = await h.control('PUT', `/people/${PRIYA.upn}/behavior`, { onCall: 'decline', answerDelayMs: 25 });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json.behavior, { onCall: 'decline', answerDelayMs: 25 });
    const callId = await answeredIncomingCall(h, AMARA);
    const people = (await h.control('GET', '/people')).json.value;
    assert.equal(people.length, 8);
    const amara = people.find((p: any) => p.id === AMARA.id);
    assert.deepEqual(amara.callIds, [callId]);
    assert.deepEqual(amara.behavior, { onCall: 'manual', answerDelayMs: 500 });
    assert.equal(people.find((p: any) => p.id === PRIYA.id).behavior.onCall, 'decline');
    await h.control('PUT', `/people/${PRIYA.id}/behavior`, { onCall: 'manual' });
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  const invalid: Array<{ name: string; method: string; path: string; body: unknown; status: number; code: string }> = [
    { name: 'an unknown behaviour', method: 'PUT', path: `/people/${AMARA.id}/behavior`, body: { onCall: 'sometimes' }, status: 400, code: 'emulator/invalid-body' },
    { name: 'a negative answer delay', method: 'PUT', path: `/people/${AMARA.id}/behavior`, body: { onCall: 'answer', answerDelayMs: -1 }, status: 400, code: 'emulator/invalid-body' },
    { name: 'a behaviour for nobody', method: 'PUT', path: '/people/nobody/behavior', body: { onCall: 'answer' }, status: 404, code: 'emulator/unknown-person' },
    { name: 'an unknown call', method: 'GET', path: '/calls/nope', body: undefined, status: 404, code: 'emulator/unknown-call' },
    { name: 'a notification fault with an unknown action', method: 'POST', path: '/notification-faults', body: { action: 'explode' }, status: 400, code: 'emulator/invalid-body' },
    { name: 'a delay fault without delayMs', method: 'POST', path: '/notification-faults', body: { action: 'delay' }, status: 400, code: 'emulator/invalid-body' },
    { name: 'a webhook that is not a URL', method: 'PUT', path: `/apps/${CALLS_APP.clientId}/calling-webhook`, body: { url: 'somewhere' }, status: 400, code: 'emulator/invalid-webhook-url' },
  ];
  for (const row of invalid) {
    it(`answers ${row.name} with ${row.status} ${row.code}`, async () => {
      const reply = await h.control(row.method, row.path, row.body);
      assert.equal(reply.status, row.status, reply.text);
      assert.equal(reply.json.error.code, row.code);
    });
  }

  it('people actions refuse what cannot happen, with stable codes', async () => {
    const callId = await answeredIncomingCall(h, AMARA);
    const notRinging = await h.control('POST', `/calls/${callId}/answer`, { person: JONAS.id });
    assert.deepEqual([notRinging.status, notRinging.json.error.code], [409, 'emulator/not-ringing']);
    const notIn = await h.control('POST', `/calls/${callId}/tones`, { person: JONAS.id, tones: '1' });
    assert.deepEqual([notIn.status, notIn.json.error.code], [409, 'emulator/person-not-in-call']);
    const joinP2p = await h.control('POST', `/calls/${callId}/people`, { person: JONAS.id });
    assert.deepEqual([joinP2p.status, joinP2p.json.error.code], [409, 'emulator/wrong-call-kind']);
    await h.control('POST', `/calls/${callId}/hold`, { person: AMARA.id });
    const onHold = await h.control('POST', `/calls/${callId}/tones`, { tones: '1' });
    assert.deepEqual([onHold.status, onHold.json.error.code], [409, 'emulator/on-hold']);
    await h.graph('DELETE', `/communications/calls/${callId}`);
    await h.waitForCall(callId, (c) => c.state === 'terminated', 'ended');
    const ended = await h.control('POST', `/calls/${callId}/tones`, { tones: '1' });
    assert.deepEqual([ended.status, ended.json.error.code], [409, 'emulator/call-ended']);
  });

  it('hold and resume: mediaState inactive/active on a P2P call, an inactive audio stream in a group roster', async () => {
    const p2p = await answeredIncomingCall(h, AMARA);
    await h.control('POST', `/calls/${p2p}/hold`, { person: AMARA.id });
    await h.control('POST', `/calls/${p2p}/resume`, { person: AMARA.id });
    await h.receiver.waitFor(() => h.receiver.about(p2p).filter((n) => n.item.resourceData.mediaState).length === 2, 'two mediaState updates');
    assert.deepEqual(h.receiver.about(p2p).filter((n) => n.item.resourceData.mediaState).map((n) => n.item.resourceData.mediaState.audio), ['inactive', 'active']);
    await h.graph('DELETE', `/communications/calls/${p2p}`);

    const group = await answeredOutboundCall(h, [AMARA, JONAS]);
    await h.control('POST', `/calls/${group}/hold`, { person: JONAS.upn });
    const held = (n: any) => Array.isArray(n.item.resourceData) && n.item.resourceData.some((p: any) => p.info.identity.user?.id === JONAS.id && p.mediaStreams[0].direction === 'inactive');
    await h.receiver.waitFor(() => h.receiver.about(group, held).length > 0, 'Jonas on hold in the roster');
    assert.equal((await h.view(group)).participants.find((p: any) => p.personId === JONAS.id).onHold, true);
    const who = await h.control('POST', `/calls/${group}/tones`, { tones: '1' });
    assert.deepEqual([who.status, who.json.error.code], [400, 'emulator/person-required']);
    await h.graph('DELETE', `/communications/calls/${group}`);
  });

  it('GET /emulator/calls lists every call with its truth', async () => {
    const all = (await h.control('GET', '/calls')).json.value;
    assert.ok(all.length >= 3);
    for (const call of all) {
      for (const key of ['id', 'state', 'direction', 'kind', 'participants', 'ringing', 'prompts', 'operations', 'tones', 'notifications']) assert.ok(key in call, key);
    }
  });
});

describe('emulator calling: start-up options', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await newDataDir();
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const refusals: Array<{ name: string; options: Record<string, unknown>; code: string }> = [
    { name: 'mediaSpeed 0', options: { mediaSpeed: 0 }, code: 'emulator/invalid-option' },
    { name: 'a negative notification delay', options: { notificationDelayMs: -5 }, code: 'emulator/invalid-option' },
    { name: 'an answer window that is not a number', options: { answerWindowMs: Number.NaN }, code: 'emulator/invalid-option' },
    { name: 'an app webhook on plain http elsewhere', options: { apps: [{ clientId: 'a', displayName: 'A', roles: [], callingWebhookUrl: 'http://bot.contoso.com/api/calling' }] }, code: 'emulator/invalid-app' },
  ];
  for (const row of refusals) {
    it(`refuses ${row.name}`, async () => {
      await assert.rejects(startEmulator({ dataDir, port: 0, ...row.options }), { code: row.code });
    });
  }
});
