// Calls the bot places: P2P answered, declined, unanswered, to nobody; transfer success and failure; group calls
// with invites (including replacesCallId moving a P2P call in), participant mute and removal; meetings people join.

import assert from 'node:assert/strict';
import {
  AMARA, JONAS, MATEO, PRIYA, SERVICE_MEDIA, answeredIncomingCall, answeredOutboundCall, summarise, joinedMeeting, startCallsHarness, userTarget,
  type CallsHarness,
} from './calls-harness.js';

describe('emulator calling: calls the bot places', () => {
  let h: CallsHarness;

  before(async () => {
    h = await startCallsHarness({ ringTimeoutMs: 400 });
  });

  afterEach(async () => {
    for (const p of [AMARA, JONAS, PRIYA, MATEO]) await h.control('PUT', `/people/${p.id}/behavior`, { onCall: 'manual' });
  });

  after(async () => {
    await h.close();
  });

  const create = (targets: unknown[]) => h.graph('POST', '/communications/calls', {
    '@odata.type': '#microsoft.graph.call',
    callbackUri: h.callbackUri,
    targets,
    requestedModalities: ['audio'],
    mediaConfig: SERVICE_MEDIA,
  });
  const deletedOf = (callId: string) => h.receiver.about(callId).find((n) => n.item.changeType === 'deleted' && !n.item.resourceUrl.includes('/operations/'));
  const waitDeleted = (callId: string) => h.receiver.waitFor(() => deletedOf(callId) !== undefined, `call ${callId} deleted`);
  const codes = (callId: string) => {
    const info = deletedOf(callId)!.item.resourceData.resultInfo;
    return [Number(info.code), Number(info.subcode)];
  };

  it('P2P answered: 201 establishing, the target rings, then establishing → established', async () => {
    const created = await create([userTarget(AMARA)]);
    assert.equal(created.status, 201);
    const callId = created.json.id;
    let view = await h.view(callId);
    assert.deepEqual(view.ringing.map((r: any) => [r.person, r.reason]), [[AMARA.id, 'call']]);
    assert.equal((await h.control('POST', `/calls/${callId}/answer`, { person: AMARA.upn })).status, 200);
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.state === 'established'), 'established');
    assert.deepEqual(h.receiver.about(callId).map(summarise), ['updated call establishing', 'updated call established']);
    const established = h.receiver.about(callId)[1]!;
    assert.equal(established.item.callbackUri, h.callbackUri);
    assert.equal(established.item.resourceData.direction, 'outgoing');
    view = await h.view(callId);
    assert.equal(view.state, 'established');
    assert.deepEqual(view.ringing, []);
    await h.graph('DELETE', `/communications/calls/${callId}`);
    await waitDeleted(callId);
    assert.deepEqual(h.receiver.about(callId).slice(-2).map(summarise), ['updated call terminating', 'deleted call terminated']);
    assert.deepEqual(codes(callId), [200, 5001]);
  });

  const failures: Array<{ name: string; behave?: string; decline?: 'decline' | 'busy'; target?: unknown; expected: [number, number] }> = [
    { name: 'declined by the callee (603, chosen)', decline: 'decline', expected: [603, 0] },
    { name: 'busy (486, chosen)', behave: 'busy', expected: [486, 0] },
    { name: 'unanswered until the ring timeout (480/10076)', behave: 'ignore', expected: [480, 10076] },
    { name: 'to a user the directory does not know (480/10037)', target: userTarget({ id: '99999999-0000-4000-8000-000000000000', name: 'Nobody' }), expected: [480, 10037] },
  ];
  for (const row of failures) {
    it(`P2P ${row.name}: establishing, then deleted terminated with the code`, async () => {
      if (row.behave) await h.control('PUT', `/people/${AMARA.id}/behavior`, { onCall: row.behave, answerDelayMs: 0 });
      const callId = (await create([row.target ?? userTarget(AMARA)])).json.id;
      if (row.decline) {
        await h.waitForCall(callId, (c) => c.ringing.length === 1, 'ringing');
        assert.equal((await h.control('POST', `/calls/${callId}/decline`, { person: AMARA.id, reason: row.decline })).status, 200);
      }
      await waitDeleted(callId);
      assert.deepEqual(h.receiver.about(callId).map(summarise), ['updated call establishing', 'deleted call terminated']);
      assert.deepEqual(codes(callId), row.expected);
      assert.equal((await h.view(callId)).state, 'terminated');
    });
  }

  it('transfer succeeds: transferring → transferAccepted → deleted 0/7015 GracefulTransferCompleted', async () => {
    const callId = await answeredIncomingCall(h, AMARA);
    await h.control('PUT', `/people/${JONAS.id}/behavior`, { onCall: 'answer', answerDelayMs: 20 });
    const transfer = await h.graph('POST', `/communications/calls/${callId}/transfer`, { transferTarget: { endpointType: 'default', identity: { user: { id: JONAS.id, displayName: JONAS.name } } } });
    assert.equal(transfer.status, 202);
    await waitDeleted(callId);
    assert.deepEqual(h.receiver.about(callId).slice(-3).map(summarise), ['updated call transferring', 'updated call transferAccepted', 'deleted call terminated']);
    const info = deletedOf(callId)!.item.resourceData.resultInfo;
    assert.deepEqual([info.code, info.subcode, info.message], [0, 7015, 'GracefulTransferCompleted']);
    assert.equal((await h.view(callId)).transfer.outcome, 'completed');
  });

  it('transfer fails when the target declines: back to established with 500/7000', async () => {
    const callId = await answeredIncomingCall(h, AMARA);
    await h.control('PUT', `/people/${JONAS.id}/behavior`, { onCall: 'decline', answerDelayMs: 0 });
    await h.graph('POST', `/communications/calls/${callId}/transfer`, { transferTarget: { identity: { user: { id: JONAS.id } } } });
    await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData.resultInfo?.code === 500), 'transfer failed');
    const failed = h.receiver.about(callId).at(-1)!;
    assert.equal(failed.item.changeType, 'updated');
    assert.equal(failed.item.resourceData.state, 'established');
    const info = failed.item.resourceData.resultInfo;
    assert.equal(info.subCode ?? info.subcode, 7000);
    assert.equal((await h.view(callId)).state, 'established');
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('group call: the bot is established with a roster, each target that answers joins the roster', async () => {
    const created = await create([userTarget(AMARA), userTarget(JONAS)]);
    assert.equal(created.status, 201);
    const callId = created.json.id;
    await h.waitForCall(callId, (c) => c.ringing.length === 2 && c.state === 'established', 'ringing both');
    await h.control('POST', `/calls/${callId}/answer`, { person: AMARA.id });
    await h.control('POST', `/calls/${callId}/decline`, { person: JONAS.id });
    await h.receiver.waitFor(() => h.receiver.about(callId, (n) => Array.isArray(n.item.resourceData) && n.item.resourceData.length === 2).length > 0, 'roster with Amara');
    const rosters = h.receiver.about(callId, (n) => n.item.resourceUrl.endsWith('/participants'));
    assert.equal(rosters[0]!.item.resourceData.length, 1, 'first roster: the bot alone');
    const last = rosters.at(-1)!.item.resourceData;
    assert.ok(Array.isArray(last));
    assert.ok(last.every((p: any) => p['@odata.type'] === '#microsoft.graph.participant' && typeof p.id === 'string' && typeof p.isMuted === 'boolean'));
    assert.ok(last.some((p: any) => p.info.identity.user?.id === AMARA.id));
    const participants = await h.graph('GET', `/communications/calls/${callId}/participants`);
    assert.equal(participants.status, 200);
    assert.equal(participants.json.value.length, 2);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('group call nobody joins ends with 200/5013', async () => {
    for (const p of [AMARA, JONAS]) await h.control('PUT', `/people/${p.id}/behavior`, { onCall: 'decline', answerDelayMs: 0 });
    const callId = (await create([userTarget(AMARA), userTarget(JONAS)])).json.id;
    await waitDeleted(callId);
    assert.deepEqual(codes(callId), [200, 5013]);
  });

  it('invite: op Running → deleted completed, then a roster with the new participant', async () => {
    const callId = await answeredOutboundCall(h, [AMARA, JONAS]);
    await h.control('PUT', `/people/${PRIYA.id}/behavior`, { onCall: 'answer', answerDelayMs: 10 });
    const invite = await h.graph('POST', `/communications/calls/${callId}/participants/invite`, { participants: [userTarget(PRIYA)], clientContext: 'invite-priya' });
    assert.equal(invite.status, 200);
    assert.equal(invite.headers.location, `${h.emulator.graphUrl}/communications/calls/${callId}/operations/${invite.json.id}`);
    assert.equal(invite.json['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
    assert.equal(invite.json.status, 'Running');
    assert.equal(invite.json.participants[0].identity.user.tenantId, h.emulator.tenantId);
    await h.receiver.waitFor(() => h.receiver.about(callId, (n) => n.item.resourceUrl.includes(invite.json.id)).length > 0, 'invite completed');
    const done = h.receiver.about(callId, (n) => n.item.resourceUrl.includes(invite.json.id))[0]!;
    assert.equal(done.item.changeType, 'deleted');
    assert.equal(done.item.resourceData.status, 'completed');
    assert.equal(done.item.resourceData.clientContext, 'invite-priya');
    await h.receiver.waitFor(() => h.receiver.about(callId, (n) => Array.isArray(n.item.resourceData) && n.item.resourceData.some((p: any) => p.info.identity.user?.id === PRIYA.id)).length > 0, 'roster with Priya');
    const afterInvite = h.receiver.about(callId).slice(h.receiver.about(callId).indexOf(done));
    assert.deepEqual(afterInvite.slice(0, 2).map(summarise), ['deleted operation completed', 'updated roster 4']);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('DELETE participants/{id} of a pending invitee cancels the invitation: the invite fails', async () => {
    const callId = await answeredOutboundCall(h, [AMARA, JONAS]);
    const pendingId = '7c0e7a2b-1d3f-4e5a-9b8c-6d5e4f3a2b1c';
    const invite = await h.graph('POST', `/communications/calls/${callId}/participants/invite`, { participants: [{ ...userTarget(PRIYA), participantId: pendingId }] });
    await h.waitForCall(callId, (c) => c.ringing.some((r: any) => r.person === PRIYA.id), 'Priya ringing');
    assert.equal((await h.graph('DELETE', `/communications/calls/${callId}/participants/${pendingId}`)).status, 204);
    await h.receiver.waitFor(() => h.receiver.about(callId, (n) => n.item.resourceUrl.includes(invite.json.id)).length > 0, 'invite finished');
    const done = h.receiver.about(callId, (n) => n.item.resourceUrl.includes(invite.json.id))[0]!.item.resourceData;
    assert.deepEqual([done.status, done.resultInfo.code], ['failed', 487]);
    assert.deepEqual((await h.view(callId)).ringing, []);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('invite with replacesCallId moves a P2P call into the group call and ends the P2P call', async () => {
    const p2p = await answeredIncomingCall(h, MATEO);
    const group = await answeredOutboundCall(h, [AMARA, JONAS]);
    const invite = await h.graph('POST', `/communications/calls/${group}/participants/invite`, {
      participants: [{ ...userTarget(MATEO), replacesCallId: p2p }],
      clientContext: 'merge',
    });
    assert.equal(invite.status, 200);
    assert.equal(invite.json.participants[0].replacesCallId, p2p);
    await waitDeleted(p2p);
    await h.receiver.waitFor(() => h.receiver.about(group, (n) => Array.isArray(n.item.resourceData) && n.item.resourceData.length === 4).length > 0, 'Mateo in the group roster');
    assert.equal((await h.view(p2p)).state, 'terminated');
    const groupView = await h.view(group);
    assert.ok(groupView.participants.some((p: any) => p.personId === MATEO.id));
    await h.graph('DELETE', `/communications/calls/${group}`);
  });

  it('participant mute and removal each send a roster update', async () => {
    const callId = await answeredOutboundCall(h, [AMARA, JONAS]);
    const amara = (await h.view(callId)).participants.find((p: any) => p.personId === AMARA.id);
    const mute = await h.graph('POST', `/communications/calls/${callId}/participants/${amara.id}/mute`, { clientContext: 'mute-amara' });
    assert.equal(mute.status, 200);
    assert.equal(mute.json['@odata.type'], '#microsoft.graph.muteParticipantOperation');
    assert.equal(mute.json.status, 'completed');
    await h.receiver.waitFor(() => h.receiver.about(callId, (n) => Array.isArray(n.item.resourceData) && n.item.resourceData.some((p: any) => p.id === amara.id && p.isMuted)).length > 0, 'Amara muted in the roster');
    const remove = await h.graph('DELETE', `/communications/calls/${callId}/participants/${amara.id}`);
    assert.equal(remove.status, 204);
    await h.receiver.waitFor(() => h.receiver.about(callId, (n) => Array.isArray(n.item.resourceData) && n.item.resourceData.length === 2 && !n.item.resourceData.some((p: any) => p.id === amara.id)).length > 0, 'Amara removed');
    assert.equal((await h.graph('GET', `/communications/calls/${callId}/participants/${amara.id}`)).status, 404);
    await h.graph('DELETE', `/communications/calls/${callId}`);
  });

  it('meeting: the bot joins by thread id, people join, mute themselves and leave; every change is a full roster', async () => {
    const threadId = '19:meeting_NjY2ZmY5ZjUtZjc5Yi00Yjk1LWI0YTctYjQwZTk1MjQ1NTZm@thread.v2';
    const callId = await joinedMeeting(h, threadId);
    const roster = () => h.receiver.about(callId, (n) => n.item.resourceUrl.endsWith('/participants')).at(-1)?.item.resourceData ?? [];
    const join = await h.control('POST', `/calls/${callId}/people`, { person: AMARA.upn });
    assert.equal(join.status, 201);
    await h.control('POST', `/calls/${callId}/people`, { person: JONAS.id });
    await h.receiver.waitFor(() => roster().length === 3, 'three in the roster');
    await h.control('POST', `/calls/${callId}/people/${AMARA.id}/mute`, { muted: true });
    await h.receiver.waitFor(() => roster().some((p: any) => p.info.identity.user?.id === AMARA.id && p.isMuted), 'Amara muted');
    await h.control('DELETE', `/calls/${callId}/people/${JONAS.id}`);
    await h.receiver.waitFor(() => roster().length === 2, 'Jonas left');
    const established = h.receiver.about(callId).find((n) => n.item.resourceData?.state === 'established')!;
    assert.equal(established.item.resourceData.chatInfo.threadId, threadId);
    const second = await joinedMeeting(h, threadId);
    assert.ok((await h.view(second)).participants.some((p: any) => p.personId === AMARA.id), 'the meeting keeps its people across bot legs');
    await h.graph('DELETE', `/communications/calls/${callId}`);
    await h.graph('DELETE', `/communications/calls/${second}`);
  });
});
