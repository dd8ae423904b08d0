// How notifications travel: faults (duplicate, drop, delay, reorder), retries on 5xx and none on 4xx, the documented
// real-world variations (present by default, absent with variations: false), keep-alive expiry, the event stream.

import assert from 'node:assert/strict';
import { request } from 'undici';
import {
  AMARA, JONAS, PRIYA, SERVICE_MEDIA, answeredIncomingCall, answeredOutboundCall, summarise, startCallsHarness, userTarget,
  type CallsHarness,
} from './calls-harness.js';

describe('emulator calling: notification delivery', () => {
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness();
  });

  afterEach(async () => {
    await h.control('DELETE', '/notification-faults');
    h.receiver.script.length = 0;
  });

  after(async () => {
    await h.close();
  });

  async function incoming(): Promise<string> {
    const callId = (await h.control('POST', `/people/${AMARA.id}/dial`, {})).json.callId as string;
    await h.receiver.waitFor(() => h.receiver.about(callId).length === 1, 'created');
    return callId;
  }
  const answer = (callId: string) => h.graph('POST', `/communications/calls/${callId}/answer`, { callbackUri: h.callbackUri, acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('duplicate: the same notification (same message id) arrives twice', async () => {
    const callId = await incoming();
    const fault = await h.control('POST', '/notification-faults', { match: { callId }, action: 'duplicate' });
    assert.equal(fault.status, 201);
    await answer(callId);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.state === 'established'), 'established');
    const establishing = h.receiver.about(callId).filter((n) => n.item.resourceData.state === 'establishing');
    assert.equal(establishing.length, 2);
    assert.equal(establishing[0]!.headers['x-microsoft-skype-message-id'], establishing[1]!.headers['x-microsoft-skype-message-id']);
    assert.deepEqual((await h.control('GET', '/notification-faults')).json.value, [], 'the fault is used up');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('drop: the notification never arrives (establishing is skipped), the next ones do', async () => {
    const callId = await incoming();
    await h.control('POST', '/notification-faults', { match: { callId, resource: `/calls/${callId}` }, action: 'drop' });
    await answer(callId);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.state === 'established'), 'established');
    assert.deepEqual(h.receiver.about(callId).map(summarise), ['created call incoming', 'updated call established']);
    const view = await h.view(callId);
    assert.equal(view.notifications.find((n: any) => n.state === 'establishing').status, 'dropped');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('reorder: established arrives before establishing', async () => {
    const callId = await incoming();
    await h.control('POST', '/notification-faults', { match: { callId }, action: 'reorder' });
    await answer(callId);
    await h.receiver.waitFor(() => h.receiver.about(callId).length === 3, 'both state notifications');
    assert.deepEqual(h.receiver.about(callId).map(summarise), ['created call incoming', 'updated call established', 'updated call establishing']);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('delay: a late notification arrives after the ones behind it (terminating after terminated)', async () => {
    const callId = await incoming();
    await answer(callId);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.state === 'established'), 'established');
    await h.control('POST', '/notification-faults', { match: { callId }, action: 'delay', delayMs: 150 });
    await h.graph('DELETE', `/communications/calls/${callId}`);
    await h.receiver.waitFor(() => h.receiver.about(callId).length === 5, 'all five');
    assert.deepEqual(h.receiver.about(callId).slice(3).map(summarise), ['deleted call terminated', 'updated call terminating']);
  });

  it('retries a 5xx with backoff until the app takes it; gives up at once on a 4xx', async () => {
    const callId = await incoming();
    h.receiver.script.push(503, 500);
    await answer(callId);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.state === 'established'), 'established');
    const establishing = h.receiver.about(callId).filter((n) => n.item.resourceData.state === 'establishing');
    assert.equal(establishing.length, 3, 'two failures, then delivered');
    let view = await h.view(callId);
    assert.deepEqual(view.notifications.filter((n: any) => n.state === 'establishing').map((n: any) => [n.status, n.attempts]), [['delivered', 3]]);

    h.receiver.script.push(400);
    await h.graph('DELETE', `/communications/calls/${callId}`);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'deleted'), 'deleted');
    await settle();
    assert.equal(h.receiver.about(callId).filter((n) => n.item.resourceData.state === 'terminating').length, 1, 'a 4xx is not retried');
    view = await h.view(callId);
    assert.equal(view.notifications.find((n: any) => n.state === 'terminating').status, 'failed');
    const events = (await h.control('GET', `/events/recent?type=notification&callId=${callId}`)).json.value;
    assert.ok(events.some((e: any) => e.outcome === 'refused' && e.httpStatus === 400));
    assert.ok(events.some((e: any) => e.outcome === 'retrying' && e.httpStatus === 503));
  });

  it('variations (default on): Running invites, string end codes, subCode, legacy resource, changeType "Updated" on tones', async () => {
    const group = await answeredOutboundCall(h, [AMARA, JONAS]);
    const invite = await h.graph('POST', `/communications/calls/${group}/participants/invite`, { participants: [userTarget(PRIYA)] });
    assert.equal(invite.json.status, 'Running');
    await h.receiver.waitFor(() => h.receiver.about(group, (n) => n.item.resourceUrl.endsWith('/participants')).length > 0, 'roster');
    const roster = h.receiver.about(group, (n) => n.item.resourceUrl.endsWith('/participants'))[0]!;
    assert.equal(roster.item.resource, `/app/calls/${group}/participants`);
    await h.control('POST', `/calls/${group}/decline`, { person: PRIYA.id });
    await h.receiver.waitFor(() => h.receiver.about(group, (n) => n.item.resourceUrl.includes(invite.json.id)).length > 0, 'invite failed');
    const inviteDone = h.receiver.about(group, (n) => n.item.resourceUrl.includes(invite.json.id))[0]!;
    assert.equal(inviteDone.item.resource, `/app/calls/${group}/operations/${invite.json.id}`);
    assert.equal(inviteDone.item.resourceData.status, 'failed');
    await h.graph('DELETE', `/communications/calls/${group}`);

    const p2p = await answeredIncomingCall(h);
    await h.graph('POST', `/communications/calls/${p2p}/subscribeToTone`, {});
    await h.control('POST', `/calls/${p2p}/tones`, { tones: '5' });
    await h.control('PUT', `/people/${JONAS.id}/behavior`, { onCall: 'decline', answerDelayMs: 0 });
    await h.graph('POST', `/communications/calls/${p2p}/transfer`, { transferTarget: userTarget(JONAS) });
    await h.receiver.waitFor(() => h.receiver.about(p2p).some((n) => n.item.resourceData.resultInfo?.code === 500), 'transfer failed');
    await h.graph('DELETE', `/communications/calls/${p2p}`);
    await h.receiver.waitFor(() => h.receiver.about(p2p).some((n) => n.item.changeType === 'deleted'), 'deleted');
    const tone = h.receiver.about(p2p).find((n) => n.item.resourceData.toneInfo)!;
    assert.equal(tone.item.changeType, 'Updated');
    const failed = h.receiver.about(p2p).find((n) => n.item.resourceData.resultInfo?.code === 500)!;
    assert.equal(failed.item.resourceData.resultInfo.subCode, 7000);
    assert.equal(failed.item.resourceData.resultInfo.subcode, undefined);
    const ended = h.receiver.about(p2p).find((n) => n.item.changeType === 'deleted')!;
    assert.deepEqual([ended.item.resourceData.resultInfo.code, ended.item.resourceData.resultInfo.subcode], ['200', '5001']);
    await h.control('PUT', `/people/${JONAS.id}/behavior`, { onCall: 'manual' });
  });

  it('serves the calling events as server-sent events and as a recent list', async () => {
    const mark = (await h.control('GET', '/events/recent')).json.lastSeq as number;
    const res = await request(`${h.emulator.url}/emulator/events?since=${mark}`, { dispatcher: h.agent });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/event-stream/);
    const callId = (await h.control('POST', `/people/${AMARA.id}/dial`, {})).json.callId as string;
    let text = '';
    for await (const chunk of res.body) {
      text += chunk.toString();
      if (text.includes('event: notification') && text.includes(callId)) break;
    }
    res.body.destroy();
    assert.match(text, /event: call\.created\ndata: \{.*"callId":"[0-9a-f-]+"/);
    assert.match(text, /event: notification\n/);
    const recent = (await h.control('GET', `/events/recent?since=${mark}&callId=${callId}`)).json.value;
    assert.ok(recent.some((e: any) => e.type === 'person.dialled'));
    await h.graph('POST', `/communications/calls/${callId}/reject`, {});
  });

  it('streams only the asked types with ?type=a,b', async () => {
    const mark = (await h.control('GET', '/events/recent')).json.lastSeq as number;
    const res = await request(`${h.emulator.url}/emulator/events?since=${mark}&type=person.dialled,call.ended`, { dispatcher: h.agent });
    assert.equal(res.statusCode, 200);
    const callId = (await h.control('POST', `/people/${AMARA.id}/dial`, {})).json.callId as string;
    await h.receiver.waitFor(() => h.receiver.about(callId).length === 1, 'created');
    await h.graph('POST', `/communications/calls/${callId}/reject`, {});
    let text = '';
    for await (const chunk of res.body) {
      text += chunk.toString();
      if (text.includes('event: call.ended')) break;
    }
    res.body.destroy();
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual([...new Set(types)], ['person.dialled', 'call.ended']);
  });

  it('signs a bearer token for the app and reuses it for the next notifications (as an OAuth client does), valid an hour', async () => {
    const callId = await incoming();
    await answer(callId);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.state === 'established'), 'established');
    // A token made a second later would differ (its iat does).
    await new Promise((r) => setTimeout(r, 1_100));
    const later = await incoming();
    const tokens = new Set([...h.receiver.about(callId), ...h.receiver.about(later)].map((n) => n.headers.authorization));
    assert.equal(tokens.size, 1, 'one token for both calls\' notifications');
    const [, payload] = [...tokens][0]!.replace(/^Bearer /, '').split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { iat: number; exp: number };
    assert.equal(claims.exp - claims.iat, 3600);
    await h.graph('DELETE', `/communications/calls/${callId}`);
    await h.graph('POST', `/communications/calls/${later}/reject`, {});
  });
});

