// A peer-to-peer call the bot invites a third person into becomes a group call ("escalation"): Graph then sends the
// bot no roster updates and lists no participants (wave2-facts §2.6). The app says the roster is gone — in the call's
// record, its events and the call card — instead of keeping the two-person list it had.
import assert from 'node:assert/strict';
import { callCard, ROSTER_GONE } from '../../bot/cards/call-card.js';
import type { CallParticipantsEvent } from '../../comms/calls/index.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, behave, directoryIds, truth, type PersonName } from './people.js';

describe('escalation: a peer-to-peer call becomes a group call (local mode)', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let ids: Record<PersonName, string>;

  before(async () => {
    app = await startLocalSwitchboard();
    ids = await directoryIds(app);
  });
  after(async () => app?.stop());

  it('inviting into a P2P call: the emulator stops the roster, the app marks it unavailable and the card says so', async () => {
    await behave(app, 'jonas', 'manual');
    const call = await app.calls.placeCall({ target: { kind: 'user', id: ids.jonas } });
    await eventually(async () => (await truth(app, call.id)).ringing?.length > 0, 'Jonas to be ringing');
    await act(app, call.id, 'answer', { person: 'jonas.lindqvist@switchboard.test' });
    await eventually(async () => (await app.calls.getCall(call.id))?.state === 'established', 'the call to connect');
    // Before: Graph lists the two of them.
    assert.ok((await app.calls.listParticipants(call.id)).length >= 2, 'the P2P call lists its participants');
    const before = (await app.calls.getCall(call.id))!;
    assert.equal(before.rosterUnavailable, undefined);
    assert.doesNotMatch(JSON.stringify(callCard({ call: before, who: 'Jonas' })), /Roster no longer available/);

    await behave(app, 'priya', 'answer');
    const op = await app.calls.invite(call.id, [{ target: { kind: 'user', id: ids.priya } }]);
    assert.equal(op.status, 'completed');
    // The emulator: Priya is in the call, but Graph sent no roster notification and lists nobody.
    const emulated = await truth(app, call.id);
    assert.ok(emulated.participants.some((p: any) => p.personId === ids.priya), 'Priya joined the call');
    assert.ok(!emulated.notifications.some((n: any) => /\/participants$/.test(n.resourceUrl ?? '')), 'no roster notification for the escalated call');
    assert.deepEqual(await app.calls.listParticipants(call.id), [], 'list participants answers an empty list');

    const after = (await app.calls.getCall(call.id))!;
    assert.equal(after.rosterUnavailable, 'escalated');
    assert.deepEqual(after.participants, [], 'no stale two-person list');
    const event = await eventually(() => app.events.find((e) => e.type === 'call.participants' && e.callId === call.id && (e as unknown as CallParticipantsEvent).unavailable === 'escalated'), 'the roster-unavailable event');
    assert.equal((event as unknown as CallParticipantsEvent).count, 0);
    assert.match(JSON.stringify(callCard({ call: after, who: 'Jonas' })), new RegExp(ROSTER_GONE.replace('.', '\\.')));
    await app.calls.hangUp(call.id);
  });

  it('a group call stays a group call: inviting into it keeps the roster coming', async () => {
    await behave(app, 'amara', 'answer');
    await behave(app, 'hana', 'answer');
    const call = await app.calls.placeGroupCall({ targets: [{ kind: 'user', id: ids.amara }, { kind: 'user', id: ids.hana }] });
    await eventually(async () => ((await app.calls.getCall(call.id))?.participants.length ?? 0) >= 3, 'the group roster');
    await behave(app, 'grace', 'answer');
    await app.calls.invite(call.id, [{ target: { kind: 'user', id: ids.grace } }]);
    await eventually(async () => (await app.calls.getCall(call.id))?.participants.some((p) => (p.info?.identity as any)?.user?.id === ids.grace), 'Grace in the roster');
    assert.equal((await app.calls.getCall(call.id))!.rosterUnavailable, undefined);
    await app.calls.hangUp(call.id);
  });
});
