// The side panel's live roster stream: diffs for that meeting only, numbered; a client that drops its connection and
// comes back with Last-Event-ID gets exactly what it missed (versions consecutive, the result equal to the roster);
// a position from another feed (another instance, a restart) resumes by roster version with the bot's state beside it;
// one it cannot resume from at all gets `reset`; closing the stream ends it on the server too; the server can cut
// every stream and clients resume.
import assert from 'node:assert/strict';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { MeetingFactsReader } from '../../tab/server/meeting-facts.js';
import { loadWebModule } from './load-web-module.js';
import { meetingPath, meetingWithBot, openSse, personJoins, personLeaves, personMutes, tabJson, tabToken, type OpenSse, type SseMessage, type TabMeeting } from './tab-helpers.js';

interface Parser {
  push(text: string): SseMessage[];
}
interface Model {
  version: number;
  entries: Map<string, { id: string; isMuted: boolean; displayName: string }>;
  apply(diff: unknown): 'applied' | 'stale' | 'gap';
}

describe('tab roster stream (SSE)', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let meeting: TabMeeting;
  let token: string;
  let Parser: new () => Parser;
  let Model: new (snapshot: unknown) => Model;

  before(async () => {
    ({ SseParser: Parser } = await loadWebModule<{ SseParser: new () => Parser }>('tab/web/sse-parser.ts'));
    ({ RosterModel: Model } = await loadWebModule<{ RosterModel: new (s: unknown) => Model }>('tab/web/roster-model.ts'));
    app = await startLocalSwitchboard({ emulatorOptions: { rosterBatchMs: 20 } });
    meeting = await meetingWithBot(app);
    token = await tabToken(app, 'mateo');
  });
  after(async () => {
    await app?.stop();
  });

  async function open(lastEventId: string | undefined, key = meeting.meetingKey): Promise<OpenSse> {
    const stream = await openSse(app, meetingPath(key, '/stream'), { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, Parser);
    assert.equal(stream.status, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    assert.equal(stream.headers['cache-control'], 'no-store');
    return stream;
  }

  const rosterEvents = (messages: SseMessage[]) => messages.filter((m) => m.event === 'roster');
  const versionOf = (m: SseMessage) => (JSON.parse(m.data) as { version: number }).version;

  it('resumes from Last-Event-ID with no missed diff: versions consecutive, the result equal to the roster', async () => {
    const snapshot = (await tabJson(app, token, 'GET', meetingPath(meeting.meetingKey))).body;
    const model = new Model(snapshot.roster);

    const first = await open(snapshot.stream.lastEventId);
    await personJoins(app, meeting.meetingKey, 'jonas');
    await first.waitFor((m) => rosterEvents(m).some((e) => e.data.includes('Jonas Lindqvist')), 'Jonas joining');
    const seen = rosterEvents(first.messages);
    for (const m of seen) assert.equal(model.apply(JSON.parse(m.data)), 'applied', `diff ${versionOf(m)}`);
    const resumeFrom = seen.at(-1)!.id!;
    assert.match(resumeFrom, /^[0-9a-f]{8}-\d+\.\d+\.\d+$/);
    await first.close();

    // While nobody listens: a mute, a join and a leave.
    await personMutes(app, meeting.meetingKey, 'jonas');
    await personJoins(app, meeting.meetingKey, 'hana');
    await personJoins(app, meeting.meetingKey, 'grace');
    await personLeaves(app, meeting.meetingKey, 'grace');
    const target = await eventually(async () => {
      const r = await app.meetings.roster(meeting.meetingKey);
      const names = r.entries.map((e) => e.displayName);
      return names.includes('Hana Sato') && !names.includes('Grace Whitfield') && r.entries.find((e) => e.displayName === 'Jonas Lindqvist')?.isMuted && r;
    }, 'the changes in the roster');

    const second = await open(resumeFrom);
    await second.waitFor((m) => rosterEvents(m).some((e) => versionOf(e) >= target.version), `replay up to version ${target.version}`);
    const replayed = rosterEvents(second.messages);
    assert.equal(versionOf(replayed[0]!), model.version + 1, 'the replay starts right after the last diff seen');
    for (const m of replayed) assert.equal(model.apply(JSON.parse(m.data)), 'applied', `replayed diff ${versionOf(m)} follows on`);
    assert.equal(model.version, target.version);
    const mine = [...model.entries.values()].map((e) => `${e.displayName}:${e.isMuted}`).sort();
    const truth = target.entries.map((e) => `${e.displayName}:${e.isMuted}`).sort();
    assert.deepEqual(mine, truth);
    await second.close();
  });

  it('a position from another process or feed resumes by roster version: the diffs above it, then the bot\'s state as it is now', async () => {
    const snapshot = (await tabJson(app, token, 'GET', meetingPath(meeting.meetingKey))).body;
    const model = new Model(snapshot.roster);
    await personJoins(app, meeting.meetingKey, 'amara');
    await personMutes(app, meeting.meetingKey, 'amara');
    const target = await eventually(async () => {
      const r = await app.meetings.roster(meeting.meetingKey);
      return r.entries.find((e) => e.displayName === 'Amara Okafor')?.isMuted && r;
    }, 'Amara in, muted');
    // As another instance (or this one before a restart) would have numbered it: a foreign tag, the same version.
    const stream = await open(`deadbeef-1.999.${model.version}`);
    await stream.waitFor((m) => m.some((x) => x.event === 'state'), 'the bot\'s state');
    const replayed = rosterEvents(stream.messages);
    assert.equal(versionOf(replayed[0]!), model.version + 1, 'the replay starts right above the client\'s version');
    for (const m of replayed) assert.equal(model.apply(JSON.parse(m.data)), 'applied', `replayed diff ${versionOf(m)} follows on`);
    assert.equal(model.version, target.version);
    assert.equal([...model.entries.values()].find((e) => e.displayName === 'Amara Okafor')?.isMuted, true);
    assert.deepEqual(JSON.parse(stream.messages.find((x) => x.event === 'state')!.data).state, 'joined');
    assert.ok(!stream.messages.some((x) => x.event === 'reset'));
    await stream.close();
  });

  it('resumed by version: a state change between the membership read and the subscription still arrives (read again once subscribed)', async () => {
    const snapshot = (await tabJson(app, token, 'GET', meetingPath(meeting.meetingKey))).body;
    // The route's first read is stale, as if the bot's state changed (and its event went by) just after it.
    const read = MeetingFactsReader.prototype.read;
    let reads = 0;
    MeetingFactsReader.prototype.read = async function (this: MeetingFactsReader, key: string) {
      const facts = await read.call(this, key);
      reads += 1;
      return reads === 1 && facts.record ? { ...facts, record: { ...facts.record, state: 'joining' as const } } : facts;
    };
    let stream: OpenSse | undefined;
    try {
      stream = await open(`deadbeef-1.999.${new Model(snapshot.roster).version}`);
      await stream.waitFor((m) => m.filter((x) => x.event === 'state').length >= 2, 'the state as read, then as it is once subscribed');
    } finally {
      MeetingFactsReader.prototype.read = read;
    }
    const states = stream.messages.filter((x) => x.event === 'state').map((x) => JSON.parse(x.data).state);
    assert.deepEqual(states, ['joining', 'joined'], 'the stale state is corrected by the read after subscribing');
    await stream.close();
  });

  it('a position that says nothing usable (another feed\'s, no version) gets `reset` (reload the snapshot), then live diffs', async () => {
    const stream = await open('deadbeef-1.3');
    await stream.waitFor((m) => m.some((x) => x.event === 'reset'), 'reset');
    const view = (await tabJson(app, token, 'GET', meetingPath(meeting.meetingKey))).body;
    assert.ok(view.stream.lastEventId);
    await personLeaves(app, meeting.meetingKey, 'hana');
    await stream.waitFor((m) => rosterEvents(m).some((e) => e.data.includes('Hana Sato')), 'Hana leaving, live');
    await stream.close();
  });

  it('only this meeting\'s diffs; a `connected` comment first; closing it ends the server side', async () => {
    const other = await meetingWithBot(app, 'Another meeting');
    const stream = await open(undefined);
    await stream.waitFor(() => stream.raw.join('').includes(': connected'), 'connected comment');
    assert.equal(app.tab.feeds.openStreams, 1);
    await personJoins(app, other.meetingKey, 'elif');
    await personJoins(app, meeting.meetingKey, 'priya');
    await stream.waitFor((m) => rosterEvents(m).some((e) => e.data.includes('Priya Raman')), 'Priya');
    assert.ok(!rosterEvents(stream.messages).some((e) => e.data.includes('Elif Demir')), 'no diff from the other meeting');
    await stream.close();
    await eventually(() => app.tab.feeds.openStreams === 0, 'the server closed its side');
  });

  it('the server cutting every stream: the client resumes from its last id and misses nothing', async () => {
    const snapshot = (await tabJson(app, token, 'GET', meetingPath(meeting.meetingKey))).body;
    const model = new Model(snapshot.roster);
    const stream = await open(snapshot.stream.lastEventId);
    await eventually(() => app.tab.feeds.openStreams === 1, 'stream open');
    app.tab.disconnectStreams();
    await stream.ended;
    await personMutes(app, meeting.meetingKey, 'priya');
    const target = await eventually(async () => {
      const r = await app.meetings.roster(meeting.meetingKey);
      return r.entries.find((e) => e.displayName === 'Priya Raman')?.isMuted && r;
    }, 'Priya muted');
    const resumed = await open(snapshot.stream.lastEventId);
    await resumed.waitFor((m) => rosterEvents(m).some((e) => versionOf(e) >= target.version), 'the mute, replayed');
    for (const m of rosterEvents(resumed.messages)) assert.equal(model.apply(JSON.parse(m.data)), 'applied');
    assert.equal([...model.entries.values()].find((e) => e.displayName === 'Priya Raman')?.isMuted, true);
    await resumed.close();
  });
});
