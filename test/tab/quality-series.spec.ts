// Audio quality over time from a call record: one point per segment for each person's sent and received audio
// streams, in time order, with figures converted (ISO durations → ms, loss rate → %); service endpoints (the
// conference, the bot) are nobody; video and empty streams are left out.
import assert from 'node:assert/strict';
import { qualitySeries } from '../../tab/server/quality-series.js';
import type { CallRecordData } from '../../comms/records/index.js';

const user = (id: string, displayName: string) => ({ '@odata.type': '#microsoft.graph.callRecords.participantEndpoint', associatedIdentity: { id, displayName } });
const service = { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint' };
const stream = (direction: string, jitter: string, loss: number, rtt: string) => ({ streamDirection: direction, averageJitter: jitter, maxJitter: 'PT0.1S', averagePacketLossRate: loss, averageRoundTripTime: rtt });
const segment = (start: string, end: string, caller: unknown, callee: unknown, streams: unknown[], label = 'main-audio') => ({ startDateTime: start, endDateTime: end, caller, callee, media: [{ label, streams }] });

describe('tab/server quality series', () => {
  it('a two-person call with two segments: each person\'s sent and received series, in order', () => {
    const amara = user('a1', 'Amara Okafor');
    const jonas = user('j1', 'Jonas Lindqvist');
    const record = {
      id: 'r1',
      sessions: [
        {
          caller: amara,
          callee: jonas,
          segments: [
            // out of order on purpose
            segment('2026-03-01T10:05:00Z', '2026-03-01T10:10:00Z', amara, jonas, [stream('callerToCallee', 'PT0.04S', 0.12, 'PT0.2S'), stream('calleeToCaller', 'PT0.01S', 0.001, 'PT0.1S')]),
            segment('2026-03-01T10:00:00Z', '2026-03-01T10:05:00Z', amara, jonas, [stream('callerToCallee', 'PT0.02S', 0.01, 'PT0.15S'), stream('calleeToCaller', 'PT0.005S', 0, 'PT0.09S')]),
          ],
        },
      ],
    } as unknown as CallRecordData;
    const series = qualitySeries(record);
    assert.deepEqual(series.map((p) => p.person.displayName), ['Amara Okafor', 'Jonas Lindqvist']);
    const amaraSent = series[0]!.streams.find((s) => s.direction === 'sent')!;
    assert.deepEqual(amaraSent.points.map((p) => [p.start, p.jitterMs, p.packetLossPercent, p.roundTripMs, p.maxJitterMs]), [
      ['2026-03-01T10:00:00Z', 20, 1, 150, 100],
      ['2026-03-01T10:05:00Z', 40, 12, 200, 100],
    ]);
    const jonasReceived = series[1]!.streams.find((s) => s.direction === 'received')!;
    assert.deepEqual(jonasReceived.points, amaraSent.points, 'what Amara sent is what Jonas received');
  });

  it('a meeting: the conference is nobody; a stream with no figures and video are left out', () => {
    const hana = user('h1', 'Hana Sato');
    const record = {
      id: 'r2',
      sessions: [
        {
          caller: hana,
          callee: service,
          segments: [
            segment('2026-03-01T10:00:00Z', '2026-03-01T10:30:00Z', hana, service, [stream('callerToCallee', 'PT0.01S', 0.02, 'PT0.05S'), stream('calleeToCaller', 'PT0.03S', 0.05, 'PT0.06S'), { streamDirection: 'callerToCallee' }]),
            segment('2026-03-01T10:00:00Z', '2026-03-01T10:30:00Z', hana, service, [stream('callerToCallee', 'PT0.5S', 0.5, 'PT1S')], 'main-video'),
          ],
        },
        { caller: service, callee: service, segments: [segment('2026-03-01T10:00:00Z', '2026-03-01T10:30:00Z', service, service, [stream('callerToCallee', 'PT0.01S', 0, 'PT0.01S')])] },
      ],
    } as unknown as CallRecordData;
    const series = qualitySeries(record);
    assert.equal(series.length, 1);
    assert.deepEqual(series[0]!.streams.map((s) => [s.direction, s.points.length, s.points[0]!.jitterMs]), [
      ['received', 1, 30],
      ['sent', 1, 10],
    ]);
  });

  it('hostile or broken segments are skipped, not thrown on', () => {
    const record = {
      id: 'r3',
      sessions: [{ segments: [null, 7, { startDateTime: 'not a date', endDateTime: '2026-03-01T10:00:00Z', media: [] }, { startDateTime: '2026-03-01T10:00:00Z', endDateTime: '2026-03-01T10:01:00Z', caller: user('x', 'X'), media: 'nope' }] }],
    } as unknown as CallRecordData;
    assert.deepEqual(qualitySeries(record), []);
  });
});
