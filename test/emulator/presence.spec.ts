// Presence: the documented reads (single, by user, many by id with the 650 limit), presence that follows calls and
// meetings, and presence set (and cleared) through the control API.

import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { AMARA, INITIATE_ONLY_APP, JONAS, MATEO, answeredIncomingCall, startCallsHarness, type CallsHarness } from './calls-harness.js';

describe('emulator presence', function () {
  let h: CallsHarness;
  before(async () => {
    h = await startCallsHarness({ rosterBatchMs: 10 });
  });
  after(async () => {
    await h.close();
  });

  const presenceOf = async (id: string) => (await h.graph('GET', `/communications/presences/${id}`)).json;
  const waitForPresence = async (id: string, activity: string) => {
    const until = Date.now() + 5_000;
    for (;;) {
      const p = await presenceOf(id);
      if (p.activity === activity) return p;
      if (Date.now() > until) throw new Error(`timed out waiting for ${activity}: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('GET /users/{id}/presence and /communications/presences/{id}: 200 { id, availability, activity } (PascalCase)', async () => {
    const byUser = await h.graph('GET', `/users/${AMARA.id}/presence`);
    assert.equal(byUser.status, 200);
    assert.equal(byUser.json['@odata.context'], `${h.emulator.graphUrl}/$metadata#users('${AMARA.id}')/presence/$entity`);
    assert.deepEqual({ id: byUser.json.id, availability: byUser.json.availability, activity: byUser.json.activity }, { id: AMARA.id, availability: 'Available', activity: 'Available' });
    const byUpn = await h.graph('GET', `/users/${AMARA.upn}/presence`);
    assert.equal(byUpn.json.id, AMARA.id);
    const single = await h.graph('GET', `/communications/presences/${JONAS.id}`);
    assert.equal(single.status, 200);
    assert.equal(single.json['@odata.context'], `${h.emulator.graphUrl}/$metadata#communications/presences/$entity`);
    assert.equal(single.json.availability, 'Available');
  });

  it('unknown users: /users/{id}/presence 404; /communications/presences/{guid} PresenceUnknown; a non-GUID 400', async () => {
    const unknown = randomUUID();
    assert.equal((await h.graph('GET', `/users/${unknown}/presence`)).status, 404);
    const p = await h.graph('GET', `/communications/presences/${unknown}`);
    assert.equal(p.status, 200);
    assert.deepEqual({ availability: p.json.availability, activity: p.json.activity }, { availability: 'PresenceUnknown', activity: 'PresenceUnknown' });
    assert.equal((await h.graph('GET', '/communications/presences/not-a-guid')).status, 400);
  });

  it('POST /communications/getPresencesByUserId: one presence per id, in order; more than 650 ids, none, or a non-GUID is 400', async () => {
    const unknown = randomUUID();
    const reply = await h.graph('POST', '/communications/getPresencesByUserId', { ids: [AMARA.id, JONAS.id, unknown] });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json.value.map((p: any) => [p.id, p.availability]), [[AMARA.id, 'Available'], [JONAS.id, 'Available'], [unknown, 'PresenceUnknown']]);
    const many = Array.from({ length: 651 }, () => randomUUID());
    for (const ids of [many, [], ['nope']]) {
      const bad = await h.graph('POST', '/communications/getPresencesByUserId', { ids });
      assert.equal(bad.status, 400, `${ids.length} ids`);
      assert.equal(bad.json.error.code, 'BadRequest');
    }
    assert.equal((await h.graph('POST', '/communications/getPresencesByUserId', { ids: many.slice(0, 650) })).status, 200);
  });

  it('presence follows calls: Busy/InACall while Amara is on a call with the bot, Available after', async () => {
    const callId = await answeredIncomingCall(h, AMARA);
    const during = await waitForPresence(AMARA.id, 'InACall');
    assert.equal(during.availability, 'Busy');
    await h.control('POST', `/calls/${callId}/hangup`, { person: AMARA.id });
    const after = await waitForPresence(AMARA.id, 'Available');
    assert.equal(after.availability, 'Available');
  });

  it('presence follows meetings: Busy/InAConferenceCall in a meeting; a scripted guest has presence while there', async () => {
    const meeting = (await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'Presence' })).json;
    await h.control('POST', `/meetings/${encodeURIComponent(meeting.id)}/people`, { person: JONAS.id });
    const inMeeting = await waitForPresence(JONAS.id, 'InAConferenceCall');
    assert.equal(inMeeting.availability, 'Busy');
    await h.control('POST', `/meetings/${encodeURIComponent(meeting.id)}/script`, { count: 2, overSeconds: 0, seed: 'presence-guests' });
    const guest = (await h.control('GET', `/meetings/${encodeURIComponent(meeting.id)}`)).json.people.find((p: any) => p.synthetic);
    assert.equal((await presenceOf(guest.personId)).activity, 'InAConferenceCall');
    await h.control('DELETE', `/meetings/${encodeURIComponent(meeting.id)}/people/${JONAS.id}`);
    await waitForPresence(JONAS.id, 'Available');
  });

  it('control API: a set presence holds until cleared; values are the PascalCase wire values', async () => {
    const set = await h.control('PUT', `/people/${JONAS.upn}/presence`, { availability: 'Away', activity: 'BeRightBack' });
    assert.equal(set.status, 200);
    assert.deepEqual({ availability: set.json.availability, activity: set.json.activity, overridden: set.json.overridden }, { availability: 'Away', activity: 'BeRightBack', overridden: true });
    assert.equal((await presenceOf(JONAS.id)).activity, 'BeRightBack');
    const bad = await h.control('PUT', `/people/${JONAS.id}/presence`, { availability: 'away', activity: 'Away' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'emulator/invalid-body');
    const cleared = await h.control('DELETE', `/people/${JONAS.id}/presence`);
    assert.equal(cleared.json.activity, 'Available');
    assert.equal((await h.control('PUT', '/people/nobody/presence', { availability: 'Away', activity: 'Away' })).status, 404);
  });

  it('permissions: an app without Presence.Read.All gets 403', async () => {
    const token = await h.appToken(INITIATE_ONLY_APP.clientId, INITIATE_ONLY_APP.clientSecret);
    assert.equal((await h.graph('GET', `/communications/presences/${AMARA.id}`, undefined, token)).status, 403);
  });
});
