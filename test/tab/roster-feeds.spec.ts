// Per-meeting live feeds: diffs and bot-state changes for one meeting go to that meeting's listeners, numbered; a
// position resumes exactly; a position from another process, a dropped feed or too far back cannot be mistaken for
// a current one (replay undefined → the client reloads).
import assert from 'node:assert/strict';
import { EventBus } from '../../comms/store/index.js';
import { RosterFeeds } from '../../tab/server/roster-feeds.js';

const A = '19:meeting_a@thread.v2';
const B = '19:meeting_b@thread.v2';

function diff(meetingKey: string, version: number) {
  return { type: 'meeting.roster' as const, meetingKey, joined: [], left: [], changed: [{ id: `p${version}`, fields: { isMuted: true } }], count: 1, version };
}

describe('tab/server roster feeds', () => {
  let bus: EventBus;
  let feeds: RosterFeeds;
  beforeEach(() => {
    bus = new EventBus();
    feeds = new RosterFeeds(bus, { capacity: 3, maxFeeds: 2 });
    feeds.start();
  });
  afterEach(() => feeds.stop());

  const collect = (key: string, from?: string) => {
    const got: Array<{ type: string; id: string; data: any }> = [];
    let ended = false;
    const sub = feeds.subscribe(key, from, { send: (e, id) => got.push({ type: e.type, id, data: e.data }), end: () => (ended = true) });
    return { got, sub, ended: () => ended };
  };

  it('delivers a meeting\'s roster diffs and bot state, not other meetings\'', () => {
    const a = collect(A);
    bus.publish(diff(A, 1));
    bus.publish(diff(B, 1));
    bus.publish({ type: 'meeting.state', meetingKey: A, state: 'leaving', callId: 'c1' });
    bus.publish({ type: 'call.state', callId: 'c1', state: 'terminated', previous: 'established' });
    assert.deepEqual(a.got.map((g) => [g.type, g.data.version ?? g.data.state]), [['roster', 1], ['state', 'leaving']]);
    assert.equal(a.got[0]!.data.meetingKey, undefined, 'the meeting key is the URL\'s, not repeated');
  });

  it('resumes from a position with exactly what came after it', () => {
    const start = feeds.position(A);
    bus.publish(diff(A, 1));
    bus.publish(diff(A, 2));
    const resumed = collect(A, start);
    assert.deepEqual(resumed.sub.replay?.map((r) => r.event.data), [diff(A, 1), diff(A, 2)].map(({ type: _t, meetingKey: _m, ...rest }) => rest));
    const middle = resumed.sub.replay![0]!.id;
    assert.deepEqual(collect(A, middle).sub.replay?.map((r) => (r.event.data as { version: number }).version), [2]);
    assert.deepEqual(collect(A, feeds.position(A)).sub.replay, []);
  });

  it('cannot resume: too far back, another process\'s tag, nonsense', () => {
    const start = feeds.position(A);
    for (let v = 1; v <= 5; v += 1) bus.publish(diff(A, v));
    assert.equal(collect(A, start).sub.replay, undefined, 'the backlog holds 3');
    const [tag] = feeds.position(A).split('.');
    assert.notEqual(tag, 'ffffffff-1');
    assert.equal(collect(A, 'ffffffff-1.1').sub.replay, undefined);
    assert.equal(collect(A, 'garbage').sub.replay, undefined);
  });

  it('a dropped feed comes back with a new tag: its old positions reset', () => {
    const old = feeds.position(A);
    feeds.position(B);
    feeds.position('19:meeting_c@thread.v2'); // evicts A (idle, least recently used)
    bus.publish(diff(A, 1));
    assert.notEqual(feeds.position(A).split('.')[0], old.split('.')[0]);
    assert.equal(collect(A, old).sub.replay, undefined);
  });

  it('a feed with listeners is never evicted; disconnectAll ends every listener', () => {
    const a = collect(A);
    feeds.position(B);
    feeds.position('19:meeting_c@thread.v2');
    bus.publish(diff(A, 1));
    assert.equal(a.got.length, 1);
    assert.equal(feeds.openStreams, 1);
    feeds.disconnectAll();
    assert.equal(a.ended(), true);
    assert.equal(feeds.openStreams, 0);
  });
});
