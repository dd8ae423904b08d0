// Teams activities and the local Bot Connector: meeting start/end and participant join/leave events in Teams' shapes
// (batched joins), chat messages from emulated people (personal, and @mentioning the bot in a meeting chat), and the
// connector recording the bot's sends, replies, updates and deletes, proactive conversations, members and meeting info.

import { strict as assert } from 'node:assert';
import { AMARA, CALLS_APP, INITIATE_ONLY_APP, JONAS, MATEO, startCallsHarness, type CallsHarness } from './calls-harness.js';
import { NO_ROLES_APP } from './emulator-harness.js';
import { startAppStandIn, type AppStandIn, type Received } from './app-stand-in.js';

describe('emulator Teams activities and the local Bot Connector', function () {
  let h: CallsHarness;
  let app: AppStandIn;
  before(async () => {
    h = await startCallsHarness({ rosterBatchMs: 20 });
    app = await startAppStandIn();
    const set = await h.control('PUT', `/apps/${CALLS_APP.clientId}/messaging-endpoint`, { url: `${app.url}/api/messages` });
    assert.equal(set.status, 200);
    assert.equal(set.json.serviceUrl, h.emulator.connectorUrl);
  });
  after(async () => {
    await h.close();
    await app.close();
  });

  const activities = (filter: (a: any) => boolean = () => true): any[] => app.on('/api/messages').map((r: Received) => r.body).filter(filter);
  const forThread = (threadId: string) => activities((a) => a.conversation?.id === threadId);
  const newMeeting = async (subject: string) => (await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, {
    subject, participants: { attendees: [{ identity: { user: { id: JONAS.id } }, upn: JONAS.upn, role: 'presenter' }] },
  })).json;
  const connector = (method: string, path: string, json?: unknown) => h.call(method, `/connector${path}`, json !== undefined ? { json } : {});

  it('the messaging endpoint must be https or http on 127.0.0.1, for a known app', async () => {
    assert.equal((await h.control('PUT', `/apps/${CALLS_APP.clientId}/messaging-endpoint`, { url: 'http://example.com/api/messages' })).json.error.code, 'emulator/invalid-messaging-endpoint');
    assert.equal((await h.control('PUT', '/apps/00000000-0000-4000-8000-000000000000/messaging-endpoint', { url: `${app.url}/api/messages` })).status, 404);
    assert.equal(h.emulator.connectorUrl, `${h.emulator.url}/connector/`);
  });

  it('meeting events: meetingStart, participant join (Organizer / Presenter roles), leave, meetingEnd — in order, in Teams\' shapes', async () => {
    const meeting = await newMeeting('Weekly planning');
    const id = encodeURIComponent(meeting.id);
    const thread = meeting.chatInfo.threadId;
    await h.control('POST', `/meetings/${id}/people`, { person: MATEO.id });
    await app.waitFor(() => forThread(thread).length >= 2, 'start and a join');
    await h.control('POST', `/meetings/${id}/people`, { person: JONAS.id });
    await app.waitFor(() => forThread(thread).length >= 3, 'the second join');
    await h.control('DELETE', `/meetings/${id}/people/${JONAS.id}`);
    await h.control('DELETE', `/meetings/${id}/people/${MATEO.id}`);
    await app.waitFor(() => forThread(thread).some((a) => a.name === 'application/vnd.microsoft.meetingEnd'), 'meetingEnd');

    const events = forThread(thread);
    assert.deepEqual(events.map((a) => a.name.replace('application/vnd.microsoft.', '')), ['meetingStart', 'meetingParticipantJoin', 'meetingParticipantJoin', 'meetingParticipantLeave', 'meetingEnd']);
    const [start, join, presenter, leave, end] = events;
    for (const a of events) {
      assert.equal(a.type, 'event');
      assert.equal(a.channelId, 'msteams');
      assert.equal(a.serviceUrl, h.emulator.connectorUrl);
      assert.deepEqual(a.conversation, { isGroup: true, conversationType: 'groupChat', tenantId: h.emulator.tenantId, id: thread });
      assert.deepEqual(a.channelData.tenant, { id: h.emulator.tenantId });
      assert.equal(Buffer.from(a.channelData.meeting.id, 'base64').toString(), `0#${thread}#0`);
      assert.equal(a.recipient.id, `28:${CALLS_APP.clientId}`);
      assert.equal(typeof a.id, 'string');
    }
    assert.deepEqual(Object.keys(start.value).sort(), ['Id', 'JoinUrl', 'MeetingType', 'StartTime', 'Title']);
    assert.deepEqual({ Id: start.value.Id, JoinUrl: start.value.JoinUrl, MeetingType: start.value.MeetingType, Title: start.value.Title }, { Id: thread, JoinUrl: meeting.joinWebUrl, MeetingType: 'Scheduled', Title: 'Weekly planning' });
    assert.ok(!Number.isNaN(Date.parse(start.value.StartTime)));
    assert.equal(typeof end.value.EndTime, 'string');
    assert.equal(join.value.members.length, 1);
    const member = join.value.members[0];
    assert.equal(member.user.aadObjectId, MATEO.id);
    assert.match(member.user.id, /^29:/);
    assert.equal(member.user.name, MATEO.name);
    assert.equal(member.user.tenantId, h.emulator.tenantId);
    assert.equal(member.user.userRole, 'user');
    assert.deepEqual(member.meeting, { inMeeting: true, role: 'Organizer' });
    assert.deepEqual(presenter.value.members[0].meeting, { inMeeting: true, role: 'Presenter' });
    assert.deepEqual(leave.value.members[0].meeting, { inMeeting: false, role: 'Presenter' });
    const posts = app.on('/api/messages').filter((r) => r.body.conversation?.id === thread);
    assert.ok(posts.every((r) => r.headers.authorization === undefined), 'the local-mode endpoint is anonymous');
    assert.ok(posts.every((r) => /^application\/json/.test(String(r.headers['content-type']))));
  });

  it('participant joins within the batch window travel in one activity\'s members[]', async () => {
    const meeting = await newMeeting('Crowd');
    const thread = meeting.chatInfo.threadId;
    await h.control('POST', `/meetings/${encodeURIComponent(meeting.id)}/script`, { count: 20, overSeconds: 0, seed: 'crowd' });
    await app.waitFor(() => forThread(thread).filter((a) => a.name.endsWith('ParticipantJoin')).reduce((n, a) => n + a.value.members.length, 0) === 20, '20 joins');
    const joins = forThread(thread).filter((a) => a.name.endsWith('ParticipantJoin'));
    assert.ok(joins.length < 20, `${joins.length} activities for 20 joins`);
    assert.equal(forThread(thread)[0].name, 'application/vnd.microsoft.meetingStart');
  });

  it('chat: a person\'s message to the bot in their personal chat, and in a meeting chat with an @mention of the bot', async () => {
    const personal = await h.control('POST', '/chat/personal/messages', { person: AMARA.upn, text: 'help' });
    assert.equal(personal.status, 202);
    const personalId = personal.json.conversationId;
    assert.match(personalId, /^a:/);
    await app.waitFor(() => activities((a) => a.type === 'message' && a.conversation.id === personalId).length === 1, 'the personal message');
    const dm = activities((a) => a.type === 'message' && a.conversation.id === personalId)[0];
    assert.equal(dm.text, 'help');
    assert.deepEqual(dm.conversation, { conversationType: 'personal', tenantId: h.emulator.tenantId, id: personalId });
    assert.equal(dm.from.aadObjectId, AMARA.id);
    assert.equal(dm.from.name, AMARA.name);
    assert.equal(dm.serviceUrl, h.emulator.connectorUrl);
    assert.equal(dm.entities.filter((e: any) => e.type === 'mention').length, 0);

    const meeting = await newMeeting('Chatty');
    const thread = meeting.chatInfo.threadId;
    const group = await h.control('POST', `/chat/${encodeURIComponent(meeting.id)}/messages`, { person: JONAS.id, text: 'join the meeting' });
    assert.equal(group.status, 202);
    await app.waitFor(() => activities((a) => a.type === 'message' && a.conversation.id === thread).length === 1, 'the meeting chat message');
    const gm = activities((a) => a.type === 'message' && a.conversation.id === thread)[0];
    const mention = `<at>${CALLS_APP.displayName}</at>`;
    assert.equal(gm.text, `${mention} join the meeting`);
    assert.deepEqual(gm.entities.find((e: any) => e.type === 'mention'), { type: 'mention', mentioned: { id: `28:${CALLS_APP.clientId}`, name: CALLS_APP.displayName }, text: mention });
    assert.equal(gm.conversation.conversationType, 'groupChat');
    assert.equal(Buffer.from(gm.channelData.meeting.id, 'base64').toString(), `0#${thread}#0`);
    assert.equal((await h.control('POST', '/chat/personal/messages', { person: 'nobody', text: 'x' })).status, 404);
    assert.equal((await h.control('POST', '/chat/personal/messages', { person: AMARA.id, text: 'x', appId: NO_ROLES_APP.clientId })).json.error.code, 'emulator/no-messaging-endpoint');
  });

  it('setMessagingEndpoint(url, clientId) on the running emulator registers another app', async () => {
    h.emulator.setMessagingEndpoint(`${app.url}/other/api/messages`, INITIATE_ONLY_APP.clientId);
    await h.control('POST', '/chat/personal/messages', { person: AMARA.id, text: 'hello other', appId: INITIATE_ONLY_APP.clientId });
    await app.waitFor(() => app.on('/other/api/messages').length === 1, 'the other app\'s message');
    assert.equal(app.on('/other/api/messages')[0]!.body.recipient.id, `28:${INITIATE_ONLY_APP.clientId}`);
  });

  it('the connector records what the bot sends: reply, update in place, send, delete — and rejects unknown ones', async () => {
    await h.control('POST', '/chat/personal/messages', { person: AMARA.id, text: 'status' });
    await app.waitFor(() => activities((a) => a.text === 'status').length === 1, 'the message');
    const incoming = activities((a) => a.text === 'status')[0];
    const conv = encodeURIComponent(incoming.conversation.id);
    const bot = { id: `28:${CALLS_APP.clientId}`, name: CALLS_APP.displayName };

    const reply = await connector('POST', `/v3/conversations/${conv}/activities/${incoming.id}`, { type: 'message', text: 'All quiet.', from: bot, replyToId: incoming.id });
    assert.equal(reply.status, 200);
    const replyId = reply.json.id;
    assert.equal(typeof replyId, 'string');
    const updated = await connector('PUT', `/v3/conversations/${conv}/activities/${replyId}`, { type: 'message', text: 'All quiet (updated).', from: bot, id: replyId });
    assert.equal(updated.status, 200);
    assert.equal(updated.json.id, replyId);
    const sent = await connector('POST', `/v3/conversations/${conv}/activities`, { type: 'message', text: 'Another thing', from: bot });
    assert.equal(sent.status, 200);
    assert.equal((await connector('DELETE', `/v3/conversations/${conv}/activities/${sent.json.id}`)).status, 200);

    const recorded = (await h.control('GET', `/connector/activities?conversationId=${conv}&direction=from-bot`)).json.value;
    assert.deepEqual(recorded.map((a: any) => [a.operation, a.activityId, a.text ?? null]), [
      ['reply', replyId, 'All quiet.'],
      ['update', replyId, 'All quiet (updated).'],
      ['send', sent.json.id, 'Another thing'],
      ['delete', sent.json.id, null],
    ]);
    assert.equal(recorded[0].replyToId, incoming.id);
    assert.equal(recorded[0].appId, CALLS_APP.clientId);
    const since = (await h.control('GET', `/connector/activities?conversationId=${conv}&since=${recorded[1].seq}`)).json.value;
    assert.deepEqual(since.map((a: any) => a.operation), ['send', 'delete']);

    assert.equal((await connector('PUT', `/v3/conversations/${conv}/activities/999`, { type: 'message', text: 'x' })).json.error.code, 'ActivityNotFound');
    const unknown = await connector('POST', '/v3/conversations/a%3Anope/activities', { type: 'message', text: 'x' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'ConversationNotFound');
  });

  it('proactive: POST /v3/conversations creates a personal chat (201 { id }); the bot can then send to it', async () => {
    await h.control('POST', '/chat/personal/messages', { person: JONAS.id, text: 'hi' });
    await app.waitFor(() => activities((a) => a.text === 'hi' && a.from.aadObjectId === JONAS.id).length === 1, 'Jonas says hi');
    const jonas29 = activities((a) => a.text === 'hi' && a.from.aadObjectId === JONAS.id)[0].from.id;
    const created = await connector('POST', '/v3/conversations', {
      bot: { id: `28:${CALLS_APP.clientId}` }, members: [{ id: jonas29 }], isGroup: false, tenantId: h.emulator.tenantId, channelData: { tenant: { id: h.emulator.tenantId } },
    });
    assert.equal(created.status, 201);
    assert.match(created.json.id, /^a:/);
    const sent = await connector('POST', `/v3/conversations/${encodeURIComponent(created.json.id)}/activities`, { type: 'message', text: 'Your reminder', from: { id: `28:${CALLS_APP.clientId}` } });
    assert.equal(sent.status, 200);
    const members = await connector('GET', `/v3/conversations/${encodeURIComponent(created.json.id)}/members`);
    assert.deepEqual(members.json.map((m: any) => m.aadObjectId), [JONAS.id]);
    assert.equal((await connector('POST', '/v3/conversations', { members: [{ id: '29:unknown' }] })).status, 400);
  });

  it('members and meeting lookups (TeamsInfo): meeting chat members, /v1/meetings/{id} and its participants', async () => {
    const meeting = await newMeeting('Lookup');
    const thread = meeting.chatInfo.threadId;
    await h.control('POST', `/meetings/${encodeURIComponent(meeting.id)}/people`, { person: AMARA.id });
    await app.waitFor(() => forThread(thread).some((a) => a.name.endsWith('meetingStart')), 'meetingStart');
    const teamsMeetingId = forThread(thread)[0].channelData.meeting.id;

    const members = await connector('GET', `/v3/conversations/${encodeURIComponent(thread)}/members`);
    assert.equal(members.status, 200);
    assert.deepEqual(members.json.map((m: any) => m.aadObjectId).sort(), [MATEO.id, JONAS.id, AMARA.id].sort());
    const amara = members.json.find((m: any) => m.aadObjectId === AMARA.id);
    assert.match(amara.id, /^29:/);
    assert.deepEqual({ name: amara.name, userPrincipalName: amara.userPrincipalName, tenantId: amara.tenantId }, { name: AMARA.name, userPrincipalName: AMARA.upn, tenantId: h.emulator.tenantId });
    assert.equal((await connector('GET', `/v3/conversations/${encodeURIComponent(thread)}/members/${encodeURIComponent(amara.id)}`)).json.aadObjectId, AMARA.id);

    const info = await connector('GET', `/v1/meetings/${encodeURIComponent(teamsMeetingId)}`);
    assert.equal(info.status, 200);
    assert.deepEqual({ id: info.json.details.id, msGraphResourceId: info.json.details.msGraphResourceId, title: info.json.details.title, joinUrl: info.json.details.joinUrl, type: info.json.details.type },
      { id: teamsMeetingId, msGraphResourceId: meeting.id, title: 'Lookup', joinUrl: meeting.joinWebUrl, type: 'Scheduled' });
    assert.equal(info.json.conversation.id, thread);
    assert.equal(info.json.organizer.aadObjectId, MATEO.id);
    const participant = await connector('GET', `/v1/meetings/${encodeURIComponent(teamsMeetingId)}/participants/${AMARA.id}?tenantId=${h.emulator.tenantId}`);
    assert.deepEqual(participant.json.meeting, { role: 'Attendee', inMeeting: true });
    const organizer = await connector('GET', `/v1/meetings/${encodeURIComponent(teamsMeetingId)}/participants/${MATEO.id}`);
    assert.deepEqual(organizer.json.meeting, { role: 'Organizer', inMeeting: false });
    assert.equal((await connector('GET', `/v1/meetings/${encodeURIComponent(teamsMeetingId)}/participants/${CALLS_APP.clientId}`)).status, 404);
    await h.control('DELETE', `/meetings/${encodeURIComponent(meeting.id)}/people/${AMARA.id}`);
  });
});
