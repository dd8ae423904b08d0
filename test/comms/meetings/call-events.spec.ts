// The call event in a decrypted meetingCallEvents payload (changenotifications-for-onlinemeeting; beta callEvent):
// eventType or beta metadata's callEventType, participants@delta users with isInLobby and removedState, and what is
// ignored — unknown event types, malformed payloads, participants that are not users — without ever throwing.
import assert from 'node:assert/strict';
import { parseCallEvent, type CallEventInput } from '../../../comms/meetings/index.js';

const AT = '2022-02-28T00:00:00.000Z';
const NOW = Date.parse('2030-01-01T00:00:00Z');
const user = (id: string, extra: Record<string, unknown> = {}) => ({ id: `p-${id}`, info: { identity: { user: { id, displayName: `User ${id}`, tenantId: 't' } } }, isInLobby: false, ...extra });

const cases: Array<[string, unknown, CallEventInput | undefined]> = [
  ['callStarted (doc example)', { '@odata.type': '#microsoft.graph.callevent', id: 'n', eventType: 'callStarted', eventDateTime: '2022-02-28T00:00:00.0000000Z' }, { eventType: 'callStarted', eventDateTime: AT, participants: [] }],
  ['callEnded by callEventType (beta metadata name)', { callEventType: 'callEnded', eventDateTime: AT }, { eventType: 'callEnded', eventDateTime: AT, participants: [] }],
  ['eventType wins over callEventType', { eventType: 'callStarted', callEventType: 'callEnded', eventDateTime: AT }, { eventType: 'callStarted', eventDateTime: AT, participants: [] }],
  [
    'rosterUpdated: a join, one in the lobby, one who left',
    { eventType: 'rosterUpdated', eventDateTime: AT, 'participants@delta': [user('a'), user('b', { isInLobby: true }), user('c', { removedState: { reason: 'Participant has left the meeting call.' } })] },
    {
      eventType: 'rosterUpdated',
      eventDateTime: AT,
      participants: [
        { userId: 'a', displayName: 'User a', inLobby: false, removed: false },
        { userId: 'b', displayName: 'User b', inLobby: true, removed: false },
        { userId: 'c', displayName: 'User c', inLobby: false, removed: true },
      ],
    },
  ],
  [
    'participants that are not users, or have a hostile id, are skipped',
    { eventType: 'rosterUpdated', eventDateTime: AT, 'participants@delta': [{ id: 'x', info: { identity: { application: { id: 'bot' } } } }, user('d e<script>'), 'nope', user('ok')] },
    { eventType: 'rosterUpdated', eventDateTime: AT, participants: [{ userId: 'ok', displayName: 'User ok', inLobby: false, removed: false }] },
  ],
  ['no eventDateTime: the time it was read', { eventType: 'callStarted' }, { eventType: 'callStarted', eventDateTime: new Date(NOW).toISOString(), participants: [] }],
  ['an unknown type is ignored', { eventType: 'transcriptionStateUpdated', eventDateTime: AT }, undefined],
  ['unknownFutureValue is ignored', { callEventType: 'unknownFutureValue' }, undefined],
  ['no type at all', { eventDateTime: AT }, undefined],
  ['not an object', 'callStarted', undefined],
  ['null', null, undefined],
  ['a delta that is not a list', { eventType: 'rosterUpdated', 'participants@delta': 'a' }, undefined],
];

describe('parseCallEvent (meetingCallEvents payloads)', () => {
  for (const [name, payload, expected] of cases) {
    it(name, () => {
      assert.deepEqual(parseCallEvent(payload, () => NOW), expected);
    });
  }
});
