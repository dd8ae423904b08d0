// participant: startHoldMusic / stopHoldMusic against participant-startholdmusic.md and participant-stopholdmusic.md:
// the documented request body, 202 + Location + a running start/stopHoldMusicOperation, the `deleted` completion
// notification on the operation resource (@odata.type, @odata.id, @odata.etag, clientContext, status completed), the
// participant's held state (emulator truth: Graph documents none), and the errors (unknown participant, the bot's own
// participant, a second participant while one is held, clientContext over 256).

import assert from 'node:assert/strict';
import { participantActions } from '../../comms/calls/index.js';
import { createHttpTransport, GraphClient } from '../../comms/graph/index.js';
import { AMARA, JONAS, MATEO, PRIYA, answeredIncomingCall, answeredOutboundCall, startCallsHarness, type CallsHarness, type ReceivedNotification } from './calls-harness.js';

describe('emulator calling: participant hold music', () => {
  let h: CallsHarness;
  let p2p: string;
  let group: string;

  before(async () => {
    h = await startCallsHarness();
    p2p = await answeredIncomingCall(h, AMARA);
    group = await answeredOutboundCall(h, [JONAS, PRIYA]);
  });
  after(async () => {
    await h.close();
  });

  const personParticipant = async (callId: string, personId: string): Promise<any> =>
    (await h.view(callId)).participants.find((p: any) => p.personId === personId);
  const completion = async (callId: string, operationId: string): Promise<ReceivedNotification> => {
    const find = () => h.receiver.about(callId, (n) => String(n.item.resourceUrl).endsWith(`/operations/${operationId}`));
    await h.receiver.waitFor(() => find().length > 0, `operation ${operationId} completion`);
    return find()[0]!;
  };
  const hold = (callId: string, participantId: string, body: unknown, action = 'startHoldMusic') =>
    h.graph('POST', `/communications/calls/${callId}/participants/${participantId}/${action}`, body);

  it('startHoldMusic with a customPrompt: 202, Location, a running startHoldMusicOperation, then `deleted` completed', async () => {
    const amara = await personParticipant(p2p, AMARA.id);
    const clientContext = 'hold-1f6c';
    const reply = await hold(p2p, amara.id, {
      customPrompt: { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: h.promptUrl('beep') } },
      clientContext,
    });
    assert.equal(reply.status, 202, reply.text);
    assert.equal(reply.headers.location, `${h.emulator.graphUrl}/communications/calls/${p2p}/operations/${reply.json.id}`);
    assert.deepEqual(Object.keys(reply.json).sort(), ['@odata.type', 'clientContext', 'id', 'status']);
    assert.equal(reply.json['@odata.type'], '#microsoft.graph.startHoldMusicOperation');
    assert.equal(reply.json.status, 'running');
    assert.equal(reply.json.clientContext, clientContext);

    const held = await personParticipant(p2p, AMARA.id);
    assert.equal(held.holdMusic.operationId, reply.json.id);
    assert.equal(held.holdMusic.uri, h.promptUrl('beep'));

    const done = await completion(p2p, reply.json.id);
    assert.equal(done.item.changeType, 'deleted');
    assert.equal(done.item.resourceUrl, `/communications/calls/${p2p}/operations/${reply.json.id}`);
    const data = done.item.resourceData;
    assert.equal(data['@odata.type'], '#microsoft.graph.startHoldMusicOperation');
    assert.equal(data['@odata.id'], done.item.resourceUrl);
    assert.match(data['@odata.etag'], /^W\/"\d+"$/);
    assert.equal(data.clientContext, clientContext);
    assert.equal(data.status, 'completed');
  });

  it('stopHoldMusic: 202, a running stopHoldMusicOperation, `deleted` completed, and the participant is back', async () => {
    const amara = await personParticipant(p2p, AMARA.id);
    const reply = await hold(p2p, amara.id, { clientContext: 'unhold-1f6c' }, 'stopHoldMusic');
    assert.equal(reply.status, 202, reply.text);
    assert.equal(reply.headers.location, `${h.emulator.graphUrl}/communications/calls/${p2p}/operations/${reply.json.id}`);
    assert.equal(reply.json['@odata.type'], '#microsoft.graph.stopHoldMusicOperation');
    assert.equal(reply.json.status, 'running');
    assert.equal(reply.json.clientContext, 'unhold-1f6c');
    assert.equal((await personParticipant(p2p, AMARA.id)).holdMusic, null);
    const done = await completion(p2p, reply.json.id);
    assert.equal(done.item.changeType, 'deleted');
    assert.equal(done.item.resourceData['@odata.type'], '#microsoft.graph.stopHoldMusicOperation');
    assert.equal(done.item.resourceData.status, 'completed');
  });

  it('without a customPrompt (Teams\' own music) and by the namespace-qualified path: completes', async () => {
    const jonas = await personParticipant(group, JONAS.id);
    const reply = await hold(group, jonas.id, {}, 'microsoft.graph.startHoldMusic');
    assert.equal(reply.status, 202, reply.text);
    assert.equal(reply.json.clientContext, null);
    assert.equal((await completion(group, reply.json.id)).item.resourceData.status, 'completed');
    const held = await personParticipant(group, JONAS.id);
    assert.equal(held.holdMusic.operationId, reply.json.id);
    assert.equal(held.holdMusic.uri, undefined);
  });

  it('only one participant on hold at a time: a second is refused (400) while the first stays held', async () => {
    const priya = await personParticipant(group, PRIYA.id);
    const reply = await hold(group, priya.id, {});
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.json.error.code, 'BadRequest');
    assert.match(reply.json.error.message, /one participant/i);
    assert.equal((await personParticipant(group, PRIYA.id)).holdMusic, null);
    assert.notEqual((await personParticipant(group, JONAS.id)).holdMusic, null);
    const jonas = await personParticipant(group, JONAS.id);
    assert.equal((await hold(group, jonas.id, {}, 'stopHoldMusic')).status, 202);
    assert.equal((await hold(group, priya.id, {})).status, 202);
    assert.equal((await hold(group, priya.id, {}, 'stopHoldMusic')).status, 202);
  });

  it('a customPrompt the media service cannot fetch: the operation fails and the participant is not left held', async () => {
    const amara = await personParticipant(p2p, AMARA.id);
    const reply = await hold(p2p, amara.id, { customPrompt: { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: h.promptUrl('missing') } }, clientContext: 'c' });
    assert.equal(reply.status, 202, reply.text);
    const done = await completion(p2p, reply.json.id);
    assert.equal(done.item.resourceData.status, 'failed');
    assert.equal(typeof done.item.resourceData.resultInfo.code, 'number');
    assert.equal((await personParticipant(p2p, AMARA.id)).holdMusic, null);
  });

  it('404 for an unknown participant; 400 for the bot\'s own participant and for a clientContext over 256', async () => {
    const unknown = await hold(p2p, '0b0b0b0b-1111-4222-8333-444455556666', {});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'itemNotFound');
    const view = await h.view(p2p);
    const bot = view.participants.find((p: any) => p.kind === 'bot');
    const own = await hold(p2p, bot.id, {});
    assert.equal(own.status, 400);
    assert.equal(own.json.error.code, 'BadRequest');
    const amara = await personParticipant(p2p, AMARA.id);
    const long = await hold(p2p, amara.id, { clientContext: 'x'.repeat(257) });
    assert.equal(long.status, 400);
    assert.equal((await personParticipant(p2p, AMARA.id)).holdMusic, null);
    assert.equal((await hold(p2p, '0b0b0b0b-1111-4222-8333-444455556666', {}, 'stopHoldMusic')).status, 404);
  });

  it('the app\'s own startHoldMusic / stopHoldMusic (comms/calls) are accepted and read back as their operations', async () => {
    const transport = createHttpTransport({ extraCaPem: h.emulator.caCertPem });
    try {
      const graph = new GraphClient({ baseUrl: h.emulator.graphUrl, tokens: { getToken: async () => h.token }, transport });
      const amara = await personParticipant(p2p, AMARA.id);
      const start = await participantActions.startHoldMusic(graph, p2p, amara.id, { customPrompt: { uri: 'https://127.0.0.1:1/hold.wav' }, clientContext: 'app-hold' });
      assert.deepEqual([start.type, start.status, start.clientContext], ['startHoldMusicOperation', 'running', 'app-hold']);
      const sent = (await h.view(p2p)).operations.find((op: any) => op.id === start.id);
      assert.equal(sent.type, 'startHoldMusic');
      const stop = await participantActions.stopHoldMusic(graph, p2p, amara.id, { clientContext: 'app-unhold' });
      assert.deepEqual([stop.type, stop.status, stop.clientContext], ['stopHoldMusicOperation', 'running', 'app-unhold']);
      assert.equal((await personParticipant(p2p, AMARA.id)).holdMusic, null);
    } finally {
      await transport.close();
    }
  });

  it('404 once the call has ended', async () => {
    const callId = await answeredIncomingCall(h, MATEO);
    const mateo = await personParticipant(callId, MATEO.id);
    await h.graph('DELETE', `/communications/calls/${callId}`);
    assert.equal((await hold(callId, mateo.id, {})).status, 404);
  });
});
