// meetingCallEvents subscriptions (beta), against changenotifications-for-onlinemeeting: the resource names the
// meeting by its joinWebUrl URL-encoded once more; application OnlineMeetings.Read.All / .ReadWrite.All only
// (delegated refused), at most 3 days, one per app per meeting; the call that starts after the subscription is
// followed — callStarted, rosterUpdated with participants@delta (a leave carries removedState), callEnded — as rich
// notifications (the documented item and decrypted payloads) or basic ones (an id only); calls already going are not.
import { strict as assert } from 'node:assert';
import { constants, createDecipheriv, createHmac, privateDecrypt, timingSafeEqual, X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { startAppStandIn, type AppStandIn } from './app-stand-in.js';
import { CALLS_APP, INITIATE_ONLY_APP, JONAS, MATEO, PRIYA, startCallsHarness, type CallsHarness } from './calls-harness.js';
import { assertDocShape } from './doc-shape.js';

const GRAPH = 'https://graph.microsoft.com';
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const TID = 'f69f5191-20ae-4093-8dae-3ec09edeb253';

// changenotifications-for-onlinemeeting, "Rich notification payload example" and the decrypted examples.
const DOC_ITEM = {
  subscriptionId: '{Subscription id}',
  clientState: '{secret client state}',
  changeType: 'updated',
  tenantId: '{Organization/Tenant id}',
  resource: "communications/onlineMeetings(joinWebUrl='{joinWebUrl}')/meetingCallEvents",
  subscriptionExpirationDateTime: '2022-02-28T00:00:00.0000000Z',
  resourceData: { '@odata.id': "communications/onlineMeetings(joinWebUrl='{joinWebUrl}')/meetingCallEvents", '@odata.type': '#microsoft.graph.callevent', id: '{notificationId}' },
  organizationId: '{Organization/Tenant id}',
  encryptedContent: { data: '{Encrypted content}', dataSignature: '{sig}', dataKey: '{key}', encryptionCertificateId: '{id}', encryptionCertificateThumbprint: '{thumbprint}' },
};
const DOC_STARTED = { '@odata.type': '#microsoft.graph.callevent', '@odata.id': "communications/onlineMeetings(joinWebUrl='{joinWebUrl}')/meetingCallEvents", id: '{notificationId}', eventType: 'callStarted', eventDateTime: '2022-02-28T00:00:00.0000000Z' };
const DOC_LEFT = {
  ...DOC_STARTED,
  eventType: 'rosterUpdated',
  'participants@delta': [
    {
      info: { identity: { user: { id: 'e98eb11c-8385-445e-8b19-4a2f169ac5bc', displayName: 'User that is leaving the call', tenantId: TID } } },
      isInLobby: false,
      removedState: { reason: 'Participant has left the meeting call.' },
      id: '347040dd-aa51-4ada-8a44-510c65a3a2d3',
    },
  ],
};
const DOC_JOINED = { ...DOC_LEFT, 'participants@delta': [{ ...DOC_LEFT['participants@delta'][0], removedState: undefined }].map(({ removedState: _r, ...p }) => p) };

describe('emulator meetingCallEvents subscriptions (beta)', function () {
  this.timeout(30_000);
  let h: CallsHarness;
  let app: AppStandIn;
  let certBase64: string;
  let keyPem: string;
  before(async () => {
    h = await startCallsHarness({ subscriptionValidationTimeoutMs: 1_000, changeNotificationTimeoutMs: 2_000, changeNotificationRetryWindowMs: 5_000, rosterBatchMs: 10 });
    app = await startAppStandIn();
    const pems = await generate([{ name: 'commonName', value: 'call events test' }], { keyType: 'rsa', keySize: 2048, algorithm: 'sha256' });
    certBase64 = new X509Certificate(pems.cert).raw.toString('base64');
    keyPem = pems.private;
  });
  after(async () => {
    await h.close();
    await app.close();
  });
  afterEach(async () => {
    for (const s of (await h.control('GET', '/subscriptions')).json.value as any[]) if (s.state === 'active') await h.control('POST', `/subscriptions/${s.id}/expire`).catch(() => undefined);
  });

  const beta = (method: string, path: string, json?: unknown, token = h.token) => h.call(method, `/beta${path}`, { token, ...(json !== undefined ? { json } : {}) });
  const newMeeting = async () => {
    const reply = await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'Call events' });
    assert.equal(reply.status, 201);
    return reply.json as { id: string; joinWebUrl: string; chatInfo: { threadId: string } };
  };
  const resourceFor = (joinWebUrl: string) => `communications/onlineMeetings(joinWebUrl='${encodeURIComponent(joinWebUrl)}')/meetingCallEvents`;
  const body = (joinWebUrl: string, extra: Record<string, unknown> = {}) => ({
    changeType: 'updated',
    notificationUrl: `${app.url}/call-events`,
    resource: resourceFor(joinWebUrl),
    expirationDateTime: inMinutes(3 * 24 * 60 - 5),
    includeResourceData: true,
    encryptionCertificate: certBase64,
    encryptionCertificateId: 'call-events-cert',
    clientState: 'call-events-secret',
    ...extra,
  });
  const join = (meetingId: string, personId: string) => h.control('POST', `/meetings/${meetingId}/people`, { person: personId });
  const leave = (meetingId: string, personId: string) => h.control('DELETE', `/meetings/${meetingId}/people/${personId}`);
  const itemsOf = (subscriptionId: string) => app.on('/call-events').flatMap((r) => (r.body?.value ?? []) as any[]).filter((i) => i.subscriptionId === subscriptionId);
  const decrypt = (content: any) => {
    const key = privateDecrypt({ key: keyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(content.dataKey, 'base64'));
    const data = Buffer.from(content.data, 'base64');
    assert.ok(timingSafeEqual(createHmac('sha256', key).update(data).digest(), Buffer.from(content.dataSignature, 'base64')), 'the HMAC-SHA256 over the ciphertext matches');
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    return JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8'));
  };

  it('the documented double encoding is what the resource needs (the doc example decodes once to its join link)', async () => {
    const docLink = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZmYwZTEyYjctZjA5MS00OTkzLWJhNzEtYzFiZDVjNGE0OGFj%40thread.v2/0?context=%7b%22Tid%22%3a%22909c6581-5130-43e9-88f3-fcb3582cde37%22%2c%22Oid%22%3a%22048c94fb-dda6-48b8-9fc8-6740ee418fb9%22%7d';
    const docEncoded = 'https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting_ZmYwZTEyYjctZjA5MS00OTkzLWJhNzEtYzFiZDVjNGE0OGFj%2540thread.v2%2F0%3Fcontext%3D%257b%2522Tid%2522%253a%2522909c6581-5130-43e9-88f3-fcb3582cde37%2522%252c%2522Oid%2522%253a%2522048c94fb-dda6-48b8-9fc8-6740ee418fb9%2522%257d';
    assert.equal(encodeURIComponent(docLink), docEncoded, 'encodeURIComponent of the join link is the doc\'s resource value');
    // That meeting is not the emulator's: a well-formed resource for an unknown meeting is a 404, not a 400.
    const unknown = await beta('POST', '/subscriptions', { ...body(docLink), resource: `communications/onlineMeetings(joinWebUrl='${docEncoded}')/meetingCallEvents` });
    assert.equal(unknown.status, 404, unknown.text);
  });

  it('subscribes on beta: 201 with the subscription as Graph prints it; renew (PATCH) within 3 days and delete', async () => {
    const meeting = await newMeeting();
    const created = await beta('POST', '/subscriptions', body(meeting.joinWebUrl));
    assert.equal(created.status, 201, created.text);
    const s = created.json;
    assert.match(s['@odata.context'], /\/beta\/\$metadata#subscriptions\/\$entity$/);
    for (const key of ['id', 'resource', 'applicationId', 'changeType', 'clientState', 'notificationUrl', 'lifecycleNotificationUrl', 'expirationDateTime', 'creatorId', 'includeResourceData', 'latestSupportedTlsVersion', 'encryptionCertificate', 'encryptionCertificateId']) {
      assert.ok(key in s, `${key} in the subscription`);
    }
    assert.equal(s.resource, resourceFor(meeting.joinWebUrl));
    assert.equal(s.changeType, 'updated');
    assert.equal(s.includeResourceData, true);
    assert.equal(s.applicationId, CALLS_APP.clientId);
    assert.equal(app.validations.filter((v) => v.path === '/call-events').length >= 1, true, 'the notificationUrl was validated first');
    const renewed = await beta('PATCH', `/subscriptions/${s.id}`, { expirationDateTime: inMinutes(3 * 24 * 60 - 1) });
    assert.equal(renewed.status, 200, renewed.text);
    assert.equal((await beta('PATCH', `/subscriptions/${s.id}`, { expirationDateTime: inMinutes(3 * 24 * 60 + 10) })).status, 400, 'renewing past 3 days');
    assert.equal((await beta('DELETE', `/subscriptions/${s.id}`)).status, 204);
    assert.equal((await beta('GET', `/subscriptions/${s.id}`)).status, 404);
  });

  it('refuses what Graph refuses: a delegated token, no OnlineMeetings role, a link not encoded again, past 3 days, v1.0, a second one for the meeting', async () => {
    const meeting = await newMeeting();
    const userToken = (await h.control('POST', `/users/${MATEO.id}/token`, { audience: GRAPH, scopes: ['OnlineMeetings.ReadWrite'], clientId: CALLS_APP.clientId })).json.access_token as string;
    const delegated = await beta('POST', '/subscriptions', body(meeting.joinWebUrl), userToken);
    assert.equal(delegated.status, 403, delegated.text);
    assert.match(delegated.json.error.message, /application permissions only/);
    const initiateOnly = await h.appToken(INITIATE_ONLY_APP.clientId, INITIATE_ONLY_APP.clientSecret);
    assert.equal((await beta('POST', '/subscriptions', body(meeting.joinWebUrl), initiateOnly)).status, 403, 'an app without OnlineMeetings.Read.All');
    const cases: Array<[string, Record<string, unknown>, number]> = [
      ['the join link as it is (not encoded again)', { resource: `communications/onlineMeetings(joinWebUrl='${meeting.joinWebUrl}')/meetingCallEvents` }, 400],
      ['encoded twice more', { resource: `communications/onlineMeetings(joinWebUrl='${encodeURIComponent(encodeURIComponent(meeting.joinWebUrl))}')/meetingCallEvents` }, 400],
      ['not a join link', { resource: `communications/onlineMeetings(joinWebUrl='${encodeURIComponent('https://example.com/x')}')/meetingCallEvents` }, 400],
      ['past 3 days', { expirationDateTime: inMinutes(3 * 24 * 60 + 10) }, 400],
      ['changeType created', { changeType: 'created' }, 400],
      ['no certificate with includeResourceData', { encryptionCertificate: null }, 400],
    ];
    for (const [name, extra, status] of cases) {
      const reply = await beta('POST', '/subscriptions', body(meeting.joinWebUrl, extra));
      assert.equal(reply.status, status, `${name}: ${reply.text}`);
    }
    assert.equal((await h.graph('POST', '/subscriptions', body(meeting.joinWebUrl))).status, 400, 'meetingCallEvents on v1.0');
    const first = await beta('POST', '/subscriptions', body(meeting.joinWebUrl));
    assert.equal(first.status, 201);
    const second = await beta('POST', '/subscriptions', body(meeting.joinWebUrl, { includeResourceData: false, encryptionCertificate: undefined, encryptionCertificateId: undefined }));
    assert.equal(second.status, 409, second.text);
    assert.match(second.json.error.message, /already has a meetingCallEvents subscription/);
  });

  it('follows the call that starts after it: rich items and decrypted events as documented', async () => {
    const meeting = await newMeeting();
    const s = (await beta('POST', '/subscriptions', body(meeting.joinWebUrl))).json;
    await join(meeting.id, JONAS.id);
    await join(meeting.id, PRIYA.id);
    await leave(meeting.id, PRIYA.id);
    await leave(meeting.id, JONAS.id);
    await app.waitFor(() => itemsOf(s.id).length >= 6, 'six call events');
    const items = itemsOf(s.id);
    const body0 = app.on('/call-events').find((r) => r.body?.value?.[0]?.subscriptionId === s.id)!.body;
    assert.ok(Array.isArray(body0.validationTokens) && body0.validationTokens.length === 1, 'rich batches carry validationTokens');
    for (const item of items) {
      assertDocShape(item, DOC_ITEM, 'call event item', { sameValues: ['changeType'] });
      assert.equal(item.resource, s.resource);
      assert.equal(item.resourceData['@odata.id'], s.resource);
      assert.equal(item.clientState, 'call-events-secret');
    }
    // Each event is its own delivery, and Graph does not promise the order they arrive in (the app orders them by
    // eventDateTime, which the emulator makes strictly increasing): the sequence is read in that order.
    const events = items.map((i) => decrypt(i.encryptedContent)).sort((a, b) => Date.parse(a.eventDateTime) - Date.parse(b.eventDateTime));
    assert.equal(new Set(events.map((e) => e.eventDateTime)).size, events.length, 'every event stamped later than the one before');
    assert.deepEqual(events.map((e) => e.eventType), ['callStarted', 'rosterUpdated', 'rosterUpdated', 'rosterUpdated', 'rosterUpdated', 'callEnded']);
    assertDocShape(events[0], DOC_STARTED, 'callStarted', { sameValues: ['eventType'] });
    assert.equal(events[0]['participants@delta'], undefined, 'callStarted carries no delta (doc example)');
    assertDocShape(events[1], DOC_JOINED, 'rosterUpdated (join)', { sameValues: ['eventType', 'participants@delta.isInLobby'] });
    assert.equal(events[1]['participants@delta'][0].info.identity.user.id, JONAS.id);
    assert.equal(events[1]['participants@delta'][0].removedState, undefined);
    assertDocShape(events[3], DOC_LEFT, 'rosterUpdated (leave)', { sameValues: ['eventType', 'participants@delta.removedState.reason'] });
    assert.equal(events[3]['participants@delta'][0].info.identity.user.id, PRIYA.id);
    assert.equal(events[3]['participants@delta'][0].id, events[2]['participants@delta'][0].id, 'the same participant id on join and leave');
    assertDocShape(events[5], { ...DOC_STARTED, eventType: 'callEnded' }, 'callEnded', { sameValues: ['eventType'] });
    for (const e of events) assert.equal(e['@odata.id'], s.resource);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'a new id per event');
  });

  it('a call already going when the subscription is made is not seen; the next call is', async () => {
    const meeting = await newMeeting();
    await join(meeting.id, JONAS.id);
    const s = (await beta('POST', '/subscriptions', body(meeting.joinWebUrl, { includeResourceData: false, encryptionCertificate: undefined, encryptionCertificateId: undefined }))).json;
    await join(meeting.id, PRIYA.id);
    await leave(meeting.id, PRIYA.id);
    await leave(meeting.id, JONAS.id);
    await join(meeting.id, PRIYA.id);
    await app.waitFor(() => itemsOf(s.id).length >= 2, 'the new call\'s first events');
    const items = itemsOf(s.id);
    assert.equal(items.length, 2, 'only callStarted and the first join of the new call');
    for (const item of items) {
      assert.equal(item.encryptedContent, undefined, 'a basic item carries no content');
      assert.deepEqual(Object.keys(item.resourceData).sort(), ['@odata.id', '@odata.type', 'id']);
      assert.equal(item.resourceData['@odata.type'], '#microsoft.graph.callevent');
    }
    const batch = app.on('/call-events').find((r) => r.body?.value?.[0]?.subscriptionId === s.id)!.body;
    assert.equal(batch.validationTokens, undefined, 'basic batches carry no validationTokens');
    await leave(meeting.id, PRIYA.id);
  });
});
