// The meetings service end to end over the real CallService and a local fake Graph: joining by link / meeting id /
// join meeting id, one call per meeting, the roster built from (duplicated, reordered) roster notifications and
// repaired from the participant list, meeting events, paced mute-all, leave, and re-attaching after a restart.
import assert from 'node:assert/strict';
import { CallService, type Participant } from '../../../comms/calls/index.js';
import { createHttpTransport, type HttpTransport } from '../../../comms/graph/index.js';
import { MEETING_EVENTS, MeetingError, MeetingService, MEETINGS_COLLECTION, type MeetingRecord, type RosterEntry } from '../../../comms/meetings/index.js';
import { EventBus, isEventOf, openSqliteStore, type CommsEvent, type CommsEventType, type Store } from '../../../comms/store/index.js';
import { FakeClock, settle } from '../calls/support/fake-clock.js';
import { FakeGraph, participant } from '../calls/support/fake-graph.js';
import { batch, roster, state, terminated } from '../calls/support/notifications.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ORGANIZER = '550fae72-d251-43ec-868c-373732c2704f';
const THREAD = '19:meeting_NDRiZjRiMmUtODI5OC00MzRlLTk1ZWEtMGY1MDAwMDAwMDAw@thread.v2';
const LINK = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(THREAD)}/0?context=${encodeURIComponent(JSON.stringify({ Tid: TENANT, Oid: ORGANIZER }))}`;
const CB = 'https://switchboard.contoso.com/api/calling';
const REPAIR_MS = 60_000;

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function seq(part: Record<string, unknown>, n: number): Record<string, unknown> {
  return { ...part, rosterSequenceNumber: n };
}

describe('comms/meetings service (CallService + fake Graph)', () => {
  let fake: FakeGraph;
  let transport: HttpTransport;
  let store: Store;
  let bus: EventBus;
  let events: CommsEvent[];
  let clock: FakeClock;
  let calls: CallService;
  let meetings: MeetingService;

  const logger = () => ({ info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined });
  const ofType = <T extends CommsEventType>(type: T) => events.filter(isEventOf(type));

  function makeMeetings(overrides: Partial<ConstructorParameters<typeof MeetingService>[0]> = {}): MeetingService {
    return new MeetingService({
      graph: fake.client(transport),
      calls,
      bus,
      store,
      logger: logger(),
      tenantId: TENANT,
      now: clock.now,
      timers: clock,
      repairIntervalMs: REPAIR_MS,
      ...overrides,
    });
  }

  async function deliver(...notes: Record<string, unknown>[]): Promise<void> {
    await calls.receive(batch(...notes), TENANT);
    await calls.idle();
    await settle();
  }

  before(async () => {
    fake = await FakeGraph.start();
    transport = createHttpTransport();
  });
  after(async () => {
    await transport.close();
    await fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    store = openSqliteStore(':memory:');
    bus = new EventBus();
    events = [];
    bus.subscribe((e) => events.push(e));
    clock = new FakeClock();
    calls = new CallService({
      graph: fake.client(transport),
      store,
      bus,
      logger: logger(),
      callbackUri: CB,
      appId: 'app-1',
      tenantId: TENANT,
      transport,
      recordingHosts: [],
      now: clock.now,
      timers: clock,
    });
    meetings = makeMeetings();
    await meetings.start();
  });
  afterEach(async () => {
    meetings.stop();
    calls.stop();
    await calls.idle();
    await store.close();
  });

  it('joins by link with the organizer meeting info from the link, and files the call under the meeting', async () => {
    const joined = await meetings.join({ link: LINK });
    assert.equal(joined.meetingKey, THREAD);
    assert.equal(joined.alreadyJoined, false);
    const [post] = fake.find('POST', '/v1.0/communications/calls');
    assert.ok(post);
    assert.deepEqual(post.body.chatInfo, { '@odata.type': '#microsoft.graph.chatInfo', threadId: THREAD, messageId: '0' });
    assert.equal(post.body.meetingInfo['@odata.type'], '#microsoft.graph.organizerMeetingInfo');
    assert.equal(post.body.meetingInfo.organizer.user.id, ORGANIZER);
    assert.equal(post.body.meetingInfo.organizer.user.tenantId, TENANT);
    assert.equal(post.body.tenantId, TENANT);
    const record = await store.get<MeetingRecord>(MEETINGS_COLLECTION, THREAD);
    assert.equal(record?.callId, joined.callId);
    assert.equal(record?.state, 'joining');
    assert.equal(record?.organizerId, ORGANIZER);
    const call = await calls.getCall(joined.callId);
    assert.equal(call?.purpose, 'meeting');
    assert.deepEqual(ofType(MEETING_EVENTS.state).map((e) => e.state), ['joining']);
  });

  it('joins a meeting once: a second join (by link or by chat) returns the same call', async () => {
    const first = await meetings.join({ link: LINK });
    const [second, third] = await Promise.all([meetings.join({ link: LINK }), meetings.join({ threadId: THREAD, organizerId: ORGANIZER, tenantId: TENANT })]);
    assert.equal(second.callId, first.callId);
    assert.equal(third.callId, first.callId);
    assert.equal(second.alreadyJoined, true);
    assert.equal(fake.find('POST', '/v1.0/communications/calls').length, 1);
  });

  it('refuses a link to another organization before placing anything', async () => {
    const strict = makeMeetings({ allowedTenants: ['aa67bd4c-8475-432d-bd41-39f255720e0a'] });
    try {
      await assert.rejects(strict.join({ link: LINK }), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/invalid-join-link');
      await assert.rejects(strict.join({ link: 'https://evil.example/l/meetup-join/x/0' }), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/invalid-join-link');
    } finally {
      strict.stop();
    }
    assert.equal(fake.find('POST', '/v1.0/communications/calls').length, 0);
  });

  it('joins by join meeting id (passcode sent to Graph, not stored) and by online meeting id', async () => {
    const byId = await meetings.join({ joinMeetingId: '2414128301281', passcode: 'NzhDLMLT8b07Dr' });
    const [post] = fake.find('POST', '/v1.0/communications/calls');
    assert.deepEqual(post!.body.meetingInfo, { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '2414128301281', passcode: 'NzhDLMLT8b07Dr' });
    assert.equal(byId.meetingKey, 'joinMeetingId:2414128301281');
    assert.doesNotMatch(JSON.stringify(await store.list(MEETINGS_COLLECTION)), /NzhDLMLT8b07Dr/);
    assert.equal((await meetings.roster('joinMeetingId:2414128301281')).callId, byId.callId);

    fake.on('GET', /^\/v1\.0\/users\/([^/]+)\/onlineMeetings\/([^/]+)$/, () => ({
      status: 200,
      body: {
        id: 'MSpkYzE3',
        subject: 'Planning',
        chatInfo: { threadId: '19:meeting_OTHERMEETING@thread.v2', messageId: '0' },
        participants: { organizer: { identity: { user: { id: ORGANIZER, tenantId: TENANT } } } },
      },
    }));
    const byMeeting = await meetings.join({ meetingId: 'MSpkYzE3', organizerId: ORGANIZER });
    assert.equal(byMeeting.meetingKey, '19:meeting_OTHERMEETING@thread.v2');
    const record = await meetings.getRecord(byMeeting.meetingKey);
    assert.equal(record?.onlineMeetingId, 'MSpkYzE3');
    assert.equal(record?.subject, 'Planning');
  });

  it('looks a meeting up by its link, as the organizer the link names', async () => {
    fake.on('GET', /^\/v1\.0\/users\/([^/]+)\/onlineMeetings$/, () => ({ status: 200, body: { value: [{ id: 'MSpkYzE3', subject: 'Planning', joinWebUrl: LINK }] } }));
    const meeting = await meetings.lookupByLink(LINK);
    assert.equal(meeting?.subject, 'Planning');
    assert.equal(fake.find('GET', `/v1.0/users/${ORGANIZER}/onlineMeetings`).length, 1);
    await assert.rejects(meetings.lookupByLink('https://teams.microsoft.com/meet/2414128301281?p=abc'), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/organizer-unknown');
    await assert.rejects(meetings.lookupByLink('https://teams.microsoft.com.evil.example/l/meetup-join/x/0'), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/invalid-join-link');
  });

  it('duplicated and reordered roster notifications give the same roster as ordered ones', async () => {
    const { callId } = await meetings.join({ link: LINK });
    const r1 = roster(callId, [seq(participant('p-1', 'u-1'), 1), seq(participant('p-2', 'u-2'), 1)]);
    const r2 = roster(callId, [seq(participant('p-1', 'u-1', { isMuted: true }), 2), seq(participant('p-2', 'u-2'), 2), seq(participant('p-3', 'u-3'), 2)]);
    const r3 = roster(callId, [seq(participant('p-1', 'u-1', { isMuted: true }), 3), seq(participant('p-3', 'u-3'), 3)]);
    for (const note of [r3, r1, r2, r3, r1, r2]) await deliver(note);
    const snap = await meetings.roster(THREAD);
    assert.deepEqual(
      snap.entries.map((e) => [e.id, e.isMuted]).sort(),
      [['p-1', true], ['p-3', false]],
    );
    // A client applying the published diffs ends at the snapshot.
    const client = new Map<string, RosterEntry>();
    for (const diff of ofType(MEETING_EVENTS.roster)) {
      for (const l of diff.left) client.delete(l.id);
      for (const j of diff.joined) client.set(j.id, j);
      for (const c of diff.changed) Object.assign(client.get(c.id)!, c.fields);
    }
    assert.deepEqual([...client.keys()].sort(), ['p-1', 'p-3']);
    assert.equal(snap.version, ofType(MEETING_EVENTS.roster).at(-1)!.version);

    // Delta rosters: a stale delta (lower sequence number) changes nothing.
    await deliver({ ...roster(callId, []), resourceData: { '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber: 5, participants: [participant('p-4', 'u-4')] } });
    await deliver({ ...roster(callId, []), resourceData: { sequenceNumber: 4, participants: [{ ...participant('p-1', 'u-1'), removedState: { reason: 'left' } }] } });
    assert.deepEqual((await meetings.roster(THREAD)).entries.map((e) => e.id).sort(), ['p-1', 'p-3', 'p-4']);
  });

  it('repairs the roster from the participant list: people present before the bot joined appear, missed leaves go', async () => {
    const { callId } = await meetings.join({ link: LINK });
    await deliver(roster(callId, [participant('p-1', 'u-1'), participant('p-gone', 'u-gone')]));
    fake.on('GET', /\/participants$/, () => ({ status: 200, body: { value: [participant('p-1', 'u-1'), participant('p-early', 'u-early', { isMuted: true })] } }));
    await clock.advance(REPAIR_MS);
    await until(async () => (await meetings.roster(THREAD)).entries.some((e) => e.id === 'p-early'), 'the repair');
    const snap = await meetings.roster(THREAD);
    assert.deepEqual(snap.entries.map((e) => e.id).sort(), ['p-1', 'p-early']);
    assert.ok(fake.find('GET', `/v1.0/communications/calls/${callId}/participants`).length >= 1);
    // …and again every interval.
    const before = fake.find('GET', /\/participants$/).length;
    await clock.advance(REPAIR_MS);
    await until(() => fake.find('GET', /\/participants$/).length > before, 'the next repair');
  });

  it('moves to joined when the call is established and repairs right away', async () => {
    const { callId } = await meetings.join({ link: LINK });
    fake.on('GET', /\/participants$/, () => ({ status: 200, body: { value: [participant('p-early', 'u-early')] } }));
    await deliver(state(callId, 'established'));
    await until(async () => (await meetings.roster(THREAD)).entries.length === 1, 'the first repair');
    assert.equal((await meetings.getRecord(THREAD))?.state, 'joined');
    assert.deepEqual(ofType(MEETING_EVENTS.state).map((e) => e.state), ['joining', 'joined']);
  });

  it('merges Teams meeting events into the roster, also before the bot joins', async () => {
    meetings.applyMeetingEvent(THREAD, { kind: 'join', userId: 'u-1', displayName: 'Adele', role: 'Organizer' });
    assert.deepEqual((await meetings.roster(THREAD)).entries.map((e) => [e.id, e.role]), [['user:u-1', 'Organizer']]);
    const { callId } = await meetings.join({ link: LINK });
    await deliver(roster(callId, [participant('p-1', 'u-1')]));
    const snap = await meetings.roster(THREAD);
    assert.deepEqual(snap.entries.map((e) => [e.id, e.role, e.displayName]), [['p-1', 'Organizer', 'User u-1']]);
    assert.throws(() => meetings.applyMeetingEvent('not-a-thread', { kind: 'join', userId: 'u-1' }), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/invalid-argument');
    assert.throws(() => meetings.applyMeetingEvent(THREAD, { kind: 'wave' as never, userId: 'u-1' }), (err: unknown) => err instanceof MeetingError);
  });

  it('meeting call events set the call state and the roster without the bot; stale (reordered) ones change nothing', async () => {
    const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 9, 0, s)).toISOString();
    const person = (userId: string, extra: { removed?: boolean; inLobby?: boolean } = {}) => ({ userId, displayName: `User ${userId}`, inLobby: extra.inLobby ?? false, removed: extra.removed ?? false });
    await meetings.applyCallEvent(THREAD, { eventType: 'callStarted', eventDateTime: t(1), participants: [] });
    await meetings.applyCallEvent(THREAD, { eventType: 'rosterUpdated', eventDateTime: t(2), participants: [person('u-1'), person('u-2', { inLobby: true })] });
    let view = await meetings.roster(THREAD);
    assert.deepEqual(view.meetingCall, { state: 'started', at: t(1) });
    assert.equal(view.callId, undefined);
    assert.deepEqual(view.entries.map((e) => [e.userId, e.inLobby]).sort(), [['u-1', false], ['u-2', true]]);
    // u-2 is admitted; u-1 leaves, and then u-1's join arrives again late (an earlier eventDateTime).
    await meetings.applyCallEvent(THREAD, { eventType: 'rosterUpdated', eventDateTime: t(4), participants: [person('u-2'), person('u-1', { removed: true })] });
    await meetings.applyCallEvent(THREAD, { eventType: 'rosterUpdated', eventDateTime: t(3), participants: [person('u-1')] });
    view = await meetings.roster(THREAD);
    assert.deepEqual(view.entries.map((e) => [e.userId, e.inLobby]), [['u-2', false]]);
    await meetings.applyCallEvent(THREAD, { eventType: 'callEnded', eventDateTime: t(6), participants: [] });
    await meetings.applyCallEvent(THREAD, { eventType: 'callStarted', eventDateTime: t(5), participants: [] });
    assert.deepEqual((await meetings.roster(THREAD)).meetingCall, { state: 'ended', at: t(6) });
    assert.deepEqual(ofType(MEETING_EVENTS.call).map((e) => e.state), ['started', 'ended'], 'the late callStarted was not published');
  });

  it('mutes everyone at most 5 a second, one result per person', async () => {
    const { callId } = await meetings.join({ link: LINK });
    const bot: Participant = { id: 'bot-leg', info: { identity: { application: { id: 'app-1', displayName: 'Switchboard' } } } } as Participant;
    await deliver(
      roster(callId, [
        participant('p-1', 'u-1'),
        participant('p-2', 'u-2', { isMuted: true }),
        participant('p-3', 'u-3'),
        participant('p-4', 'u-4'),
        participant('p-5', 'u-boss'),
        bot,
      ]),
    );
    meetings.applyMeetingEvent(THREAD, { kind: 'join', userId: 'u-late', displayName: 'Late' });
    fake.on('POST', /\/participants\/p-3\/mute$/, () => ({ status: 500, body: { error: { code: 'InternalServerError', message: 'boom' } } }));
    const mutes = () => fake.find('POST', /\/participants\/[^/]+\/mute$/).length;
    const timersBefore = clock.timerCount;
    // The pause between two mutes is a timer on the simulated clock: wait until it is set before moving time.
    const paused = () => until(() => clock.timerCount === timersBefore + 1, 'the pause between mutes');
    let done = false;
    const running = meetings.muteAll(THREAD, { except: ['u-boss'], pacingMs: 10 }).finally(() => (done = true));
    await until(() => mutes() === 1, 'the first mute');
    await paused();
    await clock.advance(199);
    assert.equal(mutes(), 1, 'no second request before 200 ms (pacing is never below 5/s)');
    await clock.advance(1);
    await until(() => mutes() === 2, 'the second mute');
    await paused();
    await clock.advance(199);
    assert.equal(mutes(), 2);
    await clock.advance(1);
    await until(() => mutes() === 3, 'the third mute');
    await until(() => done, 'mute-all to finish');
    const results = await running;
    assert.deepEqual(
      results.map((r) => [r.id, r.outcome, r.code]).sort(),
      [
        ['p-1', 'muted', undefined],
        ['p-2', 'already-muted', undefined],
        ['p-3', 'failed', 'graph/server-error'],
        ['p-4', 'muted', undefined],
        ['user:u-late', 'skipped', 'not-in-call-roster'],
      ],
    );
  });

  it('invites in requests of at most 5, mutes and removes one person', async () => {
    const { callId } = await meetings.join({ link: LINK });
    fake.on('POST', /\/participants\/invite$/, (req) => ({
      status: 200,
      body: { '@odata.type': '#microsoft.graph.inviteParticipantsOperation', id: `op-${req.body.participants.length}`, status: 'completed', participants: req.body.participants },
    }));
    const people = Array.from({ length: 7 }, (_, i) => ({ kind: 'user' as const, id: `00000000-0000-0000-0000-00000000000${i}` }));
    const ops = await meetings.invite(THREAD, people);
    assert.deepEqual(fake.find('POST', /\/participants\/invite$/).map((r) => r.body.participants.length), [5, 2]);
    assert.equal(ops.length, 2);
    await meetings.mute(THREAD, 'p-1');
    await meetings.remove(THREAD, 'p-1');
    assert.equal(fake.find('POST', `/v1.0/communications/calls/${callId}/participants/p-1/mute`).length, 1);
    assert.equal(fake.find('DELETE', `/v1.0/communications/calls/${callId}/participants/p-1`).length, 1);
  });

  it('leaves: hangs up the bot\'s leg, clears the roster when Graph confirms, then refuses controls', async () => {
    const { callId } = await meetings.join({ link: LINK });
    await deliver(roster(callId, [participant('p-1', 'u-1')]));
    const leaving = await meetings.leave(THREAD);
    assert.equal(leaving.state, 'leaving');
    assert.equal(fake.find('DELETE', `/v1.0/communications/calls/${callId}`).length, 1);
    await deliver(terminated(callId));
    await until(async () => (await meetings.getRecord(THREAD))?.state === 'left', 'left');
    const last = ofType(MEETING_EVENTS.roster).at(-1)!;
    assert.deepEqual(last.left.map((l) => l.id), ['p-1']);
    assert.equal(last.count, 0);
    assert.equal((await meetings.roster(THREAD)).count, 0);
    await assert.rejects(meetings.mute(THREAD, 'p-1'), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/not-joined');
    await assert.rejects(meetings.leave('19:meeting_unknown@thread.v2'), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/not-found');
    assert.deepEqual(ofType(MEETING_EVENTS.state).map((e) => e.state), ['joining', 'leaving', 'left']);
  });

  it('re-attaches the meetings it was in after a restart', async () => {
    const { callId } = await meetings.join({ link: LINK });
    await deliver(roster(callId, [participant('p-1', 'u-1'), participant('p-2', 'u-2')]));
    meetings.stop();
    const restarted = makeMeetings();
    try {
      await restarted.start();
      assert.deepEqual((await restarted.roster(THREAD)).entries.map((e) => e.id).sort(), ['p-1', 'p-2']);
      await deliver(roster(callId, [participant('p-2', 'u-2')]));
      assert.deepEqual((await restarted.roster(THREAD)).entries.map((e) => e.id), ['p-2']);
    } finally {
      restarted.stop();
    }
  });
});
