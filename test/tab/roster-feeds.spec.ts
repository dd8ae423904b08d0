// Per-meeting live feeds: diffs and bot-state changes for one meeting go to that meeting's listeners, numbered; a
// position resumes exactly; a position from another feed (another instance, a restart, a dropped feed) resumes by
// roster version; one too far back, or from another feed without a version, cannot be mistaken for a current one
// (replay undefined → the client reloads).
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
    assert.equal(collect(A, 'ffffffff-1.1').sub.replay, undefined, 'another feed\'s position without a version');
    assert.equal(collect(A, 'garbage').sub.replay, undefined);
  });

  it('another feed\'s position resumes by roster version: the diffs held above it, in order, state events left to the route', () => {
    for (let v = 1; v <= 2; v += 1) bus.publish(diff(A, v));
    bus.publish({ type: 'meeting.state', meetingKey: A, state: 'leaving' });
    bus.publish(diff(A, 3));
    const [tag, , version] = feeds.position(A).split('.');
    assert.equal(version, '3', 'a position names the roster version');
    const versions = (from: string) => collect(A, from).sub.replay?.map((r) => (r.event.data as { version: number }).version);
    const elsewhere = collect(A, 'ffffffff-7.40.1');
    assert.equal(elsewhere.sub.byVersion, true);
    assert.deepEqual(elsewhere.sub.replay?.map((r) => r.event.type), ['roster', 'roster'], 'the state event is the route\'s to send, as it is now');
    assert.deepEqual(versions('ffffffff-7.40.1'), [2, 3]);
    assert.deepEqual(versions('ffffffff-7.40.3'), []);
    assert.equal(collect(A, `${tag}.1.1`).sub.byVersion, false, 'this feed\'s own position resumes by number');
    // Ids handed out carry the version, so the next reconnect can land anywhere.
    assert.match(elsewhere.sub.replay![0]!.id, new RegExp(`^${tag}\\.\\d+\\.2$`));
    // Held diffs that no longer reach the client's version: replayed all the same; the client sees the gap and reloads.
    for (let v = 4; v <= 6; v += 1) bus.publish(diff(A, v));
    assert.deepEqual(versions('ffffffff-7.40.1'), [4, 5, 6]);
  });

  it('a dropped feed comes back with a new tag: its old positions resume by version', () => {
    const old = feeds.position(A);
    feeds.position(B);
    feeds.position('19:meeting_c@thread.v2'); // evicts A (idle, least recently used)
    bus.publish(diff(A, 1));
    assert.notEqual(feeds.position(A).split('.')[0], old.split('.')[0]);
    const resumed = collect(A, old).sub;
    assert.equal(resumed.byVersion, true);
    assert.deepEqual(resumed.replay?.map((r) => (r.event.data as { version: number }).version), [1]);
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
