// Fields Graph prints only sometimes (issue 15): the app works the same with and without them — a participant's
// info.languageId / info.region, the roster notification's callbackUri, a failed consultative transfer's
// replacesContext, and an invitee listed with `id: null` before Graph names it.
import assert from 'node:assert/strict';
import { applyCallUpdate, diffRoster, parseNotificationBatch, type CallSession, type CallUpdate } from '../../../comms/calls/index.js';
import { newCallSession } from '../../../comms/calls/call-session.js';
import { participant } from './support/fake-graph.js';
import { batch, roster, state } from './support/notifications.js';

const ID = 'call-opt';
const AMARA = 'bff4498d-477a-4f74-90d4-d940c6663180';
const PRIYA = '1040f954-ed84-4781-8ae8-c5be0cff9a25';

function updates(...items: Array<Record<string, unknown>>): CallUpdate[] {
  return items.flatMap((item) => parseNotificationBatch(batch(item)));
}

function run(items: Array<Record<string, unknown>>): CallSession {
  return updates(...items).reduce(applyCallUpdate, newCallSession({ id: ID, state: 'established', createdAt: '2025-01-06T09:00:00.000Z' }));
}

/** A person as Graph prints one, with or without the optional info fields. */
function person(id: string | null, userId: string, optional: boolean): Record<string, unknown> {
  const p = participant(id, userId);
  if (optional) p.info = { ...(p.info as object), languageId: 'en-US', region: 'amer' };
  return p;
}

function withCallbackUri(item: Record<string, unknown>, optional: boolean): Record<string, unknown> {
  return optional ? { ...item, callbackUri: 'https://switchboard.contoso.com/api/calling' } : item;
}

const who = (s: CallSession) => s.participants.map((p) => (p.info?.identity as { user?: { id?: string } } | undefined)?.user?.id).sort();

describe('comms/calls: optional fields Graph prints only sometimes', () => {
  for (const optional of [false, true]) {
    const label = optional ? 'present' : 'absent';

    it(`roster: the same people whether languageId, region and the notification's callbackUri are ${label}`, () => {
      const end = run([
        withCallbackUri(roster(ID, [person('p-a', AMARA, optional)]), optional),
        withCallbackUri(roster(ID, [person('p-a', AMARA, optional), person(null, PRIYA, optional)]), optional),
        withCallbackUri(roster(ID, [person('p-a', AMARA, optional), person('p-p', PRIYA, optional)]), optional),
      ]);
      assert.deepEqual(who(end), [AMARA, PRIYA].sort());
      assert.deepEqual(end.participants.map((p) => p.id).sort(), ['p-a', 'p-p']);
    });

    it(`consultative transfer failure: back to established with 500/7700 whether replacesContext is ${label}`, () => {
      const failed = state(ID, 'established', { resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 500, subCode: 7700, message: 'failed' }, ...(optional ? { replacesContext: 'opaque-context' } : {}) });
      const end = run([state(ID, 'transferring'), failed]);
      assert.equal(end.state, 'established');
      assert.deepEqual(end.resultInfo, { code: 500, subcode: 7700, message: 'failed' });
    });
  }

  it('an invitee first listed with id: null and then with its id is one person updated, not one who left and one who joined', () => {
    const before = updates(roster(ID, [person('p-a', AMARA, true), person(null, PRIYA, true)]))[0] as Extract<CallUpdate, { kind: 'participants' }>;
    const after = updates(roster(ID, [person('p-a', AMARA, true), person('p-p', PRIYA, true)]))[0] as Extract<CallUpdate, { kind: 'participants' }>;
    const diff = diffRoster(before.participants, after.participants);
    assert.deepEqual(diff.joined, []);
    assert.deepEqual(diff.left, []);
    assert.deepEqual(diff.updated.map((p) => p.id), ['p-p']);
  });

  it('someone else listed without an id still counts as joined, and an unnamed invitee who is gone as left', () => {
    const before = updates(roster(ID, [person('p-a', AMARA, false), person(null, PRIYA, false)]))[0] as Extract<CallUpdate, { kind: 'participants' }>;
    const after = updates(roster(ID, [person('p-a', AMARA, false), person('p-j', 'b6b18e27-b13c-4356-8d3b-e1b8e4ff07c2', false)]))[0] as Extract<CallUpdate, { kind: 'participants' }>;
    const diff = diffRoster(before.participants, after.participants);
    assert.deepEqual(diff.joined.map((p) => p.id), ['p-j']);
    assert.deepEqual(diff.left.map((p) => p.id), [null]);
  });
});
