// Meeting call events end to end: the app creates a meeting (so it has met it) and, with its own app-only token,
// subscribes to the meeting's call events on Graph beta with resource data under its certificate — once. People join
// and leave with the bot nowhere near the call: Graph's encrypted notifications reach the app, pass the
// validationTokens, clientState and HMAC checks, are decrypted, and the meeting's roster and call state follow them
// (the side panel's view says the call started, who is there, then that it ended). A notification with a tampered
// signature, or encrypted for another certificate, is answered 202, refused, logged (without tokens or content) and
// changes nothing; an unknown event type is ignored.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { CALL_EVENT_SUBSCRIPTIONS_COLLECTION, meetingCallEventsResource, type StoredCallEventSubscription } from '../../comms/meetings/index.js';
import { LOCAL_APP } from '../../server/config.js';
import { changeTrackingToken, emulatorSigner, encryptFor } from '../support/forged-notifications.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { directoryIds } from './people.js';
import { loadWebModule } from '../tab/load-web-module.js';
import { meetingPath, openSse, personJoins, personLeaves, tabJson, tabToken, type OpenSse, type SseMessage } from '../tab/tab-helpers.js';

describe('meeting call events through an encrypted app-only subscription (end to end)', function () {
  this.timeout(90_000);
  let app: LocalSwitchboard;
  let meetingKey: string;
  let joinWebUrl: string;
  let ids: Awaited<ReturnType<typeof directoryIds>>;
  let subscription: StoredCallEventSubscription;
  let stream: OpenSse | undefined;
  let Parser: new () => { push(text: string): SseMessage[] };

  before(async () => {
    app = await startLocalSwitchboard({ emulatorOptions: { rosterBatchMs: 20 } });
    ({ SseParser: Parser } = await loadWebModule<{ SseParser: new () => { push(text: string): SseMessage[] } }>('tab/web/sse-parser.ts'));
    ids = await directoryIds(app);
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const meeting = await app.meetings.create({ organizerId: ids.mateo, subject: 'Call events review', start, end: new Date(start.getTime() + 3_600_000), attendees: [{ userId: ids.jonas }, { userId: ids.priya }] });
    meetingKey = meeting.chatInfo!.threadId;
    joinWebUrl = meeting.joinWebUrl!;
  });
  after(async () => {
    await stream?.close();
    await app?.stop();
  });

  const activeSubs = async () => ((await app.emulatorJson('GET', '/emulator/subscriptions')).body.value as any[]).filter((s) => s.state === 'active' && /meetingCallEvents/.test(s.resource));

  it('subscribes once, app-only, on beta, with resource data, as soon as the app meets the meeting', async () => {
    await eventually(async () => (await activeSubs()).length === 1, 'a meetingCallEvents subscription in the emulator', 20_000);
    const [emulated] = await activeSubs();
    assert.equal(emulated.resource, meetingCallEventsResource(joinWebUrl));
    assert.equal(emulated.includeResourceData, true);
    assert.equal(emulated.appId, LOCAL_APP.id);
    subscription = (await app.store.get<StoredCallEventSubscription>(CALL_EVENT_SUBSCRIPTIONS_COLLECTION, meetingKey))!;
    assert.equal(subscription.id, emulated.id, 'stored with its id (and clientState)');
    const expiresIn = Date.parse(subscription.expiresAt!) - Date.now();
    assert.ok(expiresIn > 2.9 * 86_400_000 && expiresIn <= 3 * 86_400_000, 'for (almost) the 3 days Graph allows');
    assert.ok(Date.parse(subscription.renewAt!) < Date.parse(subscription.expiresAt!), 'renewed before it expires');
    // Meeting the meeting again (the bot told of it again) makes no second subscription.
    app.meetings.noteMeeting(meetingKey, joinWebUrl);
    await new Promise((r) => setImmediate(r));
    assert.equal((await activeSubs()).length, 1);
    assert.equal((await app.store.get<StoredCallEventSubscription>(CALL_EVENT_SUBSCRIPTIONS_COLLECTION, meetingKey))!.id, subscription.id);
  });

  it('the roster and the call state follow the events while the bot is not in the call', async () => {
    assert.ok(subscription, 'the subscription test ran first');
    await personJoins(app, meetingKey, 'jonas');
    await personJoins(app, meetingKey, 'priya');
    await eventually(async () => {
      const view = await app.meetings.roster(meetingKey);
      const users = view.entries.map((e) => e.userId?.toLowerCase());
      return view.meetingCall?.state === 'started' && users.includes(ids.jonas.toLowerCase()) && users.includes(ids.priya.toLowerCase());
    }, 'the call started with Jonas and Priya on the roster', 20_000);
    const view = await app.meetings.roster(meetingKey);
    assert.equal(view.callId, undefined, 'the bot is not in the call');
    assert.equal(view.botState, undefined);
    assert.ok(view.entries.every((e) => !e.inLobby && !e.isBot));

    // What the side panel loads says the same (Jonas, who is in the meeting, opens it).
    const token = await tabToken(app, 'jonas');
    const panel = await tabJson(app, token, 'GET', meetingPath(meetingKey));
    assert.equal(panel.status, 200, JSON.stringify(panel.body));
    assert.equal(panel.body.meeting.call?.state, 'started');
    assert.equal(panel.body.roster.entries.length, 2);
    stream = await openSse(app, meetingPath(meetingKey, '/stream'), { authorization: `Bearer ${token}`, 'last-event-id': panel.body.stream.lastEventId }, Parser);
    assert.equal(stream.status, 200);

    await personLeaves(app, meetingKey, 'priya');
    await eventually(async () => !(await app.meetings.roster(meetingKey)).entries.some((e) => e.userId?.toLowerCase() === ids.priya.toLowerCase()), 'Priya off the roster');
    await personLeaves(app, meetingKey, 'jonas');
    await eventually(async () => (await app.meetings.roster(meetingKey)).meetingCall?.state === 'ended', 'the call ended');
    assert.equal((await app.meetings.roster(meetingKey)).count, 0);
    // The side panel's stream carried the leaves and the end of the call.
    const s = stream;
    await s.waitFor(() => s.messages.some((m) => m.event === 'call' && JSON.parse(m.data).state === 'ended'), 'the call\'s end on the stream');
    assert.ok(s.messages.some((m) => m.event === 'roster' && (JSON.parse(m.data).left as Array<{ userId?: string }>).some((l) => l.userId?.toLowerCase() === ids.priya.toLowerCase())), 'Priya\'s leave on the stream');
  });

  it('reauthorizationRequired (a lifecycle notification to the same URL) is answered by a renewal', async () => {
    assert.ok(subscription, 'the subscription test ran first');
    const before = (await app.store.get<StoredCallEventSubscription>(CALL_EVENT_SUBSCRIPTIONS_COLLECTION, meetingKey))!;
    const sent = await app.emulatorJson('POST', `/emulator/subscriptions/${subscription.id}/lifecycle`, { event: 'reauthorizationRequired' });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    assert.equal(sent.body.awaitingReauthorization, true);
    await eventually(async () => {
      const [emulated] = await activeSubs();
      return emulated && emulated.awaitingReauthorization === false;
    }, 'the subscription renewed (no longer awaiting reauthorization)');
    const after = (await app.store.get<StoredCallEventSubscription>(CALL_EVENT_SUBSCRIPTIONS_COLLECTION, meetingKey))!;
    assert.equal(after.id, before.id, 'the same subscription');
    assert.ok(Date.parse(after.renewAt!) >= Date.parse(before.renewAt!));
  });

  describe('forged notifications', () => {
    let certificate: X509Certificate;
    let sign: (claims: Record<string, unknown>) => Promise<string>;
    let certificateId: string;
    const deliver = async (body: unknown) => {
      const res = await request(`${app.url}/api/notifications/meeting-call-events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.body.dump();
      return res.statusCode;
    };
    const encrypt = (resource: unknown, publicKey: KeyObject) => encryptFor(resource, publicKey, certificateId, certificate);
    const resource = () => meetingCallEventsResource(joinWebUrl);
    const item = (encryptedContent: unknown) => ({
      subscriptionId: subscription.id,
      clientState: subscription.clientState,
      changeType: 'updated',
      tenantId: LOCAL_APP.tenantId,
      resource: resource(),
      subscriptionExpirationDateTime: subscription.expiresAt,
      resourceData: { '@odata.id': resource(), '@odata.type': '#microsoft.graph.callevent', id: randomBytes(8).toString('hex') },
      organizationId: LOCAL_APP.tenantId,
      encryptedContent,
    });
    // Amara is not in the meeting: the forgeries would put her on the roster (beta's callEventType name).
    const amaraJoins = (name: string, type: Record<string, string> = { callEventType: 'rosterUpdated' }) => ({
      '@odata.type': '#microsoft.graph.callevent',
      '@odata.id': resource(),
      id: randomBytes(8).toString('hex'),
      ...type,
      eventDateTime: new Date().toISOString(),
      'participants@delta': [{ id: randomBytes(8).toString('hex'), info: { identity: { user: { id: `aaaaaaaa-0000-4000-8000-${name.padStart(12, '0')}`, displayName: `Forged ${name}`, tenantId: LOCAL_APP.tenantId } } }, isInLobby: true }],
    });
    const onRoster = async (name: string) => (await app.meetings.roster(meetingKey)).entries.find((e) => e.displayName === `Forged ${name}`);
    const refusals = (reason: string) => app.logs.filter((l) => l.includes('meeting call events: a change notification was refused') && l.includes(`"reason":"${reason}"`));
    const validationToken = () => changeTrackingToken(app, sign);

    before(async () => {
      assert.ok(subscription, 'the subscription test ran first');
      certificate = new X509Certificate(readFileSync(join(app.dataDir, 'presence', 'notification-cert.pem')));
      sign = emulatorSigner(app);
      certificateId = ((await activeSubs())[0]).encryptionCertificateId;
    });

    it('a well-formed one is applied (the checks do not refuse everything), callEventType read like eventType, lobby kept', async () => {
      assert.equal(await deliver({ value: [item(encrypt(amaraJoins('1'), certificate.publicKey))], validationTokens: [await validationToken()] }), 202);
      await eventually(async () => (await onRoster('1')) !== undefined, 'the well-formed item applied');
      assert.equal((await onRoster('1'))!.inLobby, true);
    });

    it('an unknown event type is ignored', async () => {
      assert.equal(await deliver({ value: [item(encrypt(amaraJoins('2', { eventType: 'transcriptionStateUpdated' }), certificate.publicKey)), item(encrypt(amaraJoins('3'), certificate.publicKey))], validationTokens: [await validationToken()] }), 202);
      await eventually(async () => (await onRoster('3')) !== undefined, 'the item after it applied');
      assert.equal(await onRoster('2'), undefined);
    });

    it('a tampered signature is answered 202, refused, logged without tokens or content, and changes nothing', async () => {
      const token = await validationToken();
      const content = encrypt(amaraJoins('4'), certificate.publicKey);
      const signature = Buffer.from(content.dataSignature, 'base64');
      signature[0]! ^= 0xff;
      assert.equal(await deliver({ value: [item({ ...content, dataSignature: signature.toString('base64') })], validationTokens: [token] }), 202);
      await eventually(() => refusals('bad-signature').length > 0, 'the refusal in the log');
      assert.ok(!app.logs.some((l) => l.includes(token.slice(0, 40))), 'the validation token is not logged');
      assert.ok(!app.logs.some((l) => l.includes(subscription.clientState!)), 'the clientState is not logged');
      assert.ok(!app.logs.some((l) => l.includes(content.data.slice(0, 40))), 'the content is not logged');
      assert.equal(await onRoster('4'), undefined);
    });

    it('an item encrypted for another certificate, or with the wrong clientState, is refused', async () => {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      assert.equal(await deliver({ value: [item(encrypt(amaraJoins('5'), publicKey))], validationTokens: [await validationToken()] }), 202);
      await eventually(() => refusals('wrong-certificate').length > 0, 'the wrong-certificate refusal');
      assert.equal(await deliver({ value: [{ ...item(encrypt(amaraJoins('6'), certificate.publicKey)), clientState: 'guessed' }], validationTokens: [await validationToken()] }), 202);
      await eventually(() => refusals('client-state').length > 0, 'the clientState refusal');
      assert.equal(await onRoster('5'), undefined);
      assert.equal(await onRoster('6'), undefined);
    });
  });
});
