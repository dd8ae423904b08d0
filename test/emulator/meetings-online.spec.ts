// onlineMeetings conformance: create, get, lookups by join link (however encoded) and join meeting id, createOrGet,
// update, delete — status codes and bodies as the Graph reference prints them — and the application access policy.

import { strict as assert } from 'node:assert';
import { AMARA, CALLS_APP, INITIATE_ONLY_APP, MATEO, startCallsHarness, type CallsHarness } from './calls-harness.js';

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

describe('emulator meetings: onlineMeetings', function () {
  let h: CallsHarness;
  before(async () => {
    h = await startCallsHarness();
  });
  after(async () => {
    await h.close();
  });

  const create = (body: Record<string, unknown>, user = MATEO.id) => h.graph('POST', `/users/${user}/onlineMeetings`, body);

  it('POST /users/{id}/onlineMeetings: 201 with the documented onlineMeeting (long join link, join meeting id, chatInfo, organizer)', async () => {
    const reply = await create({
      startDateTime: '2030-07-12T14:30:34.2444915-07:00',
      endDateTime: '2030-07-12T15:00:34.2464912-07:00',
      subject: 'Quarterly review',
      participants: { attendees: [{ identity: { user: { id: AMARA.id } }, upn: AMARA.upn }] },
    });
    assert.equal(reply.status, 201);
    assert.match(reply.headers['content-type'] ?? '', /^application\/json/);
    const m = reply.json;
    assert.equal(m['@odata.context'], `${h.emulator.graphUrl}/$metadata#users('${MATEO.id}')/onlineMeetings/$entity`);
    assert.equal(typeof m.id, 'string');
    assert.equal(m.subject, 'Quarterly review');
    assert.equal(m.startDateTime, '2030-07-12T21:30:34.244Z');
    assert.equal(m.endDateTime, '2030-07-12T22:00:34.246Z');
    assert.ok(!Number.isNaN(Date.parse(m.creationDateTime)));
    assert.match(m.chatInfo.threadId, /^19:meeting_[A-Za-z0-9]+@thread\.v2$/);
    assert.deepEqual({ messageId: m.chatInfo.messageId, replyChainMessageId: m.chatInfo.replyChainMessageId }, { messageId: '0', replyChainMessageId: null });
    const thread = m.chatInfo.threadId.replace(':', '%3a').replace('@', '%40');
    assert.equal(m.joinWebUrl, `https://teams.microsoft.com/l/meetup-join/${thread}/0?context=%7b%22Tid%22%3a%22${h.emulator.tenantId}%22%2c%22Oid%22%3a%22${MATEO.id}%22%7d`);
    assert.match(m.joinMeetingIdSettings.joinMeetingId, /^\d{10,}$/);
    assert.deepEqual({ isPasscodeRequired: m.joinMeetingIdSettings.isPasscodeRequired, passcode: m.joinMeetingIdSettings.passcode }, { isPasscodeRequired: false, passcode: null });
    assert.equal(m.participants.organizer.identity.user.id, MATEO.id);
    assert.equal(m.participants.organizer.identity.user.tenantId, h.emulator.tenantId);
    assert.equal(m.participants.organizer.upn, MATEO.upn);
    assert.equal(m.participants.attendees[0].identity.user.id, AMARA.id);
    assert.equal(m.participants.attendees[0].upn, AMARA.upn);
    assert.equal(typeof m.audioConferencing.conferenceId, 'string');
    assert.match(m.audioConferencing.dialinUrl, /^https:\/\/dialin\.teams\.microsoft\.com\//);
    assert.deepEqual(m.lobbyBypassSettings, { scope: 'organization', isDialInBypassEnabled: false });
    assert.equal(m.allowedPresenters, 'everyone');
    assert.equal(m.allowMeetingChat, 'enabled');
    assert.equal(m.isBroadcast, false);
    assert.equal(m.joinInformation.contentType, 'html');
  });

  it('defaults start to now and end to start + 1 h; isPasscodeRequired gives a passcode', async () => {
    const before = Date.now();
    const reply = await create({ subject: 'Now', joinMeetingIdSettings: { isPasscodeRequired: true } });
    assert.equal(reply.status, 201);
    const start = Date.parse(reply.json.startDateTime);
    assert.ok(start >= before - 1000 && start <= Date.now() + 1000);
    assert.equal(Date.parse(reply.json.endDateTime) - start, 3_600_000);
    assert.equal(reply.json.joinMeetingIdSettings.isPasscodeRequired, true);
    assert.match(reply.json.joinMeetingIdSettings.passcode, /^[A-Za-z0-9]{6}$/);
  });

  it('GET by id: 200 the meeting; an unknown id or someone else\'s meeting: 404', async () => {
    const created = (await create({ subject: 'Get me' })).json;
    const got = await h.graph('GET', `/users/${MATEO.id}/onlineMeetings/${created.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.json.id, created.id);
    assert.equal(got.json.joinWebUrl, created.joinWebUrl);
    assert.equal((await h.graph('GET', `/users/${MATEO.id}/onlineMeetings/MSpub25lKjAqKjE5Om1lZXRpbmdfbm9uZUB0aHJlYWQudjI`)).status, 404);
    const other = await h.graph('GET', `/users/${AMARA.id}/onlineMeetings/${created.id}`);
    assert.equal(other.status, 404);
    assert.equal(other.json.error.code, 'NotFound');
  });

  it('GET ?$filter=JoinWebUrl eq \'…\': a collection of one, with the link URL-encoded as documented or not', async () => {
    const created = (await create({ subject: 'By link' })).json;
    const documented = `JoinWebUrl eq '${encodeURIComponent(created.joinWebUrl)}'`;
    const byEncoded = await h.graph('GET', `/users/${MATEO.id}/onlineMeetings?$filter=${encodeURIComponent(documented)}`);
    assert.equal(byEncoded.status, 200);
    assert.equal(byEncoded.json['@odata.context'], `${h.emulator.graphUrl}/$metadata#users('${MATEO.id}')/onlineMeetings`);
    assert.equal(byEncoded.json.value.length, 1);
    assert.equal(byEncoded.json.value[0].id, created.id);
    const plain = await h.graph('GET', `/users/${MATEO.id}/onlineMeetings?$filter=${encodeURIComponent(`joinWebUrl eq '${created.joinWebUrl}'`)}`);
    assert.equal(plain.json.value[0].id, created.id);
    const unknown = await h.graph('GET', `/users/${MATEO.id}/onlineMeetings?$filter=${encodeURIComponent("JoinWebUrl eq 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_nope%40thread.v2/0'")}`);
    assert.deepEqual(unknown.json.value, []);
  });

  it('GET ?$filter=joinMeetingIdSettings/joinMeetingId eq \'…\': a collection of one; no $filter: 400', async () => {
    const created = (await create({ subject: 'By id' })).json;
    const reply = await h.graph('GET', `/users/${MATEO.id}/onlineMeetings?$filter=${encodeURIComponent(`joinMeetingIdSettings/joinMeetingId eq '${created.joinMeetingIdSettings.joinMeetingId}'`)}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.json.value[0].id, created.id);
    const list = await h.graph('GET', `/users/${MATEO.id}/onlineMeetings`);
    assert.equal(list.status, 400);
    assert.equal(list.json.error.code, 'BadRequest');
  });

  it('createOrGet: 201 the first time, 200 with the same meeting after; start/end rules', async () => {
    const externalId = `ext-${Date.now()}`;
    const first = await h.graph('POST', `/users/${MATEO.id}/onlineMeetings/createOrGet`, { externalId, subject: 'Standup' });
    assert.equal(first.status, 201);
    assert.equal(first.json.externalId, externalId);
    assert.equal(Date.parse(first.json.endDateTime) - Date.parse(first.json.startDateTime), 3_600_000);
    const again = await h.graph('POST', `/users/${MATEO.id}/onlineMeetings/createOrGet`, { externalId, subject: 'Different' });
    assert.equal(again.status, 200);
    assert.equal(again.json.id, first.json.id);
    assert.equal(again.json.subject, 'Standup');
    const startOnly = await h.graph('POST', `/users/${MATEO.id}/onlineMeetings/createOrGet`, { externalId: `${externalId}-b`, startDateTime: '2031-01-01T10:00:00Z' });
    assert.equal(startOnly.json.endDateTime, '2031-01-01T11:00:00.000Z');
    const cases: Array<[string, Record<string, unknown>]> = [
      ['end without start', { externalId: `${externalId}-c`, endDateTime: '2031-01-01T10:00:00Z' }],
      ['end before start', { externalId: `${externalId}-d`, startDateTime: '2031-01-01T10:00:00Z', endDateTime: '2031-01-01T09:00:00Z' }],
      ['no externalId', { subject: 'x' }],
    ];
    for (const [name, body] of cases) {
      const reply = await h.graph('POST', `/users/${MATEO.id}/onlineMeetings/createOrGet`, body);
      assert.equal(reply.status, 400, name);
      assert.equal(reply.json.error.code, 'BadRequest', name);
    }
  });

  it('PATCH: 200 with the updated meeting; start without end, the organizer, or an unknown property: 400', async () => {
    const created = (await create({ subject: 'Before' })).json;
    const patched = await h.graph('PATCH', `/users/${MATEO.id}/onlineMeetings/${created.id}`, {
      subject: 'After', startDateTime: '2032-02-02T10:00:00Z', endDateTime: '2032-02-02T10:30:00Z', lobbyBypassSettings: { isDialInBypassEnabled: true },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.json.subject, 'After');
    assert.equal(patched.json.endDateTime, '2032-02-02T10:30:00.000Z');
    assert.deepEqual(patched.json.lobbyBypassSettings, { scope: 'organization', isDialInBypassEnabled: true });
    assert.equal((await h.graph('GET', `/users/${MATEO.id}/onlineMeetings/${created.id}`)).json.subject, 'After');
    for (const body of [{ startDateTime: '2032-02-02T10:00:00Z' }, { participants: { organizer: { identity: { user: { id: AMARA.id } } } } }, { joinWebUrl: 'x' }]) {
      const reply = await h.graph('PATCH', `/users/${MATEO.id}/onlineMeetings/${created.id}`, body);
      assert.equal(reply.status, 400, JSON.stringify(body));
    }
  });

  it('DELETE: 204, then GET is 404', async () => {
    const created = (await create({ subject: 'Gone' })).json;
    const reply = await h.graph('DELETE', `/users/${MATEO.id}/onlineMeetings/${created.id}`);
    assert.equal(reply.status, 204);
    assert.equal(reply.text, '');
    assert.equal((await h.graph('GET', `/users/${MATEO.id}/onlineMeetings/${created.id}`)).status, 404);
  });

  it('application access policy: without one covering the user, 403 Forbidden "No application access policy found for this app"', async () => {
    try {
      assert.deepEqual((await h.control('GET', '/access-policy')).json, { global: true, userIds: [] });
      await h.control('PUT', '/access-policy', { global: false });
      const denied = await create({ subject: 'No policy' });
      assert.equal(denied.status, 403);
      assert.equal(denied.json.error.code, 'Forbidden');
      assert.match(denied.json.error.message, /^No application access policy found for this app/);
      assert.ok(denied.json.error.message.includes(CALLS_APP.clientId));
      assert.equal(typeof denied.json.error.innerError['request-id'], 'string');
      await h.control('PUT', '/access-policy', { userIds: [MATEO.upn] });
      assert.equal((await create({ subject: 'Granted' })).status, 201);
      assert.equal((await create({ subject: 'Not granted' }, AMARA.id)).status, 403);
    } finally {
      await h.control('PUT', '/access-policy', { global: true });
    }
  });

  it('permissions: an app without OnlineMeetings roles gets 403 Authorization_RequestDenied', async () => {
    const token = await h.appToken(INITIATE_ONLY_APP.clientId, INITIATE_ONLY_APP.clientSecret);
    const reply = await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'x' }, token);
    assert.equal(reply.status, 403);
    assert.equal(reply.json.error.code, 'Authorization_RequestDenied');
  });

  it('delegated: /me/onlineMeetings with a user token; /me with an app token is 400', async () => {
    const token = await h.userToken(AMARA.id, { audience: GRAPH_AUDIENCE, scopes: ['OnlineMeetings.ReadWrite'] });
    const reply = await h.graph('POST', '/me/onlineMeetings', { subject: 'Mine' }, token);
    assert.equal(reply.status, 201);
    assert.equal(reply.json.participants.organizer.identity.user.id, AMARA.id);
    assert.equal((await h.graph('GET', `/me/onlineMeetings/${reply.json.id}`, undefined, token)).status, 200);
    const appOnMe = await h.graph('POST', '/me/onlineMeetings', { subject: 'x' });
    assert.equal(appOnMe.status, 400);
    const othersMeetings = await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'x' }, token);
    assert.equal(othersMeetings.status, 403);
  });
});
