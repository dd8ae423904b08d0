// onlineMeetings against the examples printed on onlinemeeting-get (issue 15): the top-level @odata.type on every
// onlineMeeting the emulator answers, and the lookup by VideoTeleconferenceId (Example 1), compared by shape.

import { strict as assert } from 'node:assert';
import { AMARA, MATEO, startCallsHarness, type CallsHarness } from './calls-harness.js';
import { assertDocShape } from './doc-shape.js';

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** onlinemeeting-get.md, Example 1's response, the members the emulator prints (values are the page's). */
const VTC_MEETING_EXAMPLE = {
  '@odata.type': '#microsoft.graph.onlineMeeting',
  chatInfo: { threadId: '19:cbee7c1c860e465cebf7bee0d@thread.skype', messageId: '153367081' },
  creationDateTime: '2018-05-30T00:12:19.0726086Z',
  endDateTime: '2018-05-30T01:00:00Z',
  id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8_19:cbee7c1c860e465f8258e3cebf7bee0d@thread.skype',
  joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3a:meeting_NTg0NmQ3NTctZDVkZC00YzRhLThmNmEtOGQDdmZDZk@thread.v2/0',
  participants: {
    attendees: [{ identity: { user: { id: '112f7296-5ca-bae8-6a692b15d4b8' } }, upn: 'upn-value' }],
    organizer: { identity: { user: { id: '5810cedeb-b2c1-e9bd5d53ec96' } }, upn: 'upn-value' },
  },
  startDateTime: '2018-05-30T00:30:00Z',
  subject: 'Test Meeting.',
  videoTeleconferenceId: '123456789',
  lobbyBypassSettings: { scope: 'everyone', isDialInBypassEnabled: true },
  joinMeetingIdSettings: { isPasscodeRequired: false, joinMeetingId: '1234567890', passcode: null },
  isEntryExitAnnounced: true,
  allowedPresenters: 'everyone',
};

describe('emulator meetings: documented examples (issue 15)', function () {
  let h: CallsHarness;
  before(async () => {
    h = await startCallsHarness();
  });
  after(async () => {
    await h.close();
  });

  const vtcPath = (id: string) => `/communications/onlineMeetings/?$filter=${encodeURIComponent(`VideoTeleconferenceId eq '${id}'`)}`;

  it('every onlineMeeting answer carries the top-level @odata.type #microsoft.graph.onlineMeeting (create, get, lookups, createOrGet, update)', async () => {
    const created = await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'Typed', participants: { attendees: [{ identity: { user: { id: AMARA.id } }, upn: AMARA.upn }] } });
    assert.equal(created.status, 201);
    const m = created.json;
    const answers = [
      m,
      (await h.graph('GET', `/users/${MATEO.id}/onlineMeetings/${m.id}`)).json,
      (await h.graph('GET', `/users/${MATEO.id}/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${encodeURIComponent(m.joinWebUrl)}'`)}`)).json.value[0],
      (await h.graph('GET', `/users/${MATEO.id}/onlineMeetings?$filter=${encodeURIComponent(`joinMeetingIdSettings/joinMeetingId eq '${m.joinMeetingIdSettings.joinMeetingId}'`)}`)).json.value[0],
      (await h.graph('POST', `/users/${MATEO.id}/onlineMeetings/createOrGet`, { externalId: 'typed-1', subject: 'x' })).json,
      (await h.graph('PATCH', `/users/${MATEO.id}/onlineMeetings/${m.id}`, { subject: 'Typed again' })).json,
    ];
    for (const [i, answer] of answers.entries()) assert.equal(answer['@odata.type'], '#microsoft.graph.onlineMeeting', `answer ${i}`);
  });

  it('GET /communications/onlineMeetings/?$filter=VideoTeleconferenceId eq \'…\' (app token): the meeting, shaped as Example 1', async () => {
    const created = (await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'By VTC id', participants: { attendees: [{ identity: { user: { id: AMARA.id } }, upn: AMARA.upn }] } })).json;
    assert.match(created.videoTeleconferenceId, /^\d{10}$/, 'every emulated organizer has a VTC conference id');
    const reply = await h.graph('GET', vtcPath(created.videoTeleconferenceId));
    assert.equal(reply.status, 200);
    assert.equal(reply.json.value.length, 1, 'the page: a collection that contains only one onlineMeeting');
    const found = reply.json.value[0];
    assert.equal(found.id, created.id);
    assertDocShape(found, VTC_MEETING_EXAMPLE, 'meeting by VTC id');
    const unknown = await h.graph('GET', vtcPath('1111111111'));
    assert.deepEqual([unknown.status, unknown.json.value], [200, []]);
  });

  it('the VTC lookup: a filter on anything else or none is 400; a delegated token is 403', async () => {
    assert.equal((await h.graph('GET', '/communications/onlineMeetings')).status, 400);
    assert.equal((await h.graph('GET', `/communications/onlineMeetings/?$filter=${encodeURIComponent("JoinWebUrl eq 'x'")}`)).status, 400);
    const token = await h.userToken(AMARA.id, { audience: GRAPH_AUDIENCE, scopes: ['OnlineMeetings.ReadWrite'] });
    assert.equal((await h.graph('GET', vtcPath('1234567890'), undefined, token)).status, 403);
  });
});