describe('emulator calling: without variations', () => {
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness({ variations: false });
  });

  after(async () => {
    await h.close();
  });

  it('prints canonical shapes: lower-case status, numeric codes, subcode, no legacy resource, changeType "updated"', async () => {
    const group = await answeredOutboundCall(h, [AMARA, JONAS]);
    const invite = await h.graph('POST', `/communications/calls/${group}/participants/invite`, { participants: [userTarget(PRIYA)] });
    assert.equal(invite.json.status, 'running');
    await h.receiver.waitFor(() => h.receiver.about(group, (n) => n.item.resourceUrl.endsWith('/participants')).length > 0, 'roster');
    assert.equal(h.receiver.about(group, (n) => n.item.resourceUrl.endsWith('/participants'))[0]!.item.resource, undefined);
    await h.graph('DELETE', `/communications/calls/${group}`);

    const p2p = await answeredIncomingCall(h);
    await h.graph('POST', `/communications/calls/${p2p}/subscribeToTone`, {});
    await h.control('POST', `/calls/${p2p}/tones`, { tones: '5' });
    await h.graph('DELETE', `/communications/calls/${p2p}`);
    await h.receiver.waitFor(() => h.receiver.about(p2p).some((n) => n.item.changeType === 'deleted'), 'deleted');
    assert.equal(h.receiver.about(p2p).find((n) => n.item.resourceData.toneInfo)!.item.changeType, 'updated');
    const ended = h.receiver.about(p2p).find((n) => n.item.changeType === 'deleted')!;
    assert.deepEqual([ended.item.resourceData.resultInfo.code, ended.item.resourceData.resultInfo.subcode], [200, 5001]);
  });

});

describe('emulator calling: keep-alive expiry', () => {
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness({ keepAliveTimeoutMs: 600 });
  });

  after(async () => {
    await h.close();
  });

  it('ends a call with no keepAlive for keepAliveTimeoutMs (408/8537); keepAlive then answers 404', async () => {
    const callId = await answeredIncomingCall(h);
    for (let i = 0; i < 8; i++) {
      assert.equal((await h.graph('POST', `/communications/calls/${callId}/keepAlive`)).status, 200);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await h.view(callId)).state, 'established', 'keepAlive kept the call alive past keepAliveTimeoutMs');
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'deleted'), 'keep-alive expiry', 5_000);
    const info = h.receiver.about(callId).find((n) => n.item.changeType === 'deleted')!.item.resourceData.resultInfo;
    assert.deepEqual([Number(info.code), Number(info.subcode)], [408, 8537]);
    assert.equal((await h.graph('POST', `/communications/calls/${callId}/keepAlive`)).status, 404);
  });
});
