// onlineMeetings against a tiny local Graph: the documented request shapes (create, get, find by join link with the
// URL-encoding quirk, createOrGet 201 vs 200, delete), the Meeting summary, and the access-policy 403.
import assert from 'node:assert/strict';
import { createHttpTransport, GraphError, type GraphClient, type HttpTransport } from '../../../comms/graph/index.js';
import {
  createOnlineMeeting,
  createOrGetOnlineMeeting,
  deleteOnlineMeeting,
  findOnlineMeetingByJoinMeetingId,
  findOnlineMeetingByJoinUrl,
  getOnlineMeeting,
  MeetingError,
  parseJoinLink,
} from '../../../comms/meetings/index.js';
import { TinyGraph } from './support/tiny-graph.js';

const ORGANIZER = 'dc17674c-81d9-4adb-bfb2-8f6a442e4622';
const ATTENDEE = '112f7296-5fa4-42ca-bae8-6a692b15d4b8';
const TENANT = '909c6581-5130-43e9-88f3-fcb3582cde37';
const JOIN_URL = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_MGQ4MDQyNTEtNTQ2NS00YjQxLTlkM2EtZWVkODYxODYzMmY2%40thread.v2/0?context=%7b%22Tid%22%3a%22${TENANT}%22%2c%22Oid%22%3a%22${ORGANIZER}%22%7d`;
const MEETING_ID = `${ORGANIZER}_19:meeting_MGQ4MDQyNTEtNTQ2NS00YjQxLTlkM2EtZWVkODYxODYzMmY2@thread.v2`;

function graphMeeting(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.onlineMeeting',
    id: MEETING_ID,
    creationDateTime: '2020-09-29T22:35:33.1594516Z',
    startDateTime: '2020-09-29T22:35:31.389759Z',
    endDateTime: '2020-09-29T23:35:31.389759Z',
    joinWebUrl: JOIN_URL,
    subject: 'Weekly sync',
    participants: {
      organizer: { upn: 'adele@contoso.com', role: 'presenter', identity: { user: { id: ORGANIZER, displayName: null, tenantId: TENANT, identityProvider: 'AAD' } } },
      attendees: [{ upn: 'tyler@contoso.com', role: 'attendee', identity: { user: { id: ATTENDEE, displayName: 'Tyler Stein' } } }],
      producers: [],
      contributors: [],
    },
    chatInfo: { threadId: '19:meeting_MGQ4MDQyNTEtNTQ2NS00YjQxLTlkM2EtZWVkODYxODYzMmY2@thread.v2', messageId: '0', replyChainMessageId: null },
    joinMeetingIdSettings: { isPasscodeRequired: true, joinMeetingId: '1234567890', passcode: 'Ab12Cd' },
    ...extra,
  };
}

describe('comms/meetings onlineMeetings (against a tiny Graph)', () => {
  let fake: TinyGraph;
  let transport: HttpTransport;
  let graph: GraphClient;

  before(async () => {
    fake = await TinyGraph.start();
    transport = createHttpTransport();
    graph = fake.client(transport);
  });
  after(async () => {
    await transport.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('creates a meeting for the organizer with subject, times and attendees (identity.user.id + upn + role)', async () => {
    fake.on('POST', /^\/users\/([^/]+)\/onlineMeetings$/, () => ({ status: 201, body: graphMeeting() }));
    const meeting = await createOnlineMeeting(graph, {
      organizerId: ORGANIZER,
      subject: 'Weekly sync',
      start: new Date('2020-09-29T22:35:31Z'),
      end: '2020-09-29T23:35:31Z',
      attendees: [{ userId: ATTENDEE, upn: 'tyler@contoso.com', role: 'presenter' }],
      passcodeRequired: true,
    });
    const [req] = fake.find('POST', `/users/${ORGANIZER}/onlineMeetings`);
    assert.ok(req);
    assert.deepEqual(req.body, {
      subject: 'Weekly sync',
      startDateTime: '2020-09-29T22:35:31.000Z',
      endDateTime: '2020-09-29T23:35:31.000Z',
      participants: { attendees: [{ identity: { user: { id: ATTENDEE } }, upn: 'tyler@contoso.com', role: 'presenter' }] },
      joinMeetingIdSettings: { isPasscodeRequired: true },
    });
    assert.equal(meeting.id, MEETING_ID);
    assert.equal(meeting.joinWebUrl, JOIN_URL);
    assert.deepEqual(meeting.organizer, { userId: ORGANIZER, tenantId: TENANT, upn: 'adele@contoso.com', role: 'presenter' });
    assert.deepEqual(meeting.attendees, [{ userId: ATTENDEE, displayName: 'Tyler Stein', upn: 'tyler@contoso.com', role: 'attendee' }]);
    assert.deepEqual(meeting.chatInfo, { threadId: '19:meeting_MGQ4MDQyNTEtNTQ2NS00YjQxLTlkM2EtZWVkODYxODYzMmY2@thread.v2', messageId: '0' });
    assert.equal(meeting.joinMeetingId, '1234567890');
    assert.equal(meeting.passcode, 'Ab12Cd');
    assert.equal(meeting.start, '2020-09-29T22:35:31.389759Z');
  });

  it('maps the missing access policy 403 to graph/access-policy-missing with the PowerShell to run', async () => {
    for (const message of ['No application access policy found for this app.', 'App abc is not authorized to Create meeting on behalf of user xyz.']) {
      fake.reset();
      fake.on('POST', /onlineMeetings$/, () => ({ status: 403, body: { error: { code: 'General', message, innerError: { 'request-id': 'r-1' } } } }));
      await assert.rejects(createOnlineMeeting(graph, { organizerId: ORGANIZER, subject: 'x' }), (err: unknown) => {
        assert.ok(err instanceof GraphError);
        assert.equal(err.code, 'graph/access-policy-missing');
        assert.match(err.advice, /New-CsApplicationAccessPolicy/);
        assert.match(err.advice, /Grant-CsApplicationAccessPolicy/);
        return true;
      });
    }
    fake.reset();
    fake.on('POST', /onlineMeetings$/, () => ({ status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } } }));
    await assert.rejects(createOnlineMeeting(graph, { organizerId: ORGANIZER }), (err: unknown) => err instanceof GraphError && err.code === 'graph/forbidden');
  });

  it('refuses bad input before anything is sent', async () => {
    const bad: Array<[string, Parameters<typeof createOnlineMeeting>[1]]> = [
      ['organizer not a GUID', { organizerId: '../me' }],
      ['start without end', { organizerId: ORGANIZER, start: '2020-01-01T10:00:00Z' }],
      ['end before start', { organizerId: ORGANIZER, start: '2020-01-01T10:00:00Z', end: '2020-01-01T09:00:00Z' }],
      ['not a date', { organizerId: ORGANIZER, start: 'tomorrow-ish', end: 'later' }],
      ['attendee not a GUID', { organizerId: ORGANIZER, attendees: [{ userId: 'bob@contoso.com' }] }],
      ['unknown role', { organizerId: ORGANIZER, attendees: [{ userId: ATTENDEE, role: 'owner' as never }] }],
      ['control characters in the subject', { organizerId: ORGANIZER, subject: 'a\nb' }],
    ];
    for (const [name, input] of bad) {
      await assert.rejects(createOnlineMeeting(graph, input), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/invalid-argument', name);
    }
    assert.equal(fake.requests.length, 0);
  });

  it('gets a meeting by id (the id URL-encoded in the path) and reports a missing one as meetings/not-found', async () => {
    fake.on('GET', /^\/users\/([^/]+)\/onlineMeetings\/([^/]+)$/, (_req, m) =>
      decodeURIComponent(m[2]!) === MEETING_ID ? { status: 200, body: graphMeeting() } : { status: 404, body: { error: { code: 'itemNotFound', message: 'nope' } } },
    );
    const meeting = await getOnlineMeeting(graph, ORGANIZER, MEETING_ID);
    assert.equal(meeting.subject, 'Weekly sync');
    assert.equal(fake.requests[0]!.path, `/v1.0/users/${ORGANIZER}/onlineMeetings/${encodeURIComponent(MEETING_ID)}`);
    await assert.rejects(getOnlineMeeting(graph, ORGANIZER, 'MSpkYzE3'), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/not-found');
    await assert.rejects(getOnlineMeeting(graph, ORGANIZER, '..'), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/invalid-argument');
  });

  it('finds a meeting by join link: $filter=JoinWebUrl eq \'<URL-encoded link>\', answered as a collection', async () => {
    fake.on('GET', /^\/users\/([^/]+)\/onlineMeetings$/, (req) => {
      // Graph decodes the query once; the literal inside the quotes must then be the joinWebUrl exactly.
      const filter = req.query.get('$filter');
      return { status: 200, body: { value: filter === `JoinWebUrl eq '${JOIN_URL}'` ? [graphMeeting()] : [] } };
    });
    const link = parseJoinLink(JOIN_URL);
    assert.equal(link.kind, 'meetup-join');
    const meeting = await findOnlineMeetingByJoinUrl(graph, ORGANIZER, link.url);
    assert.equal(meeting?.id, MEETING_ID);
    const raw = fake.requests[0]!.rawQuery;
    // As printed in onlinemeeting-get: the link's own escapes travel double-encoded (%3a → %253a).
    assert.match(raw, /^\$filter=JoinWebUrl%20eq%20(?:'|%27)https%3A%2F%2Fteams\.microsoft\.com%2Fl%2Fmeetup-join%2F19%253ameeting_/);
    assert.equal(await findOnlineMeetingByJoinUrl(graph, ORGANIZER, `${JOIN_URL}x`), undefined);
  });

  it('finds a meeting by join meeting id', async () => {
    fake.on('GET', /^\/users\/([^/]+)\/onlineMeetings$/, (req) => ({
      status: 200,
      body: { value: req.query.get('$filter') === "joinMeetingIdSettings/joinMeetingId eq '1234567890'" ? [graphMeeting()] : [] },
    }));
    assert.equal((await findOnlineMeetingByJoinMeetingId(graph, ORGANIZER, '1234567890'))?.id, MEETING_ID);
    await assert.rejects(findOnlineMeetingByJoinMeetingId(graph, ORGANIZER, "1' or '1'='1"), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/invalid-argument');
  });

  it('createOrGet tells a new meeting (201) from an existing one (200) and sends the externalId', async () => {
    const seen = new Set<string>();
    fake.on('POST', /^\/users\/([^/]+)\/onlineMeetings\/createOrGet$/, (req) => {
      const existed = seen.has(req.body.externalId);
      seen.add(req.body.externalId);
      return { status: existed ? 200 : 201, body: graphMeeting({ externalId: req.body.externalId }) };
    });
    const first = await createOrGetOnlineMeeting(graph, { organizerId: ORGANIZER, externalId: 'standup-2024-07-01', subject: 'Standup' });
    const second = await createOrGetOnlineMeeting(graph, { organizerId: ORGANIZER, externalId: 'standup-2024-07-01', subject: 'Standup' });
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.meeting.externalId, 'standup-2024-07-01');
    assert.equal(fake.requests[0]!.body.externalId, 'standup-2024-07-01');
    await assert.rejects(createOrGetOnlineMeeting(graph, { organizerId: ORGANIZER, externalId: '' }), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/invalid-argument');
  });

  it('deletes a meeting (204) and reports an already-deleted one as false', async () => {
    fake.on('DELETE', /^\/users\/([^/]+)\/onlineMeetings\/([^/]+)$/, () => ({ status: 204 }), 1);
    assert.equal(await deleteOnlineMeeting(graph, ORGANIZER, MEETING_ID), true);
    assert.equal(await deleteOnlineMeeting(graph, ORGANIZER, MEETING_ID), false);
  });

  it('refuses a Graph answer that is not an online meeting', async () => {
    fake.on('GET', /onlineMeetings\//, () => ({ status: 200, body: { id: 42 } }));
    await assert.rejects(getOnlineMeeting(graph, ORGANIZER, MEETING_ID), (err: unknown) => err instanceof MeetingError && err.code === 'meetings/invalid-response');
  });
});
