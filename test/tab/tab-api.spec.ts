// The tab API against a real local Switchboard and the emulator: no valid user token, no answer (401 before anything
// is read); only a meeting's people see it (403 otherwise) and only its organizer and presenters control it (403 for
// an attendee); the controls reach the emulated meeting (a mute from the API mutes the person there); the personal
// tab's routes answer only about the signed-in user; the sign-in stand-in exists only in local mode.
import assert from 'node:assert/strict';
import restify from 'restify';
import { registerDevRoutes } from '../../tab/server/dev-routes.js';
import { createHttpTransport } from '../../comms/graph/index.js';
import { jsonBody } from '../../server/http-server.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { emulatorPeople, meetingPath, meetingWithBot, personJoins, tabJson, tabToken, type TabMeeting } from './tab-helpers.js';

describe('tab API', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let meeting: TabMeeting;
  const tokens: Record<string, string> = {};

  before(async () => {
    app = await startLocalSwitchboard({ emulatorOptions: { rosterBatchMs: 20 } });
    meeting = await meetingWithBot(app);
    for (const who of ['mateo', 'amara', 'priya', 'jonas', 'elif', 'hana'] as const) tokens[who] = await tabToken(app, who);
    for (const who of ['mateo', 'priya', 'hana'] as const) await personJoins(app, meeting.meetingKey, who);
    await eventually(async () => (await app.meetings.roster(meeting.meetingKey)).entries.filter((e) => !e.isBot).length === 3, 'three people in the roster');
  });
  after(async () => {
    await app?.stop();
  });

  const key = () => meeting.meetingKey;
  const routes = (): Array<['GET' | 'POST', string, unknown?]> => [
    ['GET', '/api/tab/me'],
    ['GET', '/api/tab/calls'],
    ['GET', '/api/tab/calls/0b3f6ee0-3b1d-4c1e-9d5a-6a3e2b1c0d9f'],
    ['GET', '/api/tab/reminders'],
    ['GET', meetingPath(key())],
    ['GET', meetingPath(key(), '/presence')],
    ['GET', meetingPath(key(), '/stream')],
    ['POST', meetingPath(key(), '/join'), {}],
    ['POST', meetingPath(key(), '/leave'), {}],
    ['POST', meetingPath(key(), '/mute'), { participantId: 'x' }],
    ['POST', meetingPath(key(), '/mute-all'), {}],
    ['POST', meetingPath(key(), '/invite'), { people: ['jonas.lindqvist@switchboard.test'] }],
    ['POST', meetingPath(key(), '/announce'), { text: 'hello' }],
  ];

  it('every API route: 401 tab/unauthenticated without a token, tab/invalid-token with a bad one, and nothing happens', async () => {
    const graphToken = (await app.emulatorJson('POST', '/emulator/users/amara.okafor@switchboard.test/token', { audience: 'https://graph.microsoft.com' })).body.access_token as string;
    const expired = (await app.emulatorJson('POST', '/emulator/users/amara.okafor@switchboard.test/token', { audience: app.config.app.id, expiresInSeconds: -900 })).body.access_token as string;
    const cases: Array<[string, string | undefined, string]> = [
      ['no header', undefined, 'tab/unauthenticated'],
      ['garbage', 'not-a-jwt', 'tab/unauthenticated'],
      ['a token for Graph', graphToken, 'tab/invalid-token'],
      ['an expired token', expired, 'tab/invalid-token'],
    ];
    const peopleBefore = JSON.stringify(await emulatorPeople(app, key()));
    for (const [method, path, body] of routes()) {
      for (const [name, token, code] of cases) {
        const res = await tabJson(app, token, method, path, body);
        assert.equal(res.status, 401, `${method} ${path} with ${name}`);
        assert.equal(res.body.error.code, code, `${method} ${path} with ${name}`);
        assert.equal(res.headers['www-authenticate'], 'Bearer');
      }
    }
    assert.equal(JSON.stringify(await emulatorPeople(app, key())), peopleBefore, 'nobody was muted, invited or removed');
    assert.equal((await app.meetings.getRecord(key()))?.state, 'joined', 'the bot is still in the meeting');
  });

  it('me: who the token says, never what the browser says', async () => {
    const res = await tabJson(app, tokens.amara, 'GET', '/api/tab/me');
    assert.equal(res.status, 200);
    assert.equal(res.body.user.id, meeting.ids.amara);
    assert.equal(res.body.user.upn, 'amara.okafor@switchboard.test');
    assert.equal(res.body.mode, 'local');
  });

  it('the organizer gets the meeting, the roster with presence, canControl and a stream position', async () => {
    const res = await tabJson(app, tokens.mateo, 'GET', meetingPath(key()));
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const view = res.body;
    assert.equal(view.meeting.meetingKey, key());
    assert.equal(view.meeting.subject, 'Quarterly planning');
    assert.equal(view.meeting.organizer.id, meeting.ids.mateo);
    assert.equal(view.meeting.organizer.displayName, 'Mateo Alvarez');
    assert.match(view.meeting.joinWebUrl, /^https:\/\//);
    assert.ok(view.meeting.start && view.meeting.end);
    assert.deepEqual(view.meeting.bot, { state: 'joined', inMeeting: true });
    assert.equal(view.meeting.roles[meeting.ids.amara], 'presenter');
    assert.equal(view.meeting.roles[meeting.ids.mateo], 'organizer');
    assert.deepEqual(view.permissions, { role: 'organizer', canControl: true });
    const people = view.roster.entries.filter((e: any) => !e.isBot).map((e: any) => e.displayName).sort();
    assert.deepEqual(people, ['Hana Sato', 'Mateo Alvarez', 'Priya Raman']);
    assert.equal(typeof view.roster.version, 'number');
    assert.ok(view.presence[meeting.ids.priya]?.availability, 'presence per person');
    assert.match(view.stream.lastEventId, /^[0-9a-f]{8}-\d+\.\d+\.\d+$/);
  });

  it('who sees the meeting: invited presenter and attendees, and anyone present; 403 tab/not-a-participant for anyone else', async () => {
    const cases: Array<[string, number, boolean | undefined]> = [
      ['amara', 200, true], // invited presenter, not present
      ['jonas', 200, false], // invited attendee, not present
      ['priya', 200, false], // invited attendee, present
      ['hana', 200, false], // not invited, present
      ['elif', 403, undefined], // neither
    ];
    for (const [who, status, canControl] of cases) {
      const res = await tabJson(app, tokens[who], 'GET', meetingPath(key()));
      assert.equal(res.status, status, who);
      if (status === 200) assert.equal(res.body.permissions.canControl, canControl, who);
      else {
        assert.equal(res.body.error.code, 'tab/not-a-participant');
        assert.match(res.body.error.message, /not in this meeting/);
        assert.equal(res.body.roster, undefined, 'nothing about the meeting leaks');
      }
    }
    for (const path of ['/presence', '/stream']) {
      const res = await tabJson(app, tokens.elif, 'GET', meetingPath(key(), path));
      assert.equal(res.status, 403, path);
    }
  });

  it('controls: 403 tab/not-allowed for an attendee, 403 tab/not-a-participant for an outsider — and nothing is done', async () => {
    const priya = (await app.meetings.roster(key())).entries.find((e) => e.userId === meeting.ids.priya)!;
    const controls: Array<[string, unknown]> = [
      ['/mute', { participantId: priya.id }],
      ['/mute-all', {}],
      ['/leave', {}],
      ['/join', {}],
      ['/invite', { people: ['elif.demir@switchboard.test'] }],
      ['/announce', { text: 'Hello everyone' }],
    ];
    for (const [who, code] of [['priya', 'tab/not-allowed'], ['hana', 'tab/not-allowed'], ['elif', 'tab/not-a-participant']] as const) {
      for (const [path, body] of controls) {
        const res = await tabJson(app, tokens[who], 'POST', meetingPath(key(), path), body);
        assert.equal(res.status, 403, `${who} ${path}`);
        assert.equal(res.body.error.code, code, `${who} ${path}`);
      }
    }
    assert.equal((await emulatorPeople(app, key())).find((p) => p.personId === meeting.ids.priya)?.isMuted, false);
    assert.equal((await app.meetings.getRecord(key()))?.state, 'joined');
  });

  it('an unknown meeting is 404 tab/meeting-unknown; a key that is not a meeting id is 400', async () => {
    const unknown = await tabJson(app, tokens.mateo, 'GET', meetingPath('19:meeting_NotKnownToTheBot0000000000000000@thread.v2'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'tab/meeting-unknown');
    for (const notAKey of ['not-a-meeting', '19:meeting_x@thread.v2\'', 'joinMeetingId:12']) {
      const bad = await tabJson(app, tokens.mateo, 'GET', meetingPath(notAKey));
      assert.equal(bad.status, 400, notAKey);
      assert.equal(bad.body.error.code, 'tab/invalid-request', notAKey);
    }
  });

  it('bodies are checked: unknown fields, a long announcement, a UPN that is not one → 400 tab/invalid-request', async () => {
    const cases: Array<[string, unknown]> = [
      ['/mute', { participantId: 'a b' }],
      ['/mute', { participantId: 'x', extra: 1 }],
      ['/announce', { text: 'x'.repeat(301) }],
      ['/announce', { text: '   ' }],
      ['/announce', { text: 'bell\u0007' }],
      ['/invite', { people: [] }],
      ['/invite', { people: ["x') or 1 eq 1"] }],
      ['/invite', { people: Array.from({ length: 21 }, (_v, i) => `p${i}@switchboard.test`) }],
      ['/mute-all', { everyone: true }],
    ];
    for (const [path, body] of cases) {
      const res = await tabJson(app, tokens.amara, 'POST', meetingPath(key(), path), body);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body).slice(0, 60)}`);
      assert.equal(res.body.error.code, 'tab/invalid-request');
    }
  });

  it('mute from the API (a presenter) mutes the person in the emulated meeting', async () => {
    const priya = (await app.meetings.roster(key())).entries.find((e) => e.userId === meeting.ids.priya)!;
    const res = await tabJson(app, tokens.amara, 'POST', meetingPath(key(), '/mute'), { participantId: priya.id });
    assert.equal(res.status, 202);
    await eventually(async () => (await emulatorPeople(app, key())).find((p) => p.personId === meeting.ids.priya)?.isMuted === true, 'Priya muted in the emulator');
    await eventually(async () => (await app.meetings.roster(key())).entries.find((e) => e.id === priya.id)?.isMuted === true, 'Priya muted in the roster');
    const gone = await tabJson(app, tokens.amara, 'POST', meetingPath(key(), '/mute'), { participantId: 'no-such-participant' });
    assert.equal(gone.status, 404);
  });

  it('mute all: per-person results (the asker is left alone, the already muted say so), and the emulator agrees', async () => {
    const res = await tabJson(app, tokens.mateo, 'POST', meetingPath(key(), '/mute-all'), {});
    assert.equal(res.status, 200);
    assert.match(res.body.note, /cannot unmute/);
    const outcomes = Object.fromEntries(res.body.results.map((r: any) => [r.displayName, r.outcome]));
    assert.deepEqual(outcomes, { 'Hana Sato': 'muted', 'Priya Raman': 'already-muted' });
    await eventually(async () => (await emulatorPeople(app, key())).find((p) => p.personId === meeting.ids.hana)?.isMuted === true, 'Hana muted in the emulator');
    assert.equal((await emulatorPeople(app, key())).find((p) => p.personId === meeting.ids.mateo)?.isMuted, false, 'the organizer who asked is not muted');
  });

  it('invite: known people are called, unknown ones named', async () => {
    await app.emulatorJson('PUT', '/emulator/people/jonas.lindqvist@switchboard.test/behavior', { onCall: 'answer', answerDelayMs: 20 });
    const res = await tabJson(app, tokens.mateo, 'POST', meetingPath(key(), '/invite'), { people: ['jonas.lindqvist@switchboard.test', 'nobody@switchboard.test'] });
    assert.equal(res.status, 202);
    assert.deepEqual(res.body.invited.map((p: any) => p.displayName), ['Jonas Lindqvist']);
    assert.deepEqual(res.body.unknown, ['nobody@switchboard.test']);
    await eventually(async () => (await app.meetings.roster(key())).entries.some((e) => e.userId === meeting.ids.jonas), 'Jonas in the roster', 15_000);
  });

  it('announce: the text is spoken into the meeting (a prompt played on the bot\'s call)', async () => {
    const res = await tabJson(app, tokens.amara, 'POST', meetingPath(key(), '/announce'), { text: 'The meeting ends in five minutes.' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.played, true);
    const callId = (await app.meetings.getRecord(key()))!.callId!;
    const call = (await app.emulatorJson('GET', `/emulator/calls/${callId}`)).body;
    assert.ok(JSON.stringify(call.prompts ?? call).includes('/prompts/'), 'the emulator fetched a prompt from the app');
  });

  it('leave and join from the API: the bot goes and comes back; controls that need it say so meanwhile', async () => {
    const left = await tabJson(app, tokens.mateo, 'POST', meetingPath(key(), '/leave'), {});
    assert.equal(left.status, 202);
    await eventually(async () => (await app.meetings.getRecord(key()))?.state === 'left', 'the bot left');
    const mute = await tabJson(app, tokens.mateo, 'POST', meetingPath(key(), '/mute-all'), {});
    assert.equal(mute.status, 409);
    assert.equal(mute.body.error.code, 'meetings/not-joined');
    const view = await tabJson(app, tokens.mateo, 'GET', meetingPath(key()));
    assert.equal(view.status, 200, 'the organizer still sees the meeting with the bot out');
    assert.equal(view.body.meeting.bot.inMeeting, false);
    const joined = await tabJson(app, tokens.mateo, 'POST', meetingPath(key(), '/join'), {});
    assert.equal(joined.status, 202);
    await eventually(async () => (await app.meetings.getRecord(key()))?.state === 'joined', 'the bot is back');
  });

  it('calls and reminders: only the user\'s own; another user\'s call is not found', async () => {
    const calls = await tabJson(app, tokens.elif, 'GET', '/api/tab/calls');
    assert.equal(calls.status, 200);
    assert.ok(Array.isArray(calls.body.calls));
    const reminder = await app.reminders.schedule({ person: { userId: meeting.ids.elif, displayName: 'Elif Demir' }, message: 'Patch the servers', at: new Date(Date.now() + 3_600_000) });
    const mine = await tabJson(app, tokens.elif, 'GET', '/api/tab/reminders');
    assert.deepEqual(mine.body.reminders.map((r: any) => [r.id, r.person.isYou, r.pending]), [[reminder.id, true, true]]);
    const theirs = await tabJson(app, tokens.jonas, 'GET', '/api/tab/reminders');
    assert.deepEqual(theirs.body.reminders, []);
    await app.reminders.cancel(reminder.id);
    const missing = await tabJson(app, tokens.elif, 'GET', '/api/tab/calls/0b3f6ee0-3b1d-4c1e-9d5a-6a3e2b1c0d9f');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'tab/not-found');
  });

  it('the local sign-in stand-in lists emulated people and mints their tokens; an unknown person is 404', async () => {
    const users = await tabJson(app, undefined, 'GET', '/api/tab/dev/users');
    assert.equal(users.status, 200);
    assert.ok(users.body.users.some((u: any) => u.upn === 'grace.whitfield@switchboard.test'));
    const unknown = await tabJson(app, undefined, 'POST', '/api/tab/dev/token', { user: 'nobody@switchboard.test' });
    assert.equal(unknown.status, 404);
  });

  it('in cloud mode the sign-in stand-in does not exist (404)', async () => {
    const server = restify.createServer();
    const transport = createHttpTransport();
    registerDevRoutes(server, { mode: 'cloud', appId: app.config.app.id, transport, parseBody: jsonBody(), emulatorUrl: app.emulator!.url });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${server.address().port}`;
      for (const [method, path, body] of [['GET', '/api/tab/dev/users', undefined], ['POST', '/api/tab/dev/token', { user: 'amara.okafor@switchboard.test' }]] as const) {
        const res = await fetch(base + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
        assert.equal(res.status, 404, path);
        const json = (await res.json()) as { accessToken?: string; error?: { code: string } };
        assert.equal(json.accessToken, undefined);
        assert.equal(json.error?.code, 'tab/not-found');
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await transport.close();
    }
  });
});
