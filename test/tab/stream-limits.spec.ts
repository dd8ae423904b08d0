// Caps on the side panel's roster streams (issue 12, item 13): per user in a meeting, per user, per meeting. A stream
// over a cap is refused with 429 `tab/too-many-streams` before it opens, and closing streams frees their slots.
import assert from 'node:assert/strict';
import { request } from 'undici';
import { MAX_STREAMS_PER_USER_PER_MEETING, StreamLimits } from '../../tab/server/stream-limits.js';
import { TabError } from '../../tab/server/tab-error.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { meetingPath, meetingWithBot, tabToken, type TabMeeting } from './tab-helpers.js';

function refusedWithTooMany(open: () => unknown): void {
  assert.throws(open, (err: unknown) => err instanceof TabError && err.code === 'tab/too-many-streams' && err.status === 429);
}

describe('tab stream limits', () => {
  it('caps one user in one meeting, and a release frees exactly one slot (twice is harmless)', () => {
    const limits = new StreamLimits({ perUserPerMeeting: 3, perUser: 100, perMeeting: 100 });
    const releases = [1, 2, 3].map(() => limits.acquire('t/u1', 'm1'));
    refusedWithTooMany(() => limits.acquire('t/u1', 'm1'));
    limits.acquire('t/u2', 'm1'); // another user in the same meeting is not affected
    limits.acquire('t/u1', 'm2'); // nor the same user in another meeting
    releases[0]!();
    releases[0]!();
    limits.acquire('t/u1', 'm1');
    refusedWithTooMany(() => limits.acquire('t/u1', 'm1'));
    assert.equal(limits.open, 5);
  });

  it('caps one user across meetings', () => {
    const limits = new StreamLimits({ perUserPerMeeting: 2, perUser: 5, perMeeting: 100 });
    for (let i = 0; i < 5; i += 1) limits.acquire('t/u1', `m${Math.floor(i / 2)}`);
    refusedWithTooMany(() => limits.acquire('t/u1', 'm9'));
    limits.acquire('t/u2', 'm9');
  });

  it('caps one meeting across users', () => {
    const limits = new StreamLimits({ perUserPerMeeting: 5, perUser: 20, perMeeting: 4 });
    const releases = [1, 2, 3, 4].map((n) => limits.acquire(`t/u${n}`, 'm1'));
    refusedWithTooMany(() => limits.acquire('t/u5', 'm1'));
    limits.acquire('t/u5', 'm2');
    releases[3]!();
    limits.acquire('t/u5', 'm1');
  });

  it('keys users by tenant and meetings exactly (no collisions through separators)', () => {
    const limits = new StreamLimits({ perUserPerMeeting: 1, perUser: 100, perMeeting: 100 });
    limits.acquire('a', 'b","c');
    limits.acquire('a","b', 'c');
    assert.equal(limits.open, 2);
  });
});

describe('tab stream limits over HTTP (end to end)', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let meeting: TabMeeting;
  let token: string;

  before(async () => {
    app = await startLocalSwitchboard();
    meeting = await meetingWithBot(app);
    token = await tabToken(app, 'mateo');
  });
  after(async () => {
    await app?.stop();
  });

  async function open(): Promise<{ status: number; body?: any; close: () => void }> {
    const controller = new AbortController();
    const res = await request(app.url + meetingPath(meeting.meetingKey, '/stream'), {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (res.statusCode !== 200) return { status: res.statusCode, body: await res.body.json(), close: () => undefined };
    res.body.on('error', () => undefined);
    res.body.resume();
    return { status: 200, close: () => controller.abort() };
  }

  it('300 streams from one user: the first few open, every other one gets 429 tab/too-many-streams; closing frees slots', async () => {
    const streams = await Promise.all(Array.from({ length: 300 }, () => open()));
    const opened = streams.filter((s) => s.status === 200);
    const refused = streams.filter((s) => s.status !== 200);
    assert.equal(opened.length, MAX_STREAMS_PER_USER_PER_MEETING);
    assert.equal(refused.length, 300 - MAX_STREAMS_PER_USER_PER_MEETING);
    for (const r of refused) {
      assert.equal(r.status, 429);
      assert.equal(r.body.error.code, 'tab/too-many-streams');
      assert.match(r.body.error.message, /close one/);
    }
    assert.equal(app.tab.feeds.openStreams, MAX_STREAMS_PER_USER_PER_MEETING, 'refused streams never subscribed');

    // Another person in the same meeting is not affected.
    const amara = await request(app.url + meetingPath(meeting.meetingKey, '/stream'), { headers: { authorization: `Bearer ${await tabToken(app, 'amara')}` } });
    assert.equal(amara.statusCode, 200);
    amara.body.on('error', () => undefined);
    amara.body.destroy();

    opened[0]!.close();
    opened[1]!.close();
    await eventually(() => app.tab.feeds.openStreams === MAX_STREAMS_PER_USER_PER_MEETING - 2, 'the server closed two streams');
    const again = await Promise.all([open(), open(), open()]);
    assert.deepEqual(again.map((s) => s.status).sort(), [200, 200, 429]);
    for (const s of [...opened, ...again]) s.close();
    await eventually(() => app.tab.feeds.openStreams === 0, 'every stream closed');
    const afterAll = await open();
    assert.equal(afterAll.status, 200, 'all slots free again');
    afterAll.close();
  });
});
