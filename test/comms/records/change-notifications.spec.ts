// The pure parts of call history: ISO-8601 durations, the validation-token echo, change/lifecycle notification
// parsing, the clientState comparison, next-link confinement, and the record summary (who, when, quality).
import assert from 'node:assert/strict';
import {
  clientStateMatches,
  graphPathOfLink,
  parseChangeNotifications,
  parseIsoDuration,
  RecordsError,
  summarizeCallRecord,
  validationResponse,
  type CallRecordData,
} from '../../../comms/records/index.js';

describe('comms/records pure parts', () => {
  it('parses ISO-8601 durations as callRecords print them', () => {
    const cases: Array<[unknown, number | undefined]> = [
      ['PT0.016S', 16],
      ['PT1S', 1_000],
      ['PT1M2.5S', 62_500],
      ['PT2H', 7_200_000],
      ['P1DT1H', 90_000_000],
      ['P2D', 172_800_000],
      ['PT0S', 0],
      ['PT', undefined],
      ['P', undefined],
      ['P1DT', undefined],
      ['-PT1S', undefined],
      ['PT1.S', undefined],
      ['1.5', undefined],
      ['P1Y', undefined],
      ['PT1H2H', undefined],
      ['', undefined],
      [null, undefined],
      [16, undefined],
      [`PT${'9'.repeat(80)}S`, undefined],
    ];
    for (const [input, expected] of cases) assert.equal(parseIsoDuration(input), expected, String(input));
  });

  describe('validation handshake', () => {
    const cases: Array<[string, unknown, string | undefined]> = [
      ['raw query, %-encoded', '?validationToken=Validation%3A%20Testing%20client%20application%20reachability', 'Validation: Testing client application reachability'],
      ['raw query without ?', 'validationToken=abc', 'abc'],
      ['a + in a raw query is a space', 'validationToken=a+b', 'a b'],
      ['an already-decoded query object', { validationToken: 'Validation: x<y' }, 'Validation: x<y'],
      ['a script token is returned as is (sent as text/plain)', { validationToken: '<script>alert(1)</script>' }, '<script>alert(1)</script>'],
      ['URLSearchParams', new URLSearchParams('validationToken=t%26k'), 't&k'],
      ['no token: a notification', { other: '1' }, undefined],
      ['an empty token', 'validationToken=', undefined],
      ['two tokens', 'validationToken=a&validationToken=b', undefined],
      ['an array from the HTTP layer', { validationToken: ['a', 'b'] }, undefined],
      ['an oversized token', { validationToken: 'x'.repeat(5_000) }, undefined],
      ['nothing', undefined, undefined],
    ];
    for (const [name, query, expected] of cases) it(name, () => assert.equal(validationResponse(query), expected));
  });

  it('parses change and lifecycle notifications, marking what is not valid', () => {
    const items = parseChangeNotifications({
      value: [
        {
          subscriptionId: 'sub-1',
          subscriptionExpirationDateTime: '2025-01-08T09:00:00Z',
          clientState: 'secret',
          changeType: 'created',
          resource: 'communications/callRecords/2f1a1100-b174-40a0-aba7-0b405e01ed92',
          resourceData: { '@odata.type': '#microsoft.graph.callrecord', '@odata.id': 'communications/callrecords/2f1a1100-b174-40a0-aba7-0b405e01ed92', id: '2f1a1100-b174-40a0-aba7-0b405e01ed92' },
          tenantId: 't',
        },
        { subscriptionId: 'sub-1', clientState: 'secret', changeType: 'Created', resource: "/communications/callRecords('0c2b9a5e-2b4b-4f25-9c5f-6a3e5f0f8a11')" },
        { subscriptionId: 'sub-1', clientState: 'secret', lifecycleEvent: 'reauthorizationRequired' },
        { subscriptionId: 'sub-1', clientState: 'secret', lifecycleEvent: 'somethingElse' },
        { subscriptionId: 'sub-1', clientState: 'secret', changeType: 'created', resource: '/users/abc/messages/1' },
        { subscriptionId: 'sub-1', changeType: 'created', resource: 'communications/callRecords/../../me' },
        { clientState: 'secret' },
        'junk',
      ],
    });
    assert.equal(items[0]!.kind, 'change');
    assert.equal(items[0]!.kind === 'change' && items[0]!.recordId, '2f1a1100-b174-40a0-aba7-0b405e01ed92');
    assert.equal(items[1]!.kind === 'change' && items[1]!.recordId, '0c2b9a5e-2b4b-4f25-9c5f-6a3e5f0f8a11');
    assert.equal(items[1]!.kind === 'change' && items[1]!.changeType, 'created');
    assert.deepEqual(items[2], { kind: 'lifecycle', subscriptionId: 'sub-1', clientState: 'secret', lifecycleEvent: 'reauthorizationRequired' });
    assert.equal(items[3]!.kind, 'invalid');
    assert.equal(items[4]!.kind === 'change' && items[4]!.recordId, undefined, 'not a call record');
    assert.equal(items[5]!.kind === 'change' && items[5]!.recordId, undefined, 'no path tricks');
    assert.equal(items[6]!.kind, 'invalid');
    assert.equal(items[7]!.kind, 'invalid');
    for (const bad of [undefined, null, 'x', [], { value: 'x' }, { value: Array.from({ length: 1_001 }, () => ({})) }]) {
      assert.throws(() => parseChangeNotifications(bad), (err: unknown) => err instanceof RecordsError && err.code === 'records/invalid-notification');
    }
  });

  it('compares clientState exactly', () => {
    assert.equal(clientStateMatches('s3cret', 's3cret'), true);
    for (const wrong of [undefined, '', 's3cre', 's3cret ', 'S3CRET']) assert.equal(clientStateMatches(wrong, 's3cret'), false, String(wrong));
  });

  it('follows a next link only inside the Graph base URL', () => {
    const base = 'https://graph.microsoft.com/v1.0';
    assert.equal(graphPathOfLink(base, `${base}/communications/callRecords/x/sessions?$skiptoken=abc`), '/communications/callRecords/x/sessions?$skiptoken=abc');
    assert.equal(
      graphPathOfLink(base, `${base}/$metadata#communications/callRecords('x')/sessions?$expand=segments&$skiptoken=abc`),
      "/communications/callRecords('x')/sessions?$expand=segments&$skiptoken=abc",
      'the example\'s $metadata# spelling',
    );
    for (const bad of [
      'https://evil.example/v1.0/communications/callRecords',
      'http://graph.microsoft.com/v1.0/communications/callRecords',
      'https://graph.microsoft.com/beta/communications/callRecords',
      'https://graph.microsoft.com.evil.example/v1.0/x',
      'https://user:pw@graph.microsoft.com/v1.0/x',
      'https://graph.microsoft.com:8443/v1.0/x',
      'https://graph.microsoft.com/v1.0/../beta/x',
      '//evil.example/v1.0/x',
    ]) {
      assert.throws(() => graphPathOfLink(base, bad), (err: unknown) => err instanceof RecordsError && err.code === 'records/invalid-response', bad);
    }
  });

  describe('record summary', () => {
    const ALICE = { id: 'a1111111-0000-0000-0000-000000000001', displayName: 'Alice', tenantId: 't' };
    const BOB = { id: 'b2222222-0000-0000-0000-000000000002', displayName: 'Bob', tenantId: 't' };
    const stream = (direction: string, jitter: string, loss: number, rtt: string, extra: Record<string, unknown> = {}) => ({
      streamId: `${direction}-${jitter}`,
      streamDirection: direction,
      averageJitter: jitter,
      maxJitter: 'PT0.2S',
      averagePacketLossRate: loss,
      maxPacketLossRate: loss * 2,
      averageRoundTripTime: rtt,
      maxRoundTripTime: 'PT1S',
      ...extra,
    });
    const record: CallRecordData = {
      id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
      version: 2,
      type: 'groupCall',
      modalities: ['audio'],
      startDateTime: '2020-02-25T18:52:21.2169889Z',
      endDateTime: '2020-02-25T19:52:46.7640013Z',
      joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/x',
      organizer_v2: { id: ALICE.id, identity: { user: ALICE } },
      participants_v2: [{ id: ALICE.id, identity: { user: ALICE } }, { id: BOB.id, identity: { user: BOB } }],
      sessions: [
        {
          id: 's1',
          modalities: ['audio', 'videoBasedScreenSharing'],
          caller: { '@odata.type': '#microsoft.graph.callRecords.participantEndpoint', associatedIdentity: { ...ALICE, userPrincipalName: 'alice@contoso.com' } },
          callee: { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint' },
          segments: [
            {
              id: 'seg1',
              media: [
                { label: 'main-audio', streams: [stream('callerToCallee', 'PT0.010S', 0.01, 'PT0.1S'), stream('calleeToCaller', 'PT0.020S', 0.03, 'PT0.3S')] },
                { label: 'main-video', streams: [stream('callerToCallee', 'PT0.9S', 0.9, 'PT9S')] },
              ],
            },
          ],
        },
        {
          id: 's2',
          caller: { '@odata.type': '#microsoft.graph.callRecords.participantEndpoint', identity: { user: BOB } },
          callee: { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint' },
          segments: [
            {
              id: 'seg2',
              media: [
                {
                  label: 'main-audio',
                  streams: [stream('callerToCallee', 'PT0.045S', 0.12, 'PT0.6S', { averageAudioDegradation: 1.4 }), stream('calleeToCaller', 'PT0.015S', 0.0, 'PT0.2S')],
                },
              ],
            },
          ],
        },
      ],
    };

    it('says who, when, how long, what kind and which modalities', () => {
      const s = summarizeCallRecord(record, Date.UTC(2020, 1, 26));
      assert.equal(s.type, 'groupCall');
      assert.equal(s.durationSeconds, 3626);
      assert.deepEqual(s.modalities, ['audio', 'videoBasedScreenSharing']);
      assert.equal(s.organizer?.displayName, 'Alice');
      assert.deepEqual(s.participants.map((p) => p.displayName).sort(), ['Alice', 'Bob']);
      assert.equal(s.sessionCount, 2);
      assert.equal(s.segmentCount, 2);
      assert.equal(s.version, 2);
    });

    it('averages audio quality per person, names their worst stream and flags poor audio', () => {
      const s = summarizeCallRecord(record);
      const alice = s.quality.find((q) => q.person.displayName === 'Alice')!;
      const bob = s.quality.find((q) => q.person.displayName === 'Bob')!;
      assert.equal(alice.streamCount, 2, 'video streams do not count for audio quality');
      assert.equal(alice.averageJitterMs, 15);
      assert.equal(alice.averagePacketLossRate, 0.02);
      assert.equal(alice.averageRoundTripTimeMs, 200);
      assert.equal(alice.poor, false);
      assert.equal(alice.worstStream?.direction, 'calleeToCaller');
      assert.equal(bob.poor, true);
      assert.equal(bob.worstStream?.averageJitterMs, 45);
      assert.equal(bob.worstStream?.averageAudioDegradation, 1.4);
      assert.equal(s.poorQuality, true);
      assert.equal(s.quality[0]!.person.displayName, 'Bob', 'poor first');
    });

    it('copes with a bare record (no sessions, no people)', () => {
      const s = summarizeCallRecord({ id: 'x', sessions: [] } as CallRecordData);
      assert.deepEqual([s.type, s.participants, s.quality, s.poorQuality, s.durationSeconds], ['unknown', [], [], false, undefined]);
    });
  });
});
