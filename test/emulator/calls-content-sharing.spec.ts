// Content sharing against application-post-calls.md Example 1 (the "content sharing started / updated / ended"
// notifications), resources/contentsharingsession.md, call-list-contentsharingsessions.md and contentsharingsession-get.md:
// callOptions.isContentSharingNotificationEnabled on create or answer is honoured (and only then are notifications
// sent); the notification's resourceUrl is `…/contentsharingsessions` and its resourceData an array of
// `{ @odata.type, id }`; the sessions can be listed and read while they last.

import assert from 'node:assert/strict';
import { AMARA, JONAS, MATEO, PRIYA, SERVICE_MEDIA, startCallsHarness, type CallsHarness, type ReceivedNotification } from './calls-harness.js';

const SESSION_ID = /^[0-9A-F]{64}$/;

describe('emulator calling: content sharing sessions', () => {
  let h: CallsHarness;
  before(async () => {
    h = await startCallsHarness({ rosterBatchMs: 5 });
  });
  after(async () => {
    await h.close();
  });

  const sharing = (callId: string): ReceivedNotification[] => h.receiver.about(callId, (n) => /\/contentsharingsessions$/.test(String(n.item.resourceUrl)));
  const waitSharing = async (callId: string, count: number) => {
    await h.receiver.waitFor(() => sharing(callId).length >= count, `${count} content sharing notification(s) on ${callId}`);
    return sharing(callId);
  };

  /** A person dials the app, which answers with the given callOptions (incomingCallOptions). */
  const answered = async (person: { id: string }, callOptions?: Record<string, unknown>): Promise<string> => {
    const dial = await h.control('POST', `/people/${person.id}/dial`, {});
    assert.equal(dial.status, 201, dial.text);
    const callId = dial.json.callId as string;
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'created'), 'incoming call');
    const answer = await h.graph('POST', `/communications/calls/${callId}/answer`, {
      callbackUri: h.callbackUri, acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, ...(callOptions ? { callOptions } : {}),
    });
    assert.equal(answer.status, 202, answer.text);
    await h.waitForCall(callId, (c) => c.state === 'established', 'established');
    return callId;
  };
  const share = (callId: string, person: { id: string }, on: boolean) => h.control('POST', `/calls/${callId}/people/${person.id}/share`, { sharing: on });

  it('P2P, answered with isContentSharingNotificationEnabled: created, listed, read, then deleted — in the documented shape', async () => {
    const callId = await answered(AMARA, { '@odata.type': '#microsoft.graph.incomingCallOptions', isContentSharingNotificationEnabled: true });
    assert.equal((await share(callId, AMARA, true)).status, 200);
    const [created] = await waitSharing(callId, 1);
    assert.equal(created!.item['@odata.type'], '#microsoft.graph.commsNotification');
    assert.equal(created!.item.changeType, 'created');
    assert.equal(created!.item.resourceUrl, `/communications/calls/${callId}/contentsharingsessions`);
    assert.ok(Array.isArray(created!.item.resourceData));
    assert.equal(created!.item.resourceData.length, 1);
    const session = created!.item.resourceData[0];
    assert.deepEqual(Object.keys(session).sort(), ['@odata.type', 'id']);
    assert.equal(session['@odata.type'], '#microsoft.graph.contentSharingSession');
    assert.match(session.id, SESSION_ID);
    assert.equal(created!.tokenError, undefined);

    const list = await h.graph('GET', `/communications/calls/${callId}/contentSharingSessions`);
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json['@odata.context'], `${h.emulator.graphUrl}/$metadata#communications/calls('${callId}')/contentSharingSessions`);
    assert.deepEqual(list.json.value, [{ '@odata.type': '#microsoft.graph.contentSharingSession', id: session.id }]);
    const one = await h.graph('GET', `/communications/calls/${callId}/contentSharingSessions/${session.id}`);
    assert.equal(one.status, 200, one.text);
    assert.equal(one.json.id, session.id);
    assert.equal(one.json['@odata.type'], '#microsoft.graph.contentSharingSession');
    assert.equal((await h.view(callId)).contentSharingSession.id, session.id);

    assert.equal((await share(callId, AMARA, false)).status, 200);
    const [, deleted] = await waitSharing(callId, 2);
    assert.equal(deleted!.item.changeType, 'deleted');
    assert.equal(deleted!.item.resourceUrl, `/communications/calls/${callId}/contentsharingsessions`);
    assert.deepEqual(deleted!.item.resourceData, [{ '@odata.type': '#microsoft.graph.contentSharingSession', id: session.id }]);
    assert.deepEqual((await h.graph('GET', `/communications/calls/${callId}/contentSharingSessions`)).json.value, []);
    const gone = await h.graph('GET', `/communications/calls/${callId}/contentSharingSessions/${session.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.error.code, 'itemNotFound');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('without isContentSharingNotificationEnabled: no notifications, though the session can still be listed', async () => {
    const callId = await answered(JONAS);
    assert.equal((await share(callId, JONAS, true)).status, 200);
    const list = await h.graph('GET', `/communications/calls/${callId}/contentsharingsessions`);
    assert.equal(list.status, 200);
    assert.equal(list.json.value.length, 1);
    assert.equal((await share(callId, JONAS, false)).status, 200);
    // The hang-up's `deleted` comes after anything the sharing would have sent (one ordered queue per call).
    await h.graph('DELETE', `/communications/calls/${callId}`);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'deleted' && n.item.resourceData?.state === 'terminated'), 'call ended');
    assert.deepEqual(sharing(callId), []);
  });

  it('a meeting: the bot joins with outgoingCallOptions; a presenter taking over is `updated`, the presenter leaving `deleted`', async () => {
    const meeting = (await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'Design review' })).json;
    const threadId = meeting.chatInfo.threadId as string;
    const joinBody = {
      '@odata.type': '#microsoft.graph.call',
      callbackUri: h.callbackUri,
      requestedModalities: ['audio'],
      mediaConfig: SERVICE_MEDIA,
      callOptions: { '@odata.type': '#microsoft.graph.outgoingCallOptions', isContentSharingNotificationEnabled: true },
      chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId, messageId: '0' },
      meetingInfo: {
        '@odata.type': '#microsoft.graph.organizerMeetingInfo',
        organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: MATEO.id, tenantId: h.emulator.tenantId } },
        allowConversationWithoutHost: true,
      },
      tenantId: h.emulator.tenantId,
    };
    const created = await h.graph('POST', '/communications/calls', joinBody);
    assert.equal(created.status, 201, created.text);
    const callId = created.json.id as string;
    await h.waitForCall(callId, (c) => c.state === 'established', 'joined');
    const m = encodeURIComponent(meeting.id);
    for (const p of [PRIYA, AMARA]) assert.equal((await h.control('POST', `/meetings/${m}/people`, { person: p.id })).status, 201);

    assert.equal((await h.control('POST', `/meetings/${m}/people/${PRIYA.id}/share`, { sharing: true })).status, 200);
    const [started] = await waitSharing(callId, 1);
    assert.equal(started!.item.changeType, 'created');
    const id = started!.item.resourceData[0].id;
    assert.match(id, SESSION_ID);

    assert.equal((await h.control('POST', `/meetings/${m}/people/${AMARA.id}/share`, { sharing: true })).status, 200);
    const [, updated] = await waitSharing(callId, 2);
    assert.equal(updated!.item.changeType, 'updated');
    assert.deepEqual(updated!.item.resourceData, [{ '@odata.type': '#microsoft.graph.contentSharingSession', id }]);
    const view = (await h.control('GET', `/meetings/${m}`)).json;
    assert.deepEqual(view.people.filter((p: any) => p.sharing).map((p: any) => p.personId), [AMARA.id]);

    // A second bot leg established while Amara shares is told `created` for the running session.
    const second = await h.graph('POST', '/communications/calls', joinBody);
    assert.equal(second.status, 201, second.text);
    const [late] = await waitSharing(second.json.id, 1);
    assert.equal(late!.item.changeType, 'created');
    assert.equal(late!.item.resourceData[0].id, id);

    assert.equal((await h.control('DELETE', `/meetings/${m}/people/${AMARA.id}`)).status, 200);
    const [, , ended] = await waitSharing(callId, 3);
    assert.equal(ended!.item.changeType, 'deleted');
    assert.equal(ended!.item.resourceData[0].id, id);
    assert.deepEqual((await h.graph('GET', `/communications/calls/${callId}/contentSharingSessions`)).json.value, []);
    await h.graph('DELETE', `/communications/calls/${callId}`);
    await h.graph('DELETE', `/communications/calls/${second.json.id}`);
  });

  it('control API errors: sharing in a call the person is not in is 409, a body without `sharing` is 400', async () => {
    const callId = await answered(PRIYA);
    assert.equal((await share(callId, MATEO, true)).status, 409);
    assert.equal((await h.control('POST', `/calls/${callId}/people/${PRIYA.id}/share`, { on: true })).status, 400);
    assert.deepEqual((await h.graph('GET', `/communications/calls/${callId}/contentSharingSessions`)).json.value, []);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });
});
