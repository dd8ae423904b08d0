// The calling-webhook parser: every documented notification shape and real-world variation normalizes to the same
// result, and malformed or hostile batches are refused with calls/invalid-notification.
import assert from 'node:assert/strict';
import { CallError, isLegacyNotification, parseNotificationBatch, parseResourceUrl } from '../../../comms/calls/index.js';
import { batch, incoming, operationDone, roster, terminated, tone } from './support/notifications.js';
import { participant } from './support/fake-graph.js';

const ID = '491f0b00-ffff-4bc9-a43e-b226498ec22a';

describe('comms/calls notification schema', () => {
  type Parsed = ReturnType<typeof parseNotificationBatch>;
  const valid: Array<{ name: string; body: unknown; expect: (n: [Parsed[number], ...Parsed]) => void }> = [
    {
      name: 'incoming call (call-redirect example) with source, targets, myParticipantId',
      body: batch(incoming(ID)),
      expect: ([n]) => {
        assert.equal(n!.kind, 'call');
        if (n!.kind !== 'call') return;
        assert.equal(n.callId, ID);
        assert.equal(n.changeType, 'created');
        assert.equal(n.call.state, 'incoming');
        assert.equal(n.call.direction, 'incoming');
        assert.equal(n.call.myParticipantId, 'c339cede-4bd6-4f20-ab9f-3a13e65f6d00');
        assert.equal((n.call.source?.identity?.user as { id: string }).id, '8d1e6ab6-26c5-4e22-a1bc-06ea7343958e');
        assert.equal(n.call.targets?.length, 1);
      },
    },
    {
      name: 'changeType "Updated" with a capital U (issue #9170)',
      body: batch({ changeType: 'Updated', resourceUrl: `/communications/calls/${ID}`, resourceData: { state: 'Established' } }),
      expect: ([n]) => assert.deepEqual(n, { kind: 'call', callId: ID, changeType: 'updated', call: { state: 'established' } }),
    },
    {
      name: 'resourceUrl without the leading slash',
      body: batch({ changeType: 'updated', resourceUrl: `communications/calls/${ID}`, resourceData: { state: 'established' } }),
      expect: ([n]) => assert.deepEqual(n, { kind: 'call', callId: ID, changeType: 'updated', call: { state: 'established' } }),
    },
    {
      name: 'legacy resource /app/calls/... only',
      body: batch({ changeType: 'updated', resource: `/app/calls/${ID}`, resourceData: { state: 'establishing' } }),
      expect: ([n]) => assert.deepEqual(n, { kind: 'call', callId: ID, changeType: 'updated', call: { state: 'establishing' } }),
    },
    {
      name: 'legacy resource alongside resourceUrl',
      body: batch({ changeType: 'updated', resource: `/app/calls/${ID}`, resourceUrl: `/communications/calls/${ID}`, resourceData: { state: 'established' } }),
      expect: ([n]) => assert.equal(n!.kind === 'call' && n.call.state, 'established'),
    },
    {
      name: 'call-delete example: resultInfo code/subcode as strings',
      body: batch(terminated(ID, { code: '200', subcode: '5001', message: 'This conversation has ended.' })),
      expect: ([n]) => {
        assert.equal(n!.kind, 'call');
        if (n!.kind !== 'call') return;
        assert.equal(n.changeType, 'deleted');
        assert.equal(n.call.state, 'terminated');
        assert.deepEqual(n.call.resultInfo, { code: 200, subcode: 5001, message: 'This conversation has ended.' });
      },
    },
    {
      name: 'transfer failed example: key subCode',
      body: batch({ changeType: 'updated', resourceUrl: `/communications/calls/${ID}`, resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established', resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 500, subCode: 7000, message: '<message>' } } }),
      expect: ([n]) => assert.deepEqual(n!.kind === 'call' && n.call.resultInfo, { code: 500, subcode: 7000, message: '<message>' }),
    },
    {
      name: 'transfer completed: code 0 / 7015',
      body: batch(terminated(ID, { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' })),
      expect: ([n]) => assert.deepEqual(n!.kind === 'call' && n.call.resultInfo, { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' }),
    },
    {
      name: 'consultative transfer completed: terminationReason AppTransferred, no resultInfo',
      body: batch({ changeType: 'deleted', resourceUrl: `/communications/calls/${ID}`, resourceData: { state: 'terminated', terminationReason: 'AppTransferred' } }),
      expect: ([n]) => assert.deepEqual(n!.kind === 'call' && n.call, { state: 'terminated', terminationReason: 'AppTransferred' }),
    },
    {
      name: 'no @odata.type anywhere',
      body: { value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${ID}`, resourceData: { state: 'hold' } }] },
      expect: ([n]) => assert.equal(n!.kind === 'call' && n.call.state, 'hold'),
    },
    {
      name: 'after reject: deleted with only @odata.type/@odata.id means terminated',
      body: batch({ changeType: 'deleted', resourceUrl: `/communications/calls/${ID}`, resourceData: { '@odata.type': '#microsoft.graph.call', '@odata.id': `/communications/calls/${ID}` } }),
      expect: ([n]) => assert.deepEqual(n!.kind === 'call' && n.call, { state: 'terminated' }),
    },
    {
      name: 'DTMF received: toneInfo',
      body: batch(tone(ID, 3, 'tone1')),
      expect: ([n]) => assert.deepEqual(n!.kind === 'call' && n.call.toneInfo, { sequenceId: 3, tone: 'tone1' }),
    },
    {
      name: 'TransferAccepted in PascalCase',
      body: batch({ changeType: 'updated', resourceUrl: `/communications/calls/${ID}`, resourceData: { state: 'TransferAccepted' } }),
      expect: ([n]) => assert.equal(n!.kind === 'call' && n.call.state, 'transferAccepted'),
    },
    {
      name: 'an unknown state maps to unknownFutureValue',
      body: batch({ changeType: 'updated', resourceUrl: `/communications/calls/${ID}`, resourceData: { state: 'parked' } }),
      expect: ([n]) => assert.equal(n!.kind === 'call' && n.call.state, 'unknownFutureValue'),
    },
    {
      name: 'null fields are absent, not null',
      body: batch({ changeType: 'updated', resourceUrl: `/communications/calls/${ID}`, resourceData: { state: 'established', resultInfo: null, chatInfo: null, toneInfo: null } }),
      expect: ([n]) => assert.deepEqual(n!.kind === 'call' && n.call, { state: 'established' }),
    },
    {
      name: 'absolute Graph URL as resourceUrl',
      body: batch({ changeType: 'updated', resourceUrl: `https://graph.microsoft.com/v1.0/communications/calls/${ID}`, resourceData: { state: 'established' } }),
      expect: ([n]) => assert.equal(n!.kind === 'call' && n.callId, ID),
    },
    {
      name: 'roster: resourceData is an array; an invitee may have id null',
      body: batch(roster(ID, [participant('p-1', 'u-1', { rosterSequenceNumber: 4 }), participant(null, 'u-2')])),
      expect: ([n]) => {
        assert.equal(n!.kind, 'participants');
        if (n!.kind !== 'participants') return;
        assert.equal(n.delta, false);
        assert.deepEqual(n.participants.map((p) => p.id), ['p-1', null]);
        assert.equal(n.participants[0]!.rosterSequenceNumber, 4);
        assert.equal('@odata.type' in n.participants[0]!, false);
      },
    },
    {
      name: 'delta roster: deltaParticipants object with sequenceNumber',
      body: batch({ changeType: 'updated', resourceUrl: `/communications/calls/${ID}/participants`, resourceData: { '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber: '12', participants: [participant('p-1', 'u-1')] } }),
      expect: ([n]) => {
        assert.equal(n!.kind === 'participants' && n.delta, true);
        assert.equal(n!.kind === 'participants' && n.sequenceNumber, 12);
      },
    },
    {
      name: 'playPrompt finished: operation deleted, completed, 200/0',
      body: batch(operationDone(ID, 'op-1', { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed', clientContext: 'ctx', resultInfo: { code: 200, subcode: 0, message: 'Action completed successfully.' } })),
      expect: ([n]) =>
        assert.deepEqual(n, {
          kind: 'operation',
          callId: ID,
          operationId: 'op-1',
          changeType: 'deleted',
          operation: { id: 'op-1', type: 'playPromptOperation', status: 'completed', clientContext: 'ctx', resultInfo: { code: 200, subcode: 0, message: 'Action completed successfully.' } },
        }),
    },
    {
      name: 'invite operation with status "Running" (PascalCase) is lower-cased',
      body: batch({ changeType: 'updated', resourceUrl: `/communications/calls/${ID}/operations/op-2`, resourceData: { '@odata.type': '#microsoft.graph.inviteParticipantsOperation', status: 'Running' } }),
      expect: ([n]) => assert.equal(n!.kind === 'operation' && n.operation.status, 'running'),
    },
    {
      name: 'recordResponse finished: recordingLocation + token, 200/8515',
      body: batch(operationDone(ID, 'op-3', { '@odata.type': '#microsoft.graph.recordOperation', status: 'Completed', recordingLocation: 'https://file.location/17e3b46c', recordingAccessToken: 'secret-token', resultInfo: { code: 200, subcode: 8515, message: 'Action completed, max record duration reached.' } })),
      expect: ([n]) => {
        assert.equal(n!.kind, 'operation');
        if (n!.kind !== 'operation') return;
        assert.equal(n.operation.type, 'recordOperation');
        assert.equal(n.operation.status, 'completed');
        assert.equal(n.operation.recordingLocation, 'https://file.location/17e3b46c');
        assert.equal(n.operation.recordingAccessToken, 'secret-token');
        assert.deepEqual(n.operation.resultInfo, { code: 200, subcode: 8515, message: 'Action completed, max record duration reached.' });
      },
    },
    {
      name: 'cancelled recordResponse: failed, 400/8508, completionReason operationCanceled',
      body: batch(operationDone(ID, 'op-4', { '@odata.type': '#microsoft.graph.recordOperation', status: 'failed', completionReason: 'operationCanceled', resultInfo: { code: '400', subcode: '8508', message: 'Action failed, the operation was cancelled.' } })),
      expect: ([n]) => {
        assert.equal(n!.kind === 'operation' && n.operation.status, 'failed');
        assert.equal(n!.kind === 'operation' && n.operation.completionReason, 'operationCanceled');
        assert.deepEqual(n!.kind === 'operation' && n.operation.resultInfo, { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' });
      },
    },
    {
      name: 'hold music finished: operations URL without leading slash, no @odata.type → commsOperation',
      body: batch({ changeType: 'deleted', resourceUrl: `communications/calls/${ID}/operations/op-5`, resourceData: { status: 'completed' } }),
      expect: ([n]) => {
        assert.equal(n!.kind === 'operation' && n.operationId, 'op-5');
        assert.equal(n!.kind === 'operation' && n.operation.type, 'commsOperation');
      },
    },
    {
      name: 'content sharing session: kind contentSharing (more in content-sharing.spec.ts)',
      body: batch({ changeType: 'created', resourceUrl: `/communications/calls/${ID}/contentsharingsessions`, resourceData: [{ '@odata.type': '#microsoft.graph.contentSharingSession', id: 's-1' }] }),
      expect: ([n]) => assert.deepEqual(n, { kind: 'contentSharing', callId: ID, changeType: 'created', sessions: [{ id: 's-1' }] }),
    },
    {
      name: 'several notifications in one batch keep their order',
      body: batch(incoming(ID), tone(ID, 1, 'tone5'), terminated(ID)),
      expect: (list) => assert.deepEqual(list.map((n) => n.kind === 'call' && n.call.state), ['incoming', 'established', 'terminated']),
    },
    {
      name: 'an empty batch is valid',
      body: { value: [] },
      expect: (list) => assert.equal(list.length, 0),
    },
    {
      name: 'a path that escapes the calls tree is "other", never a call',
      body: batch({ changeType: 'updated', resourceUrl: '/communications/calls/../../users/x', resourceData: { state: 'established' } }),
      expect: ([n]) => assert.equal(n!.kind, 'other'),
    },
  ];

  for (const c of valid) {
    it(`accepts ${c.name}`, () => {
      // Typed as non-empty so cases can destructure their first item; the empty-batch case checks the length itself.
      c.expect(parseNotificationBatch(c.body) as [Parsed[number], ...Parsed]);
    });
  }

  const hostile: Array<{ name: string; body: unknown }> = [
    { name: 'null', body: null },
    { name: 'a string', body: 'value' },
    { name: 'a number', body: 42 },
    { name: 'an array', body: [incoming(ID)] },
    { name: 'an object without value', body: {} },
    { name: 'value not an array', body: { value: { changeType: 'updated' } } },
    { name: 'a null item', body: { value: [null] } },
    { name: 'a number item', body: { value: [7] } },
    { name: 'an item without resourceUrl or resource', body: batch({ changeType: 'updated', resourceData: {} }) },
    { name: 'an unknown changeType', body: batch({ changeType: 'exploded', resourceUrl: `/communications/calls/${ID}` }) },
    { name: 'a numeric changeType', body: batch({ changeType: 1, resourceUrl: `/communications/calls/${ID}` }) },
    { name: 'a non-numeric result code', body: batch(terminated(ID, { code: 'abc', subcode: 1 })) },
    { name: 'a result code with a fraction', body: batch(terminated(ID, { code: 200.5 })) },
    { name: 'a non-numeric tone sequenceId', body: batch(tone(ID, 'x' as unknown as number, 'tone1')) },
    { name: 'a state that is not a string', body: batch({ changeType: 'updated', resourceUrl: `/communications/calls/${ID}`, resourceData: { state: { $gt: '' } } }) },
    { name: 'an array as a call resourceData', body: batch({ changeType: 'updated', resourceUrl: `/communications/calls/${ID}`, resourceData: [{ state: 'established' }] }) },
    { name: 'an unknown operation status', body: batch(operationDone(ID, 'op-1', { status: 'exploded' })) },
    { name: 'a participant that is not an object', body: batch(roster(ID, ['p-1'])) },
    { name: 'a roster object without participants', body: batch({ changeType: 'updated', resourceUrl: `/communications/calls/${ID}/participants`, resourceData: { sequenceNumber: 1 } }) },
    { name: 'an oversized resourceUrl', body: batch({ changeType: 'updated', resourceUrl: `/communications/calls/${'a'.repeat(5000)}` }) },
    { name: 'more than 1,000 notifications', body: { value: Array.from({ length: 1001 }, () => tone(ID, 1, 'tone1')) } },
  ];

  for (const c of hostile) {
    it(`refuses ${c.name} with calls/invalid-notification and an issue text`, () => {
      assert.throws(
        () => parseNotificationBatch(c.body),
        (err: unknown) => err instanceof CallError && err.code === 'calls/invalid-notification' && err.status === 400 && typeof err.detail === 'string' && err.detail.length > 0,
      );
    });
  }

  const paths: Array<[string, unknown]> = [
    [`/communications/calls/${ID}`, { kind: 'call', callId: ID }],
    [`communications/calls/${ID}/participants`, { kind: 'participants', callId: ID }],
    [`/app/calls/${ID}/operations/op-9`, { kind: 'operation', callId: ID, operationId: 'op-9' }],
    [`/v1.0/communications/calls/${ID}`, { kind: 'call', callId: ID }],
    [`/communications/calls/${ID}/contentsharingsessions/s-1`, { kind: 'contentSharing', callId: ID, sessionId: 's-1' }],
    ['/communications/calls/', { kind: 'other' }],
    ['/communications/calls/..', { kind: 'other' }],
    ['/users/x', { kind: 'other' }],
    [`/communications/calls/${ID}/operations/..`, { kind: 'other', callId: ID }],
  ];
  for (const [url, expected] of paths) {
    it(`reads resource path ${url}`, () => assert.deepEqual(parseResourceUrl(url), expected));
  }

  const legacy: Array<[string, unknown, boolean]> = [
    ['a Skype-format incoming call', { id: 'abc', participants: [], isMultiparty: false, callState: 'incoming', links: { callback: 'https://x' } }, true],
    ['a Skype conversationResult', { id: 'abc', conversationResult: {}, operationOutcome: { type: 'answerOutcome' } }, true],
    ['a Graph batch', batch(incoming(ID)), false],
    ['an object with id only', { id: 'abc' }, false],
    ['a non-string id', { id: 1, callState: 'incoming' }, false],
    ['null', null, false],
    ['an array', [{ id: 'a', callState: 'x' }], false],
    ['a value array with a legacy-looking id', { id: 'abc', callState: 'incoming', value: [] }, false],
  ];
  for (const [name, body, expected] of legacy) {
    it(`isLegacyNotification: ${name} → ${expected}`, () => assert.equal(isLegacyNotification(body), expected));
  }
});
